"""One continuous chronological invoice series, even under concurrent issuing
(CGI ann. II art. 242 nonies A 7°; domain/payment-and-invoicing.md §6)."""
from __future__ import annotations

import threading

from sqlalchemy import select

from sim.billing.models import Invoice
from sim.billing.service import invoice_delivery
from sim.db import UnitOfWork
from sim.sales.models import OrderLine
from sim.sales.service import LineInput, confirm_order, create_order
from sim.stock.service import ship_delivery
from tests.factories import ACTOR, a_carrier, make_customer, make_product

N = 8


def test_concurrent_invoices_take_consecutive_numbers(workspace):
    ws = workspace.id
    customer = make_customer(ws, credit_limit="1000000.00")
    product = make_product(ws, stock="1000")
    deliveries = []
    for _ in range(N):
        with UnitOfWork(ws) as uow:
            order = create_order(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, "1")])
            uow.commit()
        with UnitOfWork(ws) as uow:
            confirm_order(uow, actor=ACTOR, order_id=order.id)
            uow.commit()
        with UnitOfWork(ws, write=False) as uow:
            line = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).one()
        with UnitOfWork(ws) as uow:
            deliveries.append(ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "1"},
                                            carrier_id=a_carrier(ws).id).id)
            uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        numbers_before = set(uow.session.scalars(select(Invoice.number)))

    errors = []
    barrier = threading.Barrier(N)

    def issue(delivery_id):
        try:
            barrier.wait()
            with UnitOfWork(ws) as uow:
                invoice_delivery(uow, actor=ACTOR, delivery_id=delivery_id)
                uow.commit()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=issue, args=(d,)) for d in deliveries]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    with UnitOfWork(ws, write=False) as uow:
        numbers = sorted(set(uow.session.scalars(select(Invoice.number))) - numbers_before)
    serials = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert len(serials) == N and serials == list(range(serials[0], serials[0] + N))
    with UnitOfWork(ws, write=False) as uow:
        all_serials = sorted(int(n.rsplit("-", 1)[1]) for n in uow.session.scalars(select(Invoice.number)))
    assert all_serials == list(range(1, len(all_serials) + 1))  # the seeded history included: no gap
