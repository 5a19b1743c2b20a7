"""Worked figures through the whole chain: order → delivery → invoice → credit
note → payment (domain/payment-and-invoicing.md §1, §6; supply-chain.md §5)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from sqlalchemy import select

from sim.billing.models import Invoice, InvoiceLine, InvoiceStatus
from sim.billing.service import invoice_delivery, issue_credit_note
from sim.crm.service import customer_balance
from sim.db import UnitOfWork
from sim.receivables.service import record_payment
from sim.sales.models import OrderLine, OrderStatus, SalesOrder
from sim.sales.service import LineInput, confirm_order, create_order
from sim.stock.models import Product
from sim.stock.service import ship_delivery
from tests.factories import ACTOR, a_carrier, last_entry, make_customer, make_product


def _order(ws, customer, lines, **kw) -> SalesOrder:
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=customer.id, lines=lines, **kw)
        uow.commit()
    with UnitOfWork(ws) as uow:
        result = confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
        return result


def _lines(ws, order_id):
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)
                                   .order_by(OrderLine.position)).all()


def test_a_mixed_rate_order_is_rounded_per_line_with_vat_per_rate(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    boxes = make_product(ws, price="1.115", vat="20.00")  # stored to the cent: 1.12 (see Fixed)
    tape = make_product(ws, price="12.99", vat="20.00")
    book = make_product(ws, price="19.90", vat="5.50")
    order = _order(ws, customer, [LineInput(boxes.id, "3"), LineInput(tape.id, "7", "5"), LineInput(book.id, "2")],
                   global_discount_pct="2")
    # 3 × 1.12 = 3.36; 7 × 12.99 × 0.95 = 86.3835 → 86.38; 2 × 19.90 = 39.80
    # 20 % base: (3.36 + 86.38) × 0.98 = 87.9452 → 87.95, VAT 17.59
    # 5.5 % base: 39.80 × 0.98 = 39.004 → 39.00, VAT 2.145 → 2.15
    assert [l.line_total_ht for l in _lines(ws, order.id)] == [D("3.36"), D("86.38"), D("39.80")]
    assert (order.total_ht, order.total_vat, order.total_ttc) == (D("126.95"), D("19.74"), D("146.69"))
    assert order.status == OrderStatus.CONFIRMED


def test_a_partial_delivery_leaves_a_backorder_and_only_the_delivered_quantity_is_invoiced(workspace):
    ws = workspace.id
    customer = make_customer(ws, terms="30_net")
    product = make_product(ws, price="25.00", stock="6")
    order = _order(ws, customer, [LineInput(product.id, "10")])
    [line] = _lines(ws, order.id)
    with UnitOfWork(ws, write=False) as uow:
        reserved = uow.session.get(Product, product.id).stock_reserved
    assert reserved == D("6")  # all of the stock on hand, the rest is a backorder

    with UnitOfWork(ws) as uow:
        delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "6"},
                                 carrier_id=a_carrier(ws).id)
        uow.commit()
    entry = last_entry(ws, "delivery.shipped")
    assert entry.payload["backorder"] == [{"product": product.reference, "quantity": "4.000"}]
    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.get(SalesOrder, order.id).status == OrderStatus.PARTIAL
        p = uow.session.get(Product, product.id)
        assert (p.stock_on_hand, p.stock_reserved) == (D("0"), D("0"))

    with UnitOfWork(ws) as uow:
        invoice = invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
        uow.commit()
    # 6 × 25.00 = 150.00 HT, VAT 30.00, 180.00 TTC — not the 10 ordered
    assert (invoice.total_ht, invoice.total_vat, invoice.total_ttc) == (D("150.00"), D("30.00"), D("180.00"))
    assert invoice.amount_due == D("180.00")
    with UnitOfWork(ws, write=False) as uow:
        [inv_line] = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    assert inv_line.quantity == D("6")


def test_due_date_follows_the_customers_terms(workspace):
    ws = workspace.id  # sim date: Monday 2 Nov 2026
    customer = make_customer(ws, terms="45_fdm")
    product = make_product(ws)
    order = _order(ws, customer, [LineInput(product.id, "1")])
    [line] = _lines(ws, order.id)
    with UnitOfWork(ws) as uow:
        delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "1"},
                                 carrier_id=a_carrier(ws).id)
        uow.commit()
    with UnitOfWork(ws) as uow:
        invoice = invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
        uow.commit()
    # 2 Nov + 45 days = 17 Dec, then end of month (company default method)
    assert invoice.issue_date == date(2026, 11, 2) and invoice.due_date == date(2026, 12, 31)


def test_a_credit_note_and_a_partial_payment_reduce_what_is_due(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    product = make_product(ws, price="40.00")
    order = _order(ws, customer, [LineInput(product.id, "5")])
    [line] = _lines(ws, order.id)
    with UnitOfWork(ws) as uow:
        delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "5"},
                                 carrier_id=a_carrier(ws).id)
        uow.commit()
    with UnitOfWork(ws) as uow:
        invoice = invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
        uow.commit()
    assert invoice.total_ttc == D("240.00")
    with UnitOfWork(ws, write=False) as uow:
        before = customer_balance(uow, uow.get(type(customer), customer.id)).outstanding
    assert before == D("240.00")

    # One unit returned damaged: credit note of 40.00 HT + 8.00 VAT
    with UnitOfWork(ws, write=False) as uow:
        [inv_line] = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    with UnitOfWork(ws) as uow:
        note = issue_credit_note(uow, actor=ACTOR, invoice_id=invoice.id, quantities={inv_line.id: "1"},
                                 reason="Carton endommagé au transport")
        uow.commit()
    assert note.total_ttc == D("48.00")
    assert last_entry(ws, "credit_note.issued").refs["invoice"] == invoice.number

    # The customer pays 100.00 by transfer: 92.00 remain due
    with UnitOfWork(ws) as uow:
        record_payment(uow, actor=ACTOR, customer_id=customer.id, method="transfer", amount="100,00",
                       allocations={invoice.id: "100.00"}, reference="VIR 123")
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        inv = uow.session.get(Invoice, invoice.id)
        after = customer_balance(uow, uow.get(type(customer), customer.id)).outstanding
    assert (inv.amount_due, inv.status) == (D("92.00"), InvoiceStatus.PARTIALLY_PAID)
    assert after == D("92.00")
    assert last_entry(ws, "payment.recorded").payload["allocations"] == [
        {"invoice": invoice.number, "amount": "100.00", "days_late": 0}]
