"""The stand (CP8): the visitors waiting, being welcomed, done; a visitor's dialogue and
the contact form (sim/tradeshow/service.py). And the evaluator's side of live mode: a
staff page, from the evaluator's view of a candidate, where the evaluator types the lines
of a visitor the candidate welcomed with « l'évaluateur joue le visiteur »."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile

from sim.accounts.models import Role, User
from sim.communication.models import Purpose
from sim.company.models import SalesRep
from sim.db import UnitOfWork, get_engine
from sim.errors import SimError, ValidationFailed
from sim.stock.models import Product
from sim.tradeshow import service as stand
from sim.tradeshow.models import Visitor, VisitorStatus
from sim.web.deps import actor, candidate_only, candidate_workspace, requires, viewing_uow
from sim.web.forms import show_refusal
from sim.web.rendering import audio_response, render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell, staff_shell
from sim.workspace.models import Workspace

router = routes_router()


@router.get("/stand")
def stand_page(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    return render(request, "tradeshow/stand.html", {"by_status": stand.stand(uow), "statuses": VisitorStatus,
                                                    **shell(uow, "stand")})


def _visitor_page(request, uow, visitor_id, *, values=None, errors=None, status_code=200, fragment=None):
    visitor = uow.get(Visitor, visitor_id)
    return render(request, "tradeshow/visitor.html", {
        "v": visitor, "lines": stand.lines(uow, visitor_id), "values": values or {}, "errors": errors or {},
        "reps": list(uow.session.scalars(select(SalesRep).order_by(SalesRep.last_name))),
        "products": list(uow.session.scalars(select(Product).where(Product.active.is_(True))
                                             .order_by(Product.reference))),
        "purposes": list(Purpose), "follow_ups": stand.FOLLOW_UPS, "retentions": stand.RETENTION_MONTHS,
        "labels": stand.CONTACT_LABELS, **shell(uow, "stand")}, status_code=status_code, block=fragment)


@router.get("/stand/{visitor_id}")
def visitor_page(request: Request, visitor_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    return _visitor_page(request, uow, visitor_id)


@router.get("/stand/{visitor_id}/lines")
def visitor_lines(request: Request, visitor_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    """The dialogue alone for htmx's polling (the lines the evaluator types appear); the whole page otherwise."""
    fragment = "dialogue" if request.headers.get("HX-Request") == "true" else None
    return _visitor_page(request, uow, visitor_id, fragment=fragment)


def _act(request, visitor_id, workspace_id, values, do, anchor):
    with UnitOfWork(workspace_id) as uow:
        uow.get(Visitor, visitor_id)  # NotFound (404) for another workspace's visitor
        try:
            do(uow)
            uow.commit()
        except SimError as refused:
            return show_refusal(uow, refused, lambda reader, errors, status: _visitor_page(
                request, reader, visitor_id, values=values, errors=errors, status_code=status))
    return RedirectResponse(f"/stand/{visitor_id}#{anchor}", status_code=303)


@router.post("/stand/{visitor_id}/welcome")
def visitor_welcome(request: Request, visitor_id: int, user: User = Depends(candidate_only),
                    workspace: Workspace = Depends(candidate_workspace), form: FormData = Depends(form_data)):
    live = str(form.get("live", ""))

    def welcome(uow):
        if live not in ("", "1"):
            from sim.errors import ValidationFailed
            raise ValidationFailed({"form": "Mode d'accueil inconnu."})
        stand.welcome(uow, actor=actor(user), visitor_id=visitor_id, live=live == "1")
    return _act(request, visitor_id, workspace.id, {}, welcome, "dialogue")


@router.post("/stand/{visitor_id}/answer")
async def visitor_answer(request: Request, visitor_id: int, user: User = Depends(candidate_only),
                         workspace: Workspace = Depends(candidate_workspace), form: FormData = Depends(form_data)):
    """A typed answer, or a spoken one (``mode=recording``: the voice recorded in the browser, read on the
    event loop, the answer then given in the thread pool like every route)."""
    from starlette.concurrency import run_in_threadpool

    from sim.calls.service import RECORDING_MAX_BYTES

    values = {"answer": str(form.get("answer", "")), "mode": str(form.get("mode", "")),
              "duration": str(form.get("duration", ""))}
    upload, recording, mime = form.get("recording"), b"", ""
    if isinstance(upload, UploadFile):
        recording, mime = await upload.read(RECORDING_MAX_BYTES + 1), upload.content_type or ""

    def answer(uow):
        if values["mode"] not in ("", "recording"):
            raise ValidationFailed({"form": "Mode de réponse inconnu : répondez par écrit ou enregistrez-vous."})
        stand.answer(uow, actor=actor(user), visitor_id=visitor_id, text=values["answer"],
                     recording=recording or None, mime=mime, duration_s=values["duration"],
                     spoken=values["mode"] == "recording")
    return await run_in_threadpool(_act, request, visitor_id, workspace.id, values, answer, "dialogue")


@router.get("/stand/{visitor_id}/audio/{recording_id}")
def visitor_audio(visitor_id: int, recording_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    """A spoken answer of the dialogue: to its candidate and to staff inspecting the workspace."""
    document = stand.voice(uow, visitor_id=visitor_id, document_id=recording_id)
    return audio_response(document.content, document.mime_type, document.filename)


@router.post("/stand/{visitor_id}/contact")
def visitor_contact(request: Request, visitor_id: int, user: User = Depends(candidate_only),
                    workspace: Workspace = Depends(candidate_workspace), form: FormData = Depends(form_data)):
    values = {k: str(form.get(k, "")) for k in ("first_name", "last_name", "company", "job_title", "email", "phone",
                                                "language", "country", "need", "documentation", "follow_up",
                                                "follow_up_on", "sales_rep", "retention_months")}
    values["products"] = [str(p) for p in form.getlist("products")]
    values["consent"] = [str(p) for p in form.getlist("consent")]
    return _act(request, visitor_id, workspace.id, values, lambda uow: stand.save_contact(
        uow, actor=actor(user), visitor_id=visitor_id, values=values), "contact")


# ===== live mode: the evaluator plays the visitor ==========================

evaluators = requires(Role.EVALUATOR, Role.TRAINER, Role.ADMIN)


def _live_page(request, session_id: int, workspace_id: int, *, values=None, errors=None, error_for=None,
               error: str = "", status_code: int = 200):
    from sim.evaluation.review import candidate_of

    session, workspace, owner = candidate_of(get_engine(), session_id, workspace_id)  # 404: not of this session
    with UnitOfWork(workspace_id, write=False) as uow:
        by_status = stand.stand(uow)
        # those being welcomed first: they are the ones the evaluator may be playing
        visitors = [v for status in (VisitorStatus.WELCOMING, VisitorStatus.WAITING, VisitorStatus.DONE)
                    for v in by_status[status.value]]
        lines = {v.id: stand.lines(uow, v.id) for v in visitors if v.status != VisitorStatus.WAITING}
    return render(request, "tradeshow/live.html", {
        "session": session, "workspace": workspace, "owner": owner, "visitors": visitors, "lines": lines,
        "values": values or {}, "errors": errors or {}, "error_for": error_for, "error": error,
        **staff_shell("sessions")}, status_code=status_code)


@router.get("/evaluation/sessions/{session_id}/candidates/{workspace_id}/stand")
def live_stand(request: Request, session_id: int, workspace_id: int, user: User = Depends(evaluators)):
    """The candidate's stand seen by the evaluator: every visitor, the dialogues (each polled by htmx,
    which picks it out of this page with ``hx-select``), and for each visitor welcomed in live mode the
    form of the visitor's next line."""
    return _live_page(request, session_id, workspace_id)


@router.post("/evaluation/sessions/{session_id}/candidates/{workspace_id}/stand/{visitor_id}/say")
def live_say(request: Request, session_id: int, workspace_id: int, visitor_id: int,
             user: User = Depends(evaluators), form: FormData = Depends(form_data)):
    """The evaluator, playing the visitor, says a line (``trade_show.visitor_line``); the candidate's
    stand page shows it at its next poll."""
    from sim.evaluation.review import candidate_of

    candidate_of(get_engine(), session_id, workspace_id)  # 404 unless a candidate of this session
    values = {"line": str(form.get("line", ""))[:5000]}
    try:
        with UnitOfWork(workspace_id) as uow:
            uow.get(Visitor, visitor_id)  # 404 for another workspace's visitor
            stand.visitor_says(uow, actor=actor(user), visitor_id=visitor_id, text=values["line"])
            uow.commit()
    except ValidationFailed as refused:
        return _live_page(request, session_id, workspace_id, values=values, errors=refused.errors,
                          error_for=visitor_id, status_code=422)
    except SimError as refused:
        return _live_page(request, session_id, workspace_id, values=values, error=refused.message,
                          error_for=visitor_id, status_code=refused.status_code)
    return RedirectResponse(f"/evaluation/sessions/{session_id}/candidates/{workspace_id}/stand#visitor-{visitor_id}",
                            status_code=303)
