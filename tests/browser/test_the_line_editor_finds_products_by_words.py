"""In a real browser: words of a product's name find it with its stock, a
discount over the delegation is flagged while typing, and saving leaves a
confirmation above the quote's status bar."""
from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import make_customer, make_product, set_company

pytestmark = pytest.mark.browser


def test_a_product_found_by_words_with_stock_and_the_delegation_flag(live_server, page, screenshot,
                                                                     candidate_with_workspace):
    user, workspace = candidate_with_workspace
    set_company(workspace.id, max_discount_pct=Decimal("10.00"))
    customer = make_customer(workspace.id, name="Logistique Varenne")
    product = make_product(workspace.id, price="18.40", stock="64", name="Film étirable 23 µm Vrex")

    page.goto(live_server + "/login")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill("secret")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server}/quotes/new?customer={customer.code}")

    page.get_by_label("Produit ligne 1").press_sequentially("film 23 vrex", delay=20)
    suggestion = page.locator("#suggest-0 .suggestion").first
    expect(suggestion).to_contain_text("Film étirable 23 µm Vrex")
    expect(suggestion).to_contain_text("dispo 64")
    suggestion.click()
    expect(page.get_by_label("Produit ligne 1")).to_have_value(f"{product.reference} — {product.name}")
    page.get_by_label("Quantité ligne 1").fill("5")
    page.get_by_label("Remise ligne 1").fill("15")
    expect(page.locator("#line-flag-0")).to_contain_text("délégation")
    expect(page.locator("#line-stock-0")).to_have_text("64")
    screenshot("editor-words-stock-flag")
    page.get_by_label("Remise ligne 1").fill("8")
    expect(page.locator("#line-flag-0")).to_have_text("")
    page.get_by_role("button", name="Enregistrer le devis").click()
    expect(page.get_by_test_id("flash")).to_contain_text("enregistré (brouillon)")
    expect(page.locator(".status-bar .step.current")).to_have_text("Brouillon")
    screenshot("quote-page-flash")
