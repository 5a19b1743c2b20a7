"""Helpers for the receivables tests: invoices of given amounts and dates, the sim clock set."""
from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal

from sim.billing.models import Invoice
from sim.clock import set_clock
from sim.db import UnitOfWork

_numbers = itertools.count(1)


def an_invoice(ws: int, customer, total_ttc: str, *, issued: date, due: date, amount_due: str | None = None) -> Invoice:
    """An issued invoice of ``total_ttc`` (20 % VAT), straight in the ledger: the figures
    tests need exact dates, not the order-to-cash path (tested elsewhere)."""
    ttc = Decimal(total_ttc)
    ht = (ttc / Decimal("1.2")).quantize(Decimal("0.01"))
    with UnitOfWork(ws) as uow:
        invoice = Invoice(workspace_id=ws, number=f"FT-{next(_numbers):05d}", customer_id=customer.id,
                          issue_date=issued, due_date=due, payment_terms="30_net", total_ht=ht, total_vat=ttc - ht,
                          total_ttc=ttc, amount_due=Decimal(amount_due) if amount_due is not None else ttc,
                          status="issued" if amount_due is None else "partial")
        uow.session.add(invoice)
        uow.commit()
        return invoice


def at(ws: int, day: date, hour: int = 9) -> None:
    with UnitOfWork(ws) as uow:
        set_clock(uow, sim_time=datetime.combine(day, datetime.min.time()).replace(hour=hour), speed=0)
        uow.commit()


def a_customer(ws: int, **kw):
    """A B2B customer (tests.factories.make_customer) with an email address, to be written to."""
    from sim.crm.models import Customer
    from tests.factories import make_customer

    customer = make_customer(ws, **kw)
    with UnitOfWork(ws) as uow:
        row = uow.get(Customer, customer.id)
        row.email = f"compta@{customer.code.lower()}.example"
        uow.commit()
        return row
