"""Payments received, their allocation to invoices, and reminders (relances)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Index, String, Text
from sqlmodel import Field

from sim.db import WorkspaceOwned, money_field
from sim.labels import Labelled


class Payment(WorkspaceOwned, table=True):
    # the list: its default order, date filter, count and totals read on this index alone
    __table_args__ = (Index("ix_payment_list", "workspace_id", "received_on", "id", "amount", "unapplied"),)
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
