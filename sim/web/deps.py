"""Dependencies every route uses: who is logged in, with which role, in which workspace.

Every route declares exactly one access rule: ``requires(...)`` (roles) or
``public``. ``tests/web/test_route_table.py`` walks the app's routes and fails
if one has none, then checks each rule against every role.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from fastapi import Depends, HTTPException, Request
from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.orm import aliased

from sim.accounts.models import Role, User
from sim.db import UnitOfWork
from sim.workspace.models import Workspace


class LoginRequired(Exception):
    """Not logged in: HTML pages redirect to the login page."""


class PasswordChangeRequired(Exception):
    """Logged in with a one-time password (a login sheet): choose one's own first."""


class NotInspecting(Exception):
    """A staff member on a candidate's page without having opened a workspace: back to the workspace list."""


OPEN_WITH_A_ONE_TIME_PASSWORD = ("/account/password", "/logout")
STAFF_ROLES = frozenset((Role.TRAINER, Role.EVALUATOR, Role.ADMIN))
READ_ONLY = ("Consultation en lecture seule : vous consultez l'espace d'un candidat, rien ne peut y être "
             "modifié ni saisi. Quittez la consultation (bandeau en haut de page) pour revenir à vos pages.")


class AccessRule:
    """A dependency that carries the roles it admits (``roles`` is empty for public pages)."""

    def __init__(self, *roles: Role, public: bool = False):
        self.roles = frozenset(roles)
        self.public = public

    def __repr__(self) -> str:
        return "public" if self.public else f"requires({', '.join(sorted(self.roles))})"

    def __call__(self, request: Request) -> User | None:
        if self.public:
            return current_user(request)
        user = current_user(request)
        if user is None:
            raise LoginRequired()
        if user.role not in self.roles:
            if inspected_workspace(request) is not None:
                # a candidate's form or action while a staff member reads their workspace
                raise HTTPException(status_code=403, detail=READ_ONLY)
            raise HTTPException(status_code=403, detail="Accès refusé : cette page n'est pas ouverte à votre rôle.")
        if user.must_change_password and request.url.path not in OPEN_WITH_A_ONE_TIME_PASSWORD:
            raise PasswordChangeRequired()
        return user


def current_user(request: Request) -> User | None:
    if "user" in request.state._state:
        return request.state.user
    user = None
    token = request.session.get("sid")
    if isinstance(token, str) and token:
        from sim.accounts.service import token_digest
        from sim.clock import wall_now

        with UnitOfWork(write=False) as uow:
            row = uow.session.execute(_session_query(), {"token_hash": token_digest(token), "now": wall_now()}).first()
            if row is not None and row[1] is not None and row[0].role in STAFF_ROLES:
                from sim.accounts.inspection import banner

                request.state.inspection = banner(uow, row[1])  # same connection: whose, which session
        if row is not None:
            user = row[0]
            if row[1] is not None:
                if user.role in STAFF_ROLES:
                    request.state.inspected = row[1]
                else:
                    request.state.workspace = row[1]
        else:
            request.session.pop("sid", None)
    request.state.user = user
    return user


@lru_cache(maxsize=1)
def _session_query():
    """The session, its user and, for a candidate, the workspace they work in, in one round trip;
    a session ends at logout, at a password change, after 12 hours, or when the user is deactivated;
    a staff member's session names the workspace they inspect, read-only (sim/accounts/inspection.py).
    Built once with bound parameters (``token_hash``, ``now``): building it cost more than sending it."""
    from sim.accounts.models import UserSession

    is_candidate = User.role == Role.CANDIDATE
    return (select(User, Workspace).join(UserSession, UserSession.user_id == User.id)
            .outerjoin(Workspace, or_(
                and_(is_candidate, Workspace.owner_id == User.id,
                     Workspace.id == func.coalesce(UserSession.active_workspace_id, _default_workspace())),
                and_(~is_candidate, Workspace.id == UserSession.active_workspace_id)))
            .where(UserSession.token_hash == bindparam("token_hash"), UserSession.revoked_at.is_(None),
                   UserSession.expires_at > bindparam("now"), User.active.is_(True))
            .limit(1))


def _default_workspace():
    """The workspace a candidate works in when they have not chosen one: their
    copy of an exam under way, else their newest workspace."""
    mine = aliased(Workspace)
    live_first = case((and_(mine.exam_session_id.is_not(None), mine.ended_at.is_(None)), 0), else_=1)
    return (select(mine.id).where(mine.owner_id == User.id).order_by(live_first, mine.id.desc()).limit(1)
            .correlate(User).scalar_subquery())


def inspected_workspace(request: Request) -> Workspace | None:
    """The candidate's workspace a staff member's session reads, if any."""
    return request.state._state.get("inspected")


class CandidateOrInspector(AccessRule):
    """A candidate's reading page: the candidate, or a staff member inspecting a
    workspace (read-only). A staff member who has opened none goes to the list."""

    def __call__(self, request: Request) -> User | None:
        user = super().__call__(request)
        if user.role in STAFF_ROLES and inspected_workspace(request) is None:
            raise NotInspecting()
        return user


def requires(*roles: Role) -> AccessRule:
    return AccessRule(*roles)


public = AccessRule(public=True)
candidate_only = requires(Role.CANDIDATE)
staff = requires(Role.TRAINER, Role.EVALUATOR, Role.ADMIN)


def candidate_workspace(request: Request, user: User = Depends(candidate_only)) -> Workspace:
    """The candidate's own workspace: the only one their pages can ever read."""
    workspace = request.state._state.get("workspace")  # looked up with the user, in one query
    if workspace is None:
        from sim.workspace.service import workspace_of

        with UnitOfWork(write=False) as uow:
            workspace = workspace_of(uow, user.id)
    if workspace is None:
        raise HTTPException(status_code=404, detail="Aucun espace de travail ne vous est attribué.")
    return workspace


candidate_or_inspector = CandidateOrInspector(Role.CANDIDATE, *STAFF_ROLES)


def viewed_workspace(request: Request, user: User = Depends(candidate_or_inspector)) -> Workspace:
    """The workspace a reading page shows: the candidate's own, or the one a staff member inspects."""
    if user.role in STAFF_ROLES:
        return inspected_workspace(request)
    return candidate_workspace(request, user)


def viewing_uow(request: Request, workspace: Workspace = Depends(viewed_workspace)) -> Iterator[UnitOfWork]:
    """A read-only unit of work for a page staff may inspect: ``uow.inspecting``
    tells the page to leave no evidence (no account seen, no message read)."""
    with UnitOfWork(workspace.id, write=False, inspecting=request.state.user.role in STAFF_ROLES,
                    workspace=workspace) as uow:
        yield uow


def reading_uow(workspace: Workspace = Depends(candidate_workspace)) -> Iterator[UnitOfWork]:
    """A read-only unit of work scoped to the candidate's workspace."""
    with UnitOfWork(workspace.id, write=False, workspace=workspace) as uow:
        yield uow


def writing_uow(workspace: Workspace = Depends(candidate_workspace)) -> Iterator[UnitOfWork]:
    """A unit of work scoped to the candidate's workspace, for a service that commits."""
    with UnitOfWork(workspace.id) as uow:
        yield uow


def actor(user: User) -> str:
    return f"{user.role}:{user.username}"


def access_rule(dependant) -> AccessRule | None:
    """The access rule a route (or a dependency of it) declares, searched depth-first."""
    for dep in dependant.dependencies:
        if isinstance(dep.call, AccessRule):
            return dep.call
        found = access_rule(dep)
        if found is not None:
            return found
    return None
