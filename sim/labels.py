"""Small helper for enumerations stored as strings with a French label."""
from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A string enumeration whose members carry the label the UI shows.

    Declared as ``NAME = "value", "Libellé"``.
    """

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label  # type: ignore[attr-defined]
        return obj
