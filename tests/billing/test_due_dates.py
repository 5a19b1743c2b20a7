"""Due dates from payment terms (domain/payment-and-invoicing.md §1, C. com. L441-10 I)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from sim.billing.terms import (
    PAYMENT_TERMS, UnknownPaymentTerms, due_date, legal_max_due_date, terms_label,
)


def test_30_days_net_from_15_september_is_15_october():
    """The worked example of §2: invoice of 15 Sep 2026, net 30 → due 15 Oct."""
    assert due_date(date(2026, 9, 15), "30_net") == date(2026, 10, 15)


def test_45_days_end_of_month_counted_from_the_end_of_the_month_lands_on_17_march():
    """§1: invoice dated 2 Jan, end of month + 45 days → 17 Mar [service-public F23211]."""
    assert due_date(date(2027, 1, 2), "45_fdm", eom_method="eom_then_45") == date(2027, 3, 17)


def test_45_days_then_end_of_month_lands_on_the_last_day_of_february():
    """§1: invoice dated 2 Jan, + 45 days then end of month → 28/29 Feb."""
    assert due_date(date(2027, 1, 2), "45_fdm", eom_method="45_then_eom") == date(2027, 2, 28)
    assert due_date(date(2028, 1, 2), "45_fdm", eom_method="45_then_eom") == date(2028, 2, 29)


def test_45_days_end_of_month_is_the_default_method_45_then_end_of_month():
    """The company setting defaults to "45_then_eom" (sim/company/models.py)."""
    assert due_date(date(2027, 1, 2), "45_fdm") == date(2027, 2, 28)


def test_45_days_end_of_month_may_fall_more_than_60_days_after_the_invoice():
    """L441-10 I allows "45 jours fin de mois" as a derogation to the 60-day rule:
    17 Mar is 74 days after 2 Jan, and still legal when the contract stipulates it."""
    issued = date(2027, 1, 2)
    assert due_date(issued, "45_fdm", eom_method="eom_then_45") > legal_max_due_date(issued)


def test_30_days_end_of_month_both_ways():
    assert due_date(date(2026, 9, 15), "30_fdm", eom_method="45_then_eom") == date(2026, 10, 31)
    assert due_date(date(2026, 9, 15), "30_fdm", eom_method="eom_then_45") == date(2026, 10, 30)


def test_cash_terms_are_due_on_the_invoice_date():
    assert due_date(date(2026, 9, 15), "comptant") == date(2026, 9, 15)


def test_60_days_net_is_the_legal_maximum_itself():
    """§1: "Agreed: 60 d after invoice date" — reached, not exceeded."""
    issued = date(2026, 9, 15)
    assert legal_max_due_date(issued) == issued + timedelta(days=60) == date(2026, 11, 14)
    assert due_date(issued, "60_net") == date(2026, 11, 14)


@pytest.mark.parametrize("terms", ["90_net", "75_net", "60_fdm"])
def test_a_term_beyond_60_days_is_capped_at_the_legal_maximum(terms):
    """C. com. L441-10 I: never more than 60 days after the invoice date (outside
    the 45-days-end-of-month derogation); a longer term is capped."""
    issued = date(2026, 9, 15)
    assert due_date(issued, terms) == date(2026, 11, 14)
    assert due_date(issued, terms, eom_method="eom_then_45") == date(2026, 11, 14)


def test_every_listed_terms_code_has_its_french_label():
    assert PAYMENT_TERMS["30_net"] == "30 jours net"
    assert PAYMENT_TERMS["45_fdm"] == "45 jours fin de mois"
    assert set(PAYMENT_TERMS) == {"comptant", "30_net", "30_fdm", "45_fdm", "60_net"}
    assert terms_label("90_net") == "90 jours net"
    for code in PAYMENT_TERMS:
        assert due_date(date(2026, 9, 15), code) >= date(2026, 9, 15)


@pytest.mark.parametrize("terms", ["", "30 jours", "net_30", "45_eom"])
def test_unknown_terms_are_refused(terms):
    with pytest.raises(UnknownPaymentTerms):
        due_date(date(2026, 9, 15), terms)


def test_an_unknown_end_of_month_method_is_refused():
    with pytest.raises(ValueError):
        due_date(date(2026, 9, 15), "45_fdm", eom_method="whenever")
