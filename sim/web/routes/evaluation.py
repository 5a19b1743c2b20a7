"""The evaluator's pages: the session matrix, a candidate's timeline with the
judgement, override and validation forms, the trainers' summary; and the
candidate's own feedback at the end of a practice run (never in an exam)."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from sim.accounts.models import Role, User
from sim.db import NotFound, UnitOfWork, get_engine
from sim.errors import SimError, ValidationFailed
from sim.evaluation import judgements, review
from sim.evaluation.result import TO_JUDGE
from sim.exam.models import ExamSession, SessionMode
from sim.web.deps import actor, candidate_only, requires
from sim.web.forms import new_form_token
from sim.web.rendering import is_htmx, render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell, staff_shell
from sim.workspace import forms as form_tokens
from sim.workspace.models import Workspace

router = routes_router()
evaluators = requires(Role.EVALUATOR, Role.TRAINER, Role.ADMIN)

STATUS_LABELS = {"met": "Atteint", "partly": "Partiel", "missed": "Non atteint", "to_judge": "À juger",
                 "acquired": "Acquise", "not_acquired": "Non acquise"}


def _common() -> dict:
    return {"labels": STATUS_LABELS, "item_statuses": judgements.ITEM_STATUSES,
            "cp_verdicts": judgements.CP_VERDICTS, **staff_shell("sessions")}


@router.get("/evaluation/sessions/{session_id}")
def evaluation_matrix(request: Request, session_id: int, user: User = Depends(evaluators)):
    board = review.matrix(get_engine(), session_id)
    return render(request, "evaluation/matrix.html", {"m": board, "session": board.session, **_common()},
                  block="matrix" if is_htmx(request) else None)


@router.get("/evaluation/sessions/{session_id}/summary")
def evaluation_summary(request: Request, session_id: int, user: User = Depends(evaluators)):
    board, counts = review.summary(get_engine(), session_id)
    return render(request, "evaluation/summary.html", {"m": board, "session": board.session, "counts": counts,
                                                        **_common()})


def _candidate_page(request, session_id: int, workspace_id: int, *, form: str = "", values=None, errors=None,
                    error: str = "", status_code: int = 200):
    data = review.candidate(get_engine(), session_id, workspace_id)
    return render(request, "evaluation/candidate.html", {
        "r": data, "session": data.session, "s": data.scored, "f": data.scored.final, "form": form,
        "values": values or {}, "errors": errors or {}, "error": error, "form_token": new_form_token(),
        "inspect_url": review.inspect_url, **_common()}, status_code=status_code)


@router.get("/evaluation/sessions/{session_id}/candidates/{workspace_id}")
def evaluation_candidate(request: Request, session_id: int, workspace_id: int, user: User = Depends(evaluators)):
    return _candidate_page(request, session_id, workspace_id)


def _decide(request, session_id: int, workspace_id: int, user: User, form, which: str, service, fields):
    """Run one decision in the candidate's journal (a sealed one too); a refusal shows next to its field."""
    values = {k: str(form.get(k, ""))[:5000] for k in fields}
    review.candidate_of(get_engine(), session_id, workspace_id)  # 404 unless a candidate of this session
    try:
        with judgements.judging_uow(workspace_id) as uow:
            form_tokens.claim(uow, str(form.get("form_token", "")) or None, which)
            evaluation, scenario = review.automatic(uow, workspace_id)
            service(uow, actor=actor(user), evaluation=evaluation, scenario=scenario, **values)
            uow.commit()
    except ValidationFailed as refused:
        return _candidate_page(request, session_id, workspace_id, form=which, values=values, errors=refused.errors,
                               status_code=422)
    except SimError as refused:
        return _candidate_page(request, session_id, workspace_id, form=which, values=values, error=refused.message,
                               status_code=refused.status_code)
    return RedirectResponse(f"/evaluation/sessions/{session_id}/candidates/{workspace_id}#{which}", status_code=303)


@router.post("/evaluation/sessions/{session_id}/candidates/{workspace_id}/judge")
def evaluation_judge(request: Request, session_id: int, workspace_id: int, user: User = Depends(evaluators),
                     form=Depends(form_data)):
    return _decide(request, session_id, workspace_id, user, form, "judge", judgements.judge,
                   ("expectation_id", "status", "points", "comment"))


@router.post("/evaluation/sessions/{session_id}/candidates/{workspace_id}/override")
def evaluation_override(request: Request, session_id: int, workspace_id: int, user: User = Depends(evaluators),
                        form=Depends(form_data)):
    return _decide(request, session_id, workspace_id, user, form, "override", judgements.override,
                   ("target", "status", "points", "comment"))


@router.post("/evaluation/sessions/{session_id}/candidates/{workspace_id}/validate")
def evaluation_validate(request: Request, session_id: int, workspace_id: int, user: User = Depends(evaluators),
                        form=Depends(form_data)):
    return _decide(request, session_id, workspace_id, user, form, "validate", judgements.validate,
                   ("cp", "comment"))


# ===== the candidate's own feedback (practice only) ========================

@router.get("/my-workspaces/{workspace_id}/feedback")
def practice_feedback(request: Request, workspace_id: int, user: User = Depends(candidate_only)):
    """A finished practice run's evaluation, with the reasons. An exam's scores are never shown to the
    candidate: 404, as for a workspace that is not theirs."""
    with UnitOfWork(write=False) as uow:
        row = uow.session.execute(select(Workspace, ExamSession).join(
            ExamSession, ExamSession.id == Workspace.exam_session_id).where(
            Workspace.id == workspace_id, Workspace.owner_id == user.id)).first()
    if row is None or row[1].mode != SessionMode.PRACTICE:
        raise NotFound(f"Workspace {workspace_id}")
    workspace, session = row
    with UnitOfWork(workspace_id, write=False) as uow:
        context = shell(uow, "my-workspaces")
        result = review.scored(uow, workspace, user) if workspace.ended_at is not None else None
    return render(request, "evaluation/feedback.html", {"run": workspace, "session": session, "s": result,
                                                         "labels": STATUS_LABELS, "to_judge": TO_JUDGE, **context})
