"""French display formats shared by the pages and the printed documents.

Money goes through Babel (``fr_FR``): ``1 234,56 €`` with a narrow no-break
space (U+202F) between thousands and a no-break space before the sign. These
are plain functions on values, usable as Jinja filters by ``sim.web`` and by
``sim.documents`` alike (no domain imports ``web``).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency, parse_pattern

LOCALE = "fr_FR"
NBSP = "\u00a0"
NNBSP = "\u202f"
_LOCALE = Locale.parse(LOCALE)
# Parsed once: Babel's format_* functions parse their pattern on every call,
# which made amounts the most expensive thing on a page.
_EUR = _LOCALE.currency_formats["standard"]


@lru_cache(maxsize=32)
def _pattern(fmt: str):
    return parse_pattern(fmt)


def format_decimal(value, format: str, locale: str = LOCALE, decimal_quantization: bool = True) -> str:
    return _pattern(format).apply(value, _LOCALE, decimal_quantization=decimal_quantization)


def _grouped_fixed(value: Decimal, places: int) -> str:
    """fr_FR digits: thousands by U+202F, decimal comma, half-even like Babel.

    Babel gives the same text but costs ~0.4 ms a call, and a page prints
    hundreds of amounts; tests/test_formatting.py checks both agree."""
    text = f"{abs(Decimal(value)):.{places}f}"
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sign = "-" if value < 0 and any(ch not in "0." for ch in text) else ""
    return sign + NNBSP.join(groups) + ("," + fraction if fraction else "")


def eur(value: Decimal | None) -> str:
    """``1 234,56 €``."""
    if value is None:
        return ""
    return _grouped_fixed(value, 2) + NBSP + "€"


def eur_round(value: Decimal | None) -> str:
    """An amount without its cents when it has none: ``40 €``, ``30 000 €``, ``12,50 €``."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return format_currency(value, "EUR", format="#,##0\u00a0¤", locale=LOCALE, currency_digits=False)
    return eur(value)


def number(value: Decimal | None, digits: int = 0) -> str:
    """A number with a fixed count of decimals: ``number(x, 2)`` → ``1 234,50``."""
    if value is None:
        return ""
    return _grouped_fixed(value, digits)


def fr_number(value: Decimal | int | None) -> str:
    """A number as written in a French sentence, with all its digits and no
    useless zero: ``10`` (never ``1E+1``), ``12,5``, ``1 000 000``, ``0,125``."""
    if value is None:
        return ""
    value = Decimal(value)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    places = len(text.partition(".")[2])
    return _grouped_fixed(value, places)


def money(value: Decimal | None) -> str:
    """An amount in a table column whose header carries the currency: ``1 234,50``."""
    return number(value, 2)


def qty(value: Decimal | None) -> str:
    """A quantity without useless zeros: 12, 12,5, 0,125."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.###", locale=LOCALE)


def pct(value: Decimal | None) -> str:
    """A rate without useless zeros: ``20 %``, ``5,5 %``, ``12,15 %``."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.##", locale=LOCALE) + NBSP + "%"


def fr_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def grouped(value: str | None, size: int = 3, first: int | None = None) -> str:
    """Digits in groups for reading: SIREN ``838 834 752``, IBAN ``FR76 3000 …``."""
    if not value:
        return ""
    value = value.replace(" ", "")
    head = value[:first] if first else ""
    rest = value[len(head):]
    parts = ([head] if head else []) + [rest[i:i + size] for i in range(0, len(rest), size)]
    return " ".join(p for p in parts if p)


def siren(value: str | None) -> str:
    return grouped(value, 3)


def siret(value: str | None) -> str:
    """``838 834 752 00019``: the SIREN, then the 5-digit establishment number."""
    if not value:
        return ""
    value = value.replace(" ", "")
    return f"{grouped(value[:9], 3)} {value[9:]}".strip()


def iban(value: str | None) -> str:
    return grouped(value, 4)


def country_name(code: str | None) -> str:
    """The French name of an ISO country code: ``DE`` → ``Allemagne``."""
    if not code:
        return ""
    return Locale.parse(LOCALE).territories.get(code.upper(), code)


def fr_datetime(value) -> str:
    """02/11/2026 09:15 (sim times are naive: shown as they are)."""
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y %H:%M")


def fr_time(value) -> str:
    return "—" if value is None else value.strftime("%H:%M")


FILTERS = {
    "eur": eur, "eur_round": eur_round, "number": number, "money": money, "qty": qty, "pct": pct, "fr_number": fr_number,
    "fr_date": fr_date, "fr_datetime": fr_datetime, "fr_time": fr_time, "siren": siren, "siret": siret, "iban": iban, "country_name": country_name,
}


_MARKDOWN = None


def markdown(text: str | None):
    """Markdown (CommonMark) to HTML with raw HTML disabled: whatever a
    trainer or a candidate typed comes out escaped, so the result is safe."""
    global _MARKDOWN
    from markupsafe import Markup

    if _MARKDOWN is None:
        from markdown_it import MarkdownIt

        _MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False})
    return Markup(_MARKDOWN.render(text or ""))


FILTERS["markdown"] = markdown
