"""The FastAPI application."""
from __future__ import annotations

import gc
import logging
import os
import time
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from sim.accounts.service import SESSION_LIFETIME  # the server ends the session then, too
from sim.config import get_settings
from sim.db import NotFound
from sim.errors import SimError
from sim.web.deps import LoginRequired, NotInspecting, PasswordChangeRequired
from sim.web.limits import RequestLimits
from sim.web.rendering import render
from sim.web.routes import (auth, billing, calls, claims, communication, customers, dashboards, evaluation, exam,
                            tradeshow, projects, project_report,
                            exports, folders, inbox, products, purchasing, receivables, sales, scenarios, shipping,
                            workspaces, writing)

STATIC = Path(__file__).resolve().parent / "static"


class ServerTiming:
    """Adds ``Server-Timing: app;dur=…`` (what the benchmark reads, and what a
    browser's dev tools show). Plain ASGI: no extra task per request."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message):
            if message["type"] == "http.response.start":
                duration = f"app;dur={(time.perf_counter() - started) * 1000:.2f}".encode()
                message = {**message, "headers": [*message.get("headers", []), (b"server-timing", duration)]}
            await send(message)

        await self.app(scope, receive, timed_send)


# The app's own pages satisfy this policy: scripts and styles come from /static
# only (no inline <script>, no style="..." attribute, no eval: htmx is told so in
# base.html), images from /static or data: URIs, forms post to the app itself.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
# A PDF opens in the browser's own viewer, which Chromium builds as a page with
# inline styles and an <embed>: the policy above would leave it blank. A PDF runs
# no script of ours, so it only gets the anti-framing part.
PDF_POLICY = "frame-ancestors 'none'"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
_REPLACED = {b"content-security-policy", b"cache-control", *(name for name, _ in SECURITY_HEADERS)}


class SecurityHeaders:
    """The security headers on every response, static files and errors included;
    ``Cache-Control: no-store`` on everything but the static files: every other
    response is either a logged-in user's page or a login/error page, none of
    which a shared computer's cache or the back button should keep."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def secured_send(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                pdf = any(k.lower() == b"content-type" and v.startswith(b"application/pdf") for k, v in headers)
                cache = [(k, v) for k, v in headers if k.lower() == b"cache-control"]
                headers = [(k, v) for k, v in headers if k.lower() not in _REPLACED]
                headers.append((b"content-security-policy", (PDF_POLICY if pdf else CONTENT_SECURITY_POLICY).encode()))
                headers.extend(SECURITY_HEADERS)
                headers.extend(cache if static else [(b"cache-control", b"no-store")])
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, secured_send)


_SERVER_ERROR_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Erreur — advsim</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main class="error-page"><h1>Erreur interne</h1>
<p>L'action n'a pas abouti et rien n'a été enregistré. Réessayez ; si l'erreur revient,
prévenez le formateur (l'incident est consigné dans le journal du serveur).</p>
<p><a href="/">Retour à l'accueil</a></p></main></body></html>""".encode()


class UnhandledErrors:
    """An unexpected exception becomes the app's 500 page *inside* the security
    middleware, so it carries the same headers as every other response
    (Starlette's own 500 is sent from outside every middleware). The traceback
    goes to the server's log; the transaction was already rolled back by the
    unit of work that raised."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception:  # noqa: BLE001 - logged with its traceback, answered as a 500 page
            logging.getLogger("advsim").exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                    (b"content-length", str(len(_SERVER_ERROR_PAGE)).encode())]})
            await send({"type": "http.response.body", "body": _SERVER_ERROR_PAGE})


@asynccontextmanager
async def _lifespan(app: FastAPI):
    """Live exam sessions need their alarm clock in every app process
    (ADVSIM_SCHEDULER=off leaves it out, e.g. for a process that only serves pages)."""
    # A page builds thousands of short-lived ORM objects: with the default
    # thresholds the collector runs every 700 allocations and, now and then,
    # walks every object of the process (a 10–30 ms pause in a list's tail).
    # The objects made at start-up (modules, templates, mappers) never die:
    # frozen, the full collections skip them; fewer, larger young collections.
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 50)
    alarm = None
    if os.environ.get("ADVSIM_SCHEDULER", "on") != "off":
        from sim.db import get_engine
        from sim.exam.scheduler import Alarm

        alarm = Alarm(get_engine())
        alarm.start()
    try:
        yield
    finally:
        if alarm is not None:
            alarm.stop()


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(title="advsim", docs_url=None, redoc_url=None, openapi_url=None, lifespan=_lifespan)
    app.add_middleware(RequestLimits)  # inside the session: its refusals are the app's error page
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="advsim_session",
                       max_age=int(SESSION_LIFETIME.total_seconds()), same_site="lax",
                       https_only=settings.secure_cookies)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.add_middleware(UnhandledErrors)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ServerTiming)
    app.state.trusted_proxies = settings.trusted_proxies
    for module in (auth, inbox, writing, calls, customers, claims, communication, folders, sales, billing, shipping,
                   products, purchasing, dashboards, workspaces, scenarios, exam, evaluation, exports, receivables,
                   tradeshow, projects, project_report):
        # Added as they are (not include_router) so that app.routes is the plain route table.
        app.router.routes.extend(module.router.routes)

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("HX-Request") == "true":
            return RedirectResponse("/login", status_code=303, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={target}" if request.method == "GET" else "/login",
                                status_code=303)

    @app.exception_handler(NotInspecting)
    async def _not_inspecting(request: Request, exc: NotInspecting):
        # a staff member on a candidate's page: choose whose workspace to read first
        if request.headers.get("HX-Request") == "true":
            return RedirectResponse("/workspaces", status_code=303, headers={"HX-Redirect": "/workspaces"})
        return RedirectResponse("/workspaces", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def _password_change_required(request: Request, exc: PasswordChangeRequired):
        if request.headers.get("HX-Request") == "true":
            return RedirectResponse("/account/password", status_code=303, headers={"HX-Redirect": "/account/password"})
        return RedirectResponse("/account/password", status_code=303)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return _error(request, 404, "Introuvable : cet élément n'existe pas dans votre espace.")

    @app.exception_handler(SimError)
    async def _refused(request: Request, exc: SimError):
        return _error(request, exc.status_code, exc.message)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        messages = {404: "Page introuvable.", 405: "Méthode non autorisée."}
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else messages.get(exc.status_code, "Erreur.")
        if exc.status_code == 404 and isinstance(exc.detail, str) and exc.detail != "Not Found":
            detail = exc.detail
        return _error(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _bad_parameter(request: Request, exc: RequestValidationError):
        # A malformed id in a URL names nothing in this workspace.
        if any(err.get("loc", ("",))[0] == "path" for err in exc.errors()):
            return _error(request, 404, "Page introuvable.")
        return _error(request, 422, "Paramètre invalide dans la requête.")

    return app


def _error(request: Request, status: int, message: str, headers=None):
    return render(request, "error.html", {"status": status, "message": message, "nav": [], "company": None},
                  status_code=status, headers=headers)


app = create_app()
