"""The linter checks the communication vocabulary where it is written: a
``support`` expectation naming an event that does not exist, a filter the
check does not know, a script's ``write_support`` answering an unknown request
— each reported at its file:line:col, in French."""
from __future__ import annotations

from pathlib import Path

from sim.scenario.loader import lint_script_text, lint_text

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "offre-promotionnelle.yaml"


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_a_support_expectation_on_an_unknown_request_is_reported_where_it_is_written():
    text = SCENARIO.read_text().replace("      request: promo_request\n", "      request: promo_requets\n", 1)

    result = lint_text(text, "offre.yaml")

    problems = [(p.line, p.message) for p in result.problems]
    assert problems == [(_line_of(text, "request: promo_requets"), "événement inconnu : « promo_requets »")]


def test_a_segment_condition_the_check_does_not_know_is_refused():
    text = SCENARIO.read_text().replace("inactive_months_at_least: 3}", "inactive_since: 3}", 1)

    result = lint_text(text, "offre.yaml")

    assert [p.line for p in result.problems] == [_line_of(text, "inactive_since: 3")]
    assert "inactive_since" in result.problems[0].message


def test_the_sample_scenario_lints_clean():
    assert lint_text(SCENARIO.read_text(), "offre.yaml").problems == []


def test_a_script_answering_an_unknown_request_is_reported():
    scenario = lint_text(SCENARIO.read_text(), "offre.yaml").data
    script = ("- after: {event: promo_request, delay: 1h}\n  do: write_support\n  request: promo_requets\n"
              "  kind: offer\n  channel: email\n  segment: {kind: b2c, inactive_months: 99}\n")

    result = lint_script_text(script, "s.yaml", scenario)

    found = sorted((p.line, p.message) for p in result.problems)
    assert found[0] == (3, "« request » vise un événement inconnu du scénario : « promo_requets »")
    assert found[1][0] == 6 and "99" in found[1][1]
