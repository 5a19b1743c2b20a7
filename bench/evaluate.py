"""Benchmark: the evaluator's engine on a long journal and on a 30-candidate session.

    .venv/bin/python bench/evaluate.py [--runs 5] [--entries 2000] [--candidates 30] [--messages 100]

1. The sample scenario ``non-payment`` is played with its reference script (the dry
   run, in a SQLite file in a temporary directory); the candidate's journal is then
   padded to ``--entries`` entries with candidate actions of the kinds its
   expectations read (account views, messages read, calls logged, and
   ``--messages`` messages to the customer, each with its own text, so that the
   language detector works on every one). ``evaluate()`` of that workspace, in a
   read-only unit of work, is timed. Target: under 100 ms.
2. The reference run's workspace is copied ``--candidates`` times
   (``sim.workspace.copy``) and the whole session matrix (every candidate
   evaluated, each in its own read-only unit of work) is timed. Target: under 1 s.

The language detector's cache is emptied before each timed evaluation (30 real
candidates write 30 different texts); the detector itself is built once, before
timing (it is built once per process in the application too), and that build
time is printed apart. Prints the median of ``--runs`` runs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_ONE, TARGET_MATRIX = 0.100, 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--candidates", type=int, default=30)
    parser.add_argument("--messages", type=int, default=100)
    args = parser.parse_args(argv)

    from sqlalchemy import func, select

    from sim.clock import set_clock, sim_now
    from sim.db import UnitOfWork, make_engine
    from sim.evaluation import mentions
    from sim.evaluation.engine import evaluate
    from sim.journal import service as journal
    from sim.journal.models import JournalEntry
    from sim.scenario.dryrun import run
    from sim.workspace.copy import CopySpec, copy_workspaces
    from sim.workspace.models import Workspace

    folder = Path(tempfile.mkdtemp(prefix="advsim-bench-evaluate-"))
    scenario_path = ROOT / "scenarios" / "non-payment.yaml"
    played = run(scenario_path, ROOT / "scenarios" / "non-payment.candidate.yaml", workdir=str(folder))
    assert played.ok, played.errors
    scenario = played.scenario
    engine = make_engine(f"sqlite:///{folder / 'dryrun.sqlite3'}")
    with UnitOfWork(engine=engine, write=False) as uow:
        [reference] = uow.session.scalars(select(Workspace.id)).all()

    built = time.perf_counter()
    mentions.language_of("Bonjour, votre commande est confirmée.")
    built = time.perf_counter() - built

    # the session matrix: copies of the reference run, before padding
    copies = copy_workspaces(engine, reference, [CopySpec(name=f"Candidat {n}") for n in range(1, args.candidates)])
    session = [reference, *copies]

    def evaluate_all(ids):
        results = []
        for ws in ids:
            mentions.language_of.cache_clear()
            with UnitOfWork(ws, engine=engine, write=False) as uow:
                results.append(evaluate(uow, ws, scenario))
        return results

    matrix_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        results = evaluate_all(session)
        matrix_times.append(time.perf_counter() - start)
    assert all(r.auto_points == r.auto_max_points for r in results)

    # the long journal: the reference run padded with candidate actions
    with UnitOfWork(reference, engine=engine) as uow:
        set_clock(uow, sim_time=sim_now(uow), speed=0)
        head = uow.session.scalar(select(func.count()).select_from(JournalEntry)
                                  .where(JournalEntry.workspace_id == reference))
        customer = next(e["refs"]["customer"] for e in played.entries if e["kind"] == "customer.account_viewed")
        messages = 0
        for n in range(head, args.entries):
            if messages < args.messages and n % max(1, (args.entries - head) // args.messages) == 0:
                messages += 1
                journal.append(uow, kind="message.sent", actor="candidate:bench",
                               refs={"message": f"MSG-B-{n}", "customer": customer},
                               payload={"to_role": "customer", "to": "m.durand@durand-quincaillerie.fr",
                                        "language": "fr", "subject": f"Suivi n° {n}",
                                        "text": f"Bonjour Monsieur Durand, suite à notre échange n° {n}, la facture "
                                                f"de 4 800,00 € échue le 15/10 reste due. Cordialement.",
                                        "attachments": []})
            elif n % 3 == 0:
                journal.append(uow, kind="call.logged", actor="candidate:bench",
                               refs={"call": f"MSG-C-{n}", "customer": customer},
                               payload={"direction": "out", "subject": "Relance", "note": f"Appel {n}"})
            else:
                journal.append(uow, kind="customer.account_viewed", actor="candidate:bench",
                               refs={"customer": customer},
                               payload={"outstanding": "4800.00", "overdue": "4800.00", "credit_limit": "6000.00",
                                        "exposure": "4800.00"})
        uow.commit()
    one_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        [long] = evaluate_all([reference])
        one_times.append(time.perf_counter() - start)
    with UnitOfWork(reference, engine=engine, write=False) as uow:
        entries = uow.session.scalar(select(func.count()).select_from(JournalEntry)
                                     .where(JournalEntry.workspace_id == reference))
    engine.dispose()

    one, matrix = statistics.median(one_times), statistics.median(matrix_times)
    print(f"language detector built once: {built * 1000:.0f} ms (not timed below)")
    print(f"evaluate, {entries} journal entries ({messages} of them messages to the customer): median {one * 1000:.1f} ms "
          f"over {args.runs} runs (target {TARGET_ONE * 1000:.0f} ms) — "
          f"{long.auto_points}/{long.auto_max_points} points")
    print(f"session matrix, {len(session)} candidates: median {matrix * 1000:.0f} ms over {args.runs} runs "
          f"(target {TARGET_MATRIX * 1000:.0f} ms)")
    return 0 if one < TARGET_ONE and matrix < TARGET_MATRIX else 1


if __name__ == "__main__":
    sys.exit(main())
