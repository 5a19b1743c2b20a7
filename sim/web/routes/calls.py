"""Phone calls: the calls customers made (their voice), the candidate's answer
recorded in the browser or typed, and the audio files (sim/calls/service.py)."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData, UploadFile

from sim.accounts.models import User
from sim.calls import service as calls
from sim.db import UnitOfWork
from sim.errors import SimError
from sim.web.deps import actor, candidate_only, candidate_or_inspector, candidate_workspace, viewing_uow
from sim.web.routes.evaluation import evaluators
from sim.workspace.models import Workspace
from sim.web.forms import new_form_token, show_refusal
from sim.web.rendering import audio_response, render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell

router = routes_router()


@router.get("/calls")
def call_list(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    return render(request, "calls/call_list.html", {"calls": calls.calls(uow), "modes": calls.MODES,
                                                    **shell(uow, "calls")})


def _call_page(request, uow, call_id, *, values=None, errors=None, status_code=200):
    return render(request, "calls/call_page.html",
                  {"c": calls.call(uow, call_id), "modes": calls.MODES, "values": values or {},
                   "errors": errors or {}, "form_token": new_form_token(), "max_s": calls.RECORDING_MAX_S,
                   "max_bytes": calls.RECORDING_MAX_BYTES, **shell(uow, "calls")}, status_code=status_code)


@router.get("/calls/{call_id}")
def call_page(request: Request, call_id: int, user: User = Depends(candidate_or_inspector),
              uow: UnitOfWork = Depends(viewing_uow)):
    found = calls.call(uow, call_id)  # NotFound (404) for what is no call of this workspace
    if not found.call.read and not uow.inspecting:  # the candidate picks up: when the call was noticed
        with uow.evidence():
            calls.mark_listened(uow, actor=actor(user), call_id=call_id)
    return _call_page(request, uow, call_id)


@router.get("/calls/{call_id}/audio/{audio_id}")
def call_audio(call_id: int, audio_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    """The customer's voice or the candidate's recorded answer: to their candidate and to staff only."""
    document = calls.audio(uow, call_id=call_id, document_id=audio_id)
    return audio_response(document.content, document.mime_type, document.filename)


@router.post("/calls/{call_id}/answer")
async def call_answer_upload(request: Request, call_id: int, user: User = Depends(candidate_only),
                             workspace: Workspace = Depends(candidate_workspace), form: FormData = Depends(form_data)):
    """Read the uploaded recording on the event loop, then answer in the thread pool (like every route)."""
    from starlette.concurrency import run_in_threadpool

    upload = form.get("recording")
    recording, mime = b"", ""
    if isinstance(upload, UploadFile):
        recording = await upload.read(calls.RECORDING_MAX_BYTES + 1)
        mime = upload.content_type or ""
    values = {k: str(form.get(k, "")) for k in ("mode", "duration", "summary", "form_token")}
    return await run_in_threadpool(_answer, request, call_id, user, workspace.id, values, recording, mime)


def _answer(request, call_id, user, workspace_id, values, recording, mime):
    with UnitOfWork(workspace_id) as uow:
        calls.call(uow, call_id)  # NotFound (404) for what is no call of this workspace
        try:
            calls.answer(uow, actor=actor(user), call_id=call_id, mode=values["mode"], recording=recording or None,
                         mime=mime, duration_s=values["duration"], summary=values["summary"],
                         form_token=values["form_token"])
            uow.commit()
        except SimError as refused:
            return show_refusal(uow, refused, lambda reader, errors, status: _call_page(
                request, reader, call_id, values=values, errors=errors, status_code=status))
    return RedirectResponse(f"/calls/{call_id}#answer", status_code=303)


@router.get("/evaluation/sessions/{session_id}/candidates/{workspace_id}/audio/{document_id}")
def evaluation_audio(session_id: int, workspace_id: int, document_id: int, user: User = Depends(evaluators)):
    """The evaluator plays a call's voice or the candidate's recorded answer on the candidate's timeline."""
    from sim.db import get_engine
    from sim.evaluation.review import audio_document

    filename, mime, content = audio_document(get_engine(), session_id, workspace_id, document_id)
    return audio_response(content, mime, filename)
