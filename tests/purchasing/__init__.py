"""Helpers for the purchasing tests: a supplier of the test's own, a paused clock on a known day."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from sim.clock import set_clock
from sim.db import UnitOfWork
from sim.sales.models import OrderLine
from sim.stock.models import Product, Supplier
from tests.factories import ACTOR, make_customer, make_product

MONDAY = datetime(2026, 11, 2, 9, 0)  # a working Monday; 11/11 is a public holiday


def at(ws: int, when: datetime = MONDAY) -> None:
    with UnitOfWork(ws) as uow:
        set_clock(uow, sim_time=when, speed=0)
        uow.commit()


def a_supplier(ws: int, *, email="adv@fournisseur.example", language="fr", lead_time=10) -> Supplier:
    from sim.stock.service import create_supplier

    with UnitOfWork(ws) as uow:
        supplier = create_supplier(uow, actor="scenario:test", name="Fournisseur Test", email=email,
                                   language=language, lead_time_days=lead_time)
        uow.commit()
        return supplier


def supplied_product(ws: int, supplier: Supplier, *, stock="0", lead_time=10, price="20.00", **kw) -> Product:
    product = make_product(ws, price=price, stock=stock, lead_time=lead_time, **kw)
    with UnitOfWork(ws) as uow:
        uow.get(Product, product.id).supplier_id = supplier.id
        uow.commit()
    return product


def act(ws: int, fn, **kw):
    with UnitOfWork(ws) as uow:
        result = fn(uow, actor=ACTOR, **kw)
        uow.commit()
        return result


def confirmed_order(ws: int, product: Product, quantity: str, customer=None):
    from sim.sales.service import LineInput, confirm_order, create_order

    customer = customer or make_customer(ws, credit_limit="100000.00")
    order = act(ws, create_order, customer_id=customer.id, lines=[LineInput(product.id, quantity)])
    return act(ws, confirm_order, order_id=order.id)


def order_lines(ws: int, order_id: int) -> list[OrderLine]:
    with UnitOfWork(ws, write=False) as uow:
        return list(uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)
                                        .order_by(OrderLine.position)))


def product(ws: int, product_id: int) -> Product:
    with UnitOfWork(ws, write=False) as uow:
        return uow.get(Product, product_id)


D = Decimal


def a_sent_purchase_order(ws: int, *, quantity="50", when="2026-12-31"):
    """A purchase order the candidate sent (on a supplier and product of its own), and its line."""
    from sim.purchasing import service as purchasing
    from sim.stock.models import PurchaseOrderLine

    supplier = a_supplier(ws)
    item = supplied_product(ws, supplier, stock="0")
    with UnitOfWork(ws) as uow:
        po = purchasing.create_purchase_order(uow, actor=ACTOR, supplier_id=supplier.id,
                                              lines=[purchasing.POLineInput(item.id, quantity)],
                                              requested_date=max(when, _today(uow)))
        purchasing.send_purchase_order(uow, actor=ACTOR, purchase_order_id=po.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        line = uow.session.scalars(select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == po.id)).one()
    return po, line


def a_goods_receipt(ws: int):
    """A partial receipt against a sent purchase order (10 of 50)."""
    from sim.purchasing.service import receive_goods

    po, line = a_sent_purchase_order(ws)
    return act(ws, receive_goods, purchase_order_id=po.id, received={line.id: "10"})


def _today(uow) -> str:
    from sim.clock import sim_date

    return sim_date(uow).isoformat()
