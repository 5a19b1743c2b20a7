"""The sim clock. For now each workspace has a sim date set by the seed; the
scenario engine (clock, speed, pause) will replace ``sim_now``'s body only."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from sqlalchemy import select

from sim.workspace.models import Workspace


def wall_now() -> datetime:
    return datetime.now(timezone.utc)


def sim_date(uow) -> date:
    return uow.session.scalar(select(Workspace.sim_date).where(Workspace.id == uow.workspace_id))


def sim_now(uow) -> datetime:
    """The workspace's sim date, at the current time of day (a naive sim datetime)."""
    now = datetime.now()
    return datetime.combine(sim_date(uow), time(now.hour, now.minute, now.second))
