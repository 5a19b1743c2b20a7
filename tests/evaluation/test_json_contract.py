"""The JSON contract of ``advsim scenario run FILE --candidate SCRIPT --json``, field by field:
one object with the dry run's fields, ``journal`` (the entries) and ``evaluation``."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def printed():
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["scenario", "run", str(ROOT / "scenarios" / "late-delivery.yaml"), "--candidate",
                     str(ROOT / "scenarios" / "late-delivery.careless.yaml"), "--json"])
    assert code == 0
    return json.loads(out.getvalue())


def test_one_object_with_the_dry_run_fields_the_journal_and_the_evaluation(printed):
    assert set(printed) == {"scenario", "ok", "chain_ok", "install_error", "failed_events", "unfired_events",
                            "refused_actions", "unrun_actions", "errors", "journal", "evaluation"}
    assert printed["scenario"] == "late-delivery" and printed["ok"] is True and printed["chain_ok"] is True


def test_journal_entries(printed):
    seqs = [e["seq"] for e in printed["journal"]]
    assert seqs == list(range(1, len(seqs) + 1))
    for entry in printed["journal"]:
        assert set(entry) == {"seq", "sim_time", "actor", "kind", "version", "refs", "payload"}
        assert isinstance(entry["refs"], dict) and isinstance(entry["payload"], dict)


def test_evaluation_top_level(printed):
    evaluation = printed["evaluation"]
    assert set(evaluation) == {"scenario", "referential", "expectations", "criteria", "competences",
                               "auto_points", "auto_max_points", "journal_seq"}
    assert evaluation["scenario"] == "late-delivery"
    assert evaluation["referential"] == "assistant-commercial"
    assert evaluation["auto_points"] == 6.5 and evaluation["auto_max_points"] == 14
    assert evaluation["journal_seq"] == printed["journal"][-1]["seq"]


def test_expectations(printed):
    expectations = {e["id"]: e for e in printed["evaluation"]["expectations"]}
    assert list(expectations) == ["supplier-mail-read", "customer-told-before-asking", "customer-told-in-english",
                                  "new-date-from-supplier", "stock-checked", "date-repromised", "reorder-placed",
                                  "shortage-chased", "english-level"]
    seqs = {e["seq"] for e in printed["journal"]}
    for e in expectations.values():
        assert set(e) == {"id", "criterion", "status", "points", "max_points", "evidence", "why", "cp",
                          "description", "essential", "judge"}
        assert e["status"] in ("met", "partly", "missed", "to_judge")
        assert isinstance(e["points"], (int, float)) and isinstance(e["max_points"], (int, float))
        assert 0 <= e["points"] <= e["max_points"]
        assert all(isinstance(s, int) and s in seqs for s in e["evidence"]) and e["evidence"] == sorted(e["evidence"])
        assert isinstance(e["why"], str) and e["why"]
        assert e["criterion"].startswith("assistant-commercial/" + e["cp"] + "/")
    told = expectations["customer-told-in-english"]
    assert (told["status"], told["points"], told["max_points"], told["essential"], told["judge"]) == \
        ("partly", 1, 3, True, "auto")
    assert "français" in told["why"]
    sent = next(x["seq"] for x in printed["journal"] if x["kind"] == "message.sent" and x["refs"].get("customer"))
    assert told["evidence"] == [sent]
    assert expectations["supplier-mail-read"]["points"] == 0.5
    judged = expectations["english-level"]
    assert (judged["status"], judged["points"], judged["judge"]) == ("to_judge", 0, "evaluator")
    assert judged["evidence"] == [sent]


def test_criteria(printed):
    criteria = {c["id"]: c for c in printed["evaluation"]["criteria"]}
    assert list(criteria) == ["assistant-commercial/CP2/1", "assistant-commercial/CP2/3",
                              "assistant-commercial/CP3/4", "assistant-commercial/CP3/5"]
    for c in criteria.values():
        assert set(c) == {"id", "cp", "text", "status", "points", "max_points"}
    assert (criteria["assistant-commercial/CP2/1"]["points"], criteria["assistant-commercial/CP2/1"]["max_points"],
            criteria["assistant-commercial/CP2/1"]["status"]) == (4.5, 8, "partly")
    assert criteria["assistant-commercial/CP3/5"]["status"] == "to_judge"
    assert criteria["assistant-commercial/CP2/3"]["text"] == "Les professionnels concernés sont informés"


def test_competences(printed):
    competences = printed["evaluation"]["competences"]
    assert [c["cp"] for c in competences] == ["CP2", "CP3"]
    for c in competences:
        assert set(c) == {"cp", "title", "proposed", "points", "max_points", "rule", "why"}
        assert c["proposed"] in ("acquired", "not_acquired", "to_judge")
    assert [c["proposed"] for c in competences] == ["not_acquired", "not_acquired"]
    assert competences[0]["title"] == "Suivre les opérations de la supply chain"
    assert competences[0]["rule"] == "toutes les attentes essentielles atteintes et au moins 50 % des points"
