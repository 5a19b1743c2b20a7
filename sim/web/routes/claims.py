"""Customer claims: the list (ages, statuses, deadlines), recording a claim, and
the claim page with one form per step of its workflow (sim/crm/claims.py)."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.datastructures import FormData

from sim.accounts.models import User
from sim.billing.models import CreditNote, Invoice
from sim.clock import sim_date
from sim.crm import claims
from sim.crm.models import Claim, ClaimCategory, ClaimSolution, ClaimStatus, Customer, Interaction
from sim.db import UnitOfWork
from sim.errors import SimError
from sim.parsing import read_id
from sim.sales.models import SalesOrder
from sim.sales.service import DECISIONS
from sim.web.deps import actor, candidate_only, reading_uow, viewing_uow, writing_uow
from sim.web.forms import customer_from, new_form_token, show_refusal
from sim.web.rendering import render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell


router = routes_router()
VIEWS = [("active", "En cours"), ("closed", "Clôturées"), ("all", "Toutes")]
STEP_FIELDS = ("analysis", "solution", "amount", "pct", "note", "message", "colleague", "alert", "answer",
               "resolution", "accepted", "form_token")


def _named(raw: str) -> int | None:
    """An optional id field: empty is none, anything else not an id names nothing (0: refused by the service)."""
    return read_id(raw) or (0 if raw.strip() else None)


def _strings(form: FormData, keys) -> dict[str, str]:
    return {k: str(form.get(k, "")) for k in keys}


@router.get("/claims")
def claim_list(request: Request, view: str = "active", uow: UnitOfWork = Depends(viewing_uow)):
    view = view if view in dict(VIEWS) else "active"
    return render(request, "claims/claim_list.html",
                  {"rows": claims.claim_rows(uow, status=view), "view": view, "views": VIEWS,
                   "today": sim_date(uow), "channels": claims.CHANNELS, **shell(uow, "claims")})


# ===== recording a claim =================================================

def _new_context(uow, values: dict) -> dict:
    customer = None
    if read_id(values.get("customer_id")):
        customer = uow.session.scalars(select(Customer).where(Customer.id == read_id(values["customer_id"]))).first()
    invoices = orders = []
    if customer is not None:
        invoices = uow.session.scalars(select(Invoice).where(Invoice.customer_id == customer.id)
                                       .order_by(Invoice.issue_date.desc(), Invoice.id.desc()).limit(20)).all()
        orders = uow.session.scalars(select(SalesOrder).where(SalesOrder.customer_id == customer.id)
                                     .order_by(SalesOrder.order_date.desc(), SalesOrder.id.desc()).limit(20)).all()
    message = None
    if read_id(values.get("message_id")):
        message = uow.session.scalars(select(Interaction).where(
            Interaction.id == read_id(values["message_id"]))).first()
    return {"values": values, "customer": customer, "invoices": invoices, "orders": orders, "message": message,
            "categories": list(ClaimCategory), "channels": claims.CHANNELS,
            "form_token": values.get("form_token") or new_form_token()}


def _new_page(request, uow, values, errors=None, status_code=200):
    return render(request, "claims/claim_new.html",
                  {**_new_context(uow, values), "errors": errors or {}, **shell(uow, "claims")},
                  status_code=status_code)


@router.get("/claims/new")
def claim_new(request: Request, customer: str = "", message: str = "", uow: UnitOfWork = Depends(reading_uow)):
    """First the customer (an id, a code, a suggestion chosen or words naming
    one customer: the page never lists the whole customer file), then the claim."""
    chosen = customer_from(uow, customer[:200])
    values = {"customer_id": str(chosen.id) if chosen else "", "customer": customer[:200],
              "message_id": message[:20], "channel": "email"}
    found = uow.session.scalars(select(Interaction).where(Interaction.id == read_id(message))).first() \
        if read_id(message) else None
    if found is not None:  # recorded from a message: its customer, subject and text
        values |= {"customer_id": str(found.customer_id or ""), "subject": found.subject[:200],
                   "description": found.body[:4000], "language": found.language,
                   "channel": "phone" if found.channel == "phone" else "email"}
    errors = {"customer": "Choisissez un client existant (code ou nom dans la liste)."} \
        if customer.strip() and not values["customer_id"] else None
    return _new_page(request, uow, values, errors)


@router.post("/claims")
def claim_create(request: Request, user: User = Depends(candidate_only), uow: UnitOfWork = Depends(writing_uow),
                 form: FormData = Depends(form_data)):
    values = _strings(form, ("customer_id", "category", "subject", "description", "channel", "invoice_id",
                             "order_id", "message_id", "language", "form_token"))
    try:
        claim = claims.open_claim(
            uow, actor=actor(user), customer_id=read_id(values["customer_id"]), category=values["category"],
            subject=values["subject"], description=values["description"], channel=values["channel"],
            invoice_id=_named(values["invoice_id"]), order_id=_named(values["order_id"]),
            message_id=_named(values["message_id"]), language=values["language"], form_token=values["form_token"])
        uow.commit()
    except SimError as refused:
        return show_refusal(uow, refused, lambda reader, errors, status: _new_page(
            request, reader, values, errors, status))
    return RedirectResponse(f"/claims/{claim.id}", status_code=303)


# ===== a claim ===========================================================

def _page_context(uow, claim_id: int, *, form: str = "", values=None, errors=None) -> dict:
    from sim.journal.history import history
    from sim.sales.models import SalesOrder

    claim = uow.get(Claim, claim_id)
    customer = uow.session.get(Customer, claim.customer_id)
    invoice = uow.session.get(Invoice, claim.invoice_id) if claim.invoice_id else None
    order = uow.session.get(SalesOrder, claim.order_id) if claim.order_id else None
    message = uow.session.get(Interaction, claim.message_id) if claim.message_id else None
    credit_note = uow.session.get(CreditNote, claim.credit_note_id) if claim.credit_note_id else None
    company = claims.delegation(uow)
    room = claims.gesture_room(uow, claim)
    age, overdue = claims.age_and_overdue(claim, sim_date(uow))
    path = [ClaimStatus.RECEIVED, ClaimStatus.ANALYSED, ClaimStatus.PROPOSED, ClaimStatus.ACCEPTED,
            ClaimStatus.CLOSED]
    at = {ClaimStatus.ESCALATED: 2, ClaimStatus.REFUSED: 3}.get(claim.status)
    at = path.index(claim.status) if at is None else at
    steps = [{"label": s.label, "state": "done" if i < at else "current" if i == at else "todo"}
             for i, s in enumerate(path)]
    if claim.status in (ClaimStatus.ESCALATED, ClaimStatus.REFUSED):
        steps[at] = {"label": ClaimStatus(claim.status).label, "state": "current exit"}
    return {"claim": claim, "customer": customer, "invoice": invoice, "order": order, "message": message,
            "credit_note": credit_note, "company": company, "room": room, "age": age, "overdue": overdue,
            "steps": steps, "status_label": ClaimStatus(claim.status).label,
            "category_label": ClaimCategory(claim.category).label
            if claim.category in ClaimCategory._value2member_map_ else claim.category,
            "solution_label": ClaimSolution(claim.solution).label if claim.solution else "",
            "solutions": list(ClaimSolution), "colleagues": claims.COLLEAGUES, "channels": claims.CHANNELS,
            "history": history(uow, claim.number), "form": form, "values": values or {}, "errors": errors or {},
            "form_token": new_form_token(), "S": ClaimStatus, "decisions": DECISIONS}


def _claim_page(request, uow, claim_id, *, form="", values=None, errors=None, status_code=200):
    return render(request, "claims/claim_page.html",
                  {**_page_context(uow, claim_id, form=form, values=values, errors=errors), **shell(uow, "claims")},
                  status_code=status_code)


@router.get("/claims/{claim_id}")
def claim_page(request: Request, claim_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    return _claim_page(request, uow, claim_id)


def _step(request, claim_id: int, user: User, uow: UnitOfWork, form: FormData, which: str, call):
    values = _strings(form, STEP_FIELDS)
    uow.get(Claim, claim_id)  # NotFound (404) for a claim of another workspace
    try:
        call(values)
        uow.commit()
    except SimError as refused:
        return show_refusal(uow, refused, lambda reader, errors, status: _claim_page(
            request, reader, claim_id, form=which, values=values, errors=errors, status_code=status))
    return RedirectResponse(f"/claims/{claim_id}#{which}", status_code=303)


@router.post("/claims/{claim_id}/analyse")
def claim_analyse(request: Request, claim_id: int, user: User = Depends(candidate_only),
                  uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _step(request, claim_id, user, uow, form, "analyse", lambda v: claims.analyse(
        uow, actor=actor(user), claim_id=claim_id, analysis=v["analysis"], form_token=v["form_token"]))


@router.post("/claims/{claim_id}/propose")
def claim_propose(request: Request, claim_id: int, user: User = Depends(candidate_only),
                  uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _step(request, claim_id, user, uow, form, "propose", lambda v: claims.propose_solution(
        uow, actor=actor(user), claim_id=claim_id, solution=v["solution"], note=v["note"], amount=v["amount"],
        pct=v["pct"], form_token=v["form_token"]))


@router.post("/claims/{claim_id}/escalate")
def claim_escalate(request: Request, claim_id: int, user: User = Depends(candidate_only),
                   uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _step(request, claim_id, user, uow, form, "escalate", lambda v: claims.escalate(
        uow, actor=actor(user), claim_id=claim_id, message=v["message"], form_token=v["form_token"]))


@router.post("/claims/{claim_id}/alert")
def claim_alert(request: Request, claim_id: int, user: User = Depends(candidate_only),
                uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _step(request, claim_id, user, uow, form, "alert", lambda v: claims.alert_colleague(
        uow, actor=actor(user), claim_id=claim_id, colleague=v["colleague"], message=v["alert"],
        form_token=v["form_token"]))


@router.post("/claims/{claim_id}/answer")
def claim_answer(request: Request, claim_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    def call(v):
        if v["accepted"] not in ("yes", "no"):
            from sim.errors import ValidationFailed

            raise ValidationFailed({"accepted": "Le client accepte-t-il la proposition ?"})
        return claims.record_answer(uow, actor=actor(user), claim_id=claim_id, accepted=v["accepted"] == "yes",
                                    note=v["answer"], form_token=v["form_token"])
    return _step(request, claim_id, user, uow, form, "answer", call)


@router.post("/claims/{claim_id}/close")
def claim_close(request: Request, claim_id: int, user: User = Depends(candidate_only),
                uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _step(request, claim_id, user, uow, form, "close", lambda v: claims.close(
        uow, actor=actor(user), claim_id=claim_id, resolution=v["resolution"], form_token=v["form_token"]))
