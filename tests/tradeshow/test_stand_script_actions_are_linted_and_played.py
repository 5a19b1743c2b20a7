"""The stand's candidate-script actions (sim/scenario/actions/tradeshow.py): a visitor is named
by its key (``show_day.2``), known to the linter from the scenario's timeline; a wrong key, a
field the contact form does not have or a value it refuses is reported at ``file:line:col``;
``save_contact``'s ``name`` defines the prospect as a scenario customer. The scoring of the
sample (trade-show.yaml, three ways) is pinned in tests/evaluation/test_sample_scenarios_are_scored.py."""
from __future__ import annotations

from pathlib import Path

from sim.scenario.dryrun import run
from sim.scenario.loader import lint_script_text, lint_text

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_TEXT = (ROOT / "scenarios" / "trade-show.yaml").read_text(encoding="utf-8")
SCENARIO = lint_text(SCENARIO_TEXT, "trade-show.yaml").data

WELCOME = "- after: {event: show_day, delay: 20m}\n  do: welcome_visitor\n  visitor: show_day.4\n"
CONTACT = ("- after: {event: show_day, delay: 30m}\n  do: save_contact\n  visitor: show_day.1\n  name: logis\n"
           "  first_name: Claire\n  last_name: Fontaine\n  company: Logis Transport\n  language: fr\n"
           "  need: Cartons recyclés\n  follow_up: quote\n  follow_up_on: 2026-11-09\n  email: c@logis.example\n"
           "  products: [boxes]\n  consent: [offers]\n  retention_months: 24\n")


def test_a_visitor_key_the_scenario_does_not_have_is_refused_where_it_is_written():
    [problem] = lint_script_text(WELCOME, "t.candidate.yaml", SCENARIO).problems

    assert (problem.line, problem.col) == (3, 12)
    assert problem.message == "visiteur inconnu(e) : « show_day.4 » (définis : show_day.1, show_day.2, show_day.3)"
    assert str(problem).startswith("t.candidate.yaml:3:12: ")


def test_a_contact_form_is_linted_field_by_field_and_its_name_defines_a_customer():
    view = "- after: {event: show_day, delay: 40m}\n  do: view_customer\n  customer: logis\n"
    assert lint_script_text(CONTACT + view, "t.candidate.yaml", SCENARIO).problems == []

    wrong = CONTACT.replace("retention_months: 24", "retention_months: 18").replace(
        "products: [boxes]", "products: [crates]").replace("  language: fr\n", "  language: fr\n  fax: '0478'\n")
    problems = lint_script_text(wrong, "t.candidate.yaml", SCENARIO).problems
    lines = wrong.splitlines()
    assert len(problems) == 3, problems
    for problem, word in zip(problems, ("fax", "crates", "18")):
        assert word in lines[problem.line - 1], (problem, word)


def test_a_visitor_in_an_expectation_is_checked_too():
    bad = SCENARIO_TEXT.replace("where: {visitor: show_day.2, detected_language: en}",
                                "where: {visitor: show_day.5, detected_language: en}")
    [problem] = lint_text(bad, "trade-show.yaml").problems

    assert "visiteur inconnu(e) : « show_day.5 »" in problem.message
    assert "show_day.5" in bad.splitlines()[problem.line - 1]


def test_a_form_the_page_would_refuse_is_a_refused_action_with_the_pages_reason(tmp_path):
    script = tmp_path / "t.candidate.yaml"
    script.write_text("- after: {event: show_day, delay: 10m}\n  do: welcome_visitor\n  visitor: show_day.1\n"
                      + CONTACT.replace("  email: c@logis.example\n", "").replace("name: logis", "name: logis2"),
                      encoding="utf-8")
    result = run(ROOT / "scenarios" / "trade-show.yaml", script, workdir=str(tmp_path))

    [refused] = result.refused_actions
    assert refused["do"] == "save_contact" and "au moins un moyen de recontacter" in refused["reason"]
