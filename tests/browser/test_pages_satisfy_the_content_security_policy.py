"""In a real browser: the candidate's main pages and the trainer's journal page
load under the Content-Security-Policy without a single violation, and htmx
still works (live search, the quote editor's live totals, adding and removing
a line)."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.web.rendering import eur
from tests.factories import make_product

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


class Watch:
    """Every CSP violation of the page: the DOM event (per document) and Chromium's console report."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", lambda msg: self.console.append(msg.text)
                if "Content Security Policy" in msg.text or "Refused to" in msg.text else None)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations") + self.console

    def assert_none(self, where: str) -> None:
        assert self.violations() == [], where


def log_in(page, live_server, username):
    page.goto(live_server + "/login")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("secret")
    page.get_by_role("button", name="Se connecter").click()


def test_candidate_and_trainer_pages_raise_no_policy_violation(live_server, page, browser, make_user, screenshot,
                                                              candidate_with_workspace):
    user, workspace = candidate_with_workspace
    product = make_product(workspace.id, price="42.50", stock="30", name="Carton double cannelure 60×40×40")
    with UnitOfWork(workspace.id, write=False) as uow:
        customer = uow.session.scalars(select(Customer).order_by(Customer.id)).first()
    watch = Watch(page)

    log_in(page, live_server, user.username)
    expect(page).to_have_url(re.compile(r"/customers$"))
    watch.assert_none("login, customers list")
    # htmx: the list follows the search as one types
    page.get_by_label("Recherche").fill(customer.name)
    expect(page.locator("#customer-table tbody tr", has_text=customer.code)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q="))
    watch.assert_none("live search")

    page.goto(f"{live_server}/customers/{customer.id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(customer.name)
    watch.assert_none("customer page")

    # the quote editor: live totals, a line added and a line removed (app.js, no inline code)
    page.goto(f"{live_server}/quotes/new")
    page.get_by_label("Produit ligne 1").fill(f"{product.reference} — {product.name}")
    page.get_by_label("Quantité ligne 1").fill("10")
    expect(page.get_by_test_id("total-ttc")).to_have_text(eur(Decimal("510.00")))  # 10 × 42.50 × 1.2
    rows = page.locator("#editor-rows tr")
    before = rows.count()
    page.get_by_role("button", name="+ Ajouter une ligne").click()
    expect(rows).to_have_count(before + 1)
    expect(page.get_by_label(f"Produit ligne {before + 1}")).to_be_visible()  # numbered after the last one
    page.get_by_label(f"Produit ligne {before + 1}").fill(f"{product.reference} — {product.name}")
    page.get_by_label(f"Quantité ligne {before + 1}").fill("2")
    expect(page.get_by_test_id("total-ttc")).to_have_text(eur(Decimal("612.00")))  # 12 × 42.50 × 1.2
    rows.nth(0).get_by_role("button", name="Supprimer la ligne").click()
    expect(rows).to_have_count(before)
    expect(page.get_by_test_id("total-ttc")).to_have_text(eur(Decimal("102.00")))  # the 2 left
    watch.assert_none("quote editor")

    page.goto(f"{live_server}/inbox")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    watch.assert_none("inbox")

    # a commercial action project: its Gantt chart is inline SVG (no style attribute), its checklist an htmx fragment
    from tests.projects import a_project
    made = a_project(workspace.id)
    page.goto(f"{live_server}/projects/{made.project.id}")
    expect(page.get_by_test_id("timeline")).to_be_visible()
    page.locator("#checklist").get_by_label("Nouvel élément").fill("Commander les badges")
    page.locator("#checklist").get_by_role("button", name="Ajouter").click()
    expect(page.get_by_test_id("checklist-notice")).to_be_visible()
    watch.assert_none("project page")

    page.goto(f"{live_server}/account/password")
    expect(page.get_by_role("heading", name="Changer le mot de passe")).to_be_visible()
    page.get_by_role("button", name="Changer le mot de passe").click()  # empty: refused, messages by the fields
    expect(page.get_by_text("Saisissez votre mot de passe actuel.")).to_be_visible()
    screenshot("password-page")
    watch.assert_none("password page")

    # the trainer's journal page of this candidate's workspace, with its htmx filter
    trainer = make_user("trainer")
    context = browser.new_context(locale="fr-FR")
    trainer_page = context.new_page()
    trainer_watch = Watch(trainer_page)
    log_in(trainer_page, live_server, trainer.username)
    trainer_page.goto(f"{live_server}/workspaces/{workspace.id}/journal")
    expect(trainer_page.get_by_role("heading", level=1)).to_be_visible()
    trainer_watch.assert_none("journal page")
    context.close()

    # the watch does see a violation when there is one
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert any("style-src" in v for v in watch.violations())
