"""Totals are rounded per line, VAT per rate (domain/payment-and-invoicing.md §6)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal as D

from sim.sales.pricing import document_totals, line_net


@dataclass
class L:
    line_total_ht: D
    vat_rate: D


def test_each_line_is_rounded_to_the_cent_half_up():
    # 3 × 1.115 = 3.345 → 3.35 (half up, not banker's 3.34)
    assert line_net(D("3"), D("1.115")) == D("3.35")
    # 7 × 12.99 with 5 % off = 86.3835 → 86.38
    assert line_net(D("7"), D("12.99"), D("5")) == D("86.38")


def test_vat_is_computed_per_rate_on_a_mixed_invoice():
    lines = [L(D("100.00"), D("20.00")), L(D("33.33"), D("20.00")), L(D("10.01"), D("5.50"))]
    totals = document_totals(lines)
    # 20 %: base 133.33, VAT 26.666 → 26.67; 5.5 %: base 10.01, VAT 0.55055 → 0.55
    assert totals.by_rate == {D("5.50"): (D("10.01"), D("0.55")), D("20.00"): (D("133.33"), D("26.67"))}
    assert (totals.total_ht, totals.total_vat, totals.total_ttc) == (D("143.34"), D("27.22"), D("170.56"))


def test_a_global_discount_reduces_each_rate_base_before_vat():
    lines = [L(D("200.00"), D("20.00")), L(D("50.00"), D("10.00"))]
    totals = document_totals(lines, D("3"))
    # 200 × 0.97 = 194.00 (VAT 38.80); 50 × 0.97 = 48.50 (VAT 4.85)
    assert totals.total_ht == D("242.50") and totals.total_vat == D("43.65") and totals.total_ttc == D("286.15")
