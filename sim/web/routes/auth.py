"""Login, logout, the password change and the home page that sends each role to its area.

The session cookie (signed by Starlette) carries only a random session token
(``sid``) and the CSRF token; the session itself lives in ``user_session``.
"""
from __future__ import annotations

from urllib.parse import urlparse

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse

from sim.accounts.models import Role, User
from sim.accounts.service import (
    BadCredentials, TooManyAttempts, authenticate, change_password, open_session, revoke_session,
)
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.parsing import has_control_characters
from sim.web.client import client_address
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


@router.get("/healthz")
def health(user: User | None = Depends(public)):
    """For a load balancer or a monitor: the process answers (nothing is read).
    The page benchmark's baseline, too: the cost of the middleware alone."""
    from fastapi.responses import PlainTextResponse

    return PlainTextResponse("ok")


@router.get("/login")
def login_page(request: Request, next: str = "", user: User | None = Depends(public)):
    return render(request, "auth/login.html", {"next": _safe_next(next), "username": "", "error": ""})


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form(""),
          _: User | None = Depends(public)):
    if has_control_characters(username) or has_control_characters(password) or len(username) > 150 \
            or len(password) > 1024:
        # no account has such a name (and PostgreSQL refuses NUL): refused before any query
        return render(request, "auth/login.html",
                      {"next": _safe_next(next), "username": "", "error": "Identifiant ou mot de passe invalide."},
                      status_code=400)
    try:
        user = authenticate(username=username, password=password, client_ip=client_address(request))
    except (BadCredentials, TooManyAttempts) as refused:
        return render(request, "auth/login.html",
                      {"next": _safe_next(next), "username": username, "error": refused.message},
                      status_code=refused.status_code)
    with UnitOfWork() as uow:
        if request.session.get("sid"):
            revoke_session(uow, request.session["sid"])  # the browser's previous session, if any
        token = open_session(uow, user)
        uow.commit()
    _start(request, token)
    return RedirectResponse(_safe_next(next) or HOME[Role(user.role)], status_code=303)


def _start(request: Request, token: str) -> None:
    request.session.clear()  # a new token and a new CSRF token for the new session (no fixation)
    request.session["sid"] = token


@router.post("/logout")
def logout(request: Request, _: User = Depends(any_role)):
    with UnitOfWork() as uow:
        revoke_session(uow, request.session["sid"])
        uow.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# ===== Mon compte → Changer le mot de passe ================================

@router.get("/account/password")
def password_page(request: Request, user: User = Depends(any_role)):
    return render(request, "auth/password.html", {"errors": {}, "done": request.query_params.get("done") == "1",
                                                  **_account_shell(request, user)})


@router.post("/account/password")
def password_change(request: Request, current_password: str = Form(""), new_password: str = Form(""),
                    confirm_password: str = Form(""), user: User = Depends(any_role)):
    try:
        token = change_password(user_id=user.id, current=current_password, new=new_password,
                                confirm=confirm_password, client_ip=client_address(request))
    except ValidationFailed as refused:
        return render(request, "auth/password.html", {"errors": refused.errors, "done": False,
                                                      **_account_shell(request, user)}, status_code=422)
    # every other session of this user has ended; this browser continues in a new one
    _start(request, token)
    return RedirectResponse("/account/password?done=1", status_code=303)


def _account_shell(request: Request, user: User) -> dict:
    from sim.web.shell import shell, staff_shell

    if user.role != Role.CANDIDATE:
        return staff_shell("account")
    workspace = request.state._state.get("workspace")  # looked up with the user
    if workspace is None:
        return {"nav": [], "active": "account"}
    with UnitOfWork(workspace.id, write=False) as uow:
        return shell(uow, "account")


@router.get("/")
def home(user: User = Depends(any_role)):
    return RedirectResponse(HOME[Role(user.role)], status_code=303)
