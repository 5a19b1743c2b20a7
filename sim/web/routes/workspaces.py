"""Trainers and evaluators: the candidates' workspaces and their journals."""
from __future__ import annotations

from fastapi import Depends, Request
from sqlalchemy import func, select

from sim.accounts.models import User
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry
from sim.journal.service import verify_chain
from sim.web.routes import router as routes_router
from sim.web.deps import staff
from sim.web.rendering import is_htmx, render
from sim.web.shell import staff_shell
from sim.workspace.models import Workspace

router = routes_router()
PER_PAGE = 50


@router.get("/workspaces")
def workspace_list(request: Request, user: User = Depends(staff)):
    with UnitOfWork(write=False) as uow:
        rows = uow.session.execute(
            select(Workspace, User.username).outerjoin(User, User.id == Workspace.owner_id).order_by(Workspace.id)
        ).all()
    return render(request, "workspaces/workspace_list.html", {"rows": rows, **staff_shell("workspaces")})


@router.get("/workspaces/{workspace_id}/journal")
def workspace_journal(request: Request, workspace_id: int, kind: str = "", page: int = 1,
                      user: User = Depends(staff)):
    with UnitOfWork(workspace_id, write=False) as uow:
        workspace = uow.get(Workspace, workspace_id)
        query = select(JournalEntry)
        if kind:
            query = query.where(JournalEntry.kind.startswith(kind[:60]))
        total = uow.session.scalar(select(func.count()).select_from(query.subquery()))
        page = max(1, page)
        entries = uow.session.scalars(query.order_by(JournalEntry.seq.desc())
                                      .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
        kinds = uow.session.scalars(select(JournalEntry.kind).distinct().order_by(JournalEntry.kind)).all()
        chain = verify_chain(uow.session, workspace)
    pages = max(1, -(-total // PER_PAGE))
    context = {"workspace": workspace, "entries": entries, "kinds": kinds, "kind": kind, "page": page,
               "pages": pages, "total": total, "chain": chain, **staff_shell("workspaces")}
    return render(request, "workspaces/journal.html", context,
                  block="journal_table" if is_htmx(request) else None)
