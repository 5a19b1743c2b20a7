"""Quotes and sales orders, with their lines."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field

from sim.db import WorkspaceOwned, money_field, quantity_field, rate_field
from sim.labels import Labelled


class QuoteStatus(Labelled):
    DRAFT = "draft", "Brouillon"
    SENT = "sent", "Envoyé"
    ACCEPTED = "accepted", "Accepté"
    REFUSED = "refused", "Refusé"
    EXPIRED = "expired", "Expiré"
    CANCELLED = "cancelled", "Annulé"


class _DocumentTotals(WorkspaceOwned):
    total_ht: Decimal = money_field()
    total_vat: Decimal = money_field()
    total_ttc: Decimal = money_field()


class _Line(WorkspaceOwned):
    product_id: int | None = Field(default=None, foreign_key="product.id")
    description: str = Field(sa_type=String(200))
    quantity: Decimal = quantity_field()
    unit_price: Decimal = money_field()
    discount_pct: Decimal = rate_field(default=Decimal("0.00"))
    vat_rate: Decimal = rate_field()
    line_total_ht: Decimal = money_field()  # rounded to the cent per line
    position: int = 0
    # goods (a catalogue product), or freight / insurance (no product: sim/shipping/freight.py), or penalty
    # (late penalties and the 40 € indemnity on a penalty invoice: sim/receivables/recovery.py)
    line_kind: str = Field(default="goods", sa_type=String(10), sa_column_kwargs={"server_default": "goods"})


class Quote(_DocumentTotals, table=True):
    __table_args__ = (UniqueConstraint("workspace_id", "number"),
                      # the list: its default order, date filter, count and totals read on this index alone
                      Index("ix_quote_list", "workspace_id", "issue_date", "number", "total_ht", "total_ttc"))

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(20))
    customer_id: int = Field(foreign_key="customer.id", index=True)
    status: str = Field(default=QuoteStatus.DRAFT, sa_type=String(10))
    issue_date: date
    valid_until: date
    payment_terms: str = Field(sa_type=String(16))
    incoterm: str = Field(default="", sa_type=String(3))
    incoterm_place: str = Field(default="", sa_type=String(80))
    transport_mode: str = Field(default="", sa_type=String(16), sa_column_kwargs={"server_default": ""})
    service_id: int | None = Field(default=None, foreign_key="carrier_service.id")
    delivery_address: str = Field(default="", sa_type=String(300), sa_column_kwargs={"server_default": ""})
    global_discount_pct: Decimal = rate_field(default=Decimal("0.00"))
    notes: str = Field(default="", sa_type=Text)
    status_reason: str = Field(default="", sa_type=String(300))  # why it was refused or cancelled

    def status_on(self, today) -> str:
        """The status as of ``today``: a sent quote past its validity date has expired."""
        if self.status == QuoteStatus.SENT and self.valid_until < today:
            return QuoteStatus.EXPIRED
        return self.status


class QuoteLine(_Line, table=True):
    __tablename__ = "quote_line"

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int = Field(foreign_key="quote.id", index=True)


class OrderStatus(Labelled):
    DRAFT = "draft", "Brouillon"
    BLOCKED = "blocked", "Bloquée"
    PENDING_APPROVAL = "pending", "En attente d'accord"  # blocked, the manager has been asked
    CONFIRMED = "confirmed", "Confirmée"
    PARTIAL = "partial", "Livrée partiellement"
    DELIVERED = "delivered", "Livrée"
    INVOICED = "invoiced", "Facturée"
    CANCELLED = "cancelled", "Annulée"


class SalesOrder(_DocumentTotals, table=True):
    __tablename__ = "sales_order"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),
                      # the list: its default order, date filter, count and totals read on this index alone
                      Index("ix_sales_order_list", "workspace_id", "order_date", "number", "total_ht", "total_ttc"),
                      # the orders waiting for stock (sim/purchasing/risk.py): a hundred among 30 000
                      Index("ix_sales_order_status", "workspace_id", "status"))

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(20))
    customer_id: int = Field(foreign_key="customer.id", index=True)
    quote_id: int | None = Field(default=None, foreign_key="quote.id", index=True)  # the quote page, its chain
    customer_po: str = Field(default="", sa_type=String(40))  # buyer's order number
    status: str = Field(default=OrderStatus.DRAFT, sa_type=String(10))
    order_date: date
    promised_date: date | None = None
    payment_terms: str = Field(sa_type=String(16))
    incoterm: str = Field(default="", sa_type=String(3))
    incoterm_place: str = Field(default="", sa_type=String(80))
    carrier_id: int | None = Field(default=None, foreign_key="carrier.id")
    transport_mode: str = Field(default="", sa_type=String(16), sa_column_kwargs={"server_default": ""})
    service_id: int | None = Field(default=None, foreign_key="carrier_service.id")
    delivery_address: str = Field(default="", sa_type=String(300))
    global_discount_pct: Decimal = rate_field(default=Decimal("0.00"))
    blocked_reason: str = Field(default="", sa_type=String(200))
    cancel_reason: str = Field(default="", sa_type=String(300))
    notes: str = Field(default="", sa_type=Text)


class OrderLine(_Line, table=True):
    __table_args__ = (Index("ix_order_line_ws_product", "workspace_id", "product_id"),)
    __tablename__ = "order_line"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    quantity_delivered: Decimal = quantity_field(default=Decimal("0.000"))
    quantity_invoiced: Decimal = quantity_field(default=Decimal("0.000"))
    # units set aside for this line: shipping another order never takes them; released if the
    # order is cancelled or modified
    quantity_reserved: Decimal = quantity_field(default=Decimal("0.000"))
