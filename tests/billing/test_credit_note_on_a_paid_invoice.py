"""A credit note on an invoice already paid leaves the customer a credit, which
the outstanding and the statement of account both show (CGI 289 I-5: an avoir
amends the invoice; what was overpaid is owed back to the customer)."""
from __future__ import annotations

from decimal import Decimal as D

from sqlalchemy import select

from sim.billing.models import InvoiceLine
from sim.billing.service import invoice_delivery, issue_credit_note
from sim.crm.models import Customer
from sim.crm.service import customer_balance
from sim.db import UnitOfWork
from sim.receivables.service import record_payment
from sim.receivables.statement import account_statement
from sim.sales.models import OrderLine
from sim.sales.service import LineInput, confirm_order, create_order
from sim.stock.service import ship_delivery
from tests.factories import ACTOR, a_carrier, last_entry, make_customer, make_product


def test_crediting_a_paid_invoice_gives_the_customer_a_credit(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    product = make_product(ws, price="50.00")
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, "2")])
        uow.commit()
    with UnitOfWork(ws) as uow:
        confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        line = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).one()
    with UnitOfWork(ws) as uow:
        delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "2"},
                                 carrier_id=a_carrier(ws).id)
        uow.commit()
    assert delivery.tracking_number.endswith("FR")
    with UnitOfWork(ws) as uow:
        invoice = invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)  # 120.00 TTC
        uow.commit()
    with UnitOfWork(ws) as uow:
        record_payment(uow, actor=ACTOR, customer_id=customer.id, method="transfer", amount="120.00",
                       allocations={invoice.id: "120.00"})
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        inv_line = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).one()

    # one unit returned after payment: 60.00 TTC credited
    with UnitOfWork(ws) as uow:
        note = issue_credit_note(uow, actor=ACTOR, invoice_id=invoice.id, quantities={inv_line.id: "1"},
                                 reason="Retour d'un article")
        uow.commit()

    assert note.unapplied == D("60.00")
    assert last_entry(ws, "credit_note.issued").payload["customer_credit"] == "60.00"
    with UnitOfWork(ws, write=False) as uow:
        balance = customer_balance(uow, uow.get(Customer, customer.id))
        statement = account_statement(uow, customer.id)
    assert balance.outstanding == D("-60.00") == statement.closing_balance
