"""The same seed gives the same company, byte for byte; another seed another one.

The issue: "`advsim seed --seed N` builds a believable French SME … the same
company, byte for byte, for the same seed." Ids differ between workspaces (the
database assigns them), so foreign keys are compared as the rank of the row
they point to.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from seed.calendar import months_before
from seed.company import DEFAULT, SIM_START
from .helpers import dump, rows


def test_same_seed_gives_the_same_company_byte_for_byte(make_workspace, engine):
    first = make_workspace(seed=11)
    second = make_workspace(seed=11)

    assert first.id != second.id
    first_dump, second_dump = dump(engine, first.id), dump(engine, second.id)
    assert list(first_dump) == list(second_dump)
    for table in first_dump:
        assert first_dump[table], f"the seed writes no {table}"
        # repr() tells Decimal("1.0") from Decimal("1.00"): equal is not enough.
        assert repr(first_dump[table]) == repr(second_dump[table]), f"{table} differs"


def test_a_different_seed_gives_a_different_company(make_workspace, engine):
    first = make_workspace(seed=11)
    other = make_workspace(seed=12)

    first_dump, other_dump = dump(engine, first.id), dump(engine, other.id)
    assert rows(engine, "company", first.id)[0]["siren"] != rows(engine, "company", other.id)[0]["siren"]
    assert first_dump["customer"] != other_dump["customer"]
    assert first_dump["invoice"] != other_dump["invoice"]


def test_the_default_company_has_the_size_the_issue_asks_for(make_workspace, engine):
    """At least 300 customers (about 15 % abroad, writing in English), 150 products
    in several categories, 10 suppliers, 4 carriers, 12 months of history; most
    invoices paid, and 5–10 % of customers with an overdue amount at the start
    (domain/receivables-recovery.md §6: the aged balance the candidate works on)."""
    workspace = make_workspace(seed=2026, size=DEFAULT)
    ws = workspace.id

    customers = rows(engine, "customer", ws)
    abroad = [c for c in customers if c["country"] != "FR"]
    assert len(customers) >= 300
    assert 0.12 <= len(abroad) / len(customers) <= 0.18
    assert {c["language"] for c in abroad} == {"en"}
    assert {c["language"] for c in customers if c["country"] == "FR"} == {"fr"}
    products = rows(engine, "product", ws)
    assert len(products) == 150
    assert len({p["category"] for p in products}) >= 5
    assert len(rows(engine, "supplier", ws)) == 10
    assert len(rows(engine, "carrier", ws)) == 4

    # Twelve months of history, ending before the sim starts.
    orders = rows(engine, "sales_order", ws)
    first_day = min(o["order_date"] for o in orders)
    assert months_before(SIM_START, 12) <= first_day <= months_before(SIM_START, 12) + timedelta(days=10)
    assert max(o["order_date"] for o in orders) < SIM_START
    months = {(o["order_date"].year, o["order_date"].month) for o in orders}
    assert len(months) >= 12

    invoices = rows(engine, "invoice", ws)
    due = [i for i in invoices if i["due_date"] < SIM_START]
    paid = [i for i in due if i["status"] == "paid"]
    assert len(paid) / len(due) >= 0.9
    overdue_customers = {i["customer_id"] for i in due if i["amount_due"] > 0}
    assert 0.05 <= len(overdue_customers) / len(customers) <= 0.10
    assert any(i["due_date"] >= SIM_START and i["amount_due"] > 0 for i in invoices)


_SEED_IN_A_FRESH_PROCESS = """
import hashlib, os, sys
sys.path.insert(0, os.getcwd())
from sim.migrations import upgrade
upgrade(os.environ["ADVSIM_DATABASE_URL"])
from seed.company import SMALL
from sim.db import UnitOfWork, get_engine
from sim.workspace.service import create_workspace
from tests.seed.helpers import dump
with UnitOfWork() as uow:
    workspace = create_workspace(uow, name="elsewhere", owner_id=None, seed=5, size=SMALL)
    uow.commit()
print(hashlib.sha256(repr(dump(get_engine(), workspace.id)).encode()).hexdigest())
"""


def test_the_company_does_not_depend_on_the_process_nor_the_database(make_workspace, engine, tmp_path):
    """Hash randomisation (PYTHONHASHSEED) changes set order from one process to
    the next: a generator that iterated over a set would differ. The reference
    is this test run's database (SQLite or PostgreSQL), the others fresh SQLite files."""
    here = make_workspace(seed=5)
    expected = hashlib.sha256(repr(dump(engine, here.id)).encode()).hexdigest()
    root = Path(__file__).resolve().parents[2]
    for hash_seed in ("0", "4242"):
        data_dir = tmp_path / f"hash-{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "ADVSIM_DATA_DIR": str(data_dir),
               "ADVSIM_DATABASE_URL": f"sqlite:///{data_dir / 'advsim.sqlite3'}"}
        result = subprocess.run([sys.executable, "-c", _SEED_IN_A_FRESH_PROCESS], cwd=root, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == expected
