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
    TEMPLATE = "template", "Modèle d'épreuve"  # the prepared company an exam session's copies come from


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
    # --- a candidate's copy in an exam session (sim/exam) ---
    exam_session_id: int | None = Field(default=None, foreign_key="exam_session.id", index=True)
    held: bool = False  # paused for this candidate alone (a technical incident)
    extra_minutes: int = 0  # extra time granted to this candidate (tiers-temps)
    ended_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))  # read-only from then on
    seal_hash: str = Field(default="", sa_type=String(64))  # the hash of the journal's final entry
    trigger_seq: int = 0  # the journal position up to which ``when`` triggers have been looked for

    def sim_now(self, wall: datetime | None = None) -> datetime:
        if not self.clock_speed:
            return self.clock_sim
        wall = wall or datetime.now(timezone.utc)
        wall = wall if wall.tzinfo else wall.replace(tzinfo=timezone.utc)  # SQLite gives times back naive
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
