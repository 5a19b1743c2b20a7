"""Limits on what a request may carry, before any route reads it.

* A body over ``MAX_BODY`` bytes (2 MiB: the largest form is a 512 KiB
  scenario upload) is refused with 413, whether or not the client announced
  its length: the body is read here, up to the limit, then handed on.
* A NUL character in the query string (``?q=%00``) is refused with 400:
  PostgreSQL refuses NUL in text, and no one types it in a search box.
"""
from __future__ import annotations

import re

MAX_BODY = 2 * 1024 * 1024
_NUL = re.compile(rb"%00|\x00")


class RequestLimits:
    """Plain ASGI middleware, placed inside the session middleware so that the
    refusal page is the app's own error page (with the user's session)."""

    def __init__(self, app, max_body: int = MAX_BODY):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _NUL.search(scope.get("query_string", b"")):
            await _refuse(scope, receive, send, 400, "Caractère nul interdit dans l'adresse de la page.")
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _refuse(scope, receive, send, 413, _too_large(self.max_body))
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await _refuse(scope, receive, send, 413, _too_large(self.max_body))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _too_large(limit: int) -> str:
    return f"Requête trop volumineuse : {limit // (1024 * 1024)} Mio au plus (un fichier de scénario : 512 Ko au plus)."


async def _refuse(scope, receive, send, status: int, message: str) -> None:
    from starlette.requests import Request

    from sim.web.rendering import render

    request = Request(scope, receive)
    response = render(request, "error.html", {"status": status, "message": message, "nav": [], "company": None},
                      status_code=status)
    await response(scope, receive, send)
