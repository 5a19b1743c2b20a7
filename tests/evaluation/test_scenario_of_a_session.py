"""A live session's workspace is scored against the scenario its session was created with."""
from __future__ import annotations

import pytest

from sim.db import UnitOfWork, get_engine
from sim.evaluation.engine import evaluate, scenario_of
from tests.exam import a_session, workspaces


def test_scenario_of_reads_the_sessions_scenario_and_evaluate_scores_the_copy(make_user):
    session_id, _ = a_session(make_user, candidates=1, scenario="non-payment")
    [workspace] = workspaces(session_id)

    with UnitOfWork(workspace.id, write=False) as uow:
        scenario = scenario_of(uow, workspace.id)
        evaluation = evaluate(uow, workspace.id, scenario)
    assert scenario_of(get_engine(), workspace.id) == scenario
    assert scenario["id"] == "non-payment"
    assert [e["id"] for e in scenario["expectations"]][:2] == ["first-reminder", "recovery-ladder"]

    # nothing done yet: no automatic point, and the setup's own entries earn nothing
    assert evaluation.auto_points == 0 and evaluation.auto_max_points == 13
    assert {e.status for e in evaluation.expectations} == {"missed", "to_judge"}
    assert evaluation.journal_seq > 0


def test_a_workspace_outside_any_session_has_no_scenario(workspace):
    with UnitOfWork(workspace.id, write=False) as uow, pytest.raises(LookupError):
        scenario_of(uow, workspace.id)
