"""The alarm clock of live sessions: APScheduler wakes the engine, the
database decides what fires.

Every event instance is a row claimed atomically when it fires
(``sim.scenario.engine.fire``), so the alarm may ring in two processes, or
again after a restart, without an event firing twice; events whose time passed
while the server was down fire at the first tick, in order. The alarm rings
at the next due wall time of any running candidate, and every few seconds
anyway (a trigger armed by a candidate's action, a clock changed by another
process). A tick that finds nothing due only reads.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import func, select

from sim.clock import wall_now
from sim.db import UnitOfWork
from sim.exam.models import ExamSession, SessionStatus
from sim.scenario.models import EventStatus, ScenarioEvent
from sim.workspace.models import Workspace

HEARTBEAT_SECONDS = 2
log = logging.getLogger("advsim.scheduler")


def _live(uow):
    """(workspace, next due sim time) of every candidate of a session under way."""
    due = (select(ScenarioEvent.workspace_id, func.min(ScenarioEvent.due_at).label("due"))
           .where(ScenarioEvent.status == EventStatus.PENDING, ScenarioEvent.due_at.is_not(None))
           .group_by(ScenarioEvent.workspace_id).subquery())
    return uow.session.execute(
        select(Workspace, due.c.due).join(ExamSession, ExamSession.id == Workspace.exam_session_id)
        .outerjoin(due, due.c.workspace_id == Workspace.id)
        .where(ExamSession.status.in_([SessionStatus.RUNNING, SessionStatus.PAUSED]), Workspace.ended_at.is_(None))
        .execution_options(all_workspaces=True)).all()


def _waiting_triggers(uow, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    from sim.scenario.engine import waiting_for_the_journal

    return set(uow.session.scalars(select(ScenarioEvent.workspace_id).distinct().where(
        ScenarioEvent.workspace_id.in_(ids), waiting_for_the_journal()).execution_options(all_workspaces=True)))


def due_workspaces(engine, wall: datetime | None = None) -> list[int]:
    """The candidates with an event due now, or a trigger to look for (read only)."""
    wall = wall or wall_now()
    with UnitOfWork(write=False, engine=engine) as uow:
        rows = _live(uow)
        triggers = _waiting_triggers(uow, [w.id for w, _ in rows if w.journal_seq > w.trigger_seq])
    return [w.id for w, due in rows if (due is not None and due <= w.sim_now(wall)) or w.id in triggers]


def next_wake(engine, wall: datetime | None = None) -> datetime | None:
    """The wall time at which the next pending event of a running candidate is due."""
    wall = wall or wall_now()
    soonest = None
    with UnitOfWork(write=False, engine=engine) as uow:
        rows = _live(uow)
    for workspace, due in rows:
        if due is None or not workspace.clock_speed or workspace.held:
            continue
        anchor = workspace.clock_wall if workspace.clock_wall.tzinfo else workspace.clock_wall.replace(
            tzinfo=wall.tzinfo)
        at = anchor + (due - workspace.clock_sim) / workspace.clock_speed
        soonest = at if soonest is None else min(soonest, at)
    return soonest


def tick(engine) -> dict[int, list[str]]:
    """Fire what has come due in every live session; end the candidates whose time is up."""
    from sim.exam.service import end_overdue
    from sim.scenario.engine import fire_due

    fired = {}
    for workspace_id in due_workspaces(engine):
        keys = fire_due(engine, workspace_id)
        if keys:
            fired[workspace_id] = keys
    end_overdue(engine)
    return fired


class Alarm:
    """APScheduler 3 in a background thread of the app process."""

    def __init__(self, engine):
        from apscheduler.schedulers.background import BackgroundScheduler

        self.engine = engine
        self.scheduler = BackgroundScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1,
                                                                           "misfire_grace_time": 30})
        self._lock = threading.Lock()

    def start(self) -> None:
        self.scheduler.add_job(self.ring, "interval", seconds=HEARTBEAT_SECONDS, id="heartbeat",
                               next_run_time=wall_now())
        self.scheduler.start()

    def stop(self) -> None:
        self.scheduler.shutdown(wait=True)

    def ring(self) -> None:
        if not self._lock.acquire(blocking=False):  # the heartbeat and the precise alarm never overlap
            return
        try:
            tick(self.engine)
            wake = next_wake(self.engine)
        except Exception:  # noqa: BLE001 - the alarm must keep ringing; the failure is logged
            log.exception("scheduler tick failed")
            return
        finally:
            self._lock.release()
        if wake is not None and wake - wall_now() < timedelta(seconds=HEARTBEAT_SECONDS):
            self.scheduler.add_job(self.ring, "date", run_date=max(wake, wall_now()), id="next-due",
                                   replace_existing=True)
