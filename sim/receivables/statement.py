"""The customer's statement of account (relevé de compte), domain/receivables-recovery.md §5.

Per customer, between two dates: the balance brought forward, then every
invoice (debit), credit note and payment received (credits) in date order with
a running balance, the balance at the end date and the part of it already
past due. Rejected payments (an unpaid bill of exchange…) are left out: they
never reduced what the customer owes.

A reading only: nothing is written, nothing is journaled here (opening the
printed statement is journaled by ``sim.documents.service.record_view``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from sim.billing.models import CreditNote, Invoice
from sim.clock import sim_date
from sim.company.models import Company
from sim.crm.models import Customer, PaymentMethod
from sim.errors import ValidationFailed
from sim.receivables.models import CreditUse, Payment, PaymentAllocation
from sim.sales.pricing import ZERO

INVOICE, CREDIT_NOTE, PAYMENT, REFUND = "Facture", "Avoir", "Règlement", "Remboursement"
_ORDER = {INVOICE: 0, CREDIT_NOTE: 1, PAYMENT: 2, REFUND: 3}  # same day: the invoice first, then what reduces it


@dataclass
class StatementLine:
    when: date
    kind: str  # "Facture", "Avoir" or "Règlement"
    number: str
    due_date: date | None
    debit: Decimal
    credit: Decimal
    balance: Decimal
    label: str = ""  # e.g. "sur facture FA-2026-00008", "Virement"


@dataclass
class OpenItem:
    """An invoice still (partly) unpaid at the statement's end date."""

    number: str
    issue_date: date
    due_date: date
    total_ttc: Decimal
    open_amount: Decimal
    days_late: int  # 0 when not yet due

    @property
    def overdue(self) -> bool:
        return self.days_late > 0


@dataclass
class Statement:
    customer: Customer
    company: Company
    start: date
    end: date
    opening_balance: Decimal
    lines: list[StatementLine]
    closing_balance: Decimal
    overdue: Decimal  # part of the closing balance past due at ``end``, net of the customer's credit
    open_items: list[OpenItem] = field(default_factory=list)
    credit: Decimal = ZERO  # credits the customer held at ``end`` (credit notes, overpayments), not yet used

    @property
    def reference(self) -> str:
        """A stable reference for the printed statement, e.g. ``RLV-C00042-20261102``."""
        return f"RLV-{self.customer.code}-{self.end:%Y%m%d}"

    @property
    def total_debit(self) -> Decimal:
        return sum((l.debit for l in self.lines), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((l.credit for l in self.lines), ZERO)


def default_start(end: date) -> date:
    """The first day of the month three months before ``end`` (2 Nov → 1 Aug)."""
    month = end.month - 3
    year = end.year
    if month < 1:
        month += 12
        year -= 1
    return date(year, month, 1)


def _movements(uow, customer_id: int, end: date) -> list[tuple[date, str, str, date | None, Decimal, Decimal, str]]:
    """Every invoice, credit note and accepted payment of the customer up to ``end``."""
    s = uow.session
    rows = []
    invoices = {i.id: i for i in s.scalars(select(Invoice).where(Invoice.customer_id == customer_id))}
    for inv in invoices.values():
        if inv.issue_date <= end:
            rows.append((inv.issue_date, INVOICE, inv.number, inv.due_date, inv.total_ttc, ZERO, ""))
    for note in s.scalars(select(CreditNote).where(CreditNote.customer_id == customer_id,
                                                   CreditNote.issue_date <= end)):
        invoice = invoices.get(note.invoice_id)
        label = f"sur facture {invoice.number}" if invoice else ""
        rows.append((note.issue_date, CREDIT_NOTE, note.number, None, ZERO, note.total_ttc, label))
    for pay in s.scalars(select(Payment).where(Payment.customer_id == customer_id, Payment.received_on <= end,
                                               Payment.rejected.is_(False))):
        try:
            method = PaymentMethod(pay.method).label
        except ValueError:
            method = pay.method
        rows.append((pay.received_on, PAYMENT, pay.reference or pay.number or f"Règlement n° {pay.id}", None, ZERO, pay.amount,
                     method))
    for use in s.scalars(select(CreditUse).where(CreditUse.customer_id == customer_id, CreditUse.invoice_id.is_(None),
                                                 CreditUse.used_on <= end)):
        label = "Virement" if use.method == "transfer" else "Chèque"
        rows.append((use.used_on, REFUND, use.reference or f"Remboursement n° {use.id}", None, use.amount, ZERO,
                     label))
    rows.sort(key=lambda r: (r[0], _ORDER[r[1]], r[2]))
    return rows


def _open_items(uow, customer_id: int, end: date) -> list[OpenItem]:
    """What each invoice still owed at ``end``.

    ``Invoice.amount_due`` is what is owed today; for a past end date, what was
    paid or credited after it is added back (rejected payments never counted)."""
    s = uow.session
    items = []
    invoices = s.scalars(select(Invoice).where(Invoice.customer_id == customer_id, Invoice.issue_date <= end)
                         .order_by(Invoice.due_date, Invoice.number)).all()
    if not invoices:
        return items
    ids = [i.id for i in invoices]
    paid_after: dict[int, Decimal] = {}
    for invoice_id, amount in s.execute(
            select(PaymentAllocation.invoice_id, PaymentAllocation.amount)
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(PaymentAllocation.invoice_id.in_(ids), Payment.received_on > end, Payment.rejected.is_(False))):
        paid_after[invoice_id] = paid_after.get(invoice_id, ZERO) + amount
    credited_after: dict[int, Decimal] = {}
    for invoice_id, amount in s.execute(
            select(CreditNote.invoice_id, CreditNote.total_ttc)
            .where(CreditNote.invoice_id.in_(ids), CreditNote.issue_date > end)):
        credited_after[invoice_id] = credited_after.get(invoice_id, ZERO) + amount
    for invoice_id, amount in s.execute(
            select(CreditUse.invoice_id, CreditUse.amount)
            .where(CreditUse.invoice_id.in_(ids), CreditUse.used_on > end)):
        credited_after[invoice_id] = credited_after.get(invoice_id, ZERO) + amount
    for inv in invoices:
        open_amount = min(inv.total_ttc, inv.amount_due + paid_after.get(inv.id, ZERO)
                          + credited_after.get(inv.id, ZERO))
        if open_amount > 0:
            items.append(OpenItem(inv.number, inv.issue_date, inv.due_date, inv.total_ttc, open_amount,
                                  max(0, (end - inv.due_date).days)))
    return items


def _credit_held(uow, customer_id: int, end: date) -> Decimal:
    """What the customer held in credit at ``end``: unapplied parts of credit notes
    and payments dated up to ``end``, plus what of them was used after ``end``."""
    s = uow.session
    notes = {n.id: n for n in s.scalars(select(CreditNote).where(CreditNote.customer_id == customer_id,
                                                                 CreditNote.issue_date <= end))}
    payments = {p.id: p for p in s.scalars(select(Payment).where(Payment.customer_id == customer_id,
                                                                 Payment.received_on <= end,
                                                                 Payment.rejected.is_(False)))}
    held = sum((n.unapplied for n in notes.values()), ZERO) + sum((p.unapplied for p in payments.values()), ZERO)
    for use in s.scalars(select(CreditUse).where(CreditUse.customer_id == customer_id, CreditUse.used_on > end)):
        if use.credit_note_id in notes or use.payment_id in payments:
            held += use.amount
    return held


def account_statement(uow, customer_id: int, *, start: date | None = None, end: date | None = None) -> Statement:
    """Relevé de compte of one customer from ``start`` to ``end`` (both included).

    Defaults: ``end`` is the sim date, ``start`` the first day of the month
    three months before. The opening balance is everything invoiced, minus
    credit notes and accepted payments, before ``start``; each movement then
    moves the running balance; ``overdue`` is what invoices due before ``end``
    still owed at ``end``.
    """
    customer = uow.get(Customer, customer_id)
    company = uow.session.scalars(select(Company)).one()
    end = end or sim_date(uow)
    start = start or default_start(end)
    if start > end:
        raise ValidationFailed({"start": "La date de début du relevé doit précéder sa date de fin."})
    movements = _movements(uow, customer.id, end)
    opening = sum((debit - credit for when, _, _, _, debit, credit, _ in movements if when < start), ZERO)
    balance = opening
    lines: list[StatementLine] = []
    for when, kind, number, due, debit, credit, label in movements:
        if when >= start:
            balance += debit - credit
            lines.append(StatementLine(when, kind, number, due, debit, credit, balance, label))
    closing = balance
    items = _open_items(uow, customer.id, end)
    credit = _credit_held(uow, customer.id, end)
    # a credit the customer holds is set against what is late first (receivables-recovery.md §5)
    overdue = max(ZERO, sum((i.open_amount for i in items if i.due_date < end), ZERO) - credit)
    return Statement(customer=customer, company=company, start=start, end=end, opening_balance=opening,
                     lines=lines, closing_balance=closing, overdue=overdue, open_items=items, credit=credit)
