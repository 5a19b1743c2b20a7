"""A small order-to-cash path for the money-rule tests: order → confirm → ship → invoice."""
from __future__ import annotations

from sqlalchemy import select

from sim.billing.service import invoice_delivery
from sim.db import UnitOfWork
from sim.sales.models import OrderLine
from sim.sales.service import LineInput, confirm_order, create_order
from sim.stock.service import ship_delivery
from tests.factories import ACTOR, a_carrier


def ordered(ws, customer, *lines):
    """Create and confirm an order of (product, quantity) lines."""
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=customer.id,
                             lines=[LineInput(p.id, str(q)) for p, q in lines])
        uow.commit()
    with UnitOfWork(ws) as uow:
        order = confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    return order


def order_lines(ws, order):
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)
                                   .order_by(OrderLine.position)).all()


def shipped(ws, order, quantities=None):
    lines = order_lines(ws, order)
    with UnitOfWork(ws) as uow:
        delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id,
                                 quantities=quantities or {l.id: str(l.quantity) for l in lines},
                                 carrier_id=a_carrier(ws).id)
        uow.commit()
    return delivery


def invoiced(ws, customer, *lines):
    order = ordered(ws, customer, *lines)
    delivery = shipped(ws, order)
    with UnitOfWork(ws) as uow:
        invoice = invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
        uow.commit()
    return invoice
