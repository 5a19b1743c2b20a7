"""Helpers for the claims tests: an invoiced order of 1 000 € HT for a customer."""
from __future__ import annotations

from sqlalchemy import select

from sim.billing.service import invoice_delivery
from sim.db import UnitOfWork
from sim.sales.models import OrderLine
from sim.sales.service import LineInput, confirm_order, create_order
from sim.stock.service import ship_delivery
from tests.factories import ACTOR, a_carrier, make_customer, make_product


def an_invoice_of_1000_ht(ws: int, **customer):
    """A customer, and its invoice of 10 × 100,00 € HT (1 200,00 € TTC) from a delivered order."""
    cust = make_customer(ws, **customer)
    product = make_product(ws, price="100.00")
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=cust.id, lines=[LineInput(product.id, "10")])
        confirm_order(uow, actor=ACTOR, order_id=order.id)
        line = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).one()
        delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "10"},
                                 carrier_id=a_carrier(ws).id)
        invoice = invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
        uow.commit()
    return cust, invoice


def a_claim(ws: int):
    """A claim about a damaged delivery, received (for tests that need one of each object)."""
    from sim.crm.claims import open_claim

    customer, invoice = an_invoice_of_1000_ht(ws)
    with UnitOfWork(ws) as uow:
        claim = open_claim(uow, actor=ACTOR, customer_id=customer.id, category="damage",
                           subject="Colis endommagé", description="Trois cartons écrasés.", invoice_id=invoice.id)
        uow.commit()
    return claim


def a_phone_call(ws: int, customer_id: int | None = None, *, language: str = "en"):
    """A customer's call with its voice (espeak-ng), not answered yet."""
    from sim.calls.service import receive
    from tests.factories import make_customer

    customer_id = customer_id or make_customer(ws).id
    with UnitOfWork(ws) as uow:
        call = receive(uow, actor="scenario", customer_id=customer_id, subject="Damaged delivery",
                       text="Hello, three of the boxes you delivered this morning are crushed. Please call me back.",
                       language=language, event_key="call")
        uow.commit()
    return call
