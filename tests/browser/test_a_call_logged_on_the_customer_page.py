"""In a real browser: the candidate logs a call on the customer page (it shows
in the timeline), changes the billing address and the credit limit (a reason
is asked for), with no Content-Security-Policy violation."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sim.crm.models import Customer
from sim.db import UnitOfWork
from tests.browser.test_pages_satisfy_the_content_security_policy import Watch, log_in

pytestmark = pytest.mark.browser


def test_a_call_and_a_billing_address_change_from_the_customer_page(live_server, page, screenshot,
                                                                   candidate_with_workspace):
    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id, write=False) as uow:
        customer = uow.session.scalars(select(Customer).where(Customer.siren != "", Customer.country == "FR")
                                       .order_by(Customer.id)).first()
    watch = Watch(page)
    log_in(page, live_server, user.username)

    page.goto(f"{live_server}/customers/{customer.id}")
    form = page.locator("#noter")
    form.get_by_label("Type").select_option("phone")
    form.get_by_label("Sens").select_option("in")
    form.get_by_label("Objet *").fill("Changement d'adresse de facturation")
    form.get_by_label("Compte rendu *").fill("La comptable confirme la nouvelle adresse par téléphone.")
    form.get_by_role("button", name="Enregistrer").click()
    timeline = page.locator("#historique")
    expect(timeline.locator("tbody tr").first).to_contain_text("Changement d'adresse de facturation")
    expect(timeline.locator("tbody tr").first).to_contain_text("Appel entrant")
    screenshot("customer-page")
    watch.assert_none("customer page")

    page.get_by_role("link", name="Modifier la fiche").click()
    page.get_by_label("Adresse", exact=True).fill("4 avenue Foch")
    page.get_by_label("Plafond d'encours (€)").fill(f"{customer.credit_limit + 5000:.2f}")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator("#err-reason")).to_contain_text("Motif : obligatoire pour changer plafond d'encours")
    screenshot("customer-edit-refused")
    page.get_by_label("Motif de la modification", exact=False).fill("Courriel de la comptable, accord direction")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator("h1")).to_contain_text(customer.name)
    expect(page.locator(".facts").first).to_contain_text("4 avenue Foch")
    page.goto(f"{live_server}/customers/{customer.id}/edit")
    screenshot("customer-edit")
    watch.assert_none("edit form")
