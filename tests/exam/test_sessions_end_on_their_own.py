"""How a session ends without the trainer: a planned length ends each
candidate at their own deadline (wall time); without one (a practice run, an
exam left open-ended) the scenario's end in sim time ends the candidate, and
the session when all have ended."""
from __future__ import annotations

from datetime import timedelta

from sim.clock import wall_now
from sim.db import get_engine
from sim.exam import service as exam
from tests.exam import TRAINER, a_session, kinds, workspaces


def ended(session_id, wall):
    """The candidates of this session ended at ``wall`` (other tests' sessions may share the database)."""
    mine = {w.id for w in workspaces(session_id)}
    return [w for w in exam.end_overdue(get_engine(), wall) if w in mine]


def test_a_practice_run_ends_at_the_scenarios_end_in_sim_time(make_user):
    session_id, _ = a_session(make_user, candidates=1, speed=60, mode="practice")
    exam.start_session(get_engine(), session_id, actor=TRAINER)
    session = exam.get_session(get_engine(), session_id)
    end = exam.scenario_end(session)
    assert end > session.sim_start
    [workspace] = workspaces(session_id)
    before = wall_now() + (end - session.sim_start) / 60 - timedelta(minutes=1)
    assert ended(session_id, before) == []
    assert ended(session_id, before + timedelta(minutes=2)) == [workspace.id]
    [workspace] = workspaces(session_id)
    assert workspace.ended_at is not None and workspace.seal_hash
    assert kinds(workspace.id, "session.")[-1] == "session.ended"
    assert exam.get_session(get_engine(), session_id).status == "ended"


def test_an_exam_with_a_planned_length_ends_at_its_wall_deadline_not_the_scenarios_end(make_user):
    session_id, _ = a_session(make_user, speed=60, duration_minutes=600)
    exam.start_session(get_engine(), session_id, actor=TRAINER)
    session = exam.get_session(get_engine(), session_id)
    past_scenario = wall_now() + (exam.scenario_end(session) - session.sim_start) / 60 + timedelta(minutes=1)
    assert past_scenario < wall_now() + timedelta(minutes=600)
    assert ended(session_id, past_scenario) == []  # the trainer's planned length rules
    assert len(ended(session_id, wall_now() + timedelta(minutes=601))) == 2


def test_an_open_ended_exam_ends_at_the_scenarios_end_but_a_held_candidate_waits(make_user):
    session_id, _ = a_session(make_user, speed=60)
    exam.start_session(get_engine(), session_id, actor=TRAINER)
    first, second = workspaces(session_id)
    exam.hold_candidate(get_engine(), session_id, second.id, actor=TRAINER, reason="incident réseau")
    session = exam.get_session(get_engine(), session_id)
    after = wall_now() + (exam.scenario_end(session) - session.sim_start) / 60 + timedelta(minutes=1)
    assert ended(session_id, after) == [first.id]
    assert exam.get_session(get_engine(), session_id).status == "running"  # one candidate still working
