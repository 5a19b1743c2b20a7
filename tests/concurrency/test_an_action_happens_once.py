"""Twenty submissions of one action at once (a double click, two tabs, two
processes): exactly one succeeds, the others are refused with a named error,
stock and amounts are right and the journal holds one entry.

Each submission runs in a unit of work of its own on its own thread, as two
requests do; every writing unit of work queues on its workspace's lock
(sim/db.py) and re-reads the state under it.
"""
from __future__ import annotations

import threading
from decimal import Decimal as D

from sqlalchemy import func, select

from sim.billing.models import CreditNote, Invoice, InvoiceLine
from sim.billing.service import invoice_delivery, issue_credit_note
from sim.db import UnitOfWork
from sim.errors import SimError
from sim.journal.models import JournalEntry
from sim.receivables.models import Payment
from sim.receivables.service import record_payment
from sim.sales import service as sales
from sim.sales.models import OrderLine, OrderStatus, Quote, SalesOrder
from sim.stock.models import Delivery, Product
from sim.stock.service import ship_delivery
from sim.workspace.forms import AlreadySubmitted
from tests.factories import ACTOR, a_carrier, make_customer, make_product

N = 20


def at_once(ws: int, action) -> tuple[list, list[SimError]]:
    """Run ``action(uow, n)`` N times at once, each in its own unit of work."""
    gate = threading.Barrier(N)
    done, refused, crashed = [], [], []

    def one(n: int) -> None:
        gate.wait()
        try:
            with UnitOfWork(ws) as uow:
                result = action(uow, n)
                uow.commit()
                done.append(result)
        except SimError as error:
            refused.append(error)
        except Exception as error:  # noqa: BLE001 - what the test is about: no crash, no 500
            crashed.append(error)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not crashed, crashed
    assert len(done) == 1 and len(refused) == N - 1, (len(done), [e.message for e in refused])
    return done, refused


def entries(ws: int, kind: str) -> int:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalar(select(func.count(JournalEntry.id)).where(JournalEntry.kind == kind))


def a_draft_order(ws: int, *, stock="10", quantity="3", credit_limit="100000.00") -> tuple[SalesOrder, Product]:
    customer = make_customer(ws, credit_limit=credit_limit)
    product = make_product(ws, price="100.00", stock=stock)
    with UnitOfWork(ws) as uow:
        order = sales.create_order(uow, actor=ACTOR, customer_id=customer.id,
                                   lines=[sales.LineInput(product.id, quantity)])
        uow.commit()
    return order, product


def a_confirmed_order(ws: int, **kw) -> tuple[SalesOrder, Product, OrderLine]:
    order, product = a_draft_order(ws, **kw)
    with UnitOfWork(ws) as uow:
        sales.confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
        [line] = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    return order, product, line


def an_invoice(ws: int) -> Invoice:
    order, _, line = a_confirmed_order(ws)
    with UnitOfWork(ws) as uow:
        delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "3"},
                                 carrier_id=a_carrier(ws).id)
        uow.commit()
    with UnitOfWork(ws) as uow:
        invoice = invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
        uow.commit()
    return invoice


def product_stock(ws: int, product_id: int) -> tuple[D, D]:
    with UnitOfWork(ws, write=False) as uow:
        product = uow.session.get(Product, product_id)
        return product.stock_on_hand, product.stock_reserved


def test_an_order_is_confirmed_once_and_its_stock_reserved_once(workspace):
    ws = workspace.id
    order, product = a_draft_order(ws)
    _, refused = at_once(ws, lambda uow, n: sales.confirm_order(uow, actor=ACTOR, order_id=order.id))
    assert all("ne peut plus être confirmée" in e.message and e.status_code == 409 for e in refused)
    assert product_stock(ws, product.id) == (D("10.000"), D("3.000"))
    assert entries(ws, "order.confirmed") == 1


def test_a_blocked_order_is_approved_once(workspace):
    ws = workspace.id
    order, product = a_draft_order(ws, credit_limit="10.00")
    with UnitOfWork(ws) as uow:
        assert sales.confirm_order(uow, actor=ACTOR, order_id=order.id).status == OrderStatus.BLOCKED
        uow.commit()
    at_once(ws, lambda uow, n: sales.approve_order(uow, actor="trainer:t", actor_role="trainer", order_id=order.id))
    assert product_stock(ws, product.id) == (D("10.000"), D("3.000"))
    assert entries(ws, "order.approved") == 1


def test_an_order_is_shipped_once(workspace):
    ws = workspace.id
    order, product, line = a_confirmed_order(ws, stock="3")
    carrier = a_carrier(ws).id
    at_once(ws, lambda uow, n: ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "3"},
                                             carrier_id=carrier, form_token=f"tab-{n}"))
    with UnitOfWork(ws, write=False) as uow:
        deliveries = uow.session.scalar(select(func.count(Delivery.id)).where(Delivery.order_id == order.id))
        shipped = uow.session.get(OrderLine, line.id).quantity_delivered
    assert (deliveries, shipped) == (1, D("3.000"))
    assert product_stock(ws, product.id) == (D("0.000"), D("0.000"))
    assert entries(ws, "delivery.shipped") == 1


def test_a_delivery_is_invoiced_once(workspace):
    ws = workspace.id
    order, _, line = a_confirmed_order(ws)
    with UnitOfWork(ws) as uow:
        delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "3"},
                                 carrier_id=a_carrier(ws).id)
        uow.commit()
    _, refused = at_once(ws, lambda uow, n: invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id))
    assert all(e.status_code == 409 and "déjà facturé" in e.message for e in refused)
    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.scalar(select(func.count(Invoice.id)).where(Invoice.delivery_id == delivery.id)) == 1
        assert uow.session.get(OrderLine, line.id).quantity_invoiced == D("3.000")
    assert entries(ws, "invoice.issued") == 1


def test_an_invoice_line_is_credited_once(workspace):
    ws = workspace.id
    invoice = an_invoice(ws)
    with UnitOfWork(ws, write=False) as uow:
        [line] = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    at_once(ws, lambda uow, n: issue_credit_note(uow, actor=ACTOR, invoice_id=invoice.id, quantities={line.id: "3"},
                                                 reason="Retour", form_token=f"tab-{n}"))
    with UnitOfWork(ws, write=False) as uow:
        notes = uow.session.scalar(select(func.count(CreditNote.id)).where(CreditNote.invoice_id == invoice.id))
        due = uow.session.get(Invoice, invoice.id).amount_due
    assert (notes, due) == (1, D("0.00"))
    assert entries(ws, "credit_note.issued") == 1


def test_an_invoice_is_paid_once(workspace):
    ws = workspace.id
    invoice = an_invoice(ws)
    amount = str(invoice.amount_due)
    at_once(ws, lambda uow, n: record_payment(
        uow, actor=ACTOR, customer_id=invoice.customer_id, method="transfer", amount=amount,
        allocations={invoice.id: amount}, form_token=f"tab-{n}"))
    with UnitOfWork(ws, write=False) as uow:
        payments = uow.session.scalar(select(func.count(Payment.id)).where(Payment.customer_id == invoice.customer_id))
        due = uow.session.get(Invoice, invoice.id).amount_due
    assert (payments, due) == (1, D("0.00"))
    assert entries(ws, "payment.recorded") == 1


def test_a_quote_is_sent_accepted_and_ordered_once(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    product = make_product(ws)
    with UnitOfWork(ws) as uow:
        quote = sales.create_quote(uow, actor=ACTOR, customer_id=customer.id, lines=[sales.LineInput(product.id, "2")])
        uow.commit()
    at_once(ws, lambda uow, n: sales.send_quote(uow, actor=ACTOR, quote_id=quote.id))
    at_once(ws, lambda uow, n: sales.accept_quote(uow, actor=ACTOR, quote_id=quote.id))
    at_once(ws, lambda uow, n: sales.order_from_quote(uow, actor=ACTOR, quote_id=quote.id))
    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.scalar(select(func.count(SalesOrder.id)).where(SalesOrder.quote_id == quote.id)) == 1
    assert [entries(ws, k) for k in ("quote.sent", "quote.accepted", "order.created")] == [1, 1, 1]


def test_a_form_submitted_twice_creates_one_quote_and_answers_409(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    product = make_product(ws)
    _, refused = at_once(ws, lambda uow, n: sales.create_quote(
        uow, actor=ACTOR, customer_id=customer.id, lines=[sales.LineInput(product.id, "2")], form_token="same-form"))
    assert all(isinstance(e, AlreadySubmitted) and e.status_code == 409 for e in refused)
    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.scalar(select(func.count(Quote.id)).where(Quote.customer_id == customer.id)) == 1
