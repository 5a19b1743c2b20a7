"""What people type in a French form, read once and bounded: numbers
(``1 250,50``, ``1250.5``, ``12``), ids, and free text.

Every refusal puts a French message on ``errors[key]`` (the field) and returns
None; nothing here raises, so a form reports all its faults at once."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Ids are PostgreSQL ``integer`` columns: anything beyond names no row.
ID_MAX = 2**31 - 1
MAX_QUANTITY = Decimal("1000000")
MAX_AMOUNT = Decimal("999999999.99")
# Any number at all stays well inside Decimal's 28 digits (quantize never overflows).
_CEILING = Decimal("999999999999")
# Plain decimal notation only: no exponent ("1E+1"), no NaN/Infinity, ASCII digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_SPACES = (" ", "\u00a0", "\u202f")
# Counted units take whole numbers; measured ones up to 3 decimals (grams, mm, ml).
MEASURED_UNITS = {"kg": 3, "g": 0, "t": 3, "m": 3, "m2": 3, "m²": 3, "m3": 3, "m³": 3, "l": 3, "L": 3}
# Control characters PostgreSQL refuses (NUL) or nobody types; tab and line ends
# are allowed in multi-line text only.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")


def _label(message: str) -> str:
    return message.split(" : ")[0] if " : " in message else "Valeur"


def read_decimal(raw, key: str, errors: dict[str, str], message: str, *, default: str | None = None,
                 minimum: Decimal | int | str | None = None, maximum: Decimal | int | str | None = None,
                 places: int | None = None) -> Decimal | None:
    """The number typed in field ``key``, or None with a message put on ``errors[key]``.

    Spaces (ordinary, no-break, narrow) are thousands separators; a comma is the
    decimal point. An empty field is ``default`` when one is given. "NaN",
    "Infinity" and exponents ("1E+1"), which Decimal accepts, are not numbers
    here. ``minimum``/``maximum`` bound the value and ``places`` its decimals,
    each with its own message ("Quantité : 1 000 000 au plus.")."""
    from sim.formatting import fr_number

    text = "" if raw is None else str(raw)
    if len(text) > 60:
        errors[key] = message
        return None
    for space in _SPACES:
        text = text.replace(space, "")
    text = text.replace(",", ".")
    if not text and default is not None:
        text = default
    if not _NUMBER.fullmatch(text):
        errors[key] = message
        return None
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        errors[key] = message
        return None
    label = _label(message)
    high = _CEILING if maximum is None else min(Decimal(maximum), _CEILING)
    low = -_CEILING if minimum is None else max(Decimal(minimum), -_CEILING)
    if value > high:
        errors[key] = f"{label} : {fr_number(high)} au plus."
        return None
    if value < low:
        errors[key] = f"{label} : {fr_number(low)} au moins."
        return None
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places)):
        errors[key] = (f"{label} : nombre entier attendu." if places == 0
                       else f"{label} : {places} décimale{'s' if places > 1 else ''} au plus.")
        return None
    return value


def unit_places(unit: str | None) -> int:
    """Decimals a quantity of this unit may have: 0 for counted units (u, lot, kit, sac, carton…)."""
    return MEASURED_UNITS.get((unit or "u").strip(), 0)


def read_quantity(raw, key: str, errors: dict[str, str], *, unit: str | None = "u", default: str | None = None,
                  message: str = "Quantité : nombre attendu.") -> Decimal | None:
    """A quantity of a product sold by ``unit``: at most 1 000 000, whole for counted units."""
    places = unit_places(unit)
    value = read_decimal(raw, key, errors, message, default=default, maximum=MAX_QUANTITY, places=places)
    if value is None and places == 0 and errors.get(key, "").endswith(" : nombre entier attendu."):
        errors[key] = f"{_label(message)} : nombre entier attendu (vendu à l'unité : {unit or 'u'})."
    return value


def read_amount(raw, key: str, errors: dict[str, str], *, default: str | None = None,
                message: str = "Montant : nombre attendu (ex. 1250,00).") -> Decimal | None:
    """An amount in euros: to the cent, at most 999 999 999,99."""
    value = read_decimal(raw, key, errors, message, default=default, maximum=MAX_AMOUNT, minimum=-MAX_AMOUNT,
                         places=2)
    if value is None and errors.get(key, "").endswith("2 décimales au plus."):
        errors[key] = "Montant au centime près."
    return value


def read_id(raw) -> int | None:
    """An id as a form or a URL sends it ("42"), or None when it cannot name a row."""
    text = "" if raw is None else str(raw).strip()
    if not (0 < len(text) <= 10 and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= ID_MAX else None


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= ID_MAX


def clean_text(raw) -> str | None:
    """The text without anything a database refuses, or None when it holds a NUL
    or another control character (what a lookup by name/code must not send)."""
    text = "" if raw is None else str(raw)
    return None if has_control_characters(text) else text


def has_control_characters(text, *, multiline: bool = False) -> bool:
    return bool((_CONTROL if multiline else _CONTROL_ONE_LINE).search("" if text is None else str(text)))


def read_text(raw, key: str, errors: dict[str, str], *, label: str, max_length: int, required: bool = False,
              multiline: bool = False) -> str | None:
    """Free text, stripped: refused (never cut) when too long, and refused when it
    holds a NUL or a control character; tabs and line ends only in ``multiline``."""
    text = ("" if raw is None else str(raw)).strip()
    if has_control_characters(text, multiline=multiline):
        errors[key] = f"{label} : caractère non imprimable interdit (caractère nul ou de contrôle)."
        return None
    if len(text) > max_length:
        errors[key] = f"{label} : {len(text)} caractères, {max_length} au plus."
        return None
    if required and not text:
        errors[key] = f"{label} : à remplir."
        return None
    return text
