"""In a real browser, the whole of "The ERP a trained sales assistant expects"
in one sitting: the candidate creates a customer (SIREN checked), logs a call
on its page and changes its credit limit (a reason is asked for); confirms then
cancels an order (its reservation released); corrects a draft quote (Enter in a
line field moves to the next field, never submits); turns it into an order that
the credit check blocks; asks management for an approval, reads the refusal in
the inbox, asks again with a new argument and gets the approval — with no
Content-Security-Policy violation on the way."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sim.crm.identifiers import siren_with_check_digit
from sim.db import UnitOfWork
from sim.stock.models import Product
from tests.browser.test_pages_satisfy_the_content_security_policy import Watch, log_in
from tests.factories import make_product

pytestmark = pytest.mark.browser


def _reserved(workspace_id: int, product_id: int):
    with UnitOfWork(workspace_id, write=False) as uow:
        return uow.get(Product, product_id).stock_reserved


def test_corrections_records_and_a_refused_then_approved_order(live_server, browser, page, screenshot, make_user,
                                                               candidate_with_workspace):
    user, workspace = candidate_with_workspace
    product = make_product(workspace.id, price="120.00", stock="40", name="Rouleau de film 500 m")
    watch = Watch(page)
    log_in(page, live_server, user.username)

    # A new customer: identity checked, then its page
    page.goto(live_server + "/customers/new")
    page.get_by_label("Raison sociale / nom *").fill("Quincaillerie Roux Vadrel")
    page.locator("input[name=siren]").fill(siren_with_check_digit("73282932"))
    page.get_by_label("Adresse", exact=True).fill("12 rue des Forges")
    page.get_by_label("Code postal").fill("69003")
    page.get_by_label("Ville").fill("Lyon")
    page.get_by_label("Pays").fill("FR")
    page.get_by_label("Plafond d'encours (€)").fill("500.00")
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.locator("h1")).to_contain_text("Quincaillerie Roux Vadrel")
    customer_url = page.url

    # A call logged on the customer page: it heads the timeline
    form = page.locator("#noter")
    form.get_by_label("Type").select_option("phone")
    form.get_by_label("Sens").select_option("in")
    form.get_by_label("Objet *").fill("Première commande et plafond d'encours")
    form.get_by_label("Compte rendu *").fill("Le gérant annonce une commande de film ; il demande 600 € d'encours.")
    form.get_by_role("button", name="Enregistrer").click()
    timeline = page.locator("#historique")
    expect(timeline.locator("tbody tr").first).to_contain_text("Première commande et plafond d'encours")
    expect(timeline.locator("tbody tr").first).to_contain_text("Appel entrant")
    watch.assert_none("customer page")

    # The credit limit changed: refused without a reason, then saved with one
    page.get_by_role("link", name="Modifier la fiche").click()
    page.get_by_label("Plafond d'encours (€)").fill("600.00")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator("#err-reason")).to_contain_text("Motif : obligatoire pour changer plafond d'encours")
    page.get_by_label("Motif de la modification", exact=False).fill("Appel du gérant, accord de la direction")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator("h1")).to_contain_text("Quincaillerie Roux Vadrel")

    # An order confirmed (its line reserved), then cancelled with a reason (the reservation released)
    page.goto(live_server + "/orders/new")
    page.get_by_label("Client", exact=True).fill("roux vadrel")  # the server suggests the customer
    page.locator("#customer-suggest .suggestion").first.click()
    expect(page.get_by_label("Client", exact=True)).to_have_value(re.compile(r" — Quincaillerie Roux Vadrel$"))
    expect(page.get_by_label("Produit ligne 1")).to_be_focused()
    page.get_by_label("Produit ligne 1").fill(f"{product.reference} — {product.name}")
    page.get_by_label("Quantité ligne 1").fill("2")  # 288,00 TTC, within 600,00
    page.get_by_role("button", name="Enregistrer la commande").click()
    page.get_by_role("button", name="Confirmer la commande").click()
    expect(page.locator("h1 .status")).to_have_text("Confirmée")
    assert _reserved(workspace.id, product.id) == 2
    page.get_by_label("Motif").fill("Annulée par le client au téléphone : il regroupe avec la commande suivante.")
    page.get_by_role("button", name="Annuler la commande").click()
    expect(page.locator("h1 .status")).to_have_text("Annulée")
    assert _reserved(workspace.id, product.id) == 0

    # A draft quote typed (Enter moves on, the page stays), then corrected
    page.goto(live_server + "/quotes/new")
    page.get_by_label("Client", exact=True).fill("roux vadrel")
    page.locator("#customer-suggest .suggestion").first.click()
    page.get_by_label("Produit ligne 1").fill(f"{product.reference} — {product.name}")
    page.get_by_label("Quantité ligne 1").fill("10")
    page.get_by_label("Quantité ligne 1").press("Enter")
    expect(page.get_by_label("Remise ligne 1")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/quotes/new$"))
    page.get_by_role("button", name="Enregistrer le devis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Devis DE-")
    page.get_by_role("link", name="Modifier", exact=True).click()
    page.get_by_label("Quantité ligne 1").fill("12")  # 1 440,00 HT, 1 728,00 TTC
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator("main")).to_contain_text("1 728,00")
    screenshot("quote-corrected")
    watch.assert_none("quote editor and page")

    # Sent, accepted, ordered: the credit check blocks it (1 728,00 TTC > 600,00)
    page.get_by_role("button", name="Marquer comme envoyé").click()
    page.get_by_role("button", name="Accepté par le client").click()
    page.get_by_role("button", name="Transformer en commande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Commande CO-")
    order_url = page.url
    page.get_by_role("button", name="Confirmer la commande").click()
    expect(page.locator("h1 .status")).to_have_text("Bloquée")
    page.get_by_label(re.compile("Votre argumentaire")).fill("Nouveau client, gérant connu de la profession.")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("h1 .status")).to_have_text("En attente d'accord")

    # The trainer plays the sales manager, in a browser of their own: a refusal
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

    # A new request with a new argument: approved, the order confirmed
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

    # The customer's history holds it all, in time order
    page.goto(customer_url)
    expect(page.locator("#historique")).to_contain_text("Première commande et plafond d'encours")
    screenshot("customer-page")
    watch.assert_none("the whole sequence")
