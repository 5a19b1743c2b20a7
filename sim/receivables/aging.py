"""The aged balance (balance âgée), DSO and the overdue list (receivables-recovery.md §6, §7).

Reads only. Age is counted from the due date, in sim-clock days: an invoice
is "not due" up to and including its due date, then 1–30, 31–60, 61–90 and
> 90 days overdue. A credit the customer holds (a credit note's or a
payment's unapplied part) is shown in its own column and netted in the total,
as the account view nets it (sim/crm/service._balances).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Row, func, select

from sim.billing.models import CreditNote, Invoice, InvoiceStatus
from sim.clock import sim_date
from sim.crm.models import Customer
from sim.receivables.credit import credit_note_holds, payment_holds
from sim.receivables.models import Payment

ZERO = Decimal("0.00")
BUCKETS = ("not_due", "d1_30", "d31_60", "d61_90", "d90")
BUCKET_LABELS = {"not_due": "Non échu", "d1_30": "1 – 30 j", "d31_60": "31 – 60 j", "d61_90": "61 – 90 j",
                 "d90": "> 90 j"}
DSO_DAYS = 90  # the period of sales the DSO is measured on


def bucket_of(days_late: int) -> str:
    if days_late <= 0:
        return "not_due"
    if days_late <= 30:
        return "d1_30"
    if days_late <= 60:
        return "d31_60"
    if days_late <= 90:
        return "d61_90"
    return "d90"


@dataclass
class AgedRow:
    customer: Row | None  # id, code, name, in_litigation; None: the company's total line
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


def _credits(uow, customer_ids=None) -> dict[int, Decimal]:
    """customer id → the credit held (credit notes' and payments' unapplied parts)."""
    held: dict[int, Decimal] = {}
    notes = select(CreditNote.customer_id, CreditNote.unapplied).where(credit_note_holds())
    pays = select(Payment.customer_id, Payment.unapplied).where(payment_holds())
    wanted = None if customer_ids is None else set(customer_ids)
    if wanted is not None and len(wanted) <= 20:  # a few customers: their own documents
        notes = notes.where(CreditNote.customer_id.in_(wanted))
        pays = pays.where(Payment.customer_id.in_(wanted))
    # many: the few documents that hold a credit (ix_payment_holding), kept for these customers
    for query in (notes, pays):
        for customer_id, amount in uow.session.execute(query):
            if wanted is None or customer_id in wanted:
                held[customer_id] = held.get(customer_id, ZERO) + amount
    return held


def aged_balance(uow, *, customer_id: int | None = None, as_of: date | None = None) -> AgedBalance:
    """The aged balance of every customer with something open (or of one), and the company's total."""
    today = as_of or sim_date(uow)
    query = select(Invoice.customer_id, Invoice.due_date, Invoice.amount_due).where(Invoice.amount_due > 0)
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    rows: dict[int, AgedRow] = {}
    for cid, due, amount in uow.session.execute(query):
        row = rows.setdefault(cid, AgedRow(None))
        row.amounts[bucket_of((today - due).days)] += amount
    credits = _credits(uow, [customer_id] if customer_id is not None else None)
    for cid, amount in credits.items():
        rows.setdefault(cid, AgedRow(None)).credit = amount
    # light rows (what the balance shows of a customer): a thousand customers have a balance at the large size
    customers = {c.id: c for c in uow.session.execute(
        select(Customer.id, Customer.code, Customer.name, Customer.in_litigation)
        .where(Customer.id.in_(list(rows))))} if rows else {}
    for cid, row in rows.items():
        row.customer = customers[cid]
    ordered = sorted(rows.values(), key=lambda r: (-r.overdue, -r.gross, r.customer.name))
    total = AgedRow(None)
    for row in ordered:
        for b in BUCKETS:
            total.amounts[b] += row.amounts[b]
        total.credit += row.credit
    sales = _sales_ttc(uow, today, customer_id)
    dso = (max(ZERO, total.total) / sales * DSO_DAYS).quantize(Decimal("0.1")) if sales > 0 else None
    return AgedBalance(today, ordered, total, dso, sales)


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
    return Decimal(uow.session.scalar(inv) or 0) - Decimal(uow.session.scalar(notes) or 0)


def dso(receivables: Decimal, sales_ttc: Decimal, days: int = DSO_DAYS) -> Decimal:
    """DSO = receivables TTC ÷ sales TTC of the period × days (180 000 / 270 000 × 90 = 60)."""
    return (Decimal(receivables) / Decimal(sales_ttc) * days).quantize(Decimal("0.1"))


def open_invoices(uow, customer_id: int | None = None, *, overdue_only: bool = False,
                  as_of: date | None = None) -> list[Invoice]:
    today = as_of or sim_date(uow)
    query = select(Invoice).where(Invoice.amount_due > 0, Invoice.status != InvoiceStatus.CREDITED)
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    if overdue_only:
        query = query.where(Invoice.due_date < today)
    return list(uow.session.scalars(query.order_by(Invoice.due_date, Invoice.number)))
