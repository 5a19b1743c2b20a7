"""Modifying a confirmed order before it ships runs the stock and credit checks
again: reservations follow the new lines, going over the credit limit blocks it
again, and the acknowledgement is printed from the new lines."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.clock import sim_date
from sim.db import UnitOfWork
from sim.documents.service import render
from sim.errors import ValidationFailed
from sim.sales import corrections
from sim.sales.errors import WrongStatus
from sim.sales.models import OrderLine, OrderStatus
from sim.sales.service import LineInput, confirm_order, create_order
from sim.stock.models import Product
from tests.factories import ACTOR, last_entry, make_customer, make_product, snapshot


def act(ws, fn, **kw):
    with UnitOfWork(ws) as uow:
        result = fn(uow, actor=ACTOR, **kw)
        uow.commit()
        return result


def reserved(ws, product):
    with UnitOfWork(ws, write=False) as uow:
        return uow.get(Product, product.id).stock_reserved


def confirmed(ws, customer, lines):
    order = act(ws, create_order, customer_id=customer.id, lines=lines)
    return act(ws, confirm_order, order_id=order.id)


def test_new_quantities_move_the_reservations_and_the_old_and_new_lines_are_journaled(workspace):
    ws = workspace.id
    customer = make_customer(ws, credit_limit="100000.00")
    a, b = make_product(ws, stock="50"), make_product(ws, stock="50", name="Palette Europe")
    order = confirmed(ws, customer, [LineInput(a.id, "10")])
    assert reserved(ws, a) == D("10")

    order = act(ws, corrections.modify_order, order_id=order.id,
                lines=[LineInput(a.id, "4"), LineInput(b.id, "6")])

    assert order.status == OrderStatus.CONFIRMED
    assert (reserved(ws, a), reserved(ws, b)) == (D("4"), D("6"))
    entry = last_entry(ws)
    assert entry.kind == "order.modified"
    assert [(l["product"], l["quantity"]) for l in entry.payload["old_lines"]] == [(a.reference, "10.000")]
    assert [(l["product"], l["quantity"]) for l in entry.payload["new_lines"]] == [(a.reference, "4"),
                                                                                 (b.reference, "6")]
    with UnitOfWork(ws, write=False) as uow:
        ack = render(uow, "order_ack", order.id)
    assert "Palette Europe" in ack.html and "modificatif n° 1" in ack.html


def test_the_candidate_can_promise_a_later_date(workspace):
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws, stock="50")
    order = confirmed(ws, customer, [LineInput(product.id, "2")])
    with UnitOfWork(ws, write=False) as uow:
        later = sim_date(uow) + timedelta(days=20)
    order = act(ws, corrections.modify_order, order_id=order.id, lines=[LineInput(product.id, "2")],
                promised_date=later.isoformat())
    assert order.promised_date == later
    assert last_entry(ws).payload["new_promised_date"] == later.isoformat()
    with pytest.raises(ValidationFailed) as refused:
        act(ws, corrections.modify_order, order_id=order.id, lines=[LineInput(product.id, "2")],
            promised_date="2001-01-01")
    assert "passée" in refused.value.errors["promised_date"]


def test_a_modification_over_the_credit_limit_blocks_the_order_again(workspace):
    ws = workspace.id
    customer = make_customer(ws, credit_limit="1000.00")
    product = make_product(ws, price="100.00", stock="50")
    order = confirmed(ws, customer, [LineInput(product.id, "2")])  # 240.00 TTC

    order = act(ws, corrections.modify_order, order_id=order.id, lines=[LineInput(product.id, "20")])

    assert order.status == OrderStatus.BLOCKED and "Plafond d'encours dépassé" in order.blocked_reason
    assert reserved(ws, product) == D("0")  # a blocked order holds nothing
    assert last_entry(ws).kind == "order.blocked"
    assert last_entry(ws, "order.modified").payload["status"] == "blocked"

    # brought back under the limit, it is confirmed again
    order = act(ws, corrections.modify_order, order_id=order.id, lines=[LineInput(product.id, "5")])
    assert order.status == OrderStatus.CONFIRMED and reserved(ws, product) == D("5")


def test_a_wrong_line_or_a_shipped_order_changes_nothing(workspace):
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws, stock="50")
    order = confirmed(ws, customer, [LineInput(product.id, "2")])
    before = snapshot(ws)
    with pytest.raises(ValidationFailed):
        act(ws, corrections.modify_order, order_id=order.id, lines=[LineInput(product.id, "-1")])
    assert snapshot(ws) == before

    with UnitOfWork(ws) as uow:
        uow.get(type(order), order.id).status = OrderStatus.PARTIAL  # as if a delivery had left
        uow.commit()
    with pytest.raises(WrongStatus):
        act(ws, corrections.modify_order, order_id=order.id, lines=[LineInput(product.id, "1")])
    with pytest.raises(WrongStatus):
        act(ws, corrections.cancel_order, order_id=order.id, reason="Trop tard")
    with UnitOfWork(ws, write=False) as uow:
        assert [l.quantity for l in uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))] \
            == [D("2")]
