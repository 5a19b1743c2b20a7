"""The candidate records what a customer consented to or withdrew, with where it
comes from, and the next emailing follows it.

RGPD art. 7 (the controller proves the consent: its origin is kept), art. 21
(an objection to marketing stops it at once)."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from sim.communication.models import Channel, Purpose
from sim.communication.segments import build, read_filters
from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry

from . import customers_with_known_consents


def _customer(workspace_id, code) -> Customer:
    with UnitOfWork(workspace_id, write=False) as uow:
        return uow.session.scalars(select(Customer).where(Customer.code == code)).one()


def _revision(page: str) -> str:
    return re.search(r'name="consent_revision" value="([^"]+)"', page).group(1)


def test_a_withdrawal_asked_by_e_mail_is_recorded_and_the_customer_leaves_the_next_emailing(
        login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    codes = customers_with_known_consents(workspace.id)
    customer = _customer(workspace.id, codes["offers"])
    browser = login(user)
    page = browser.get(f"/customers/{customer.id}")
    assert "Offres par courriel : oui, depuis le 10/01/2026" in page.text

    # the customer asked to receive the newsletter, and no more offers
    saved = browser.post(f"/customers/{customer.id}/consents", {
        "consent": "newsletter", "consent_source": "Courriel de M. le gérant du 02/11/2026",
        "consent_revision": _revision(page.text)})

    assert saved.status_code == 303
    after = _customer(workspace.id, codes["offers"])
    assert (after.consent_offers_on, after.consent_newsletter_on) == (None, date(2026, 11, 2))
    with UnitOfWork(workspace.id, write=False) as uow:
        entry = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "customer.consents_changed")).one()
        segment = build(uow, read_filters({"kind": "b2b"})[0], channel=Channel.EMAIL, purpose=Purpose.OFFERS,
                        today=date(2026, 11, 2))
    assert entry.refs == {"customer": customer.code}
    assert entry.payload == {"changes": {"offers": {"old": "2026-01-10", "new": ""},
                                         "newsletter": {"old": "", "new": "2026-11-02"}},
                             "source": "Courriel de M. le gérant du 02/11/2026"}
    assert segment.recipients == []


def test_a_change_without_its_origin_is_refused_next_to_the_field_and_changes_nothing(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    codes = customers_with_known_consents(workspace.id)
    customer = _customer(workspace.id, codes["offers"])
    browser = login(user)
    page = browser.get(f"/customers/{customer.id}")

    refused = browser.post(f"/customers/{customer.id}/consents", {
        "consent": "offers", "objection": "1", "consent_source": "", "consent_revision": _revision(page.text)})

    assert refused.status_code == 422
    assert 'id="err-consent_source"' in refused.text
    assert _customer(workspace.id, codes["offers"]).marketing_objection_on is None


def test_the_same_form_twice_journals_once_and_a_stale_one_is_refused(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    codes = customers_with_known_consents(workspace.id)
    customer = _customer(workspace.id, codes["offers"])
    browser = login(user)
    stale = _revision(browser.get(f"/customers/{customer.id}").text)
    form = {"consent": "offers", "objection": "1", "consent_source": "Appel du client", "consent_revision": stale}

    assert browser.post(f"/customers/{customer.id}/consents", form).status_code == 303
    assert browser.post(f"/customers/{customer.id}/consents", form).status_code == 303  # nothing left to change
    moved = browser.post(f"/customers/{customer.id}/consents", {**form, "objection": ""})

    assert moved.status_code == 409
    with UnitOfWork(workspace.id, write=False) as uow:
        assert len(uow.session.scalars(select(JournalEntry).where(
            JournalEntry.kind == "customer.consents_changed")).all()) == 1
