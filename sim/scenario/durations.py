"""Delays written as ``30m``, ``2h``, ``1d``, ``1d 4h``, ``90s``."""
from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d+)\s*([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
PATTERN = r"^\s*(\d+\s*[smhdw]\s*)+$"


def parse_delay(text: str) -> timedelta:
    if not re.match(PATTERN, str(text)):
        raise ValueError(f"durée illisible : {text!r} (ex. 30m, 2h, 1d, 1d 4h)")
    return timedelta(seconds=sum(int(n) * _UNITS[u] for n, u in _PART.findall(str(text))))
