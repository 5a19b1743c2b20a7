"""A server killed (SIGKILL) in the middle of a session's timeline, then
restarted: every event fires exactly once, in order — those whose time passed
while it was down fire at once. And two app processes ringing the same alarm
fire each event once."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime

import httpx
from sqlalchemy import func, select

from sim.db import UnitOfWork, get_engine
from sim.exam import service as exam
from sim.journal.models import JournalEntry
from sim.scenario.models import EventStatus, ScenarioEvent
from tests.exam import TRAINER, a_session, workspaces


def _server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "sim.web.app:app", "--host", "127.0.0.1",
                                "--port", str(port), "--log-level", "warning"],
                               env={**os.environ, "ADVSIM_SCHEDULER": "on"}, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(150):
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return process, log
        except httpx.HTTPError:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(log.read().decode())
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def _status(ids: list[int]) -> dict[str, int]:
    with UnitOfWork(write=False) as uow:
        return dict(uow.session.execute(
            select(ScenarioEvent.status, func.count()).where(ScenarioEvent.workspace_id.in_(ids))
            .group_by(ScenarioEvent.status).execution_options(all_workspaces=True)).all())


def _wait(ids: list[int], fired: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _status(ids).get(EventStatus.FIRED, 0) >= fired:
            return
        time.sleep(0.2)


def _fired_once_in_order(workspace_id: int) -> list[str]:
    with UnitOfWork(workspace_id, write=False) as uow:
        entries = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "scenario.event_fired")
                                      .order_by(JournalEntry.seq)).all()
        due = {e.key: e.due_at for e in uow.session.scalars(select(ScenarioEvent))}
    keys = [e.refs["event"] for e in entries]
    assert len(keys) == len(set(keys)), f"an event fired twice: {keys}"
    assert [due[k] for k in keys] == sorted(due[k] for k in keys), "fired out of order"
    return keys


def test_a_killed_server_restarted_fires_every_event_once_in_order(make_user):
    # non-payment: events on 2, 3 and 5 November (the partial payment, then the broken promise)
    session_id, _ = a_session(make_user, candidates=2)
    exam.set_speed(get_engine(), session_id, actor=TRAINER, speed=60)
    ids = [w.id for w in workspaces(session_id)]
    server, log = _server()
    try:
        exam.start_session(get_engine(), session_id, actor=TRAINER)
        exam.jump_to_next_event(get_engine(), session_id, actor=TRAINER)  # the first fires at the next ring
        _wait(ids, 2, 20)
        assert _status(ids).get(EventStatus.FIRED, 0) >= 2
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        log.close()
    # while it is down, sim time goes on past every other event (as if hours of the exam went by)
    from sim.clock import set_clock

    for workspace_id in ids:
        with UnitOfWork(workspace_id) as uow:
            set_clock(uow, sim_time=datetime(2026, 11, 6, 9, 0), speed=60)
            uow.commit()
    server, log = _server()
    try:
        _wait(ids, 8, 30)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    assert _status(ids) == {EventStatus.FIRED: 8}
    for workspace_id in ids:
        assert _fired_once_in_order(workspace_id) == ["accounting_alert", "new_order", "partial",
                                                              "broken_promise"]


def test_two_processes_ringing_at_once_fire_each_event_once(make_user):
    session_id, _ = a_session(make_user, candidates=3)
    ids = [w.id for w in workspaces(session_id)]
    exam.start_session(get_engine(), session_id, actor=TRAINER)
    from sim.clock import set_clock

    for workspace_id in ids:  # every event due at once, for every candidate
        with UnitOfWork(workspace_id) as uow:
            set_clock(uow, sim_time=datetime(2026, 11, 6, 9, 0), speed=1)
            uow.commit()
    first, second = _server(), _server()
    try:
        _wait(ids, 12, 30)
    finally:
        for process, log in (first, second):
            process.terminate()
            process.wait(timeout=10)
            log.close()
    assert _status(ids) == {EventStatus.FIRED: 12}
    for workspace_id in ids:
        assert _fired_once_in_order(workspace_id) == ["accounting_alert", "new_order", "partial",
                                                              "broken_promise"]
