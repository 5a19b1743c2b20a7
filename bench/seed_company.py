"""Benchmark: create one workspace with a company of the default size.

    .venv/bin/python bench/seed_company.py [--runs 3] [--seed 1] [--size default|small|large]
                                           [--server postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Each run gets a fresh database (a SQLite file in a temporary directory, or a new
database on the PostgreSQL server given with ``--server``), built by the Alembic
migrations, and times ``sim.workspace.service.create_workspace`` (generation,
inserts, journal entry, commit). Prints the median time, the rows written and
rows per second. Target: under 3 s for the default size on a 2-core machine.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 3.0


def _fresh_database(tmp: Path, run: int, server: str | None) -> tuple[str, callable]:
    if not server:
        return f"sqlite:///{tmp / f'bench-{run}.sqlite3'}", lambda: None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"advsim_bench_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(server).set(database=name).render_as_string(hide_password=False), drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", choices=("default", "small", "large"), default="default")
    parser.add_argument("--server", help="a PostgreSQL URL to create the benchmark databases on")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="advsim-bench-"))
    # Settings are read at import time: point them at the temporary directory first.
    os.environ["ADVSIM_DATA_DIR"] = str(tmp)
    os.environ["ADVSIM_DATABASE_URL"] = f"sqlite:///{tmp / 'bench-0.sqlite3'}"
    os.environ.setdefault("ADVSIM_SECRET_KEY", "bench-secret-key")
    sys.path.insert(0, str(ROOT))

    import sim.models  # noqa: F401  (every table)
    from seed.company import SIZES
    from sim.db import dispose_engines
    from sim.models import metadata

    size = SIZES[args.size]
    owned = [t for t in metadata.sorted_tables if "workspace_id" in t.c]
    timings: list[float] = []
    try:
        rows = _runs(args, tmp, size, owned, timings)
    finally:
        dispose_engines()
        shutil.rmtree(tmp, ignore_errors=True)

    median = statistics.median(timings)
    verdict = "OK" if median < TARGET_SECONDS else "TOO SLOW"
    database = "PostgreSQL" if args.server else "SQLite"
    print(f"seed_company size={args.size} seed={args.seed} on {database}: median {median:.3f} s, "
          f"{rows} rows, {rows / median:,.0f} rows/s (target < {TARGET_SECONDS:.0f} s: {verdict})")
    return 0 if median < TARGET_SECONDS else 1


def _runs(args, tmp: Path, size, owned, timings: list[float]) -> int:
    from sqlalchemy import func, select

    from sim.db import UnitOfWork, get_engine
    from sim.migrations import upgrade
    from sim.workspace.service import create_workspace

    rows = 0
    for run in range(args.runs):
        url, drop = _fresh_database(tmp, run, args.server)
        try:
            upgrade(url)
            engine = get_engine(url)
            started = time.perf_counter()
            with UnitOfWork(engine=engine) as uow:
                workspace = create_workspace(uow, name=f"bench-{run}", owner_id=None, seed=args.seed, size=size)
                uow.commit()
            elapsed = time.perf_counter() - started
            with UnitOfWork(workspace.id, write=False, engine=engine) as uow:
                rows = 1 + sum(uow.session.scalar(select(func.count()).select_from(t)
                                                  .where(t.c.workspace_id == workspace.id)) for t in owned)
            engine.dispose()
        finally:
            drop()
        timings.append(elapsed)
        print(f"run {run + 1}: {elapsed:.3f} s, {rows} rows")
    return rows


if __name__ == "__main__":
    sys.exit(main())
