"""Visitors at the stand and the lines of their dialogue with the candidate."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, Text, UniqueConstraint
from sqlmodel import Field

from sim.db import WorkspaceOwned
from sim.labels import Labelled


class VisitorStatus(Labelled):
    WAITING = "waiting", "En attente"
    WELCOMING = "welcoming", "En cours d'accueil"
    DONE = "done", "Reçu"


class Visitor(WorkspaceOwned, table=True):
    """A scripted visitor (a scenario's ``visitor`` event or one of a ``trade_show_day``'s)."""

    __tablename__ = "tradeshow_visitor"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=String(80))  # the event key (or event key + index): the journal's name for it
    event_key: str = Field(default="", sa_type=String(80))
    name: str = Field(sa_type=String(120))
    company: str = Field(sa_type=String(160))
    language: str = Field(default="fr", sa_type=String(2))
    role: str = Field(default="", sa_type=String(120))
    company_size: str = Field(default="", sa_type=String(60))
    sector: str = Field(default="", sa_type=String(120))
    need: str = Field(default="", sa_type=Text)
    facts: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)  # [{ask, product}]
    status: str = Field(default=VisitorStatus.WAITING, sa_type=String(10))
    step: int = 0  # how many of the facts were asked
    live: bool = False  # welcomed in live mode: the evaluator plays the visitor (visitor_says)
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    arrived_at: datetime = Field(sa_type=DateTime(timezone=False))


class VisitorLine(WorkspaceOwned, table=True):
    """One line of the dialogue: the visitor's (scripted or typed by the evaluator) or the candidate's."""

    __tablename__ = "tradeshow_line"

    id: int | None = Field(default=None, primary_key=True)
    visitor_id: int = Field(foreign_key="tradeshow_visitor.id", index=True)
    speaker: str = Field(sa_type=String(10))  # visitor, candidate
    text: str = Field(sa_type=Text)
    fact: int | None = None  # the question's index in the visitor's facts
    expected: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # the catalogue's answer when asked
    said_at: datetime = Field(sa_type=DateTime(timezone=False))
