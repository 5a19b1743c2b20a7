"""A workspace is one candidate's isolated company (a tenant)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from sim.labels import Labelled


class WorkspaceKind(Labelled):
    PRACTICE = "practice", "Entraînement"
    EXAM = "exam", "Examen"


class Workspace(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(120))
    kind: str = Field(default=WorkspaceKind.PRACTICE, sa_type=String(16))
    owner_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    # The sim clock, for now a date the seed sets; the scenario engine will drive it.
    sim_date: date
    seed: int | None = None
    # Head of the journal's hash chain. Appending updates this row first, which
    # serialises concurrent writers of one workspace (see sim/journal/service.py).
    journal_seq: int = 0
    journal_head: str = Field(default="0" * 64, sa_type=String(64))
    created_at: datetime = Field(sa_type=DateTime(timezone=True))


class FormSubmission(SQLModel, table=True):
    """A form's one-time token, claimed by the action it submits, so that a
    double click or a resubmitted page does not create a second quote or payment."""

    __tablename__ = "form_submission"
    __table_args__ = (UniqueConstraint("workspace_id", "token"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    token: str = Field(sa_type=String(64))
    action: str = Field(sa_type=String(60))
    created_at: datetime = Field(sa_type=DateTime(timezone=True))
