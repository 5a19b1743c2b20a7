"""The ``large`` size (issue "ERP depth", item 9): ten times the default company,
3 000 customers over 36 months, about 30 000 invoices — the generator used to
stop past about 2 000 customers, out of company names.

The plans are checked in memory (nothing written: the database adds nothing
to this check, so it runs once, on the SQLite pass)."""
from __future__ import annotations

import os

import pytest

from seed.company import LARGE, SIZES
from seed.parties import _unique_name


def test_a_name_taken_by_every_pattern_gets_a_register_style_suffix():
    taken = {"Martin Trading"}
    assert _unique_name(None, lambda: "Martin Trading", taken) == "Martin Trading (2)"
    assert _unique_name(None, lambda: "Martin Trading", taken) == "Martin Trading (3)"
    assert taken == {"Martin Trading", "Martin Trading (2)", "Martin Trading (3)"}


@pytest.mark.skipif(os.environ.get("ADVSIM_DATABASE_URL", "").startswith("postgresql"),
                    reason="database-independent: checked on the SQLite pass")
def test_the_large_company_has_3000_customers_36_months_and_about_30000_invoices():
    from seed.company import generate

    assert SIZES["large"] == LARGE and LARGE.customers == 3000 and LARGE.history_months == 36
    plans = generate(7, LARGE)
    assert len(plans.customers) == 3000
    assert len({c.name for c in plans.customers}) == 3000
    assert 27_000 <= len(plans.invoices) <= 34_000
    dates = sorted(i.issue_date for i in plans.invoices)
    assert (dates[-1] - dates[0]).days >= 35 * 30
