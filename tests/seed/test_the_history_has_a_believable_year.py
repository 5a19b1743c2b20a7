"""The generated history reads like a packaging distributor's year, so that a
dashboard has something to show (CP6): a quiet August (the summer break), an
autumn peak, and a catalogue with more than one VAT rate (books at
5.5 %, CGI art. 278-0 bis), visible on the invoices."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from seed.company import DEFAULT
from .helpers import rows


@pytest.fixture(scope="module")
def default_company(tmp_path_factory):
    from sim.db import UnitOfWork
    from sim.workspace.service import create_workspace

    with UnitOfWork() as uow:
        workspace = create_workspace(uow, name="believable-year", owner_id=None, seed=7, size=DEFAULT)
        uow.commit()
        return workspace


def test_august_is_the_quietest_month_and_the_autumn_the_busiest(default_company, engine):
    orders = [o for o in rows(engine, "sales_order", default_company.id) if o["status"] != "cancelled"]
    per_month = Counter(o["order_date"].month for o in orders)
    revenue = Counter()
    for invoice in rows(engine, "invoice", default_company.id):
        revenue[invoice["issue_date"].month] += invoice["total_ht"]
    # 12 months of history ending on Sunday 1 November 2026: November 2025 to October 2026
    assert min(per_month, key=per_month.get) == 8
    assert max(per_month, key=per_month.get) in (9, 10, 11)  # the book grows over the year: Nov 2025 has fewer customers
    assert min(revenue, key=revenue.get) == 8
    q4 = sum(per_month[m] for m in (10, 11, 12)) / 3
    summer = sum(per_month[m] for m in (7, 8)) / 2
    assert q4 > 1.25 * summer


def test_the_catalogue_and_the_invoices_carry_two_vat_rates(default_company, engine):
    products = rows(engine, "product", default_company.id)
    rates = Counter(p["vat_rate"] for p in products)
    assert set(rates) == {Decimal("20.00"), Decimal("5.50")} and rates[Decimal("5.50")] >= 2
    invoiced = {line["vat_rate"] for line in rows(engine, "invoice_line", default_company.id)}
    assert {Decimal("20.00"), Decimal("5.50"), Decimal("0.00")} <= invoiced  # 0 %: intra-EU and export
