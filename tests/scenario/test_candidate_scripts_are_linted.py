"""Candidate scripts are linted like scenarios: every unknown action, field,
entity or event, every bad value and every time outside the scenario, at its
``file:line:col``, against the scenario the script belongs to
(``X.candidate.yaml`` goes with ``X.yaml``)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sim.cli import main
from sim.scenario.loader import lint_file, lint_script_file

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
BROKEN = Path(__file__).resolve().parent / "broken_scripts"
STORY = SCENARIOS / "late-delivery.yaml"  # every broken script is written for it

EXPECTED: dict[str, list[tuple[int, int, str]]] = {
    "unknown-action.candidate.yaml": [(5, 7, "action inconnue : « send_mail » (vouliez-vous dire « send_message » ?)")],
    "unknown-field.candidate.yaml": [(2, 3, "champ obligatoire manquant : « subject »"),
                                     (5, 3, "champ inconnu : « subjet »")],
    "unknown-customer.candidate.yaml": [(4, 13, "client inconnu(e) : « galwey » (définis : galway)")],
    "unknown-event.candidate.yaml": [(2, 18, "« after » vise un événement inconnu du scénario : « supplier_late »")],
    "order-line-quantity-zero.candidate.yaml": [(5, 40, "valeur « 0 » refusée — Quantité : un nombre plus grand que 0")],
    "action-after-the-end.candidate.yaml": [(2, 41, "l'action tomberait le 08/11/2026 à 10:15, hors du scénario")],
    "no-time.candidate.yaml": [(2, 3, "chaque action a soit « at » (une date), soit « after » (un événement)")],
    "bad-language.candidate.yaml": [(5, 13, "valeur « de » invalide : attendu l'une de fr, en")],
    "not-a-list.candidate.yaml": [(1, 1, "un script de candidat est une liste d'actions")],
}


def test_every_broken_script_is_listed():
    assert {p.name for p in BROKEN.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_linter_reports_every_problem_of_a_broken_script_at_its_place(name):
    path = str(BROKEN / name)
    problems = lint_script_file(path, STORY).problems
    shown = "\n".join(f"  {p.line}:{p.col}: {p.message}" for p in problems)
    assert len(problems) == len(EXPECTED[name]), shown
    for (line, col, fragment), problem in zip(EXPECTED[name], problems):
        assert (problem.line, problem.col) == (line, col) and fragment in problem.message, shown
        assert str(problem).startswith(f"{path}:{line}:{col}: ")


@pytest.mark.parametrize("name", ["late-delivery", "non-payment", "trade-show"])
def test_the_reference_scripts_lint_clean_against_their_scenario(name, capsys):
    path = SCENARIOS / f"{name}.candidate.yaml"
    assert lint_file(path).problems == []
    assert main(["scenario", "lint", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: OK — script du candidat, {len(lint_file(path).data)} actions"


def test_a_script_alone_is_checked_against_the_scenario_of_its_name(tmp_path, capsys):
    shutil.copy(STORY, tmp_path / "story.yaml")
    shutil.copy(BROKEN / "unknown-customer.candidate.yaml", tmp_path / "story.candidate.yaml")
    script = tmp_path / "story.candidate.yaml"
    assert main(["scenario", "lint", str(script)]) == 1
    assert capsys.readouterr().out.strip() == f"{script}:4:13: client inconnu(e) : « galwey » (définis : galway)"


def test_a_script_whose_scenario_cannot_be_found_says_so(tmp_path):
    script = tmp_path / "nowhere.candidate.yaml"
    shutil.copy(SCENARIOS / "late-delivery.candidate.yaml", script)
    [problem] = lint_file(script).problems
    assert (problem.line, problem.col) == (1, 1) and "scénario introuvable" in problem.message


def test_a_list_is_a_script_whatever_its_name(tmp_path, capsys):
    script = tmp_path / "my-script.yaml"
    script.write_text("- at: 2026-11-02T11:00\n  do: read_mesages\n", encoding="utf-8")
    assert main(["scenario", "lint", str(script)]) == 1
    assert f"{script}:2:7: action inconnue : « read_mesages » (vouliez-vous dire « read_messages » ?)" \
        in capsys.readouterr().out


def test_run_refuses_a_script_that_does_not_lint_and_plays_nothing(capsys):
    script = BROKEN / "unknown-customer.candidate.yaml"
    assert main(["scenario", "run", str(STORY), "--candidate", str(script)]) == 2
    captured = capsys.readouterr()
    assert f"{script}:4:13: client inconnu(e) : « galwey »" in captured.err
    assert "rien n'a été joué" in captured.err and captured.out == ""


def test_writing_to_a_customer_without_an_address_is_reported(tmp_path):
    """The inbox refuses a message to a customer with no email: the linter says so first."""
    text = STORY.read_text(encoding="utf-8")
    contact = "      contact: {first_name: Siobhan, last_name: Kelly, email: s.kelly@galwaycrafts.ie, job_title: Buyer}\n"
    assert contact in text
    (tmp_path / "story.yaml").write_text(text.replace(contact, ""), encoding="utf-8")
    script = tmp_path / "story.candidate.yaml"
    shutil.copy(SCENARIOS / "late-delivery.candidate.yaml", script)
    [problem] = lint_file(script).problems
    assert (problem.line, problem.col, problem.message) == (
        26, 18, "le client « galway » n'a pas d'adresse courriel dans le scénario (email, ou contact.email) : "
              "le message serait refusé")
