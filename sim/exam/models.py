"""The exam session: its scenario, its clock and its state.

The candidates of a session are the workspaces that name it
(``Workspace.exam_session_id``); each keeps its own clock columns, which the
session's clock operations set together (a candidate paused or given extra
time individually differs from the others by exactly that)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlmodel import Field, SQLModel

from sim.labels import Labelled


class SessionStatus(Labelled):
    READY = "ready", "Prête"
    RUNNING = "running", "En cours"
    PAUSED = "paused", "En pause"
    ENDED = "ended", "Terminée"


class SessionMode(Labelled):
    EXAM = "exam", "Examen"
    PRACTICE = "practice", "Entraînement"


class ExamSession(SQLModel, table=True):
    __tablename__ = "exam_session"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_type=String(160))
    mode: str = Field(default=SessionMode.EXAM, sa_type=String(10))
    status: str = Field(default=SessionStatus.READY, sa_type=String(10), index=True)
    scenario_name: str = Field(sa_type=String(80))  # its name in the library
    scenario_id: str = Field(sa_type=String(80))  # the file's own ``id``
    scenario_source: str = Field(sa_type=Text)  # the YAML as it was when the session was created
    sim_start: datetime = Field(sa_type=DateTime(timezone=False))
    speed: int = 1  # the speed the clock runs at when not paused
    # the session's own clock: sim_now = clock_sim + (wall_now - clock_wall) × clock_speed
    clock_sim: datetime = Field(sa_type=DateTime(timezone=False))
    clock_wall: datetime = Field(sa_type=DateTime(timezone=True))
    clock_speed: int = 0
    duration_minutes: int | None = None  # planned length in wall minutes (before extra time)
    template_workspace_id: int | None = None  # the prepared company the candidates' copies come from
    created_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(sa_type=DateTime(timezone=True))
    started_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    ended_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
