"""A confirmation message after an action: kept in the signed session cookie
across the redirect, shown once by the next full page (base.html)."""
from __future__ import annotations

from fastapi import Request

KEY = "flash"


def flash(request: Request, message: str) -> None:
    if "session" in request.scope:
        request.session[KEY] = message[:300]


def pop_flash(request: Request) -> str:
    if "session" not in request.scope:
        return ""
    return request.session.pop(KEY, "") or ""
