"""``advsim scenario run`` tells the truth: exit 0 only when every event fired
and every scripted action was accepted; otherwise exit 1 with each failed
event and its reason, then every event and action that could then not happen.
A file that does not lint is not played (exit 2). The seeded company's history
ends at the scenario's start, whatever it is: the journal reads in sim-time order."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sim.cli import main
from sim.scenario.dryrun import print_run, run

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def story(start: datetime, extra: str = "") -> str:
    """A small valid scenario whose dates all hang on ``start``."""
    def d(days: int) -> str:
        return (start + timedelta(days=days)).date().isoformat()

    def t(hours: float) -> str:
        return (start + timedelta(hours=hours)).isoformat(timespec="minutes")

    return f"""\
id: story
title: "Retard fournisseur"
referential: assistant-commercial
start: {start.isoformat(timespec="minutes")}
duration_days: 5
briefing: "Vous êtes assistant(e) commercial(e)."
company:
  seed: 11
  size: small
  customers:
    galway: {{name: "Galway Crafts Ltd", country: IE, language: en, credit_limit: 25000}}
  suppliers:
    nordfil: {{name: "Nordfil Emballages"}}
  products:
    stretch: {{name: "Film étirable", price: 48.90, stock: 500, supplier: nordfil}}
  purchase_orders:
    po_stretch: {{supplier: nordfil, date: {d(-7)}, expected: {d(2)}, lines: [{{product: stretch, quantity: 200}}]}}
  orders:
    galway_order: {{customer: galway, date: {d(-5)}, lines: [{{product: stretch, quantity: 120}}]}}
  invoices:
    old_invoice: {{customer: galway, date: {d(-48)}, lines: [{{product: stretch, quantity: 40}}]}}
timeline:
  - id: supplier_delay
    at: {t(1.75)}
    kind: supplier_delay
    purchase_order: po_stretch
    new_date: {d(14)}
    message: {{subject: "Report", body: "Votre commande partira plus tard."}}
  - id: partial
    at: {t(26)}
    kind: partial_payment
    invoice: old_invoice
    amount: 1000.00
{extra}"""


FAILING = """\
  - id: truck_late
    at: 2026-11-03T09:00
    kind: carrier_incident
    order: galway_order
    incident: late
    message: {subject: "Retard camion", body: "Le camion a du retard."}
  - id: customer_angry
    after: {event: truck_late, delay: 2h}
    kind: email
    from: {customer: galway}
    message: {subject: "Where is it?", body: "Where is our delivery?"}
"""
SCRIPT = """\
- after: {event: truck_late, delay: 30m}
  do: read_messages
- after: {event: supplier_delay, delay: 30m}
  do: view_customer
  customer: galway
- after: {event: supplier_delay, delay: 40m}
  do: confirm_order
  order: galway_order
"""
START = datetime(2026, 11, 2, 8, 30)


@pytest.fixture
def failing(tmp_path):
    scenario, script = tmp_path / "story.yaml", tmp_path / "story.candidate.yaml"
    scenario.write_text(story(START, FAILING), encoding="utf-8")
    script.write_text(SCRIPT, encoding="utf-8")
    return scenario, script


def test_a_failed_event_is_listed_with_its_reason_and_what_could_then_not_happen(failing, tmp_path):
    result = run(*failing, workdir=str(tmp_path))

    assert not result.ok and result.chain_ok
    [failed] = result.failed_events
    assert (failed["event"], failed["kind"], failed["at"]) == ("truck_late", "carrier_incident", "2026-11-03T09:00")
    assert "n'a pas encore été expédiée" in failed["reason"]
    assert result.unfired_events == [{"event": "customer_angry", "kind": "email", "at": None,
                                      "reason": "suit « truck_late », qui a échoué"}]
    [refused] = result.refused_actions  # the order was confirmed at install: confirming it again is refused
    assert (refused["action"], refused["line"], refused["do"]) == (3, 6, "confirm_order")
    assert "ne peut plus être confirmée" in refused["reason"]
    assert result.unrun_actions == [{"action": 1, "line": 1, "do": "read_messages", "at": None,
                                     "reason": "suit l'événement « truck_late », qui a échoué"}]


def test_the_cli_prints_them_in_french_and_returns_1(failing, capsys):
    scenario, script = failing
    assert main(["scenario", "run", str(scenario), "--candidate", str(script)]) == 1
    out = capsys.readouterr().out
    tail = out[out.index("Événements en échec :"):].splitlines()
    assert tail[:2] == ["Événements en échec :",
                        "  « truck_late » (carrier_incident) le 03/11 à 09:00 : La commande CO-2026-00024 "
                        "n'a pas encore été expédiée."]
    assert tail[3:5] == ["Événements qui n'ont pas eu lieu :",
                         "  « customer_angry » (email) : suit « truck_late », qui a échoué"]
    assert tail[6] == "Actions refusées :" and tail[7].startswith("  action n° 3 (confirm_order, ligne 6) le 02/11 à ")
    assert tail[9:11] == ["Actions qui n'ont pas eu lieu :",
                          "  action n° 1 (read_messages, ligne 1) : suit l'événement « truck_late », qui a échoué"]
    assert tail[-1] == ("Résultat : ÉCHEC — 1 événement(s) en échec, 1 événement(s) qui n'ont pas eu lieu, "
                        "1 action(s) refusée(s), 1 action(s) qui n'ont pas eu lieu.")


def test_the_json_output_carries_the_same_failures(failing, capsys):
    scenario, script = failing
    assert main(["scenario", "run", str(scenario), "--candidate", str(script), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["chain_ok"] is True and data["install_error"] is None
    assert [e["event"] for e in data["failed_events"]] == ["truck_late"]
    assert [e["event"] for e in data["unfired_events"]] == ["customer_angry"]
    assert [a["action"] for a in data["refused_actions"]] == [3]
    assert [a["action"] for a in data["unrun_actions"]] == [1]
    assert data["journal"] and len(data["errors"]) == 1


def test_an_event_whose_trigger_never_came_is_listed_and_the_run_returns_1(tmp_path, capsys):
    path = tmp_path / "story.yaml"
    path.write_text(story(START, """\
  - id: customer_thanks
    when: {journal: message.sent, customer: galway, delay: 3h}
    kind: reply
    from: {customer: galway}
    body: "Thank you."
"""), encoding="utf-8")
    assert main(["scenario", "run", str(path)]) == 1
    out = capsys.readouterr().out
    assert ("  « customer_thanks » (reply) : son déclencheur ne s'est pas produit "
            "(when: journal=message.sent, customer=galway, delay=3h)") in out


@pytest.mark.parametrize("name", ["late-delivery", "non-payment", "trade-show"])
def test_a_sample_with_its_reference_script_returns_0(name, capsys):
    assert main(["scenario", "run", str(SCENARIOS / f"{name}.yaml"),
                 "--candidate", str(SCENARIOS / f"{name}.candidate.yaml")]) == 0
    assert capsys.readouterr().out.rstrip().endswith(
        "Résultat : tout s'est déclenché et toutes les actions ont été acceptées.")


def test_a_scenario_that_does_not_lint_is_not_played_and_returns_2(capsys):
    broken = Path(__file__).resolve().parent / "broken" / "price-infinite.yaml"
    assert main(["scenario", "run", str(broken)]) == 2
    captured = capsys.readouterr()
    assert f"{broken}:25:14: valeur « .inf » refusée — Prix : nombre attendu" in captured.err
    assert captured.out == ""


@pytest.mark.parametrize("start", [datetime(2026, 5, 4, 9, 0), START, datetime(2027, 3, 1, 8, 0)],
                         ids=["months-before", "default", "months-after"])
def test_the_history_ends_at_the_scenario_start_and_the_journal_reads_in_sim_time_order(start, tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(story(start), encoding="utf-8")
    result = run(path, workdir=str(tmp_path))

    assert result.ok, print_run(result)
    times = [e["sim_time"] for e in result.entries]
    assert times == sorted(times)
    assert times[0] == start.isoformat(timespec="minutes")  # workspace.seeded, at the start
    assert result.entries[0]["kind"] == "workspace.seeded"
    db = sqlite3.connect(tmp_path / "dryrun.sqlite3")
    try:
        seeded = "customer_id NOT IN (SELECT ref_id FROM scenario_entity WHERE kind = 'customer')"
        last_order = db.execute(f"SELECT max(order_date) FROM sales_order WHERE {seeded}").fetchone()[0]
        last_invoice = db.execute(f"SELECT max(issue_date) FROM invoice WHERE {seeded}").fetchone()[0]
        first_order = db.execute(f"SELECT min(order_date) FROM sales_order WHERE {seeded}").fetchone()[0]
    finally:
        db.close()
    assert str(last_order) < start.date().isoformat() and str(last_invoice) < start.date().isoformat()
    assert str(first_order) < (start - timedelta(days=60)).date().isoformat()  # three months of history
