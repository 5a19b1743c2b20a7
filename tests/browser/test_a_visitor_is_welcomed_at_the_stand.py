"""In a real browser, on a trade-show workspace at show day (CP8): the candidate opens the stand,
welcomes the English-speaking visitor, answers the price question with the catalogue's figure,
submits the contact form with a fault (consent without its retention period: the message is
next to the field, nothing is saved), then correctly; the prospect is in the customer list.
No CSP violation."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sim.db import UnitOfWork, get_engine
from sim.journal.models import JournalEntry
from sim.scenario.engine import fire_due
from sim.tradeshow.models import Visitor
from tests.browser.test_pages_satisfy_the_content_security_policy import Watch, log_in
from tests.exam import a_session, workspaces

pytestmark = pytest.mark.browser


def _show_day(make_user):
    """A trade-show session started, its clock jumped event by event until the visitors are at the stand."""
    from sim.exam.service import jump_to_next_event, start_session

    session_id, [candidate] = a_session(make_user, candidates=1, scenario="trade-show")
    start_session(get_engine(), session_id, actor="trainer:t")
    [workspace] = workspaces(session_id)
    for _ in range(30):  # the announcement, the management request, the supplier quotes…, the show day
        with UnitOfWork(workspace.id, write=False) as uow:
            if uow.session.scalars(select(Visitor)).first() is not None:
                break
        jump_to_next_event(get_engine(), session_id, actor="trainer:t")
        fire_due(get_engine(), workspace.id)
    else:
        raise AssertionError("no visitor at the stand after 30 events")
    return candidate, workspace


def test_the_candidate_welcomes_a_visitor_answers_and_files_the_contact_form(live_server, page, screenshot,
                                                                              make_user):
    candidate, workspace = _show_day(make_user)
    watch = Watch(page)
    log_in(page, live_server, candidate.username)

    page.goto(f"{live_server}/stand")
    expect(page.locator("h1")).to_contain_text("Le stand du salon")
    page.get_by_role("link", name="Tom Becker").click()
    page.get_by_role("button", name="Accueillir le visiteur", exact=True).click()
    dialogue = page.locator("[data-testid=dialogue]")
    expect(dialogue).to_contain_text("Hello, I'm Tom Becker, logistics manager at Becker Versand GmbH")
    expect(dialogue).to_contain_text("What is the price of")

    page.get_by_label("Votre réponse (in English)").fill(
        "Good morning Mr Becker. The price is 36.50 euros excluding VAT for a lot of twenty boxes.")
    page.get_by_role("button", name="Répondre").click()
    expect(dialogue).to_contain_text("The price is 36.50 euros")
    expect(dialogue).to_contain_text("delivery lead time")  # the next question
    screenshot("stand-dialogue")

    form = page.locator("#contact")
    form.get_by_label("Prénom").fill("Tom")
    form.get_by_label("Nom", exact=True).fill("Becker")
    form.get_by_label("Société").fill("Becker Versand GmbH")
    form.get_by_label("Fonction").fill("Logistics manager")
    form.get_by_label("Courriel", exact=True).fill("t.becker@becker-versand.example")
    form.get_by_label("Langue").select_option("en")
    form.get_by_label("Pays").fill("DE")
    form.get_by_label("Besoin exprimé").fill("Double-wall boxes for parcels, mail order in Hamburg")
    form.get_by_label("Suite à donner").select_option("call")
    form.get_by_label("Date de la suite").fill("2026-11-09")
    form.get_by_label("Commercial (passage de relais)").select_option(index=1)
    form.get_by_label("offres commerciales par courriel").check()
    form.get_by_role("button", name="Enregistrer la fiche et passer le relais").click()

    # consent without its retention period: refused next to the field, what was typed is kept
    error = page.locator("#contact #err-retention_months")
    expect(error).to_contain_text("Durée de conservation")
    expect(page.locator("#contact").get_by_label("Société")).to_have_value("Becker Versand GmbH")
    screenshot("stand-contact-form")
    with UnitOfWork(workspace.id, write=False) as uow:
        assert uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "trade_show.contact_saved")).first() is None

    page.locator("#contact").get_by_label("Durée de conservation").select_option("24")
    page.locator("#contact").get_by_role("button", name="Enregistrer la fiche et passer le relais").click()
    expect(page.locator("#contact")).to_contain_text("Enregistrée")
    expect(page.locator(".page-head")).to_contain_text("Reçu")

    page.goto(f"{live_server}/customers")
    row = page.locator("table tbody tr", has_text="Becker Versand GmbH")
    expect(row).to_contain_text("prospect")
    watch.assert_none("stand pages")

    with UnitOfWork(workspace.id, write=False) as uow:
        saved = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "trade_show.contact_saved")).one()
        answered = uow.session.scalars(select(JournalEntry).where(
            JournalEntry.kind == "trade_show.visitor_answered")).one()
    assert saved.payload["accurate"] is True and saved.payload["consent_recorded"] is True
    assert answered.payload["reliable"] is True and answered.payload["detected_language"] == "en"
