"""The checks the samples do not all exercise: end-of-run state, counts, ``never`` broken,
a ``sequence`` out of order, and determinism (same journal and state, same result)."""
from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from sim.db import UnitOfWork, make_engine
from sim.evaluation.engine import evaluate
from sim.scenario.dryrun import run

ROOT = Path(__file__).resolve().parents[2]

EXTRA = [
    {"id": "invoice-half-paid", "criterion": "assistant-commercial/CP4/2", "description": "Reste dû ≤ 2 800 €",
     "points": 1, "state": {"invoice": "overdue_invoice", "status": "partial", "amount_due_at_most": 2800}},
    {"id": "invoice-paid", "criterion": "assistant-commercial/CP4/2", "description": "Payée", "points": 1,
     "state": {"invoice": "overdue_invoice", "status": ["paid", "litigation"]}},
    {"id": "small-credit-note", "criterion": "assistant-commercial/CP1/4", "description": "Un avoir ≤ 50 €",
     "points": 1, "state": {"credit_note": {"customer": "durand"}, "total_at_most": 50}},
    {"id": "stock-left", "criterion": "assistant-commercial/CP2/1", "description": "Stock ≥ 400", "points": 1,
     "state": {"product": "adhesive", "stock_at_least": 400}},
    {"id": "viewed-at-most-twice", "criterion": "assistant-commercial/CP4/1", "description": "≤ 2 consultations",
     "points": 1, "journal": "customer.account_viewed", "where": {"customer": "durand"}, "count": {"max": 2}},
    {"id": "viewed-three-times", "criterion": "assistant-commercial/CP4/1", "description": "3 consultations",
     "points": 1, "journal": "customer.account_viewed", "where": {"customer": "durand"}, "count": {"min": 3}},
    {"id": "wrote-but-never-viewed", "criterion": "assistant-commercial/CP4/1", "description": "never broken",
     "points": 1, "journal": "message.sent", "where": {"customer": "durand"},
     "never": [{"journal": "customer.account_viewed", "where": {"customer": "durand"}}]},
    {"id": "call-then-mail", "criterion": "assistant-commercial/CP4/2", "description": "dans le désordre",
     "points": 2, "sequence": [{"journal": "call.logged", "where": {"customer": "durand"}},
                               {"journal": "message.sent", "where": {"customer": "durand"}}],
     "partly": {"points": 1, "if": "incomplete"}},
    {"id": "scenario-payment", "criterion": "assistant-commercial/CP4/2", "description": "actor: scenario",
     "points": 1, "journal": "payment.recorded", "where": {"actor": "scenario", "customer": "durand"}},
]


def test_state_count_never_and_sequence(tmp_path):
    yaml = YAML()
    scenario = yaml.load((ROOT / "scenarios" / "non-payment.yaml").read_text(encoding="utf-8"))
    scenario["expectations"] = list(scenario["expectations"]) + EXTRA
    path = tmp_path / "non-payment.yaml"
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(scenario, out)
    result = run(path, ROOT / "scenarios" / "non-payment.candidate.yaml", workdir=str(tmp_path / "db"))
    assert result.ok, result.errors
    got = {e.id: (e.status, e.points) for e in result.evaluation.expectations}

    assert got["invoice-half-paid"] == ("met", 1)
    assert got["invoice-paid"] == ("missed", 0)
    assert "statut « partial »" in result.evaluation.expectation("invoice-paid").why
    assert got["small-credit-note"] == ("missed", 0)
    assert got["stock-left"] == ("met", 1)
    assert got["viewed-at-most-twice"] == ("missed", 0)  # the reference looks three times
    assert got["viewed-three-times"] == ("met", 1)
    assert got["wrote-but-never-viewed"] == ("missed", 0)
    views = [e["seq"] for e in result.entries if e["kind"] == "customer.account_viewed"]
    assert result.evaluation.expectation("wrote-but-never-viewed").evidence == tuple(views)
    assert got["call-then-mail"] == ("partly", 1), result.evaluation.expectation("call-then-mail")
    assert got["scenario-payment"] == ("met", 1)


def test_the_same_journal_and_state_give_the_same_evaluation(tmp_path):
    result = run(ROOT / "scenarios" / "late-delivery.yaml", ROOT / "scenarios" / "late-delivery.candidate.yaml",
                 workdir=str(tmp_path))
    engine = make_engine(f"sqlite:///{tmp_path / 'dryrun.sqlite3'}")
    try:
        from sqlalchemy import select

        from sim.workspace.models import Workspace

        with UnitOfWork(engine=engine, write=False) as uow:
            [ws] = uow.session.scalars(select(Workspace.id)).all()
        again = []
        for _ in range(2):
            with UnitOfWork(ws, engine=engine, write=False) as uow:
                again.append(evaluate(uow, ws, result.scenario).to_json())
    finally:
        engine.dispose()
    assert again[0] == again[1] == result.evaluation.to_json()
