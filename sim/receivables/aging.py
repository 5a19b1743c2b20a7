"""The aged balance (balance âgée), DSO and the overdue list (receivables-recovery.md §6, §7).

Reads only. Age is counted from the due date, in sim-clock days: an invoice
is "not due" up to and including its due date, then 1–30, 31–60, 61–90 and
> 90 days overdue. A credit the customer holds (a credit note's or a
payment's unapplied part) is shown in its own column and netted in the total,
as the account view nets it (sim/crm/service._balances).
"""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from math import ceil

from sqlalchemy import case, func, literal, or_, select, union_all

from sim.billing.models import CreditNote, Invoice, InvoiceStatus, invoice_is_open
from sim.clock import sim_date
from sim.crm.models import Customer
from sim.db import Fixed
from sim.listing import ListPage, ListParams, search_term
from sim.receivables.credit import credit_note_holds, payment_holds
from sim.receivables.models import Payment

ZERO = Decimal("0.00")
BUCKETS = ("not_due", "d1_30", "d31_60", "d61_90", "d90")
BUCKET_LABELS = {"not_due": "Non échu", "d1_30": "1 – 30 j", "d31_60": "31 – 60 j", "d61_90": "61 – 90 j",
                 "d90": "> 90 j"}
DSO_DAYS = 90  # the period of sales the DSO is measured on


# the buckets between "not due" and "> 90 days": (bucket, first and last day late)
LATE_BUCKETS = (("d1_30", 1, 30), ("d31_60", 31, 60), ("d61_90", 61, 90))


def bucket_of(days_late: int) -> str:
    if days_late <= 0:
        return "not_due"
    return next((b for b, _, last in LATE_BUCKETS if days_late <= last), "d90")


_Customer = namedtuple("_Customer", "id code name in_litigation")  # what the balance shows of a customer


@dataclass
class AgedRow:
    customer: _Customer | None  # None: the company's total line
    amounts: dict[str, Decimal] = field(default_factory=lambda: {b: ZERO for b in BUCKETS})
    credit: Decimal = ZERO  # held by the customer, netted in ``total``

    @property
    def gross(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    @property
    def total(self) -> Decimal:
        return self.gross - self.credit

    @property
    def overdue(self) -> Decimal:
        """What is past due, net of the customer's credit (never below zero)."""
        return max(ZERO, self.gross - self.amounts["not_due"] - self.credit)


@dataclass
class AgedBalance:
    as_of: date
    rows: list[AgedRow]
    total: AgedRow
    dso: Decimal | None  # days; None when nothing was sold over the period
    sales_ttc: Decimal  # of the last DSO_DAYS days
    customers: int = 0  # with a balance (``rows`` may be one page of them)


def _credits(uow, customer_ids=None) -> dict[int, Decimal]:
    """customer id → the credit held (credit notes' and payments' unapplied parts), in one statement."""
    held: dict[int, Decimal] = {}
    notes = select(CreditNote.customer_id, CreditNote.unapplied).where(credit_note_holds())
    pays = select(Payment.customer_id, Payment.unapplied).where(payment_holds())
    wanted = None if customer_ids is None else set(customer_ids)
    if wanted is not None and len(wanted) <= 20:  # a few customers: their own documents
        notes = notes.where(CreditNote.customer_id.in_(wanted))
        pays = pays.where(Payment.customer_id.in_(wanted))
    # many: the few documents that hold a credit (ix_payment_holding), kept for these customers
    for customer_id, amount in uow.session.execute(union_all(notes, pays)):
        if wanted is None or customer_id in wanted:
            held[customer_id] = held.get(customer_id, ZERO) + amount
    return held


def _grouped(today: date, customer_id: int | None = None):
    """Per customer with something open or a credit held: the open amounts by age bucket and
    the credit, summed in SQL (a thousand customers at the large size, 1 500 open invoices)."""
    money = Fixed(2)
    zero = literal(0, money)

    def of(model):
        return (model.customer_id == customer_id,) if customer_id is not None else ()

    # bucket_of in SQL: first to last days late = due between today - last and today - first
    ages = {"not_due": Invoice.due_date >= today,
            "d90": Invoice.due_date < today - timedelta(days=LATE_BUCKETS[-1][2])}
    for b, first, last in LATE_BUCKETS:
        ages[b] = Invoice.due_date.between(today - timedelta(days=last), today - timedelta(days=first))
    sources = [select(Invoice.customer_id.label("customer_id"),
                      *(case((ages[b], Invoice.amount_due), else_=zero).label(b) for b in BUCKETS),
                      zero.label("credit")).where(invoice_is_open(), *of(Invoice))]
    for model, holds in ((CreditNote, credit_note_holds()), (Payment, payment_holds())):
        sources.append(select(model.customer_id, *(zero for _ in BUCKETS), model.unapplied).where(holds, *of(model)))
    owed = union_all(*sources).subquery()
    return (select(owed.c.customer_id, *(func.sum(owed.c[b], type_=money).label(b) for b in (*BUCKETS, "credit")))
            .group_by(owed.c.customer_id).subquery())


def _row(customer, values) -> AgedRow:
    return AgedRow(customer, {b: values[b] for b in BUCKETS}, values["credit"])


def aged_balance(uow, *, customer_id: int | None = None, as_of: date | None = None) -> AgedBalance:
    """The aged balance of every customer with something open or a credit held (or of one),
    the most overdue first, and the company's total."""
    return _aged(uow, customer_id, as_of, None)[0]


def balance_of(uow, customer, invoices, credit: Decimal, *, as_of: date | None = None) -> AgedBalance:
    """One customer's aged balance from its open invoices already read (``due_date`` and
    ``amount_due`` of each: a recovery file has them) and the credit it holds; its own DSO."""
    today = as_of or sim_date(uow)
    rows = []
    if invoices or credit:
        row = AgedRow(_Customer(customer.id, customer.code, customer.name, customer.in_litigation), credit=credit)
        for invoice in invoices:
            row.amounts[bucket_of((today - invoice.due_date).days)] += invoice.amount_due
        rows.append(row)
    total = AgedRow(None, dict(rows[0].amounts), credit) if rows else AgedRow(None)
    return _with_dso(uow, today, rows, total, len(rows), customer.id)


def aged_page(uow, params: ListParams, *, as_of: date | None = None) -> tuple[AgedBalance, ListPage]:
    """The company's total and one page of its customers (searched by name or code, the most
    overdue first), read in SQL: the page's rows only, with their count."""
    return _aged(uow, None, as_of, params)


def _aged(uow, customer_id: int | None, as_of: date | None, params: ListParams | None):
    today = as_of or sim_date(uow)
    grouped = _grouped(today, customer_id)
    money = Fixed(2)
    amounts = (*BUCKETS, "credit")
    gross = sum((grouped.c[b] for b in BUCKETS[1:]), grouped.c.not_due)
    late = gross - grouped.c.not_due - grouped.c.credit
    overdue = case((late > 0, late), else_=literal(0, money))
    # the customers' count and the company's total ride on every row (window sums over the rows
    # found, before the page is cut): one statement reads the page and the total
    query = (select(grouped, Customer.code, Customer.name, Customer.in_litigation, func.count().over().label("n"),
                    *(func.sum(grouped.c[b], type_=money).over().label(f"t_{b}") for b in amounts))
             .join(Customer, Customer.id == grouped.c.customer_id)
             .order_by(overdue.desc(), gross.desc(), Customer.name, Customer.id))
    searched = params is not None and bool(params.q)
    if searched:
        term = search_term(params.q)
        query = query.where(or_(func.lower(Customer.name).like(term, escape="\\"),
                                func.lower(Customer.code).like(term, escape="\\")))
    number = 1
    if params is not None:
        number = params.page
        read = uow.session.execute(query.limit(params.per_page).offset((number - 1) * params.per_page)).all()
        if not read and number > 1:  # past the last page: the last page
            found = uow.session.scalar(select(func.count()).select_from(query.subquery()))
            number = max(1, ceil(found / params.per_page))
            read = uow.session.execute(query.limit(params.per_page).offset((number - 1) * params.per_page)).all()
    else:
        read = uow.session.execute(query).all()
    found = read[0].n if read else 0
    if searched:  # the company's total stays the whole company's
        whole = uow.session.execute(select(func.count(), *(func.sum(grouped.c[b], type_=money) for b in amounts))).one()
        count, totals = whole[0], dict(zip(amounts, whole[1:]))
    else:
        count, totals = found, {b: read[0]._mapping[f"t_{b}"] for b in amounts} if read else {}
    total = _row(None, {b: totals.get(b) or ZERO for b in amounts})
    rows = [_row(_Customer(r.customer_id, r.code, r.name, r.in_litigation), r._mapping) for r in read]
    page = None if params is None else ListPage(rows, found, number, params.per_page, {},
                                                replace(params, page=number))
    return _with_dso(uow, today, rows, total, count, customer_id), page


def _with_dso(uow, today: date, rows: list[AgedRow], total: AgedRow, count: int, customer_id) -> AgedBalance:
    sales = _sales_ttc(uow, today, customer_id)
    dso = (max(ZERO, total.total) / sales * DSO_DAYS).quantize(Decimal("0.1")) if sales > 0 else None
    return AgedBalance(today, rows, total, dso, sales, count)


def _sales_ttc(uow, today: date, customer_id: int | None) -> Decimal:
    """Sales TTC of the last ``DSO_DAYS`` days (invoices less credit notes), the DSO's denominator."""
    start = today - timedelta(days=DSO_DAYS)
    inv = select(func.coalesce(func.sum(Invoice.total_ttc), 0)).where(Invoice.issue_date > start,
                                                                      Invoice.issue_date <= today)
    notes = select(func.coalesce(func.sum(CreditNote.total_ttc), 0)).where(CreditNote.issue_date > start,
                                                                           CreditNote.issue_date <= today)
    if customer_id is not None:
        inv = inv.where(Invoice.customer_id == customer_id)
        notes = notes.where(CreditNote.customer_id == customer_id)
    invoiced, credited = uow.session.execute(select(inv.scalar_subquery(), notes.scalar_subquery())).one()
    return Decimal(invoiced or 0) - Decimal(credited or 0)


def dso(receivables: Decimal, sales_ttc: Decimal, days: int = DSO_DAYS) -> Decimal:
    """DSO = receivables TTC ÷ sales TTC of the period × days (180 000 / 270 000 × 90 = 60)."""
    return (Decimal(receivables) / Decimal(sales_ttc) * days).quantize(Decimal("0.1"))


def open_invoices(uow, customer_id: int | None = None, *, overdue_only: bool = False,
                  as_of: date | None = None) -> list[Invoice]:
    today = as_of or sim_date(uow)
    query = select(Invoice).where(invoice_is_open(), Invoice.status != InvoiceStatus.CREDITED)
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    if overdue_only:
        query = query.where(Invoice.due_date < today)
    return list(uow.session.scalars(query.order_by(Invoice.due_date, Invoice.number)))
