"""The sim clock of a workspace (scenario time).

``sim_now = clock_sim + (wall_now - clock_wall) × clock_speed`` while running,
frozen while paused (speed 0). A practice workspace runs at speed 1 from its
creation; the scenario engine and the dry run set the clock themselves.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sim.workspace.models import Workspace


def wall_now() -> datetime:
    return datetime.now(timezone.utc)


def _workspace(uow) -> Workspace:
    return uow.workspace_row()  # read once per unit of work


def sim_now(uow) -> datetime:
    """The workspace's sim time (a naive datetime, to the second)."""
    return _workspace(uow).sim_now().replace(microsecond=0)


def sim_date(uow) -> date:
    return sim_now(uow).date()


def set_clock(uow, *, sim_time: datetime, speed: int) -> None:
    """Move the clock to ``sim_time`` and let it run at ``speed`` (0: paused).
    Part of the caller's transaction."""
    workspace = _workspace(uow)
    workspace.clock_sim = sim_time.replace(microsecond=0)
    workspace.clock_wall = wall_now()
    workspace.clock_speed = speed
