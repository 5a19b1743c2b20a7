"""A scenario loaded into a workspace: its named entities and its event instances.

The database, not the scheduler, is the source of truth for the timeline: each
event instance is a row, ``pending`` then ``fired``, claimed atomically when it
fires, so a restart loses nothing and fires nothing twice.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, UniqueConstraint
from sqlmodel import Field

from sim.db import WorkspaceOwned
from sim.labels import Labelled


class ScenarioEntity(WorkspaceOwned, table=True):
    """A name the scenario uses (``durand``) and the row it stands for."""

    __tablename__ = "scenario_entity"
    __table_args__ = (UniqueConstraint("workspace_id", "kind", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=String(20))  # customer, supplier, product, carrier, order, purchase_order, invoice
    name: str = Field(sa_type=String(80))
    ref_id: int


class EventStatus(Labelled):
    PENDING = "pending", "En attente"
    FIRED = "fired", "Déclenché"
    FAILED = "failed", "Échec"


class ScenarioEvent(WorkspaceOwned, table=True):
    __tablename__ = "scenario_event"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=String(80))  # the event's id in the scenario file
    kind: str = Field(sa_type=String(40))
    position: int  # order in the file, to break ties
    # when it fires: a sim time (``at``, or ``after`` once its predecessor fired),
    # or a journal pattern (``when``) that arms it
    due_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=False), index=True)
    after_key: str = Field(default="", sa_type=String(80))
    after_seconds: int = 0
    when: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    spec: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default=EventStatus.PENDING, sa_type=String(10), index=True)
    fired_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    error: str = Field(default="", sa_type=String(500))
