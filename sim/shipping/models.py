"""Carrier services and their rate grids, tracking events, carrier protests."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlmodel import Field

from sim.db import WorkspaceOwned, money_field, quantity_field
from sim.labels import Labelled


class CarrierService(WorkspaceOwned, table=True):
    """One product of a carrier (``Messagerie J+2``, ``Maritime conteneur``): a
    transport mode, a transit time and its rate grid per zone."""

    __tablename__ = "carrier_service"
    __table_args__ = (UniqueConstraint("workspace_id", "carrier_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    carrier_id: int = Field(foreign_key="carrier.id", index=True)
    code: str = Field(sa_type=String(20))
    name: str = Field(sa_type=String(80))
    transport_mode: str = Field(sa_type=String(16))  # sim.shipping.incoterms.TRANSPORT_MODES
    transit_days: int = 2
    active: bool = True


class CarrierRate(WorkspaceOwned, table=True):
    """One band of a service's grid: for a zone and a weight band,
    freight = base + weight × per kg + parcels × per parcel (to the cent)."""

    __tablename__ = "carrier_rate"

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="carrier_service.id", index=True)
    zone: str = Field(sa_type=String(8))  # FR, EU, WORLD (sim.shipping.freight.zone_of)
    weight_from_kg: Decimal = quantity_field()  # excluded
    weight_to_kg: Decimal = quantity_field()  # included
    base_price: Decimal = money_field()
    price_per_kg: Decimal = money_field()
    price_per_parcel: Decimal = money_field()


class TrackingKind(Labelled):
    BOOKED = "booked", "Enlèvement réservé"
    PICKED_UP = "picked_up", "Enlevé"
    IN_TRANSIT = "in_transit", "En transit"
    DELAYED = "delayed", "Retardé"
    DELIVERED = "delivered", "Livré"
    DAMAGED = "damaged", "Avarie"
    LOST = "lost", "Perdu"


class TrackingEvent(WorkspaceOwned, table=True):
    """What the carrier's tracking says of a delivery, oldest first."""

    __tablename__ = "tracking_event"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True)
    kind: str = Field(sa_type=String(12))
    event_date: date
    location: str = Field(default="", sa_type=String(120))
    note: str = Field(default="", sa_type=String(500))
    # the delivery lines affected (damaged, lost): [{"product": ref, "quantity": "3.000"}]
    lines: list = Field(default_factory=list, sa_type=JSON)
    source: str = Field(default="carrier", sa_type=String(12))  # carrier | candidate | scenario


class CarrierProtest(WorkspaceOwned, table=True):
    """The protest (lettre de réserves motivées) sent to the carrier after a
    delivery with reserves: within 3 days of receipt, public holidays not
    counted (Code de commerce L133-3), by registered letter."""

    __tablename__ = "carrier_protest"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(24))
    delivery_id: int = Field(foreign_key="delivery.id", index=True)
    carrier_id: int = Field(foreign_key="carrier.id", index=True)
    sent_date: date
    received_date: date  # the day the goods were received (the 3 days run from it)
    deadline: date
    on_time: bool = True
    lines: list = Field(default_factory=list, sa_type=JSON)  # [{"product", "designation", "quantity", "damage"}]
    claimed_amount: Decimal = money_field()
    facts: str = Field(default="", sa_type=Text)
