"""Two additions to the expectation language for CP7 (README "Expectations and
scoring"): ``where`` bounds — ``FIELD_at_most: N`` / ``FIELD_at_least: N`` on a
number of the payload or on a list's length — and ``partly: {points, where}``,
the partial credit of an entry that matches the rule's own ``where`` instead of
the expectation's (« few required items missing »). Checked on a real
``project.sent`` entry, and in the linter at ``file:line:col``."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from sim.db import UnitOfWork
from sim.evaluation.engine import evaluate
from sim.projects import report
from sim.scenario.loader import lint_text
from sim.scenario.models import ScenarioEntity
from tests.factories import ACTOR
from tests.projects.reporting import a_project_with_a_plan

CRITERION = "assistant-commercial/CP7/1"


@pytest.fixture
def sent(workspace):
    """A report sent on 02/11 at 09:00: 5 required items missing, 2 items without a task, 3 tasks,
    posts stand and printing, 5 650,50 € planned of 8 000; the project named « salon »."""
    project = a_project_with_a_plan(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        uow.session.add(ScenarioEntity(workspace_id=workspace.id, kind="project", name="salon", ref_id=project.id))
        report.send_to_management(uow, actor=ACTOR, project_id=project.id, subject="Dossier", body="Ci-joint.")
        uow.commit()
    return workspace.id


def scored(ws: int, *expectations: dict) -> dict:
    specs = [{"id": f"e{i}", "criterion": CRITERION, "description": "…", "points": 3, "journal": "project.sent",
              **spec} for i, spec in enumerate(expectations)]
    with UnitOfWork(ws, write=False) as uow:
        evaluation = evaluate(uow, ws, {"id": "t", "referential": "assistant-commercial", "expectations": specs})
    return {e.id: (e.status, e.points) for e in evaluation.expectations}


def test_bounds_compare_numbers_and_the_length_of_lists(sent):
    got = scored(sent,
                 {"where": {"project": "salon", "required_missing_at_most": 5}},
                 {"where": {"project": "salon", "required_missing_at_most": 4}},
                 {"where": {"tasks_at_least": 3, "undated_tasks_at_most": 2, "posts_at_least": 2}},
                 {"where": {"tasks_at_least": 4}},
                 {"where": {"planned_total_at_most": "5650.50", "budget_at_least": 8000, "over_budget": False}},
                 {"where": {"planned_total_at_most": 5650.49}},
                 {"where": {"to_role_at_least": 1}},  # a text is within no bound
                 {"where": {"missing_field_at_most": 10}})
    assert got == {"e0": ("met", D(3)), "e1": ("missed", D(0)), "e2": ("met", D(3)), "e3": ("missed", D(0)),
                   "e4": ("met", D(3)), "e5": ("missed", D(0)), "e6": ("missed", D(0)), "e7": ("missed", D(0))}


def test_partial_credit_by_where_takes_the_best_rule_that_matches(sent):
    got = scored(sent,
                 # exhaustive: no; 1 missing: no; 5 missing: 1 point
                 {"where": {"project": "salon", "required_missing_at_most": 0},
                  "partly": [{"points": 2, "where": {"project": "salon", "required_missing_at_most": 1}},
                             {"points": 1, "where": {"project": "salon", "required_missing_at_most": 5}}]},
                 # no rule matches: missed
                 {"where": {"required_missing_at_most": 0}, "partly": {"points": 1, "where": {"tasks_at_least": 9}}},
                 # the expectation's own where matches: full marks, the rules are not read
                 {"where": {"tasks_at_least": 3}, "partly": {"points": 1, "where": {"tasks_at_least": 1}}})
    assert got == {"e0": ("partly", D(1)), "e1": ("missed", D(0)), "e2": ("met", D(3))}


def test_a_late_entry_earns_a_where_rule_only_if_it_also_covers_late(sent):
    late = {"before": {"at": "2026-11-01T17:00"}, "where": {"required_missing_at_most": 0}}
    got = scored(sent,
                 {**late, "partly": {"points": 1, "where": {"required_missing_at_most": 5}}},
                 {**late, "partly": {"points": 1, "where": {"required_missing_at_most": 5}, "if": "late"}})
    assert got == {"e0": ("missed", D(0)), "e1": ("partly", D(1))}
    with UnitOfWork(sent, write=False) as uow:
        spec = {"id": "x", "criterion": CRITERION, "description": "…", "points": 3, "journal": "project.sent", **late,
                "partly": {"points": 1, "where": {"required_missing_at_most": 5}, "if": "late"}}
        [result] = evaluate(uow, sent, {"referential": "assistant-commercial", "expectations": [spec]}).expectations
    assert "pas tel qu'attendu (required_missing_at_most : 0)" in result.why and "avant le 01/11" in result.why
    assert result.evidence


SCENARIO = """\
id: bounds
title: "Bornes"
referential: assistant-commercial
language: fr
start: 2026-11-02T08:30
duration_days: 2
briefing: "Organisez le salon."
company: {seed: 3, size: small}
timeline:
  - id: show
    at: 2026-11-02T09:00
    kind: trade_show_announced
    name: salon
    show: {name: Salon, date: 2026-11-20, place: Lyon, budget: 5000}
    message: {subject: Salon, body: "À organiser."}
expectations:
  - id: checklist
    criterion: assistant-commercial/CP7/1
    description: "Exhaustive"
    points: 3
    journal: project.sent
    where: {project: salon, required_missing_at_most: 0}
    partly: {points: 1, where: {project: salon, required_missing_at_most: 2}}
"""


def test_the_linter_accepts_bounds_and_where_rules():
    assert lint_text(SCENARIO, "b.yaml").problems == []


def test_the_linter_reports_a_bad_bound_or_where_rule_where_it_is_written():
    bad = (SCENARIO.replace("required_missing_at_most: 0}", "required_missing_at_most: beaucoup}")
           .replace("{project: salon, required_missing_at_most: 2}", "{project: fair, label_at_most: 2}"))
    problems = lint_text(bad, "b.yaml").problems
    messages = sorted(p.message for p in problems)
    assert len(problems) == 3, problems
    assert any("« required_missing_at_most » : un nombre attendu, pas « beaucoup »" in m for m in messages)
    assert any("projet inconnu(e) : « fair »" in m for m in messages)
    assert any("filtre « label_at_most » impossible" in m for m in messages)
    lines = bad.splitlines()
    for problem in problems:
        assert "beaucoup" in lines[problem.line - 1] or "fair" in lines[problem.line - 1], problem


def test_a_where_rule_goes_with_a_journal_check_only_and_a_rule_needs_if_or_where():
    on_message = SCENARIO.replace(
        "    journal: project.sent\n    where: {project: salon, required_missing_at_most: 0}\n",
        "    message: {to: {role: management}, mentions: [{text: stand}]}\n")
    [problem] = lint_text(on_message, "b.yaml").problems
    assert "« where » dans « partly » ne va qu'avec « journal »" in problem.message
    bare = SCENARIO.replace("partly: {points: 1, where: {project: salon, required_missing_at_most: 2}}",
                            "partly: {points: 1}")
    problems = lint_text(bare, "b.yaml").problems
    assert problems and all(p.line == bare.splitlines().index("    partly: {points: 1}") + 1 for p in problems)
