"""Staff reading a candidate's workspace: the inspection of a login session.

A trainer or an evaluator opens a candidate's workspace to judge it: their own
browser session (``UserSession.active_workspace_id``, the column that names a
candidate's chosen workspace) then names the workspace they read, and the
candidate's pages render it read-only (sim/web/deps.py ``viewing_uow``). The
inspection changes the staff member's session only: nothing is journaled, the
candidate's journal never learns that someone looked.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from sim.accounts.models import User, UserSession
from sim.accounts.service import token_digest
from sim.db import NotFound
from sim.workspace.models import Workspace

FALLBACK = "/inbox"


def safe_next(target: str | None) -> str:
    """Where to go once the inspection starts: a path of this site, else the inbox.

    ``//host``, ``/\\host``, schemes and control characters would leave the
    site (an open redirect) or confuse a browser: refused."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return FALLBACK
    if len(target) > 500 or any(ord(c) < 32 or c in "\\\x7f" for c in target):
        return FALLBACK
    return target


def start(uow, *, token: str, workspace_id: int) -> Workspace:
    """Point this login session at the workspace (a staff member's session: the route checks the role)."""
    workspace = uow.session.get(Workspace, workspace_id) if 0 < workspace_id <= 2**31 - 1 else None
    if workspace is None:
        raise NotFound(f"Workspace {workspace_id}")
    uow.session.execute(update(UserSession).where(UserSession.token_hash == token_digest(token))
                        .values(active_workspace_id=workspace.id))
    return workspace


def stop(uow, *, token: str) -> int | None:
    """End the inspection; returns the workspace that was read (for the way back)."""
    digest = token_digest(token)
    previous = uow.session.scalar(select(UserSession.active_workspace_id).where(UserSession.token_hash == digest))
    uow.session.execute(update(UserSession).where(UserSession.token_hash == digest).values(active_workspace_id=None))
    return previous


@dataclass(frozen=True)
class Banner:
    workspace_id: int
    candidate: str
    session: str
    ended: bool


def banner(uow, workspace: Workspace) -> Banner:
    """Whose workspace, in which exam session (or which practice run), for the page's banner."""
    from sim.exam.models import ExamSession

    owner = uow.session.get(User, workspace.owner_id) if workspace.owner_id else None
    session = uow.session.scalar(select(ExamSession.title).where(ExamSession.id == workspace.exam_session_id)) \
        if workspace.exam_session_id else None
    candidate = (owner.display_name or owner.username) if owner else "aucun candidat"
    return Banner(workspace_id=workspace.id, candidate=candidate, session=session or workspace.name,
                  ended=workspace.ended_at is not None)
