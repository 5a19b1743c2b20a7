"""CSRF protection: a synchronizer token kept in the signed session.

Every unsafe request (POST, PUT, PATCH, DELETE) must carry the session's token,
as the ``csrf_token`` form field (plain forms) or the ``X-CSRF-Token`` header
(htmx, set once in the page's ``hx-headers``). We do not use
fastapi-csrf-protect: its body parser splits the raw body on ``&`` and ``=``
without URL-decoding and cannot read multipart uploads, and the signed
session already gives us a per-user secret to compare against.
"""
from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request):
    """App-wide dependency: refuse an unsafe request without the right token (403).
    Afterwards, close the parsed form (uploaded files are temporary files)."""
    if request.method in UNSAFE:
        await _check(request)
    try:
        yield
    finally:
        await request.close()


async def _check(request: Request) -> None:
    expected = request.session.get("csrf")
    sent = request.headers.get(HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()  # cached: the route's Form() parameters reuse it
            value = form.get(FIELD)
            sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise HTTPException(status_code=403, detail="Jeton CSRF manquant ou invalide : rechargez la page.")
