"""Quantities in refusal messages are written the French way: ``10``, never
``1E+1`` (what ``Decimal.normalize()`` prints for 10,000)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sim.billing.models import InvoiceLine
from sim.billing.service import invoice_delivery, issue_credit_note
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.sales.models import OrderLine
from sim.sales.service import LineInput, confirm_order, create_order
from sim.stock.service import ship_delivery
from tests.factories import ACTOR, a_carrier, make_customer, make_product


def test_the_quantity_left_to_ship_and_to_credit_is_written_10_not_1E_plus_1(workspace):
    ws = workspace.id
    customer, product = make_customer(ws, credit_limit="100000.00"), make_product(ws, stock="100")
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, "20")])
        uow.commit()
    with UnitOfWork(ws) as uow:
        confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        [line] = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    with UnitOfWork(ws) as uow:
        delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "10"},
                                 carrier_id=a_carrier(ws).id)
        uow.commit()
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "11"}, carrier_id=a_carrier(ws).id)
    assert refused.value.errors[f"qty-{line.id}"].startswith("Reste à livrer : 10 —")

    with UnitOfWork(ws) as uow:
        invoice = invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        [invoice_line] = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        issue_credit_note(uow, actor=ACTOR, invoice_id=invoice.id, quantities={invoice_line.id: "11"},
                          reason="Retour")
    assert refused.value.errors[f"qty-{invoice_line.id}"] == "On ne peut créditer plus que facturé (10 au plus)."
