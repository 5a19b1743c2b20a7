"""Reservations are held per order line (domain/supply-chain.md §1 and §5):
shipping order B cannot consume the units reserved for order A, and
Product.stock_reserved stays the sum of the lines' reservations."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.sales.models import OrderLine
from sim.stock.models import Product
from tests.factories import make_customer, make_product, snapshot
from tests.money_helpers import order_lines, ordered, shipped


def test_order_b_cannot_ship_order_as_reserved_units(workspace):
    ws = workspace.id
    product = make_product(ws, price="10.00", stock="10")
    a = ordered(ws, make_customer(ws), (product, 6))   # reserves 6
    b = ordered(ws, make_customer(ws), (product, 6))   # reserves the 4 left, 2 on backorder
    [line_a], [line_b] = order_lines(ws, a), order_lines(ws, b)
    assert (line_a.quantity_reserved, line_b.quantity_reserved) == (D("6"), D("4"))

    before = snapshot(ws)
    with pytest.raises(ValidationFailed) as refused:
        shipped(ws, b, {line_b.id: "5"})
    assert refused.value.errors[f"qty-{line_b.id}"] == (
        "Stock réservé pour d'autres commandes : 6 sur 10 en stock, 4 au plus pour celle-ci.")
    assert snapshot(ws) == before

    shipped(ws, b, {line_b.id: "4"})
    shipped(ws, a, {line_a.id: "6"})  # A's six units were still there
    with UnitOfWork(ws, write=False) as uow:
        p = uow.get(Product, product.id)
        reserved = uow.session.scalar(select(func.sum(OrderLine.quantity_reserved))
                                      .where(OrderLine.product_id == product.id))
    assert (p.stock_on_hand, p.stock_reserved, reserved) == (D("0"), D("0"), D("0"))


def test_an_inventory_loss_takes_the_newest_orders_reservation_first(workspace):
    from sim.stock.service import adjust_stock
    from tests.factories import ACTOR

    ws = workspace.id
    product = make_product(ws, price="10.00", stock="10")
    a = ordered(ws, make_customer(ws), (product, 6))
    b = ordered(ws, make_customer(ws), (product, 4))
    with UnitOfWork(ws) as uow:
        adjust_stock(uow, actor=ACTOR, product_id=product.id, quantity=D("-3"), reason="Casse")
        uow.commit()
    [line_a], [line_b] = order_lines(ws, a), order_lines(ws, b)
    with UnitOfWork(ws, write=False) as uow:
        p = uow.get(Product, product.id)
    assert (line_a.quantity_reserved, line_b.quantity_reserved, p.stock_reserved) == (D("6"), D("1"), D("7"))
