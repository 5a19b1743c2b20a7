"""In a real browser: an overdue invoice appears on today's reminders; the
candidate runs the company's procedure from it — reminder email from the
template, call with a promise, reminder letter, formal notice — and the formal
notice is printed as a PDF with the penalties, kept and journaled."""
from __future__ import annotations

import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.factories import last_entry
from tests.receivables import a_customer, an_invoice, at

pytestmark = pytest.mark.browser


def test_the_candidate_runs_the_ladder_to_the_formal_notice(live_server, page, screenshot, candidate_with_workspace,
                                                           tmp_path):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    at(ws, date(2026, 11, 24))
    customer = a_customer(ws, name="Quincaillerie Lemoine")
    invoice = an_invoice(ws, customer, "12000.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))  # 40 days late

    page.goto(live_server + "/login")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill("secret")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Recouvrement").first.click()
    page.get_by_role("link", name="Relances du jour").click()
    row = page.get_by_test_id("todo").locator("tr", has_text=invoice.number)
    expect(row).to_contain_text("1re relance")
    expect(row).to_contain_text("40 j")
    screenshot("recovery-todo")
    row.get_by_role("link", name="Traiter").click()

    # 1. the reminder email, from the French template, adapted
    email = page.locator("#courriel")
    expect(email.get_by_label("Objet")).to_have_value(f"Relance — {invoice.number}")
    body = email.get_by_label("Message (adaptez le modèle)")
    expect(body).to_contain_text("12 000,00")
    body.fill(body.input_value().replace("Bonjour,", "Bonjour Madame Lemoine,"))
    email.get_by_role("button", name="Envoyer la relance").click()
    expect(page.get_by_test_id("flash")).to_contain_text("envoyée par courriel")

    # 2. the call, with the promise obtained
    call = page.locator("#appel")
    call.get_by_label("Compte rendu").fill("Mme Lemoine (gérante) : trésorerie tendue, virement promis.")
    call.get_by_label("Règlement promis le").fill("2026-11-26")
    call.get_by_label("Montant promis").fill("12000")
    call.get_by_role("button", name="Noter l'appel").click()
    expect(page.get_by_test_id("flash")).to_contain_text("Appel de relance noté")
    expect(page.locator("#factures")).to_contain_text("Promis : 12")

    # 3. the reminder letter, then 4. the formal notice
    letter = page.locator("#courrier")
    letter.get_by_label("Courrier").select_option("second")
    letter.get_by_role("button", name="Imprimer le courrier").click()
    expect(page.get_by_test_id("flash")).to_contain_text("2e relance")
    letter = page.locator("#courrier")
    letter.get_by_label("Courrier").select_option("formal_notice")
    letter.get_by_label("Délai de paiement").fill("8")
    letter.get_by_role("button", name="Imprimer le courrier").click()
    expect(page.get_by_test_id("flash")).to_contain_text("Mise en demeure")
    expect(page.get_by_test_id("flash")).to_contain_text("159,78")
    screenshot("recovery-customer-file")

    entry = last_entry(ws, "document.generated")
    assert entry.payload["document"] == "formal_notice" and entry.refs["customer"] == customer.code
    notice = last_entry(ws, "reminder.sent")
    assert (notice.payload["level"], notice.payload["penalties"], notice.payload["indemnity"]) == (
        "formal_notice", "159.78", "40.00")
    link = page.get_by_test_id("letter-pdf").first
    response = page.request.get(live_server + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\u202f", " ").replace("\xa0", " ")
    assert "MISE EN DEMEURE" in text and invoice.number in text
    assert "12 199,78" in text and "12 000,00 × 12,15 % × 40 j / 365" in text
    page.goto(f"{live_server}/receivables/todo")
    expect(page.get_by_test_id("todo").locator("tr", has_text=invoice.number)).to_have_count(0)
    page.goto(f"{live_server}/receivables")
    expect(page.get_by_test_id("aged-balance").locator("tr", has_text="Quincaillerie Lemoine")).to_contain_text(
        "12 000,00")
    screenshot("recovery-aged-balance")
