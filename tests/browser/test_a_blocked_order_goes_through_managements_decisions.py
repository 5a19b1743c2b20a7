"""In a real browser: a blocked order is put "en attente d'accord" by the
candidate's request; the trainer (the sales manager) refuses it with a comment,
which the candidate reads in the inbox and on the order; a new request with a new
argument is approved and the order is confirmed. On the way, Enter in a line
field of the editor moves to the next field and never submits."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_customer, make_product

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    page.goto(url + "/login")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("secret")
    page.get_by_role("button", name="Se connecter").click()


def test_refusal_in_the_inbox_then_approval_of_a_new_request(live_server, browser, page, screenshot, make_user,
                                                             candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer = make_customer(workspace.id, credit_limit="500.00", name="Quincaillerie Roux")
    product = make_product(workspace.id, price="120.00", stock="40", name="Rouleau de film 500 m")
    log_in(page, live_server, user.username)

    # The order typed in the editor: Enter moves from field to field, the page stays
    page.goto(live_server + "/orders/new")
    page.get_by_label("Client", exact=True).fill(f"{customer.code} — {customer.name}")
    page.get_by_label("Produit ligne 1").fill(f"{product.reference} — {product.name}")
    page.get_by_label("Quantité ligne 1").fill("10")  # 1 440,00 TTC > 500,00 of credit limit
    page.get_by_label("Quantité ligne 1").press("Enter")
    expect(page.get_by_label("Remise ligne 1")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/orders/new$"))
    page.get_by_role("button", name="Enregistrer la commande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Commande CO-")
    order_url = page.url

    page.get_by_role("button", name="Confirmer la commande").click()
    expect(page.locator("h1 .status")).to_have_text("Bloquée")
    page.get_by_label(re.compile("Votre argumentaire")).fill("Client depuis 2015, jamais d'incident de paiement.")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("h1 .status")).to_have_text("En attente d'accord")
    screenshot("order-pending-approval")

    # The trainer plays the sales manager, in a browser of their own
    trainer = make_user("trainer")
    manager_context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 900})
    manager = manager_context.new_page()
    log_in(manager, live_server, trainer.username)
    manager.goto(f"{live_server}/workspaces/{workspace.id}/approvals")
    manager.get_by_label(re.compile("Commentaire de la décision")).fill("Encours trop élevé : demandez un acompte de 30 %.")
    manager.get_by_role("button", name="Refuser").click()
    expect(manager.get_by_text("Aucune commande bloquée.")).to_have_count(0)

    # The refusal: in the inbox from "Direction commerciale", and on the order
    page.goto(live_server + "/inbox")
    page.get_by_role("link", name=re.compile("refus de la direction")).click()
    expect(page.get_by_text("Encours trop élevé : demandez un acompte de 30 %.").first).to_be_visible()
    expect(page.get_by_text("Direction commerciale").first).to_be_visible()
    page.goto(order_url)
    expect(page.locator("h1 .status")).to_have_text("Bloquée")
    expect(page.get_by_test_id("approvals")).to_contain_text("Refus")
    page.get_by_label(re.compile("Votre argumentaire")).fill("Acompte de 30 % reçu ce matin (virement).")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("h1 .status")).to_have_text("En attente d'accord")

    manager.goto(f"{live_server}/workspaces/{workspace.id}/approvals")
    manager.get_by_label(re.compile("Commentaire de la décision")).fill("Accord : acompte reçu.")
    manager.get_by_role("button", name="Accorder", exact=True).click()
    expect(manager.get_by_text("Aucune commande bloquée.")).to_be_visible()
    manager_context.close()

    page.goto(order_url)
    expect(page.locator("h1 .status")).to_have_text("Confirmée")
    expect(page.get_by_test_id("approvals")).to_contain_text("Accord : acompte reçu.")
    screenshot("order-approved-after-a-refusal")
