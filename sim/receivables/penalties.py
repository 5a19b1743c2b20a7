"""Late-payment penalties and the fixed recovery indemnity (B2B), to the day.

domain/payment-and-invoicing.md §2-3:

- penalties are due as of right from the day after the due date [C. com. L441-10 II];
- rate: the one of the terms of sale (``Company.penalty_rate``), never below
  three times the legal interest rate for professional creditors of the
  half-year in which the delay starts (the due date's); the CGV default is the
  ECB refinancing rate + 10 points (12.15 % in 2025-2026);
- penalty = amount TTC × annual rate × days late ÷ 365, per invoice, rounded to
  the cent; a part paid late bears penalties up to the day it was paid, what is
  still owed up to the day of the letter;
- 40 € fixed indemnity per invoice paid late, between professionals only
  [C. com. D441-5, L441-10 II]; consumers owe neither;
- no VAT on either: they are damages, not the price of a supply
  (domain/payment-and-invoicing.md §2, §3: assistant-juridique.fr).

Pure functions on dates and Decimals (no database, no clock): the services
(sim/receivables/recovery.py) give them the invoice's payments.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
INDEMNITY = Decimal("40.00")  # C. com. D441-5

# The legal interest rate for professional creditors, per half-year (arrêtés of
# the Ministry of the Economy): dated parameters, not constants
# (domain/payment-and-invoicing.md §2). A half-year not listed yet uses the
# latest known one.
LEGAL_RATE_PRO: dict[tuple[int, int], Decimal] = {
    (2025, 1): Decimal("3.71"),  # arrêté of 19 Dec 2024 (to verify)
    (2025, 2): Decimal("2.76"),
    (2026, 1): Decimal("2.62"),  # arrêté of 15 Dec 2025
}


def _half(day: date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def legal_rate(on: date) -> Decimal:
    """The legal interest rate (professional creditor) in force on ``on``."""
    known = sorted(LEGAL_RATE_PRO)
    half = _half(on)
    usable = [h for h in known if h <= half] or known[:1]
    return LEGAL_RATE_PRO[usable[-1]]


def floor_rate(on: date) -> Decimal:
    """Three times the legal interest rate: the lowest rate the terms of sale may set."""
    return legal_rate(on) * 3


def applicable_rate(cgv_rate: Decimal, due_date: date) -> Decimal:
    """The annual rate (%) applied: the terms of sale's, raised to the floor if below it."""
    return max(Decimal(cgv_rate), floor_rate(due_date))


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def penalty(amount: Decimal, rate: Decimal, days: int) -> Decimal:
    """amount × rate % × days ÷ 365, to the cent (12 000 × 12.15 % × 40 / 365 = 159.78)."""
    if days <= 0 or amount <= 0:
        return ZERO
    return money(Decimal(amount) * Decimal(rate) / 100 * days / 365)


@dataclass
class Period:
    """A part of the invoice late from the due date to ``until`` (paid that day, or still owed)."""

    amount: Decimal
    until: date
    days: int
    penalty: Decimal
    paid: bool


@dataclass
class InvoicePenalty:
    number: str
    due_date: date
    total_ttc: Decimal
    open_amount: Decimal  # still owed at the letter's date
    rate: Decimal
    periods: list[Period] = field(default_factory=list)
    indemnity: Decimal = ZERO

    @property
    def days(self) -> int:
        """Days late of what is still owed (or of the last part paid late)."""
        return max((p.days for p in self.periods), default=0)

    @property
    def penalties(self) -> Decimal:
        return sum((p.penalty for p in self.periods), ZERO)

    @property
    def claim(self) -> Decimal:
        return self.penalties + self.indemnity


def invoice_penalty(*, number: str, due_date: date, total_ttc: Decimal, open_amount: Decimal,
                    paid_late: list[tuple[date, Decimal]], as_of: date, cgv_rate: Decimal,
                    b2b: bool = True) -> InvoicePenalty:
    """Penalties on one invoice at ``as_of``: the parts paid after the due date
    (``paid_late``: (day, amount)) up to their day, what is still owed up to
    ``as_of``; the 40 € indemnity once the invoice is late at all (B2B)."""
    rate = applicable_rate(cgv_rate, due_date)
    result = InvoicePenalty(number, due_date, Decimal(total_ttc), Decimal(open_amount), rate)
    if not b2b:
        return result
    for day, amount in sorted(paid_late):
        days = (day - due_date).days
        if days > 0 and amount > 0:
            result.periods.append(Period(Decimal(amount), day, days, penalty(amount, rate, days), True))
    days = (as_of - due_date).days
    if open_amount > 0 and days > 0:
        result.periods.append(Period(Decimal(open_amount), as_of, days, penalty(open_amount, rate, days), False))
    if result.periods:
        result.indemnity = INDEMNITY
    return result
