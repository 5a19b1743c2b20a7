"""Promising a date (domain/supply-chain.md §1): from stock, two working days;
short, when the open purchase orders bring the units (the supplier's date +
two working days of handling, after the orders already waiting); when a
purchase order slips, the orders it feeds whose promise can no longer be kept
are « à risque » with the new achievable date."""
from __future__ import annotations

from datetime import date

import pytest

from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.purchasing import promises, service as purchasing
from sim.purchasing.risk import order_outlook, order_outlooks
from sim.stock.service import adjust_stock, move_purchase_order_date
from tests.purchasing import D, a_supplier, act, at, confirmed_order, supplied_product


def _at_risk(uow, *orders):
    """The orders at risk among the test's own (the seeded company has late orders of its own)."""
    ids = {o.id for o in orders}
    return [r for r in order_outlooks(uow) if r.order.id in ids]


def _po(ws, supplier, product, qty, when):
    po = act(ws, purchasing.create_purchase_order, supplier_id=supplier.id,
             lines=[purchasing.POLineInput(product.id, qty)], requested_date=when)
    return act(ws, purchasing.send_purchase_order, purchase_order_id=po.id)


def test_the_promise_counts_on_the_open_purchase_order_in_working_days(workspace):
    ws = workspace.id
    at(ws)  # Monday 2/11/2026
    supplier = a_supplier(ws)
    film = supplied_product(ws, supplier, stock="5", lead_time=15)
    covered = confirmed_order(ws, film, "5")
    assert covered.promised_date == date(2026, 11, 4)  # in stock: Monday + 2 working days
    _po(ws, supplier, film, "100", "2026-11-09")
    first = confirmed_order(ws, film, "60")
    # Monday 9/11 in + 2 working days, Tuesday 10 and Thursday 12 (Wednesday 11/11 is a holiday)
    assert first.promised_date == date(2026, 11, 12)
    second = confirmed_order(ws, film, "60")  # 40 left on the PO: the rest needs a new one, after the lead time
    assert second.promised_date == date(2026, 11, 19)  # 2/11 + 15 days = 17/11, + 2 working days


def test_a_supplier_delay_puts_the_order_at_risk_with_the_new_achievable_date(workspace):
    ws = workspace.id
    at(ws)
    supplier = a_supplier(ws)
    film = supplied_product(ws, supplier, stock="0")
    po = _po(ws, supplier, film, "200", "2026-11-04")
    order = confirmed_order(ws, film, "120")
    assert order.promised_date == date(2026, 11, 6)
    with UnitOfWork(ws, write=False) as uow:
        assert _at_risk(uow, order) == []
    act(ws, move_purchase_order_date, purchase_order_id=po.id, new_date=date(2026, 11, 16), reason="Panne")
    with UnitOfWork(ws, write=False) as uow:
        [risk] = _at_risk(uow, order)
        assert risk.order.number == order.number
        assert risk.achievable == date(2026, 11, 18) and risk.days_late == 12
        assert risk.purchase_orders == [(po.id, po.number)]
        [line] = risk.lines
        assert line.need == D(120) and line.supply_date == date(2026, 11, 16) and line.uncovered == 0

    with pytest.raises(ValidationFailed) as refused:  # a promise the stock cannot keep
        act(ws, promises.repromise, order_id=order.id, new_date="2026-11-17", reason="Retard fournisseur")
    assert "Au plus tôt le 18/11/2026" in refused.value.errors["new_date"]
    act(ws, promises.repromise, order_id=order.id, new_date="2026-11-18", reason="Retard fournisseur")
    with UnitOfWork(ws, write=False) as uow:
        assert _at_risk(uow, order) == []
        assert order_outlook(uow, order.id).order.promised_date == date(2026, 11, 18)


def test_a_stock_count_that_drops_puts_the_reserved_order_at_risk(workspace):
    ws = workspace.id
    at(ws)
    supplier = a_supplier(ws)
    film = supplied_product(ws, supplier, stock="10", lead_time=10)
    order = confirmed_order(ws, film, "10")
    assert order.promised_date == date(2026, 11, 4)
    act(ws, adjust_stock, product_id=film.id, quantity=D(-4), reason="Casse")
    with UnitOfWork(ws, write=False) as uow:
        [risk] = _at_risk(uow, order)
        [line] = risk.lines
        assert (line.reserved, line.need, line.uncovered) == (D(6), D(4), D(4))
        # no purchase order brings them: the lead time, 2/11 + 10 = 12/11, + 2 working days
        assert risk.achievable == date(2026, 11, 16)


def test_the_earliest_promise_is_served_first_from_what_comes_in(workspace):
    ws = workspace.id
    at(ws)
    supplier = a_supplier(ws)
    film = supplied_product(ws, supplier, stock="0", lead_time=20)
    _po(ws, supplier, film, "10", "2026-11-05")
    _po(ws, supplier, film, "10", "2026-11-19")
    early = confirmed_order(ws, film, "10")
    late = confirmed_order(ws, film, "10")
    assert (early.promised_date, late.promised_date) == (date(2026, 11, 9), date(2026, 11, 23))
