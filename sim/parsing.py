"""Numbers as people type them in a French form: ``1 250,50``, ``1250.5``, ``12``."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation


def read_decimal(raw, key: str, errors: dict[str, str], message: str, *, default: str | None = None
                 ) -> Decimal | None:
    """The number typed in field ``key``, or None with ``message`` put on ``errors[key]``.

    Spaces (ordinary, no-break, narrow) are thousands separators; a comma is the
    decimal point. An empty field is ``default`` when one is given. "NaN" and
    "Infinity", which Decimal accepts, are not numbers here."""
    text = "" if raw is None else str(raw)
    for space in (" ", "\u00a0", "\u202f"):
        text = text.replace(space, "")
    text = text.replace(",", ".")
    if not text and default is not None:
        text = default
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        errors[key] = message
        return None
    return value
