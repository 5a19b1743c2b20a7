"""In a real browser, the candidate handles a damaged-delivery claim: analysed,
a credit note beyond the delegation refused next to its field, one within it
proposed, logistics alerted by an internal message, the customer's agreement
recorded (the credit note is issued), the claim closed. No CSP violation."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sim.crm import claims
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry
from tests.browser.test_pages_satisfy_the_content_security_policy import Watch, log_in
from tests.claims import an_invoice_of_1000_ht
from tests.factories import ACTOR

pytestmark = pytest.mark.browser


def test_the_candidate_settles_a_claim_by_a_credit_note_and_alerts_logistics(live_server, page, screenshot,
                                                                           candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    customer, invoice = an_invoice_of_1000_ht(ws)  # 1 000 € HT: a 5 % gesture is 50 € at most
    with UnitOfWork(ws) as uow:
        claim = claims.open_claim(uow, actor="scenario", customer_id=customer.id, category="damage",
                                  subject="Colis abîmé à la livraison",
                                  description="Trois cartons écrasés, réserves portées sur le bon de livraison.",
                                  invoice_id=invoice.id)
        uow.commit()
    watch = Watch(page)
    log_in(page, live_server, user.username)

    # recording one: the customer is picked from the server's suggestions, as in the editors
    page.goto(f"{live_server}/claims/new")
    page.get_by_label("Client").fill(customer.name.split()[0])
    page.locator("#customer-suggest button.suggestion", has_text=customer.code).click()
    expect(page.get_by_label("Client")).to_have_value(f"{customer.code} — {customer.name}")
    page.get_by_role("button", name="Choisir ce client").click()
    expect(page.locator("form.claim-form")).to_contain_text(customer.name)

    page.goto(f"{live_server}/claims")
    row = page.locator("table.claims-table tbody tr", has_text=claim.number)
    expect(row).to_contain_text("Reçue")
    row.get_by_role("link", name=claim.number).click()
    expect(page.locator("h1")).to_contain_text(claim.number)

    page.locator("#analyse textarea[name=analysis]").fill("Avarie de transport, réserves sur le bon de livraison.")
    page.locator("#analyse").get_by_role("button", name="Enregistrer l'analyse").click()
    expect(page.locator("h1")).to_contain_text("Analysée")

    propose = page.locator("#propose")
    propose.get_by_label("Solution").select_option("credit_note")
    propose.get_by_label("Montant de l'avoir (€ HT)").fill("60")
    propose.get_by_label("Ce que vous proposez au client").fill("Un avoir de 60 € HT.")
    propose.get_by_role("button", name="Proposer").click()
    expect(page.locator("#err-amount")).to_contain_text("délégation")  # 60 € > 50 €: refused, nothing changed
    expect(page.locator("h1")).to_contain_text("Analysée")
    propose = page.locator("#propose")
    propose.get_by_label("Montant de l'avoir (€ HT)").fill("50")
    propose.get_by_label("Ce que vous proposez au client").fill("Un avoir de 50 € HT sur la facture.")
    propose.get_by_role("button", name="Proposer").click()
    expect(page.locator("h1")).to_contain_text("Solution proposée")

    alert = page.locator("#alert")
    alert.get_by_label("Service").select_option("logistics")
    alert.get_by_label("Message interne").fill("Avarie : merci d'ouvrir le litige avec le transporteur.")
    alert.get_by_role("button", name="Envoyer l'alerte").click()
    expect(page.locator(".doc-history")).to_contain_text("Collègue alerté")

    answer = page.locator("#answer")
    answer.get_by_label("accepte").check()
    answer.get_by_label("Sa réponse (courriel, appel)").fill("D'accord par téléphone.")
    answer.get_by_role("button", name="Enregistrer la réponse").click()
    expect(page.locator("h1")).to_contain_text("Acceptée")
    expect(page.get_by_text("émis : 60,00")).to_be_visible()  # 50 € HT + 20 % VAT
    screenshot("claim-page")

    page.locator("#close textarea[name=resolution]").fill("Avoir émis, litige transporteur ouvert.")
    page.locator("#close").get_by_role("button", name="Clôturer la réclamation").click()
    expect(page.locator("h1")).to_contain_text("Clôturée")
    page.goto(f"{live_server}/claims?view=closed")
    expect(page.locator("table.claims-table")).to_contain_text(claim.number)
    screenshot("claims-list")
    watch.assert_none("claim pages")

    with UnitOfWork(ws, write=False) as uow:
        kinds = [e.kind for e in uow.session.scalars(select(JournalEntry).order_by(JournalEntry.seq))
                 if e.actor.startswith("candidate")]
        alerted = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "message.sent")).all()[-1]
    assert [k for k in kinds if k.startswith(("claim.", "credit_note."))] == [
        "claim.analysed", "claim.solution_proposed", "claim.colleague_alerted", "credit_note.issued",
        "claim.accepted", "claim.closed"]
    assert alerted.payload["to_role"] == "logistics"
