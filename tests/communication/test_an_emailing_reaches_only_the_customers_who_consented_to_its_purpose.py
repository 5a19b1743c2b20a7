"""An emailing goes only to the customers of its segment who consented to its purpose.

The issue: "target segment built from CRM filters (with the count of recipients
and the GDPR consent respected: customers without consent for that purpose are
left out, and the candidate sees why)". RGPD art. 6 and 7 (one consent per
purpose, CNIL), art. 21 (the right to object overrides a consent given before).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from sim.clock import sim_now
from sim.communication import service
from sim.communication.models import Channel, Purpose
from sim.communication.segments import build, read_filters
from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry
from sim.sales.models import SalesOrder

from . import ACTOR, customers_with_known_consents

B2B_CUSTOMERS = {"status": "customer", "kind": "b2b"}


def _segment(workspace_id, purpose, channel=Channel.EMAIL, filters=B2B_CUSTOMERS):
    with UnitOfWork(workspace_id, write=False) as uow:
        segment = build(uow, read_filters(filters)[0], channel=channel, purpose=purpose, today=sim_now(uow).date())
        return ({c.code for c, _ in segment.recipients}, {e.customer.code: e.reason for e in segment.excluded},
                {c.code for c in segment.matched})


def test_an_offer_by_email_reaches_only_those_who_consented_to_offers_and_says_why_the_others_are_left_out(workspace):
    codes = customers_with_known_consents(workspace.id)

    recipients, excluded, matched = _segment(workspace.id, Purpose.OFFERS)

    assert recipients == {codes["offers"]}
    assert excluded[codes["newsletter_only"]] == "pas de consentement aux offres commerciales par courriel"
    assert excluded[codes["objected"]] == "opposition à la prospection enregistrée le 01/06/2026"
    assert excluded[codes["no_email"]] == "pas d'adresse e-mail"
    assert excluded[codes["litigation"]] == "en litige avec l'entreprise"
    # every B2B customer is in the segment: each one is either a recipient or excluded, with its reason
    assert matched == recipients | set(excluded)
    assert len(matched) > 5


def test_a_newsletter_needs_the_newsletter_consent_not_the_offers_one(workspace):
    codes = customers_with_known_consents(workspace.id)

    recipients, excluded, _ = _segment(workspace.id, Purpose.NEWSLETTER)

    assert recipients == {codes["newsletter_only"]}
    assert excluded[codes["offers"]] == "pas de consentement à la lettre d'information"


def test_a_customer_in_litigation_is_reached_only_when_the_candidate_lifts_the_filter(workspace):
    codes = customers_with_known_consents(workspace.id)

    recipients, _, _ = _segment(workspace.id, Purpose.OFFERS, filters={**B2B_CUSTOMERS, "exclude_litigation": "0"})

    assert recipients == {codes["offers"], codes["litigation"]}


def test_a_public_channel_names_nobody_so_consent_does_not_apply(workspace):
    customers_with_known_consents(workspace.id)

    recipients, excluded, matched = _segment(workspace.id, Purpose.OFFERS, channel=Channel.SOCIAL)

    assert recipients == set() and excluded == {}
    assert len(matched) > 5  # the segment still describes the target


def test_inactive_customers_are_those_without_an_order_for_the_months_given(workspace):
    """« Sans commande depuis 3 mois »: the last order (not a draft, not cancelled)
    is older than the same day three months before the sim date, or there is none."""
    with UnitOfWork(workspace.id, write=False) as uow:
        today = sim_now(uow).date()
        last = dict(uow.session.execute(select(SalesOrder.customer_id, SalesOrder.order_date)
                                        .where(SalesOrder.status.not_in(("draft", "cancelled")))
                                        .order_by(SalesOrder.order_date)).all())
        codes = dict(uow.session.execute(select(Customer.id, Customer.code).where(Customer.status == "customer")).all())
    since = date(today.year, today.month - 3, today.day) if today.month > 3 else \
        date(today.year - 1, today.month + 9, today.day)
    expected = {code for id_, code in codes.items() if id_ not in last or last[id_] < since}

    _, _, matched = _segment(workspace.id, Purpose.OFFERS, channel=Channel.WEBSITE,
                             filters={"status": "customer", "inactive_months": "3"})

    assert matched == expected
    assert 0 < len(matched) < len(codes)  # some ordered lately, some did not


def test_the_publication_journals_the_recipients_and_the_exclusions_by_reason(workspace):
    codes = customers_with_known_consents(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        support = service.create_support(uow, actor=ACTOR, kind="offer", channel="email",
                                         title="-15 % sur les cartons jusqu'au 30/11",
                                         body="Bonjour,\n\n**-15 %** sur toute la gamme carton.",
                                         filters=B2B_CUSTOMERS)
        service.publish(uow, actor=ACTOR, support_id=support.id)
        uow.commit()
    with UnitOfWork(workspace.id, write=False) as uow:
        entry = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "support.published")).one()
        published_at = sim_now(uow)
    assert entry.refs == {"support": "COM-2026-001"}
    assert entry.payload["recipients"] == entry.payload["reach"] == 1
    assert entry.payload["customers"] == [codes["offers"]]
    assert entry.payload["excluded"]["pas de consentement aux offres commerciales par courriel"] \
        == entry.payload["matched"] - 4
    assert entry.payload["excluded"]["opposition à la prospection enregistrée le 01/06/2026"] == 1
    assert entry.payload["excluded"]["pas d'adresse e-mail"] == 1
    assert entry.payload["excluded"]["en litige avec l'entreprise"] == 1
    assert entry.payload["purpose"] == "offers" and entry.payload["within_limits"] is True
    assert published_at - entry.sim_time < timedelta(minutes=1)


def test_the_preview_counts_the_objections_together_whatever_their_date(workspace):
    """The journal keeps each objection's date; the preview shows one line per kind of
    reason (at the large size 500 objections were 500 lines of "1 × opposition …")."""
    from datetime import date

    from sim.communication.segments import OBJECTION
    from sim.crm.models import Customer

    codes = customers_with_known_consents(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        other = uow.session.scalars(select(Customer).where(Customer.code == codes["offers"])).one()
        other.marketing_objection_on = date(2025, 3, 4)  # a second objection, another date
        uow.commit()
    with UnitOfWork(workspace.id, write=False) as uow:
        segment = build(uow, read_filters(B2B_CUSTOMERS)[0], channel=Channel.EMAIL, purpose=Purpose.OFFERS,
                        today=sim_now(uow).date())
    journaled = segment.excluded_by_reason()
    assert journaled[f"{OBJECTION} enregistrée le 01/06/2026"] == journaled[f"{OBJECTION} enregistrée le 04/03/2025"] == 1
    shown = segment.excluded_by_kind()
    assert shown[OBJECTION] == 2 and not any(key.startswith(f"{OBJECTION} enregistrée") for key in shown)
    assert sum(shown.values()) == sum(journaled.values()) == len(segment.excluded)


def test_the_previews_counts_in_sql_are_the_segments_own(workspace):
    """The editor's preview counts the segment in SQL (segments.summary): the same recipients,
    exclusions by reason and first exclusions as the segment itself, whatever the filters."""
    from sim.communication.segments import summary

    customers_with_known_consents(workspace.id)
    cases = [(B2B_CUSTOMERS, Purpose.OFFERS), ({}, Purpose.NEWSLETTER), ({"exclude_litigation": "0"}, Purpose.EVENTS),
             ({"country": "abroad"}, Purpose.OFFERS), ({"status": "prospect", "language": "fr"}, Purpose.OFFERS),
             ({"inactive_months": "6"}, Purpose.NEWSLETTER), ({"kind": "b2c"}, Purpose.EVENTS)]
    with UnitOfWork(workspace.id, write=False) as uow:
        today = sim_now(uow).date()
        for raw, purpose in cases:
            filters = read_filters(raw)[0]
            whole = build(uow, filters, channel=Channel.EMAIL, purpose=purpose, today=today)
            counted = summary(uow, filters, channel=Channel.EMAIL, purpose=purpose, today=today, shown=5)
            assert (counted.matched_count, counted.recipient_count, counted.excluded_count) == (
                len(whole.matched), len(whole.recipients), len(whole.excluded)), raw
            assert counted.excluded_by_kind() == whole.excluded_by_kind(), raw
            assert [(e.customer.code, e.reason) for e in counted.first_excluded] == [
                (e.customer.code, e.reason) for e in whole.excluded[:5]], raw
            public = summary(uow, filters, channel=Channel.SOCIAL, purpose=purpose, today=today, shown=5)
            assert public.public and public.matched_count == len(whole.matched) and not public.first_excluded
        assert any(len(build(uow, read_filters(raw)[0], channel=Channel.EMAIL, purpose=p, today=today).excluded) > 5
                   for raw, p in cases), "some case must exclude more than the preview lists"
