"""Trainers and evaluators: the candidates' workspaces and their journals."""
from __future__ import annotations

from fastapi import Depends, Request
from starlette.datastructures import FormData
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select

from sim.accounts.models import Role, User
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry
from sim.journal.service import journal_rows, verify_chain
from sim.web.routes import form_data, router as routes_router
from sim.web.deps import requires, staff
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
        query = select(JournalEntry.id)
        if kind:
            query = query.where(JournalEntry.kind.startswith(kind[:60], autoescape=True))
        total = uow.session.scalar(select(func.count()).select_from(query.subquery()))
        page = min(max(1, page), 100_000)  # a page number no journal reaches, never an overflow
        # Read raw: a row damaged by hand shows as it is instead of failing the page.
        entries = journal_rows(uow.session, workspace_id, kind_prefix=kind[:60], newest_first=True,
                               offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
        kinds = uow.session.scalars(select(JournalEntry.kind).distinct().order_by(JournalEntry.kind)).all()
        chain = verify_chain(uow.session, workspace)
    pages = max(1, -(-total // PER_PAGE))
    context = {"workspace": workspace, "entries": entries, "kinds": kinds, "kind": kind, "page": page,
               "pages": pages, "total": total, "chain": chain, **staff_shell("workspaces")}
    from sim.journal.sentences import sentence

    context["sentence"] = sentence
    return render(request, "workspaces/journal.html", context,
                  block="journal_table" if is_htmx(request) else None)


# ===== management approvals (the trainer plays the sales manager) =========

manager = requires(Role.TRAINER, Role.ADMIN)


def _approvals(uow):
    from sim.crm.models import Customer
    from sim.sales.models import OrderStatus, SalesOrder

    rows = uow.session.execute(
        select(SalesOrder, Customer).join(Customer, Customer.id == SalesOrder.customer_id)
        .where(SalesOrder.status.in_((OrderStatus.PENDING_APPROVAL, OrderStatus.BLOCKED)))
        .order_by(SalesOrder.status.desc(), SalesOrder.order_date)).all()  # waiting for a decision first
    requests = {}
    for entry in uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "order.approval_requested")
                                     .order_by(JournalEntry.seq)):
        requests[entry.refs.get("order")] = entry
    return [(order, customer, requests.get(order.number)) for order, customer in rows]


def _pending_plans(uow):
    """Payment plans beyond the candidate's delegation, waiting for management (sim/receivables/plans.py)."""
    from sim.crm.models import Customer
    from sim.receivables.models import PaymentPlan, PaymentPlanStatus
    from sim.receivables.plans import plan_states

    rows = uow.session.execute(select(PaymentPlan, Customer).join(Customer, Customer.id == PaymentPlan.customer_id)
                               .where(PaymentPlan.status == PaymentPlanStatus.PENDING)
                               .order_by(PaymentPlan.created_on, PaymentPlan.id)).all()
    states = {s.plan.id: s for s in plan_states(uow, customer_ids=[c.id for _, c in rows])}
    return [(plan, customer, states[plan.id]) for plan, customer in rows]


def _escalated_claims(uow):
    """Escalated claims waiting for management (sim/crm/claims.py), with the candidate's request."""
    from sim.crm.claims import awaiting_decision, escalation_message

    return [(claim, customer, escalation_message(uow, claim)) for claim, customer in awaiting_decision(uow)]


def _approvals_page(request, reader, workspace_id: int, user, error: str = "", status_code: int = 200):
    return render(request, "workspaces/approvals.html",
                  {"workspace": reader.get(Workspace, workspace_id), "rows": _approvals(reader),
                   "plans": _pending_plans(reader), "claims": _escalated_claims(reader), "error": error,
                   "can_approve": user.role in ("trainer", "admin"), **staff_shell("workspaces")},
                  status_code=status_code)


@router.get("/workspaces/{workspace_id}/approvals")
def workspace_approvals(request: Request, workspace_id: int, user: User = Depends(staff), error: str = ""):
    with UnitOfWork(workspace_id, write=False) as uow:
        return _approvals_page(request, uow, workspace_id, user)


@router.post("/workspaces/{workspace_id}/orders/{order_id}/approve")
def workspace_approve_order(request: Request, workspace_id: int, order_id: int, user: User = Depends(manager),
        form: FormData = Depends(form_data)):
    from sim.errors import SimError
    from sim.sales.service import approve_order

    with UnitOfWork(workspace_id) as uow:
        uow.get(Workspace, workspace_id)
        try:
            approve_order(uow, actor=f"{user.role}:{user.username}", actor_role=user.role, order_id=order_id,
                          comment=form.get("comment", ""))
            uow.commit()
        except SimError as refused:
            with UnitOfWork(workspace_id, write=False) as reader:
                return _approvals_page(request, reader, workspace_id, user, status_code=refused.status_code,
                                       error="; ".join(getattr(refused, "errors", {}).values()) or refused.message)
    return RedirectResponse(f"/workspaces/{workspace_id}/approvals", status_code=303)


@router.post("/workspaces/{workspace_id}/orders/{order_id}/decision")
def workspace_decide_order(request: Request, workspace_id: int, order_id: int, user: User = Depends(manager),
                           form: FormData = Depends(form_data)):
    """The manager's answer: approved, refused or approved with conditions, with a comment."""
    from sim.errors import SimError
    from sim.sales.service import decide_approval

    with UnitOfWork(workspace_id) as uow:
        uow.get(Workspace, workspace_id)
        try:
            decide_approval(uow, actor=f"{user.role}:{user.username}", actor_role=user.role, order_id=order_id,
                            decision=form.get("decision", ""), comment=form.get("comment", ""))
            uow.commit()
        except SimError as refused:
            uow.rollback()
            with UnitOfWork(workspace_id, write=False) as reader:
                return _approvals_page(request, reader, workspace_id, user, status_code=refused.status_code,
                                       error="; ".join(getattr(refused, "errors", {}).values()) or refused.message)
    return RedirectResponse(f"/workspaces/{workspace_id}/approvals", status_code=303)


@router.post("/workspaces/{workspace_id}/customers/{customer_id}/payment-plan/decision")
def workspace_decide_plan(request: Request, workspace_id: int, customer_id: int, user: User = Depends(manager),
                          form: FormData = Depends(form_data)):
    """Management's answer on a payment plan beyond the delegation (the customer's pending one)."""
    from sim.errors import SimError
    from sim.receivables.models import PaymentPlan, PaymentPlanStatus
    from sim.receivables.plans import decide_plan

    with UnitOfWork(workspace_id) as uow:
        uow.get(Workspace, workspace_id)
        try:
            plan = uow.session.scalars(select(PaymentPlan).where(
                PaymentPlan.customer_id == customer_id, PaymentPlan.status == PaymentPlanStatus.PENDING)
                .order_by(PaymentPlan.id.desc())).first()
            if plan is None:
                raise SimError("Aucun échéancier de ce client n'attend de décision.")
            decide_plan(uow, actor=f"{user.role}:{user.username}", actor_role=user.role, plan_id=plan.id,
                        decision=form.get("decision", ""), comment=form.get("comment", ""))
            uow.commit()
        except SimError as refused:
            uow.rollback()
            with UnitOfWork(workspace_id, write=False) as reader:
                return _approvals_page(request, reader, workspace_id, user, status_code=refused.status_code,
                                       error="; ".join(getattr(refused, "errors", {}).values()) or refused.message)
    return RedirectResponse(f"/workspaces/{workspace_id}/approvals", status_code=303)


@router.post("/workspaces/{workspace_id}/claims/{claim_id}/decision")
def workspace_decide_claim(request: Request, workspace_id: int, claim_id: int, user: User = Depends(manager),
                           form: FormData = Depends(form_data)):
    """Management's answer on a claim escalated beyond the candidate's delegation."""
    from sim.crm.claims import decide
    from sim.crm.models import Claim
    from sim.errors import SimError

    with UnitOfWork(workspace_id) as uow:
        uow.get(Workspace, workspace_id)
        uow.get(Claim, claim_id)  # 404 for a claim of another workspace
        try:
            decide(uow, actor=f"{user.role}:{user.username}", actor_role=user.role, claim_id=claim_id,
                   decision=form.get("decision", ""), comment=form.get("comment", ""))
            uow.commit()
        except SimError as refused:
            uow.rollback()
            with UnitOfWork(workspace_id, write=False) as reader:
                return _approvals_page(request, reader, workspace_id, user, status_code=refused.status_code,
                                       error="; ".join(getattr(refused, "errors", {}).values()) or refused.message)
    return RedirectResponse(f"/workspaces/{workspace_id}/approvals#reclamations", status_code=303)


# ===== reading a candidate's workspace (sim/accounts/inspection.py) =========

@router.get("/inspect/{workspace_id}")
def inspect_workspace(request: Request, workspace_id: int, next: str = "", user: User = Depends(staff)):
    """Open a candidate's workspace read-only in this browser session, then go to ``next`` (a local path)."""
    from sim.accounts import inspection

    with UnitOfWork() as uow:
        inspection.start(uow, token=request.session.get("sid", ""), workspace_id=workspace_id)
        uow.commit()
    return RedirectResponse(inspection.safe_next(next), status_code=303)


@router.post("/inspect/end")
def end_inspection(request: Request, user: User = Depends(staff)):
    """Leave the candidate's workspace: back to its exam session's console, or to the workspace list."""
    from sim.accounts import inspection

    with UnitOfWork() as uow:
        workspace_id = inspection.stop(uow, token=request.session.get("sid", ""))
        uow.commit()
        workspace = uow.session.get(Workspace, workspace_id) if workspace_id else None
        back = f"/sessions/{workspace.exam_session_id}" if workspace and workspace.exam_session_id else "/workspaces"
    return RedirectResponse(back, status_code=303)
