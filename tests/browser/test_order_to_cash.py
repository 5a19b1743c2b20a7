"""In a real browser: quote → order → delivery → invoice → payment; the
customer's outstanding goes up with the invoice and back down with the payment."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sim.web.rendering import eur
from tests.factories import make_customer, make_product

pytestmark = pytest.mark.browser


def test_candidate_runs_the_order_to_cash_flow(live_server, page, screenshot, candidate_with_workspace):
    from decimal import Decimal

    user, workspace = candidate_with_workspace
    customer = make_customer(workspace.id, credit_limit="50000.00", name="Papeterie Lemoine")
    product = make_product(workspace.id, price="42.50", stock="30", name="Carton double cannelure 60×40×40")

    page.goto(live_server + "/login")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill("secret")
    page.get_by_role("button", name="Se connecter").click()

    page.goto(f"{live_server}/customers/{customer.id}")
    expect(page.get_by_test_id("outstanding")).to_have_text(eur(Decimal("0.00")))

    # Quote: the editor prices the line from the catalogue as one types
    page.get_by_role("link", name="Nouveau devis").click()
    page.get_by_label("Produit ligne 1").fill(f"{product.reference} — {product.name}")
    page.get_by_label("Quantité ligne 1").fill("10")
    page.get_by_label("Remise ligne 1").fill("5")
    # 10 × 42.50 × 0.95 = 403.75 HT; VAT 80.75; 484.50 TTC
    expect(page.get_by_test_id("total-ttc")).to_have_text(eur(Decimal("484.50")))
    screenshot("quote-editor")
    page.get_by_role("button", name="Enregistrer le devis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Devis DE-")
    page.get_by_role("button", name="Marquer comme envoyé").click()
    page.get_by_role("button", name="Accepté par le client").click()
    page.get_by_label("N° de commande du client").fill("BC-2026-118")
    page.get_by_role("button", name="Transformer en commande").click()

    # Order: confirmation checks stock and credit
    expect(page.get_by_role("heading", level=1)).to_contain_text("Commande CO-")
    page.get_by_role("button", name="Confirmer la commande").click()
    expect(page.locator("h1 .status")).to_have_text("Confirmée")
    page.get_by_label("Quantité à expédier").fill("6")  # partial: 4 stay as a backorder
    page.get_by_label("Transporteur").select_option(index=1)
    page.get_by_role("button", name="Expédier (bon de livraison)").click()

    # Delivery → invoice of the 6 delivered only: 6 × 42.50 × 0.95 = 242.25 HT, 290.70 TTC
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bon de livraison BL-")
    page.get_by_role("button", name="Facturer cette livraison").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Facture FA-")
    expect(page.get_by_test_id("amount-due")).to_have_text(eur(Decimal("290.70")))
    screenshot("invoice-page")

    page.goto(f"{live_server}/customers/{customer.id}")
    expect(page.get_by_test_id("outstanding")).to_have_text(eur(Decimal("290.70")))

    # Payment in full, allocated to the invoice
    page.get_by_role("link", name="Enregistrer un règlement").click()
    page.get_by_label("Mode de règlement").select_option("transfer")
    page.get_by_label("Montant reçu (€)").fill("290,70")
    page.get_by_label(re.compile("Montant affecté à FA-")).fill("290,70")
    screenshot("payment-form")
    page.get_by_role("button", name="Enregistrer le règlement").click()
    expect(page).to_have_url(re.compile(rf"/customers/{customer.id}$"))
    expect(page.get_by_test_id("outstanding")).to_have_text(eur(Decimal("0.00")))
    screenshot("customer-after-payment")
