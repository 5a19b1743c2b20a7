"""One clock per session: every candidate at the same sim time; pause freezes
it, a speed change keeps it continuous, a jump fires the next event and only
it; a candidate paused or given extra time differs by exactly that; every
change is in each candidate's journal."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sim.clock import wall_now
from sim.db import UnitOfWork, get_engine
from sim.errors import ValidationFailed, WorkspaceClosed
from sim.exam import service as exam
from sim.exam.scheduler import tick
from sim.journal.service import verify
from sim.sales.service import LineInput, create_quote
from tests.exam import TRAINER, a_session, events, kinds, workspaces
from tests.factories import make_customer, make_product

START = datetime(2026, 11, 2, 8, 30)
LATER = timedelta(hours=3)


def sims(session_id: int, wall: datetime) -> list[datetime]:
    return [w.sim_now(wall).replace(microsecond=0) for w in workspaces(session_id)]


def test_a_new_session_gives_each_candidate_a_copy_paused_at_the_scenario_start(make_user):
    session_id, users = a_session(make_user)
    copies = workspaces(session_id)
    assert sorted(w.owner_id for w in copies) == sorted(u.id for u in users)
    assert all(w.kind == "exam" and w.clock_speed == 0 and w.clock_sim == START for w in copies)
    assert exam.get_session(get_engine(), session_id).status == "ready"


def test_starting_runs_every_candidates_clock_from_the_same_instant(make_user):
    session_id, _ = a_session(make_user, speed=10)
    exam.start_session(get_engine(), session_id, actor=TRAINER)
    later = wall_now() + timedelta(minutes=6)
    first, second = sims(session_id, later)
    assert first == second and first >= START + timedelta(hours=1)  # 6 wall minutes × 10
    assert all(kinds(w.id, "session.") == ["session.started"] for w in workspaces(session_id))


def test_a_pause_freezes_sim_time_and_is_journaled(make_user):
    session_id, _ = a_session(make_user, speed=10)
    exam.start_session(get_engine(), session_id, actor=TRAINER)
    exam.pause_session(get_engine(), session_id, actor=TRAINER)
    now = wall_now()
    assert sims(session_id, now) == sims(session_id, now + LATER)
    assert all(kinds(w.id, "session.") == ["session.started", "session.paused"] for w in workspaces(session_id))
    with pytest.raises(exam.SessionStateError):
        exam.pause_session(get_engine(), session_id, actor=TRAINER)  # a second click pauses nothing more
    exam.resume_session(get_engine(), session_id, actor=TRAINER)
    assert sims(session_id, now + LATER) > sims(session_id, now)


def test_a_speed_change_keeps_sim_time_continuous(make_user):
    session_id, _ = a_session(make_user, speed=1)
    exam.start_session(get_engine(), session_id, actor=TRAINER)
    before = workspaces(session_id)
    exam.set_speed(get_engine(), session_id, actor=TRAINER, speed=20)
    after = workspaces(session_id)
    for old, new in zip(before, after):
        instant = new.clock_wall  # the change's wall instant: both formulas give the same sim time
        assert abs(old.sim_now(instant) - new.sim_now(instant)) < timedelta(seconds=1)
        assert new.clock_speed == 20
        assert new.sim_now(instant + timedelta(minutes=1)) - new.sim_now(instant) == timedelta(minutes=20)
    assert kinds(after[0].id, "session.")[-1] == "session.speed_changed"


def test_jump_fires_the_next_event_and_only_it(make_user):
    session_id, _ = a_session(make_user)
    exam.start_session(get_engine(), session_id, actor=TRAINER)
    target = exam.jump_to_next_event(get_engine(), session_id, actor=TRAINER)
    assert target == datetime(2026, 11, 2, 9, 0)  # non-payment: the accounting alert
    fired = tick(get_engine())
    assert sorted(fired.values()) == [["accounting_alert"], ["accounting_alert"]]
    for w in workspaces(session_id):
        assert [k for k, status in events(w.id).items() if status == "fired"] == ["accounting_alert"]
        assert "session.jumped" in kinds(w.id)


def test_holding_and_extra_time_affect_that_candidate_only(make_user):
    session_id, _ = a_session(make_user, speed=10, duration_minutes=60)
    exam.start_session(get_engine(), session_id, actor=TRAINER)
    held, other = workspaces(session_id)
    exam.hold_candidate(get_engine(), session_id, held.id, actor=TRAINER, reason="Poste bloqué")
    exam.grant_extra_time(get_engine(), session_id, held.id, actor=TRAINER, minutes="20", reason="Tiers-temps")
    now = wall_now()
    held, other = workspaces(session_id)
    assert held.sim_now(now) == held.sim_now(now + LATER) and other.sim_now(now + LATER) > other.sim_now(now)
    session = exam.get_session(get_engine(), session_id)
    assert exam.deadline(session, held) - exam.deadline(session, other) == timedelta(minutes=20)
    assert kinds(held.id, "candidate.") == ["candidate.held", "candidate.extra_time"]
    assert kinds(other.id, "candidate.") == []
    # a session pause and resume leave the held candidate held
    exam.pause_session(get_engine(), session_id, actor=TRAINER)
    exam.resume_session(get_engine(), session_id, actor=TRAINER)
    assert workspaces(session_id)[0].clock_speed == 0
    exam.release_candidate(get_engine(), session_id, held.id, actor=TRAINER)
    assert workspaces(session_id)[0].clock_speed == 10
    with pytest.raises(ValidationFailed, match="Indiquez le motif"):
        exam.hold_candidate(get_engine(), session_id, held.id, actor=TRAINER, reason="")


def test_the_end_seals_each_journal_and_nothing_changes_afterwards(make_user):
    session_id, _ = a_session(make_user)
    exam.start_session(get_engine(), session_id, actor=TRAINER)
    first = workspaces(session_id)[0]
    customer, product = make_customer(first.id), make_product(first.id)
    exam.end_session(get_engine(), session_id, actor=TRAINER)
    for w in workspaces(session_id):
        assert w.ended_at is not None and kinds(w.id)[-1] == "session.ended"
        with UnitOfWork(w.id, write=False) as uow:
            [report] = verify(uow.session, w.id)
        assert report.ok and report.last_hash == w.seal_hash
    with pytest.raises(WorkspaceClosed), UnitOfWork(first.id) as uow:
        create_quote(uow, actor="candidate:x", customer_id=customer.id, lines=[LineInput(product.id, "1")])
    assert tick(get_engine()) == {}
