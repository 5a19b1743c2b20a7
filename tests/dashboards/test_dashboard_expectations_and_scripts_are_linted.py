"""The ``dashboard:`` expectation (README "Expectations and scoring"): the linter
checks its vocabulary at file:line:col, and the candidate script's dashboard
actions name dashboards it created (the scoring itself: the sample scenario
tableau-de-bord-mensuel in tests/evaluation/test_sample_scenarios_are_scored.py)."""
from __future__ import annotations

from pathlib import Path

from sim.scenario.loader import lint_script_text, lint_text

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = (ROOT / "scenarios" / "tableau-de-bord-mensuel.yaml").read_text(encoding="utf-8")


def test_a_chart_or_a_measure_the_builder_does_not_have_is_refused_where_it_is_written():
    bad = SCENARIO.replace("chart: [pie, bar]", "chart: [pie, donut]").replace(
        "panel: {measure: revenue, rows: sales_rep, from_month: 2026-10, to_month: 2026-10, chart: bar}",
        "panel: {measure: profit, rows: sales_rep, from_month: 2026-10, to_month: 2026-10, chart: bar}")
    problems = lint_text(bad, "tb.yaml").problems
    assert len(problems) == 2, problems
    lines = bad.splitlines()
    for problem in problems:
        assert "donut" in lines[problem.line - 1] or "profit" in lines[problem.line - 1], problem


def test_two_checks_in_one_expectation_are_refused():
    bad = SCENARIO.replace("    dashboard:\n      commentary_min_words: 30",
                           "    dashboard:\n      commentary_min_words: 30\n    journal: dashboard.sent")
    assert any("deux sortes de vérification" in p.message and "dashboard" in p.message
               for p in lint_text(bad, "tb.yaml").problems)


def test_a_script_must_create_the_dashboard_it_fills():
    from sim.scenario.loader import lint_text as lint

    scenario = lint(SCENARIO, "tb.yaml").data
    script = ("- at: 2026-11-02T10:00\n  do: add_panel\n  dashboard: october\n  measure: revenue\n  rows: category\n"
              "- at: 2026-11-02T10:10\n  do: send_dashboard\n  dashboard: october\n  subject: TB\n  body: Ci-joint.\n")
    problems = lint_script_text(script, "x.candidate.yaml", scenario).problems
    assert [p.line for p in problems] == [3, 8]
    assert "tableau de bord inconnu(e) : « october »" in problems[0].message
    fixed = "- at: 2026-11-02T09:50\n  do: create_dashboard\n  name: october\n  title: Ventes\n" + script
    assert lint_script_text(fixed, "x.candidate.yaml", scenario).problems == []
    wrong = fixed.replace("rows: category", "rows: family")
    [problem] = lint_script_text(wrong, "x.candidate.yaml", scenario).problems
    assert problem.line == 9 and "family" in problem.message
