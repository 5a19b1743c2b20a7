"""Saved dashboards: a title, the objective they answer, panels (one pivot
each, with its chart) holding the figures of their last refresh, and a
written commentary."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text, UniqueConstraint
from sqlmodel import Field

from sim.db import WorkspaceOwned


class Dashboard(WorkspaceOwned, table=True):
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(20))  # TB-001: the journal's key for it
    title: str = Field(sa_type=String(160))
    objective: str = Field(default="", sa_type=Text)
    commentary: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(sa_type=DateTime(timezone=False))  # sim time
    refreshed_at: datetime = Field(sa_type=DateTime(timezone=False))
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=False))


class DashboardPanel(WorkspaceOwned, table=True):
    __tablename__ = "dashboard_panel"

    id: int | None = Field(default=None, primary_key=True)
    dashboard_id: int = Field(foreign_key="dashboard.id", index=True)
    position: int = 1
    title: str = Field(default="", sa_type=String(160))
    spec: str = Field(sa_type=Text)  # the pivot's definition, JSON (sim.dashboards.pivot.PivotSpec)
    snapshot: str = Field(sa_type=Text)  # its figures at the last refresh, JSON (exact decimals as strings)
    refreshed_at: datetime = Field(sa_type=DateTime(timezone=False))
