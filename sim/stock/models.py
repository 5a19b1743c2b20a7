"""Suppliers, carriers, products and their stock, purchase orders, deliveries."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Index, String, Text, UniqueConstraint, text
from sqlmodel import Field

from sim.db import WorkspaceOwned, money_field, quantity_field, rate_field
from sim.labels import Labelled


class Supplier(WorkspaceOwned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(12))
    name: str = Field(sa_type=String(160))
    siren: str = Field(default="", sa_type=String(9))
    vat_number: str = Field(default="", sa_type=String(20))
    address: str = Field(sa_type=String(200))
    postcode: str = Field(sa_type=String(12))
    city: str = Field(sa_type=String(80))
    country: str = Field(default="FR", sa_type=String(2))
    language: str = Field(default="fr", sa_type=String(2))
    email: str = Field(default="", sa_type=String(120))
    phone: str = Field(default="", sa_type=String(30))
    lead_time_days: int = 10
    payment_terms: str = Field(default="30_net", sa_type=String(16))
    incoterm: str = Field(default="", sa_type=String(3))


class Carrier(WorkspaceOwned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(120))
    mode: str = Field(sa_type=String(20))  # messagerie, express, affrètement, international
    email: str = Field(default="", sa_type=String(120))
    phone: str = Field(default="", sa_type=String(30))
    transit_days_fr: int = 2
    transit_days_intl: int = 5
    price_per_kg: Decimal = money_field()
    min_charge: Decimal = money_field()
    tracking_url: str = Field(default="", sa_type=String(200))


class Product(WorkspaceOwned, table=True):
    __table_args__ = (UniqueConstraint("workspace_id", "reference"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(sa_type=String(20))
    name: str = Field(sa_type=String(160), index=True)
    name_en: str = Field(default="", sa_type=String(160))
    category: str = Field(sa_type=String(60), index=True)
    description: str = Field(default="", sa_type=Text)
    unit: str = Field(default="u", sa_type=String(10))
    price_ht: Decimal = money_field()
    purchase_cost: Decimal = money_field()
    vat_rate: Decimal = rate_field()
    weight_kg: Decimal = quantity_field()
    stock_on_hand: Decimal = quantity_field()
    stock_reserved: Decimal = quantity_field(default=Decimal("0.000"))
    reorder_point: Decimal = quantity_field()
    safety_stock: Decimal = quantity_field()
    supplier_id: int | None = Field(default=None, foreign_key="supplier.id", index=True)
    lead_time_days: int = 10
    active: bool = True

    @property
    def stock_available(self) -> Decimal:
        """Disponible = physique − réservé (domain/supply-chain.md §1)."""
        return self.stock_on_hand - self.stock_reserved


class StockMoveKind(Labelled):
    RECEIPT = "receipt", "Réception fournisseur"
    SHIPMENT = "shipment", "Expédition client"
    RETURN = "return", "Retour client"
    ADJUSTMENT = "adjustment", "Écart d'inventaire"


class StockMove(WorkspaceOwned, table=True):
    __tablename__ = "stock_move"
    __table_args__ = (Index("ix_stock_move_ws_product_date", "workspace_id", "product_id", "move_date"),
                      # a product's consumption (reorder proposals: shipments of the last 90 days) on this index alone
                      Index("ix_stock_move_consumption", "workspace_id", "kind", "product_id", "move_date", "quantity"))

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    kind: str = Field(sa_type=String(12))
    quantity: Decimal = quantity_field()  # signed: + in, − out
    move_date: date
    delivery_id: int | None = Field(default=None, foreign_key="delivery.id")
    purchase_order_id: int | None = Field(default=None, foreign_key="purchase_order.id")
    note: str = Field(default="", sa_type=String(200))


class PurchaseOrderStatus(Labelled):
    DRAFT = "draft", "Brouillon"
    SENT = "sent", "Envoyée"
    CONFIRMED = "confirmed", "Confirmée (ARC)"
    PARTIAL = "partial", "Reçue partiellement"
    RECEIVED = "received", "Reçue"
    CANCELLED = "cancelled", "Annulée"


# Sent and not yet received in full: what the stock can still count on (on order).
OPEN_PURCHASE_STATUSES = (PurchaseOrderStatus.SENT, PurchaseOrderStatus.CONFIRMED, PurchaseOrderStatus.PARTIAL)


class PurchaseOrder(WorkspaceOwned, table=True):
    __tablename__ = "purchase_order"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(20))
    supplier_id: int = Field(foreign_key="supplier.id", index=True)
    status: str = Field(default=PurchaseOrderStatus.DRAFT, sa_type=String(12))
    order_date: date
    requested_date: date
    confirmed_date: date | None = None
    received_date: date | None = None
    incoterm: str = Field(default="", sa_type=String(3))
    total_ht: Decimal = money_field()
    notes: str = Field(default="", sa_type=Text)


class PurchaseOrderLine(WorkspaceOwned, table=True):
    __tablename__ = "purchase_order_line"
    __table_args__ = (Index("ix_purchase_order_line_ws_product", "workspace_id", "product_id"),)

    id: int | None = Field(default=None, primary_key=True)
    purchase_order_id: int = Field(foreign_key="purchase_order.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    quantity: Decimal = quantity_field()
    quantity_received: Decimal = quantity_field(default=Decimal("0.000"))
    unit_cost: Decimal = money_field()
    line_total_ht: Decimal = money_field()


class DeliveryStatus(Labelled):
    PREPARED = "prepared", "Préparée"
    SHIPPED = "shipped", "Expédiée"
    DELIVERED = "delivered", "Livrée"
    INCIDENT = "incident", "Incident transport"


class Delivery(WorkspaceOwned, table=True):
    """A delivery note (bon de livraison) for all or part of a sales order."""

    __table_args__ = (UniqueConstraint("workspace_id", "number"),
                      Index("ix_delivery_ws_ship_date", "workspace_id", "ship_date"),
                      # the delivery page's replacement shipment: almost every delivery has none (NULL),
                      # which a full index counts as one huge group (SQLite then scanned the table)
                      Index("ix_delivery_replaces_id", "replaces_id", sqlite_where=text("replaces_id IS NOT NULL"),
                            postgresql_where=text("replaces_id IS NOT NULL")))

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(20))
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    carrier_id: int | None = Field(default=None, foreign_key="carrier.id")
    status: str = Field(default=DeliveryStatus.PREPARED, sa_type=String(12))
    ship_date: date | None = None
    delivered_date: date | None = None
    tracking_number: str = Field(default="", sa_type=String(40))
    reserves: str = Field(default="", sa_type=Text)  # carrier reserves written at receipt
    # --- shipping (sim/shipping): the booking, the receipt, the transport proof
    service_id: int | None = Field(default=None, foreign_key="carrier_service.id")
    pickup_date: date | None = None
    parcels: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    weight_kg: Decimal = quantity_field(default=Decimal("0.000"), sa_column_kwargs={"server_default": "0"})
    freight_cost: Decimal = money_field(default=Decimal("0.00"), sa_column_kwargs={"server_default": "0"})
    incoterm: str = Field(default="", sa_type=String(3), sa_column_kwargs={"server_default": ""})
    incoterm_place: str = Field(default="", sa_type=String(80), sa_column_kwargs={"server_default": ""})
    received_by: str = Field(default="", sa_type=String(120), sa_column_kwargs={"server_default": ""})
    proof_of_delivery: str = Field(default="", sa_type=String(200), sa_column_kwargs={"server_default": ""})
    replaces_id: int | None = Field(default=None, foreign_key="delivery.id")  # a replacement shipment


class DeliveryLine(WorkspaceOwned, table=True):
    __tablename__ = "delivery_line"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True)
    order_line_id: int = Field(foreign_key="order_line.id")
    product_id: int = Field(foreign_key="product.id")
    quantity: Decimal = quantity_field()
