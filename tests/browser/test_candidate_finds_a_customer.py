"""In a real browser: a candidate logs in, searches a customer, opens their
account and sees the outstanding amount."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sim.billing.models import Invoice
from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.web.rendering import eur

pytestmark = pytest.mark.browser


def test_candidate_searches_a_customer_and_sees_their_outstanding(live_server, page, screenshot,
                                                                  candidate_with_workspace):
    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id, write=False) as uow:
        invoice = uow.session.scalars(select(Invoice).where(Invoice.amount_due > 0).order_by(Invoice.id)).first()
        customer = uow.session.get(Customer, invoice.customer_id)
        outstanding = sum(uow.session.scalars(select(Invoice.amount_due).where(
            Invoice.customer_id == customer.id, Invoice.amount_due > 0)), Decimal("0.00"))

    # Log in
    page.goto(live_server + "/login")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill("secret")
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/customers$"))
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()
    screenshot("customer-list")

    # Search as one types: htmx replaces the table
    page.get_by_label("Recherche").fill(customer.name)
    row = page.locator("#customer-table tbody tr", has_text=customer.code)
    expect(row).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q="))

    # Open the customer's account
    row.get_by_role("link", name=customer.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(customer.name)
    expect(page.get_by_test_id("outstanding")).to_have_text(eur(outstanding))
    screenshot("customer-page")
