"""Benchmark: every pivot of the dashboard builder over 12 months of the default company.

    .venv/bin/python bench/dashboard_pivots.py [--runs 5] [--seed 41] [--server postgresql+psycopg://…]

Seeds the default company (300 customers, 150 products, 12 months of history)
in a fresh database (a SQLite file, or a new database on the PostgreSQL server
given with ``--server``), then builds every measure × row axis (7 × 9, the
impossible « overdue by product » pairs left out) over the 12 months before the
sim date, with the comparison to the previous period, and every measure ×
month × category cross-tab: the time of ``sim.dashboards.pivot.build`` (all its
GROUP BY queries and the Decimal work), ``--runs`` times each. Prints the
median and the slowest pivot. Target: every pivot under 200 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 200.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=41)
    parser.add_argument("--server", help="a PostgreSQL URL to create the benchmark database on")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="advsim-bench-"))
    os.environ["ADVSIM_DATA_DIR"] = str(tmp)
    os.environ.setdefault("ADVSIM_SECRET_KEY", "bench-secret-key")
    os.environ.setdefault("ADVSIM_JOURNAL_KEY", "bench-journal-key-not-for-production")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from seed_company import _fresh_database

    url, drop = _fresh_database(tmp, 0, args.server)
    os.environ["ADVSIM_DATABASE_URL"] = url
    from seed.company import DEFAULT
    from sim.clock import sim_date
    from sim.dashboards.pivot import DIMENSIONS, MEASURES, PRODUCT_DIMENSIONS, PivotSpec, add_months, build, month_key
    from sim.db import UnitOfWork, get_engine, refresh_statistics
    from sim.migrations import upgrade
    from sim.workspace.service import create_workspace

    try:
        upgrade(url)
        with UnitOfWork() as uow:
            workspace = create_workspace(uow, name="bench-pivots", owner_id=None, seed=args.seed, size=DEFAULT)
            uow.commit()
        refresh_statistics(get_engine(url))
        specs = []
        with UnitOfWork(workspace.id, write=False) as uow:
            today = sim_date(uow)
        last = add_months(month_key(today), -1)
        first = add_months(last, -11)
        for measure in MEASURES:
            for rows in DIMENSIONS:
                if measure == "overdue" and rows in PRODUCT_DIMENSIONS:
                    continue
                specs.append(PivotSpec(measure=measure, rows=rows, from_month=first, to_month=last,
                                       compare="previous"))
            columns = "kind" if measure == "overdue" else "category"
            specs.append(PivotSpec(measure=measure, rows="month", columns=columns, from_month=first, to_month=last,
                                   chart="stacked"))
        times: dict[str, list[float]] = {}
        with UnitOfWork(workspace.id, write=False) as uow:
            build(uow, specs[0], today)  # warm-up: imports, statement caches
            for _ in range(args.runs):
                for spec in specs:
                    started = time.perf_counter()
                    build(uow, spec, today)
                    name = f"{spec.measure} × {spec.rows}" + (f" × {spec.columns}" if spec.columns else "")
                    times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        medians = {name: statistics.median(values) for name, values in times.items()}
        worst = max(medians, key=medians.get)
        slowest_run = max(max(v) for v in times.values())
        print(f"{len(specs)} pivots over {first} … {last} ({'PostgreSQL' if args.server else 'SQLite'}), "
              f"{args.runs} runs each; load average {os.getloadavg()[0]:.1f}")
        for name, value in sorted(medians.items(), key=lambda item: -item[1])[:8]:
            print(f"  {name:40} {value:7.1f} ms")
        print(f"median of the pivots {statistics.median(medians.values()):.1f} ms, slowest pivot {worst} "
              f"{medians[worst]:.1f} ms (slowest single run {slowest_run:.1f} ms)")
        met = slowest_run < TARGET_MS
        print(f"target: every pivot under {TARGET_MS:.0f} ms — {'met' if met else 'NOT met'}")
        return 0 if met else 1
    finally:
        from sim.db import dispose_engines

        dispose_engines()
        drop()


if __name__ == "__main__":
    raise SystemExit(main())
