"""Payments received, their allocation to invoices, and reminders (relances)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Index, String, Text, text
from sqlmodel import Field

from sim.db import WorkspaceOwned, money_field
from sim.labels import Labelled


class Payment(WorkspaceOwned, table=True):
    # the list: its default order, date filter, count and totals read on this index alone
    __table_args__ = (Index("ix_payment_list", "workspace_id", "received_on", "id", "amount", "unapplied"),
                      # the payments that still hold a credit: a handful among 30 000 (sim/receivables/credit.py)
                      Index("ix_payment_holding", "workspace_id", "customer_id", sqlite_where=text("unapplied > 0"),
                            postgresql_where=text("unapplied > 0")))
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(default="", sa_type=String(20))  # RG-2026-00012: the journal's key for it
    customer_id: int = Field(foreign_key="customer.id", index=True)
    method: str = Field(sa_type=String(16))  # see crm.models.PaymentMethod
    amount: Decimal = money_field()
    received_on: date
    reference: str = Field(default="", sa_type=String(60))
    rejected: bool = False  # e.g. an unpaid bill of exchange
    # received beyond what was due: a credit the customer holds (to allocate or refund)
    unapplied: Decimal = money_field(default=Decimal("0.00"))


class CreditUse(WorkspaceOwned, table=True):
    """A customer credit (a credit note's or a payment's unapplied part) set
    against an open invoice, or refunded when ``invoice_id`` is empty."""

    __tablename__ = "credit_use"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    credit_note_id: int | None = Field(default=None, foreign_key="credit_note.id", index=True)
    payment_id: int | None = Field(default=None, foreign_key="payment.id", index=True)
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id", index=True)
    amount: Decimal = money_field()
    used_on: date
    method: str = Field(default="", sa_type=String(16))  # a refund's means (virement, chèque)
    reference: str = Field(default="", sa_type=String(60))


class PaymentAllocation(WorkspaceOwned, table=True):
    __tablename__ = "payment_allocation"

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    amount: Decimal = money_field()


class ReminderLevel(Labelled):
    COURTESY = "courtesy", "Rappel de courtoisie"
    FIRST = "first", "1re relance"
    PHONE = "phone", "Relance téléphonique"
    SECOND = "second", "2e relance"
    FORMAL_NOTICE = "formal_notice", "Mise en demeure"
    ESCALATED = "escalated", "Transmis au contentieux"


class Reminder(WorkspaceOwned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id", index=True)
    level: str = Field(sa_type=String(16))
    channel: str = Field(sa_type=String(10))
    sent_on: date
    text: str = Field(default="", sa_type=Text)
    promised_payment_date: date | None = None


# ===== the recovery procedure (issue 12) ===============================
#
# Reminder rows above are the steps done; the columns below were added for
# the candidate's recovery actions (sim/receivables/recovery.py).

class RecoveryChannel(Labelled):
    EMAIL = "email", "Courriel"
    PHONE = "phone", "Appel téléphonique"
    LETTER = "letter", "Lettre"
    REGISTERED = "registered", "Lettre recommandée avec AR"
    LITIGATION = "litigation", "Contentieux"


class ReminderDetail(WorkspaceOwned, table=True):
    """What a candidate's recovery action adds to each ``Reminder`` row it makes
    (the seeded history has none): the action's key in the journal
    (``REL-<customer>-<n>``, shared by the invoices one action covers), the
    promise obtained on a call, the penalties and indemnity a letter claims,
    the letter printed."""

    __tablename__ = "reminder_detail"

    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int = Field(foreign_key="reminder.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    number: str = Field(sa_type=String(40), index=True)
    level: str = Field(sa_type=String(16))
    channel: str = Field(sa_type=String(10))
    sent_on: date
    deadline_days: int = 0  # a letter's payment deadline
    promised_payment_date: date | None = None
    promised_amount: Decimal | None = money_field(default=None)
    promise_broken: bool = False
    penalties: Decimal = money_field(default=Decimal("0.00"))
    indemnity: Decimal = money_field(default=Decimal("0.00"))
    document_id: int | None = Field(default=None, foreign_key="document.id")


class RecoveryStep(WorkspaceOwned, table=True):
    """One step of the company's recovery procedure, as a scenario sets it:
    a reminder level, its channel and its day relative to the due date
    (negative: before it). No row: the default ladder of recovery.DEFAULT_PROCEDURE."""

    __tablename__ = "recovery_step"

    id: int | None = Field(default=None, primary_key=True)
    position: int = 0
    level: str = Field(sa_type=String(16))  # ReminderLevel
    offset_days: int = 0
    channel: str = Field(sa_type=String(12))  # RecoveryChannel


class InvoiceDispute(WorkspaceOwned, table=True):
    """An invoice the customer contests (or refuses to pay until a dispute is
    settled: ``withhold_payment``): reminders on it are paused while it is open."""

    __tablename__ = "invoice_dispute"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    reason: str = Field(default="", sa_type=String(300))
    withhold_payment: bool = False
    opened_on: date
    closed_on: date | None = None
    resolution: str = Field(default="", sa_type=String(300))


class PaymentPlanStatus(Labelled):
    ACTIVE = "active", "En cours"
    PENDING = "pending", "En attente d'accord de la direction"
    REFUSED = "refused", "Refusé par la direction"
    COMPLETED = "completed", "Soldé"


class PaymentPlan(WorkspaceOwned, table=True):
    """An échéancier agreed with a customer (receivables-recovery.md §8)."""

    __tablename__ = "payment_plan"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(30))  # ECH-C00042-1: the journal's key for it
    customer_id: int = Field(foreign_key="customer.id", index=True)
    status: str = Field(default=PaymentPlanStatus.ACTIVE, sa_type=String(10))
    created_on: date
    months: int = 0
    total: Decimal = money_field()
    penalties_waived: bool = False
    note: str = Field(default="", sa_type=Text)
    decision_comment: str = Field(default="", sa_type=Text)


class PaymentPlanInvoice(WorkspaceOwned, table=True):
    __tablename__ = "payment_plan_invoice"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="payment_plan.id", index=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    amount: Decimal = money_field()  # what the invoice owed when the plan was agreed


class PaymentPlanInstalment(WorkspaceOwned, table=True):
    __tablename__ = "payment_plan_instalment"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="payment_plan.id", index=True)
    position: int
    due_date: date
    amount: Decimal = money_field()


class CreditReport(WorkspaceOwned, table=True):
    """A simulated credit report on a customer (Altares, Ellisphere, Creditsafe…),
    as a scenario sets it (or derived from the customer's record)."""

    __tablename__ = "credit_report"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    agency: str = Field(default="Creditsafe (simulé)", sa_type=String(60))
    as_of: date
    score: int = 50  # 0 (failure) … 100 (no risk)
    incidents: str = Field(default="", sa_type=Text)  # one payment incident a line
    recommended_limit: Decimal = money_field()
    comment: str = Field(default="", sa_type=Text)
