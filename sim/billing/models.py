"""Invoices and credit notes (an avoir is an invoice that amends another, CGI 289 I-5)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint, literal_column, text
from sqlmodel import Field

from sim.db import money_field, rate_field
from sim.labels import Labelled
from sim.sales.models import _DocumentTotals, _Line


class InvoiceStatus(Labelled):
    ISSUED = "issued", "Émise"
    PARTIALLY_PAID = "partial", "Payée partiellement"
    PAID = "paid", "Payée"
    CREDITED = "credited", "Annulée par avoir"


class EInvoiceStatus(Labelled):
    """The e-invoicing life cycle a platform (plateforme agréée) reports for an
    invoice, with the reform's status codes: the four every platform must
    carry (sim/billing/einvoice.py)."""
    DEPOSITED = "deposited", "Déposée"  # 200: the issuer's platform has it
    RECEIVED = "received", "Reçue"  # 202: the buyer's platform received it
    REFUSED = "refused", "Refusée"  # 210: the buyer refuses it (a reason is given)
    COLLECTED = "collected", "Encaissée"  # 212: the seller reports the payment received


class Invoice(_DocumentTotals, table=True):
    __table_args__ = (UniqueConstraint("workspace_id", "number"),
                      # the list: its default order, date filter, count and totals read on this index alone
                      Index("ix_invoice_list", "workspace_id", "issue_date", "number", "total_ht", "total_ttc",
                            "amount_due"),
                      # the open invoices (1 500 of 30 000 at the large size) by due date: the aged balance,
                      # the recovery ladder and the overdue filters, read on it alone (``invoice_is_open``)
                      Index("ix_invoice_open", "workspace_id", "due_date", "customer_id", "amount_due",
                            sqlite_where=text("amount_due > 0"), postgresql_where=text("amount_due > 0")))

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(20))
    customer_id: int = Field(foreign_key="customer.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="sales_order.id", index=True)
    delivery_id: int | None = Field(default=None, foreign_key="delivery.id", index=True)  # the delivery page
    status: str = Field(default=InvoiceStatus.ISSUED, sa_type=String(10), index=True)
    issue_date: date
    delivery_date: date | None = None
    due_date: date = Field(index=True)
    payment_terms: str = Field(sa_type=String(16))
    customer_po: str = Field(default="", sa_type=String(40))
    vat_mention: str = Field(default="", sa_type=String(200))  # exemption or reverse charge
    global_discount_pct: Decimal = rate_field(default=Decimal("0.00"))
    # What the customer still owes on it, kept by the payment and credit-note services.
    amount_due: Decimal = money_field()
    notes: str = Field(default="", sa_type=Text)
    # --- electronic invoicing (Factur-X through a platform): its status, when, why ---
    einvoice_status: str = Field(default=EInvoiceStatus.DEPOSITED, sa_type=String(10),
                                 sa_column_kwargs={"server_default": "deposited"})
    einvoice_status_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    einvoice_reason: str = Field(default="", sa_type=String(200), sa_column_kwargs={"server_default": ""})


def invoice_is_open(invoice=None):
    """Something is still due on the invoice (or an alias of the table): ``amount_due > 0``
    written as such, not with a bound parameter, so that the planners use the partial index
    ``ix_invoice_open``."""
    return (invoice if invoice is not None else Invoice).amount_due > literal_column("0")


class InvoiceLine(_Line, table=True):
    __tablename__ = "invoice_line"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    order_line_id: int | None = Field(default=None, foreign_key="order_line.id")


class CreditNote(_DocumentTotals, table=True):
    __tablename__ = "credit_note"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(20))
    customer_id: int = Field(foreign_key="customer.id", index=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    issue_date: date
    reason: str = Field(sa_type=String(200))
    basis: str = Field(default="quantity", sa_type=String(8))  # quantity | amount | return
    # The part not absorbed by the invoice (already paid): a credit the
    # customer holds on their account, to refund or to set against later invoices.
    unapplied: Decimal = money_field(default=Decimal("0.00"))
    notes: str = Field(default="", sa_type=Text)
    # --- electronic invoicing: a credit note goes through the platform as an invoice does ---
    einvoice_status: str = Field(default=EInvoiceStatus.DEPOSITED, sa_type=String(10),
                                 sa_column_kwargs={"server_default": "deposited"})
    einvoice_status_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    einvoice_reason: str = Field(default="", sa_type=String(200), sa_column_kwargs={"server_default": ""})


class CreditNoteLine(_Line, table=True):
    __tablename__ = "credit_note_line"

    id: int | None = Field(default=None, primary_key=True)
    credit_note_id: int = Field(foreign_key="credit_note.id", index=True)
