"""The customer page shows the credit exposure the credit check uses
(domain/receivables-recovery.md §1): outstanding + confirmed orders not invoiced."""
from __future__ import annotations

from decimal import Decimal as D

from sim.web.rendering import eur
from tests.factories import last_entry, make_customer, make_product
from tests.money_helpers import ordered


def test_an_open_order_counts_in_the_exposure_shown(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer = make_customer(workspace.id, credit_limit="10000.00")
    ordered(workspace.id, customer, (make_product(workspace.id, price="600.00", stock="50"), 10))  # 7 200 TTC

    html = login(user).get(f"/customers/{customer.id}").text

    assert "Risque client" in html and eur(D("7200.00")) in html
    assert eur(D("2800.00")) in html  # available: 10 000 − 7 200
    assert last_entry(workspace.id, "customer.account_viewed").payload["exposure"] == "7200.00"
