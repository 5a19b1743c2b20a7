"""A commercial action project and its checklist, tasks, supplier quotes and
budget lines."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, String, Text, UniqueConstraint
from sqlmodel import Field

from sim.db import WorkspaceOwned, money_field
from sim.labels import Labelled


class ProjectKind(Labelled):
    TRADE_SHOW = "trade_show", "Salon professionnel"
    PRODUCT_LAUNCH = "product_launch", "Lancement de produit"
    PROMOTION = "promotion", "Opération promotionnelle"


class TaskStatus(Labelled):
    TODO = "todo", "À faire"
    DOING = "doing", "En cours"
    DONE = "done", "Fait"


class Project(WorkspaceOwned, table=True):
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(20))  # PA-001: the journal's key for it
    kind: str = Field(sa_type=String(20))
    name: str = Field(sa_type=String(160))
    place: str = Field(default="", sa_type=String(160))
    event_date: date | None = Field(default=None, sa_type=Date)
    budget_amount: Decimal = money_field(default=Decimal("0"))  # the announced budget, HT
    # [{"label": ..., "target": "120", "unit": "contacts"}] (targets as exact decimal strings)
    objectives: list[Any] = Field(default_factory=list, sa_type=JSON)
    event_key: str = Field(default="", sa_type=String(80))  # the trade_show_announced event that opened it
    created_at: datetime = Field(sa_type=DateTime(timezone=False))  # sim time
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    # the post-event review
    leads: int | None = None
    orders: int | None = None
    review_notes: str = Field(default="", sa_type=Text)
    reviewed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=False))


class ProjectChecklistItem(WorkspaceOwned, table=True):
    __tablename__ = "project_checklist_item"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    position: int = 1
    label: str = Field(sa_type=String(200))
    done: bool = False


class ProjectTask(WorkspaceOwned, table=True):
    __tablename__ = "project_task"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    number: int = 1  # T1, T2… inside the project
    title: str = Field(sa_type=String(200))
    owner: str = Field(default="", sa_type=String(120))
    start_date: date = Field(sa_type=Date)
    due_date: date = Field(sa_type=Date)
    status: str = Field(default=TaskStatus.TODO.value, sa_type=String(10))
    depends_on: list[Any] = Field(default_factory=list, sa_type=JSON)  # numbers of the predecessor tasks


class SupplierQuote(WorkspaceOwned, table=True):
    """A supplier's quote for one budget post, arrived by the ``supplier_quote`` event."""
    __tablename__ = "supplier_quote"

    id: int | None = Field(default=None, primary_key=True)
    event_key: str = Field(default="", sa_type=String(80))
    supplier: str = Field(sa_type=String(160))
    post: str = Field(sa_type=String(40))
    label: str = Field(default="", sa_type=String(200))
    amount_ht: Decimal = money_field()
    valid_until: date | None = Field(default=None, sa_type=Date)
    message_id: int | None = Field(default=None, foreign_key="interaction.id")
    received_at: datetime = Field(sa_type=DateTime(timezone=False))
    accepted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    project_id: int | None = Field(default=None, foreign_key="project.id")


class ProjectCost(WorkspaceOwned, table=True):
    """A budget line: its post, the planned amount (a quote's, or entered), the actual one."""
    __tablename__ = "project_cost"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    post: str = Field(sa_type=String(40))
    label: str = Field(default="", sa_type=String(200))
    planned_amount: Decimal = money_field()
    actual_amount: Decimal | None = money_field(default=None)
    quote_id: int | None = Field(default=None, foreign_key="supplier_quote.id")
