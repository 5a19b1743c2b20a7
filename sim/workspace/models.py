"""A workspace is one candidate's isolated company (a tenant)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from sim.db import WorkspaceOwned
from sim.labels import Labelled


class WorkspaceKind(Labelled):
    PRACTICE = "practice", "Entraînement"
    EXAM = "exam", "Examen"


class Workspace(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(120))
    kind: str = Field(default=WorkspaceKind.PRACTICE, sa_type=String(16))
    owner_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    # The sim clock: sim_now = clock_sim + (wall_now - clock_wall) × clock_speed;
    # clock_speed 0 means paused (the scenario engine and the dry run set it).
    clock_sim: datetime = Field(sa_type=DateTime(timezone=False))
    clock_wall: datetime = Field(sa_type=DateTime(timezone=True))
    clock_speed: int = 1
    seed: int | None = None
    scenario_id: str = Field(default="", sa_type=String(80))
    # Head of the journal's hash chain. Appending updates this row first, which
    # serialises concurrent writers of one workspace (see sim/journal/service.py).
    journal_seq: int = 0
    journal_head: str = Field(default="0" * 64, sa_type=String(64))
    created_at: datetime = Field(sa_type=DateTime(timezone=True))

    def sim_now(self, wall: datetime | None = None) -> datetime:
        if not self.clock_speed:
            return self.clock_sim
        wall = wall or datetime.now(timezone.utc)
        anchor = self.clock_wall if self.clock_wall.tzinfo else self.clock_wall.replace(tzinfo=timezone.utc)
        return self.clock_sim + (wall - anchor) * self.clock_speed

    @property
    def sim_date(self) -> date:
        return self.sim_now().date()


class FormSubmission(WorkspaceOwned, table=True):
    """A form's one-time token, claimed by the action it submits, so that a
    double click or a resubmitted page does not create a second quote or payment."""

    __tablename__ = "form_submission"
    __table_args__ = (UniqueConstraint("workspace_id", "token"),)

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(sa_type=String(64))
    action: str = Field(sa_type=String(60))
    created_at: datetime = Field(sa_type=DateTime(timezone=True))
