"""French formats: our fast money formatting prints exactly what Babel prints
(fr_FR: narrow no-break space between thousands, comma, no-break space before €)."""
from __future__ import annotations

import random
from decimal import Decimal

from babel.numbers import format_currency, format_decimal

from sim.formatting import eur, number, qty


def test_amounts_print_exactly_as_babel_prints_them():
    rng = random.Random(7)
    values = [Decimal(rng.randint(-10**10, 10**10)) / 100 for _ in range(3000)]
    values += [Decimal("0"), Decimal("0.005"), Decimal("0.015"), Decimal("1234.565"), Decimal("999999.995")]
    for value in values:
        assert eur(value) == format_currency(value, "EUR", locale="fr_FR"), value
        assert number(value, 2) == format_decimal(value, format="#,##0.00", locale="fr_FR"), value
        assert number(value, 1) == format_decimal(value, format="#,##0.0", locale="fr_FR"), value
        assert number(value) == format_decimal(value, format="#,##0", locale="fr_FR"), value


def test_a_negative_zero_prints_without_a_sign():
    # Babel prints "-0,00 €"; an invoice line never should.
    assert eur(Decimal("-0.00")) == eur(Decimal("-0.004")) == "0,00\u00a0€"


def test_the_french_amount_format():
    assert eur(Decimal("1234.5")) == "1\u202f234,50\u00a0€"
    assert qty(Decimal("12.500")) == "12,5"
