"""A scenario file that abuses YAML is refused at once, at its place: an alias
bomb (``billion laughs``: 1,7 Ko that would expand to billions of nodes) and
lists nested 5 000 deep take well under a second, on the CLI (``scenario lint``,
``scenario run``) and on the trainers' upload page alike."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from sim.cli import main
from sim.scenario.loader import MAX_ALIASES, lint_file, lint_text

BROKEN = Path(__file__).resolve().parent / "broken"
BOMBS = {"billion-laughs.yaml": "les alias YAML (*nom) développent le fichier",
         "deep-nesting.yaml": "imbrication trop profonde : 50 niveaux au plus"}


def _cpu_seconds(fn):
    """CPU time of this process: what the file costs, whatever else the machine runs."""
    started = time.process_time()
    result = fn()
    return result, time.process_time() - started


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_the_linter_refuses_the_file_in_under_a_second_with_file_line_col(name):
    path = str(BROKEN / name)
    result, seconds = _cpu_seconds(lambda: lint_file(path))
    assert seconds < 1.0
    [problem] = result.problems
    assert re.fullmatch(rf"{re.escape(path)}:\d+:\d+: YAML invalide : .+", str(problem))
    assert BOMBS[name] in problem.message


@pytest.mark.parametrize("command", ["lint", "run"])
@pytest.mark.parametrize("name", sorted(BOMBS))
def test_the_cli_refuses_it_too_and_returns_1_or_2_for_run(capsys, name, command):
    path = str(BROKEN / name)
    code, seconds = _cpu_seconds(lambda: main(["scenario", command, path]))
    captured = capsys.readouterr()
    assert code == {"lint": 1, "run": 2}[command] and seconds < 1.0  # run: a file that does not lint is not played
    assert re.search(rf"^{re.escape(path)}:\d+:\d+: YAML invalide : .*{re.escape(BOMBS[name])}",
                     captured.out + captured.err, re.M)


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_the_upload_page_refuses_it_with_its_position(login, make_user, name):
    browser = login(make_user("trainer"))
    started = time.perf_counter()
    response = browser.client.post("/scenarios", data={"csrf_token": browser.csrf},
                                   files={"file": (name, (BROKEN / name).read_bytes(), "application/x-yaml")})
    assert response.status_code == 422 and time.perf_counter() - started < 5  # a request, not a minute
    assert re.search(rf"{re.escape(name)}:\d+:\d+", response.text) and BOMBS[name].split(" (")[0] in response.text


def test_a_few_aliases_are_fine_and_too_many_are_refused_at_the_first_one_beyond():
    few = "a: &x 1\nb: [" + ", ".join(["*x"] * MAX_ALIASES) + "]\n"
    assert not any("alias" in p.message for p in lint_text(few, "f").problems)
    many = "a: &x 1\nb: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    [problem] = lint_text(many, "f").problems
    assert problem.message == f"YAML invalide : trop d'alias YAML (*nom) : {MAX_ALIASES} au plus par fichier"
    assert (problem.line, problem.col) == (2, 5 + 4 * MAX_ALIASES)


def test_a_candidate_script_gets_the_same_budget(tmp_path):
    from sim.scenario.dryrun import load_script
    from sim.scenario.loader import ScenarioInvalid

    script = tmp_path / "script.yaml"
    script.write_text("- " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ScenarioInvalid) as refused:
        load_script(script)
    assert "imbrication trop profonde" in str(refused.value)
