"""Login, logout and the home page that sends each role to its area."""
from __future__ import annotations

from urllib.parse import urlparse

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse

from sim.accounts.models import Role, User
from sim.accounts.service import BadCredentials, TooManyAttempts, authenticate
from sim.db import UnitOfWork
from sim.parsing import has_control_characters
from sim.web.routes import router as routes_router
from sim.web.deps import public, requires
from sim.web.rendering import render

router = routes_router()
any_role = requires(*Role)

HOME = {Role.CANDIDATE: "/customers", Role.TRAINER: "/workspaces", Role.EVALUATOR: "/workspaces",
        Role.ADMIN: "/workspaces"}


def _safe_next(target: str) -> str:
    """Only same-site paths: a login link must not bounce the user elsewhere."""
    if has_control_characters(target) or len(target) > 2000 or "\\" in target:
        return ""  # never into a Location header (and browsers read "/\\host" as "//host")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return ""
    return target


@router.get("/login")
def login_page(request: Request, next: str = "", user: User | None = Depends(public)):
    return render(request, "auth/login.html", {"next": _safe_next(next), "username": "", "error": ""})


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form(""),
          _: User | None = Depends(public)):
    client_ip = request.client.host if request.client else "?"
    if has_control_characters(username) or has_control_characters(password) or len(username) > 150 \
            or len(password) > 1024:
        # no account has such a name (and PostgreSQL refuses NUL): refused before any query
        return render(request, "auth/login.html",
                      {"next": _safe_next(next), "username": "", "error": "Identifiant ou mot de passe invalide."},
                      status_code=400)
    try:
        with UnitOfWork() as uow:
            user = authenticate(uow, username=username, password=password, client_ip=client_ip)
    except (BadCredentials, TooManyAttempts) as refused:
        return render(request, "auth/login.html",
                      {"next": _safe_next(next), "username": username, "error": refused.message},
                      status_code=refused.status_code)
    request.session.clear()  # a new session id for the new identity (no fixation)
    request.session["user_id"] = user.id
    request.session["pw"] = user.password_hash[-16:]
    return RedirectResponse(_safe_next(next) or HOME[Role(user.role)], status_code=303)


@router.post("/logout")
def logout(request: Request, _: User = Depends(any_role)):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def home(user: User = Depends(any_role)):
    return RedirectResponse(HOME[Role(user.role)], status_code=303)
