"""Credit exposure (encours / risque client) = invoiced unpaid + confirmed orders
not invoiced (+ delivered not invoiced), checked against the credit limit
(domain/receivables-recovery.md §1, "Credit limit"): two 7 200 € orders can no
longer both pass a 10 000 € limit."""
from __future__ import annotations

from decimal import Decimal as D

from sim.crm.models import Customer
from sim.crm.service import customer_balance
from sim.db import UnitOfWork
from sim.sales.models import OrderStatus
from tests.factories import last_entry, make_customer, make_product, set_company
from tests.money_helpers import order_lines, ordered, shipped


def test_a_second_7200_order_is_blocked_by_the_first_one_not_yet_invoiced(workspace):
    ws = workspace.id
    set_company(ws, max_credit_overrun_pct=D("0.00"))
    customer = make_customer(ws, credit_limit="10000.00")
    product = make_product(ws, price="600.00", stock="100")  # 10 × 600 = 6 000 HT = 7 200 TTC

    first = ordered(ws, customer, (product, 10))
    assert first.status == OrderStatus.CONFIRMED
    second = ordered(ws, customer, (product, 10))

    assert second.status == OrderStatus.BLOCKED
    entry = last_entry(ws, "order.blocked").payload
    assert (entry["outstanding"], entry["open_orders"], entry["order_total"]) == ("0.00", "7200.00", "7200.00")
    assert "commandes en cours 7\u202f200,00\u00a0€" in second.blocked_reason


def test_delivered_not_invoiced_stays_in_the_exposure_until_invoiced(workspace):
    ws = workspace.id
    customer = make_customer(ws, credit_limit="10000.00")
    product = make_product(ws, price="600.00", stock="100")
    order = ordered(ws, customer, (product, 10))
    [line] = order_lines(ws, order)
    shipped(ws, order, {line.id: "4"})  # 4 delivered (2 880.00 TTC), 6 still to deliver (4 320.00 TTC)

    with UnitOfWork(ws, write=False) as uow:
        balance = customer_balance(uow, uow.get(Customer, customer.id))
    assert balance.outstanding == D("0.00")
    assert balance.delivered_not_invoiced == D("2880.00")
    assert balance.orders_not_delivered == D("4320.00")
    assert balance.exposure == D("7200.00")
    assert balance.credit_available == D("2800.00")
