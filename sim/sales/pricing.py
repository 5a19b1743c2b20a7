"""Line and document totals, rounded as French invoices are.

advsim's rule (domain/payment-and-invoicing.md §6):
- each line's net excl. VAT is rounded to the cent, half up;
- a global discount applies to each VAT rate's base, rounded to the cent;
- VAT per rate = (sum of that rate's bases) × rate, rounded to the cent;
- total incl. VAT = total excl. VAT + the VAT of every rate.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Protocol

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """Round to the cent, half up (never banker's rounding on an invoice)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_net(quantity: Decimal, unit_price: Decimal, discount_pct: Decimal = ZERO) -> Decimal:
    """Quantity × unit price × (1 − discount), rounded to the cent."""
    return money(Decimal(quantity) * Decimal(unit_price) * (HUNDRED - Decimal(discount_pct)) / HUNDRED)


class PricedLine(Protocol):
    line_total_ht: Decimal
    vat_rate: Decimal


@dataclass
class Totals:
    total_ht: Decimal
    total_vat: Decimal
    total_ttc: Decimal
    # rate → (base excl. VAT, VAT), rates in increasing order
    by_rate: dict[Decimal, tuple[Decimal, Decimal]] = field(default_factory=dict)


def document_totals(lines: Iterable[PricedLine], global_discount_pct: Decimal = ZERO) -> Totals:
    bases: dict[Decimal, Decimal] = {}
    for line in lines:
        rate = Decimal(line.vat_rate)
        bases[rate] = bases.get(rate, ZERO) + Decimal(line.line_total_ht)
    factor = (HUNDRED - Decimal(global_discount_pct)) / HUNDRED
    by_rate: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for rate in sorted(bases):
        base = money(bases[rate] * factor)
        by_rate[rate] = (base, money(base * rate / HUNDRED))
    total_ht = sum((b for b, _ in by_rate.values()), ZERO)
    total_vat = sum((v for _, v in by_rate.values()), ZERO)
    return Totals(total_ht, total_vat, total_ht + total_vat, by_rate)
