"""Benchmark: start an exam session for 30 candidates by copying a prepared workspace.

    .venv/bin/python bench/exam_session_copy.py [--runs 3] [--candidates 30] [--scenario late-delivery]
                                                [--size default|small|large]
                                                [--server postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Each run gets a fresh database (a SQLite file in a temporary directory, or a new
database on the PostgreSQL server given with ``--server``, or named by
``ADVSIM_DATABASE_URL`` when it is a PostgreSQL URL), built by the Alembic
migrations. The template is a company of the default size (``seed.company.DEFAULT``)
with the sample scenario installed; then ``sim.workspace.copy.copy_workspaces``
makes the candidates' copies in one transaction (commit included), timed.
Prints the median time, the rows written and rows per second, and the ratio to
preparing each candidate's workspace from scratch (seeding + scenario set-up,
timed on the template, times the number of candidates).
Target: 30 copies under 5 s on SQLite on a 2-core machine (PostgreSQL: figure only).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--candidates", type=int, default=30)
    parser.add_argument("--scenario", default="late-delivery", help="a sample scenario of scenarios/")
    parser.add_argument("--size", choices=("default", "small", "large"), default="default")
    env_url = os.environ.get("ADVSIM_DATABASE_URL", "")
    parser.add_argument("--server", default=env_url if env_url.startswith("postgresql") else None,
                        help="a PostgreSQL URL to create the benchmark databases on")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="advsim-bench-"))
    # Settings are read at import time: point them at the temporary directory first.
    os.environ["ADVSIM_DATA_DIR"] = str(tmp)
    os.environ["ADVSIM_DATABASE_URL"] = f"sqlite:///{tmp / 'bench-0.sqlite3'}"
    os.environ.setdefault("ADVSIM_SECRET_KEY", "bench-secret-key")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))

    import sim.models  # noqa: F401  (every table)
    from sim.db import dispose_engines

    timings: list[float] = []
    try:
        rows, prepare = _runs(args, tmp, timings)
    finally:
        dispose_engines()
        shutil.rmtree(tmp, ignore_errors=True)

    median = statistics.median(timings)
    verdict = "OK" if median < TARGET_SECONDS else "TOO SLOW"
    database = "PostgreSQL" if args.server else "SQLite"
    target = (f"target < {TARGET_SECONDS:.0f} s: {verdict}" if not args.server
              else "the target is SQLite's; figure only")
    scratch = prepare * args.candidates
    print(f"exam_session_copy {args.candidates} candidates, size={args.size}, scenario={args.scenario} "
          f"on {database}: median {median:.3f} s, {rows} rows, {rows / median:,.0f} rows/s; "
          f"from scratch {prepare:.3f} s × {args.candidates} = {scratch:.1f} s, "
          f"copying is {scratch / median:.1f}× faster ({target})")
    return 0 if args.server or median < TARGET_SECONDS else 1


def _runs(args, tmp: Path, timings: list[float]) -> tuple[int, float]:
    from sqlalchemy import func, select

    from seed.company import SIZES
    from seed_company import _fresh_database
    from sim.db import UnitOfWork, get_engine
    from sim.journal.service import verify
    from sim.migrations import upgrade
    from sim.models import metadata
    from sim.scenario.engine import install
    from sim.scenario.loader import load
    from sim.workspace.copy import CopySpec, copy_workspaces
    from sim.workspace.service import create_workspace

    size = SIZES[args.size]
    scenario = load(ROOT / "scenarios" / f"{args.scenario}.yaml")
    owned = [t for t in metadata.sorted_tables if "workspace_id" in t.c]
    rows, prepares = 0, []
    for run in range(args.runs):
        url, drop = _fresh_database(tmp, run, args.server)
        try:
            upgrade(url)
            engine = get_engine(url)
            started = time.perf_counter()
            with UnitOfWork(engine=engine) as uow:
                template = create_workspace(uow, name="Modèle", owner_id=None, seed=scenario["company"]["seed"],
                                            size=size, actor="trainer:bench")
                install(uow, scenario)
                uow.commit()
            prepares.append(time.perf_counter() - started)
            specs = [CopySpec(name=f"Candidat {n + 1}", actor="trainer:bench") for n in range(args.candidates)]
            started = time.perf_counter()
            ids = copy_workspaces(engine, template.id, specs)
            elapsed = time.perf_counter() - started
            with UnitOfWork(write=False, engine=engine) as uow:
                rows = sum(uow.session.scalar(select(func.count()).select_from(t)
                                              .where(t.c.workspace_id.in_(ids))) for t in owned) + len(ids)
                reports = verify(uow.session, ids[-1])
            assert all(r.ok for r in reports), reports
            engine.dispose()
        finally:
            drop()
        timings.append(elapsed)
        print(f"run {run + 1}: template {prepares[-1]:.3f} s, {args.candidates} copies {elapsed:.3f} s, {rows} rows")
    return rows, statistics.median(prepares)


if __name__ == "__main__":
    sys.exit(main())
