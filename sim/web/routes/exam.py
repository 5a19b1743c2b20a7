"""Live exam sessions: the trainer's console, the candidate's live view,
practice runs and the choice of workspace."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select, update

from sim.accounts.models import Role, User, UserSession
from sim.db import NotFound, UnitOfWork, get_engine
from sim.errors import SimError, ValidationFailed
from sim.exam import console as consoles
from sim.exam import service as exam
from sim.exam.models import ExamSession, SessionMode, SessionStatus
from sim.web.deps import actor, candidate_only, candidate_workspace, reading_uow, requires
from sim.web.forms import new_form_token
from sim.web.rendering import is_htmx, render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell, staff_shell
from sim.workspace.models import Workspace

router = routes_router()
viewers = requires(Role.TRAINER, Role.EVALUATOR, Role.ADMIN)
conductors = requires(Role.TRAINER, Role.ADMIN)


def _scenarios():
    from sim.scenario import library

    return [f for f in library.listing() if f.result.ok]


def _candidate_accounts():
    with UnitOfWork(write=False) as uow:
        return uow.session.scalars(select(User).where(User.role == Role.CANDIDATE, User.active.is_(True))
                                   .order_by(User.username)).all()


# ===== the trainer's console =============================================

@router.get("/sessions")
def session_list(request: Request, user: User = Depends(viewers)):
    from sqlalchemy import func

    with UnitOfWork(write=False) as uow:
        sessions = uow.session.scalars(select(ExamSession).order_by(ExamSession.id.desc())).all()
        counts = dict(uow.session.execute(  # candidates per session, in one query
            select(Workspace.exam_session_id, func.count()).where(Workspace.exam_session_id.is_not(None))
            .group_by(Workspace.exam_session_id)).all())
    return render(request, "exam/session_list.html", {"sessions": sessions, "counts": counts,
                                                       "now": {s.id: exam.session_sim_now(s) for s in sessions},
                                                       **staff_shell("sessions")})


def _new_page(request, *, values=None, errors=None, status_code=200):
    return render(request, "exam/session_new.html", {
        "scenarios": _scenarios(), "candidates": _candidate_accounts(), "speeds": exam.SPEEDS,
        "values": values or {"speed": "1", "duration": "210", "chosen": []}, "errors": errors or {},
        **staff_shell("sessions")}, status_code=status_code)


@router.get("/sessions/new")
def session_new(request: Request, user: User = Depends(conductors)):
    return _new_page(request)


@router.post("/sessions")
def session_create(request: Request, user: User = Depends(conductors), form=Depends(form_data)):
    from sim.exam.roster import add_candidates, read_roster
    from sim.parsing import read_id

    values = {k: str(form.get(k, "")) for k in ("title", "scenario", "speed", "duration", "roster", "mode")}
    chosen = [read_id(v) for v in form.getlist("candidate")]
    values["chosen"] = [c for c in chosen if c]
    errors: dict[str, str] = {}
    if any(c is None for c in chosen):
        errors["candidates"] = "Candidat inconnu."
    upload = form.get("roster_file")
    roster_text = values["roster"]
    if upload is not None and hasattr(upload, "file"):
        content = upload.file.read(64 * 1024 + 1)
        if len(content) > 64 * 1024:
            errors["roster"] = "Fichier CSV trop volumineux (64 Ko au plus)."
        elif content:
            try:
                roster_text = (roster_text + "\n" + content.decode("utf-8-sig")).strip()
            except UnicodeDecodeError:
                errors["roster"] = "Le fichier CSV doit être en UTF-8."
    names = read_roster(roster_text, errors)
    speed = read_id(values["speed"]) or 0
    duration = read_id(values["duration"])
    if values["duration"] and duration is None:
        errors["duration"] = "Durée : un nombre de minutes."
    if errors:
        return _new_page(request, values=values, errors=errors, status_code=422)
    try:
        created = add_candidates(get_engine(), names) if names else []
        session_id = exam.create_session(get_engine(), actor=user, title=values["title"],
                                         scenario_name=values["scenario"],
                                         candidate_ids=values["chosen"] + [u.id for u in created], speed=speed,
                                         duration_minutes=duration, mode=values["mode"] or SessionMode.EXAM)
    except ValidationFailed as refused:
        return _new_page(request, values=values, errors=refused.errors, status_code=422)
    return RedirectResponse(f"/sessions/{session_id}", status_code=303)


def _console_page(request, session_id: int, *, error: str = "", status_code: int = 200):
    data = consoles.console(get_engine(), session_id)
    context = {"c": data, "session": data.session, "sim_now": exam.session_sim_now(data.session),
               "next_event": exam.next_event_at(get_engine(), session_id), "speeds": exam.SPEEDS,
               "error": error, "statuses": SessionStatus, **staff_shell("sessions")}
    return render(request, "exam/session_page.html", context, status_code=status_code,
                  block="console" if is_htmx(request) and not error else None)


@router.get("/sessions/{session_id}")
def session_page(request: Request, session_id: int, user: User = Depends(viewers)):
    return _console_page(request, session_id)


def _act(request, session_id: int, action):
    """Run a clock or candidate action; a refusal shows on the console."""
    try:
        action()
    except SimError as refused:
        message = "; ".join(refused.errors.values()) if isinstance(refused, ValidationFailed) else refused.message
        return _console_page(request, session_id, error=message, status_code=refused.status_code)
    if exam.get_session(get_engine(), session_id).status != SessionStatus.READY:
        from sim.exam.scheduler import tick

        tick(get_engine())  # what the change made due fires now, not at the next heartbeat
    return RedirectResponse(f"/sessions/{session_id}", status_code=303)


@router.post("/sessions/{session_id}/start")
def session_start(request: Request, session_id: int, user: User = Depends(conductors)):
    return _act(request, session_id, lambda: exam.start_session(get_engine(), session_id, actor=actor(user)))


@router.post("/sessions/{session_id}/pause")
def session_pause(request: Request, session_id: int, user: User = Depends(conductors)):
    return _act(request, session_id, lambda: exam.pause_session(get_engine(), session_id, actor=actor(user)))


@router.post("/sessions/{session_id}/resume")
def session_resume(request: Request, session_id: int, user: User = Depends(conductors)):
    return _act(request, session_id, lambda: exam.resume_session(get_engine(), session_id, actor=actor(user)))


@router.post("/sessions/{session_id}/speed")
def session_speed(request: Request, session_id: int, user: User = Depends(conductors), form=Depends(form_data)):
    from sim.parsing import read_id

    speed = read_id(str(form.get("speed", ""))) or -1
    return _act(request, session_id, lambda: exam.set_speed(get_engine(), session_id, actor=actor(user),
                                                            speed=speed))


@router.post("/sessions/{session_id}/jump")
def session_jump(request: Request, session_id: int, user: User = Depends(conductors)):
    def jump():
        if exam.jump_to_next_event(get_engine(), session_id, actor=actor(user)) is None:
            raise exam.SessionStateError("Aucun événement n'attend sur l'horloge (les autres attendent une "
                                         "action du candidat ou un déclenchement manuel).")
    return _act(request, session_id, jump)


@router.post("/sessions/{session_id}/events/{key}/fire")
def session_fire_event(request: Request, session_id: int, key: str, user: User = Depends(conductors)):
    return _act(request, session_id, lambda: exam.release_event(get_engine(), session_id, key[:80],
                                                                actor=actor(user)))


@router.post("/sessions/{session_id}/end")
def session_end(request: Request, session_id: int, user: User = Depends(conductors)):
    return _act(request, session_id, lambda: exam.end_session(get_engine(), session_id, actor=actor(user)))


@router.post("/sessions/{session_id}/candidates/{workspace_id}/hold")
def candidate_hold(request: Request, session_id: int, workspace_id: int, user: User = Depends(conductors),
                   form=Depends(form_data)):
    return _act(request, session_id, lambda: exam.hold_candidate(
        get_engine(), session_id, workspace_id, actor=actor(user), reason=str(form.get("reason", ""))))


@router.post("/sessions/{session_id}/candidates/{workspace_id}/release")
def candidate_release(request: Request, session_id: int, workspace_id: int, user: User = Depends(conductors)):
    return _act(request, session_id, lambda: exam.release_candidate(get_engine(), session_id, workspace_id,
                                                                    actor=actor(user)))


@router.post("/sessions/{session_id}/candidates/{workspace_id}/extra-time")
def candidate_extra_time(request: Request, session_id: int, workspace_id: int, user: User = Depends(conductors),
                         form=Depends(form_data)):
    return _act(request, session_id, lambda: exam.grant_extra_time(
        get_engine(), session_id, workspace_id, actor=actor(user), minutes=str(form.get("minutes", "")),
        reason=str(form.get("reason", ""))))


@router.post("/sessions/{session_id}/candidates/{workspace_id}/end")
def candidate_end(request: Request, session_id: int, workspace_id: int, user: User = Depends(conductors)):
    return _act(request, session_id, lambda: exam.end_candidate(get_engine(), session_id, workspace_id,
                                                                actor=actor(user), reason="fin individuelle"))


@router.post("/sessions/{session_id}/logins.pdf")
def session_logins(request: Request, session_id: int, user: User = Depends(conductors)):
    """The sheet of logins to hand out: fresh one-time passwords for the
    candidates who have not logged in yet (printing again replaces them)."""
    from sim.exam.roster import login_sheet

    filename, content = login_sheet(get_engine(), session_id)
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# ===== the candidate =====================================================

@router.get("/live")
def live(request: Request, seen: int = 0, uow: UnitOfWork = Depends(reading_uow)):
    """What the candidate's pages poll: the unread count, a notice when a new
    message has arrived since the page was shown, the end of the exam."""
    from sim.inbox.service import unread_count

    unread = unread_count(uow)
    workspace = uow.session.get(Workspace, uow.workspace_id)
    return render(request, "exam/live.html", {"unread": unread, "fresh": max(0, unread - max(0, min(seen, 10**6))),
                                              "workspace": workspace}, block="live")


def _my_workspaces(user: User):
    with UnitOfWork(write=False) as uow:
        return uow.session.execute(
            select(Workspace, ExamSession).outerjoin(ExamSession, ExamSession.id == Workspace.exam_session_id)
            .where(Workspace.owner_id == user.id).order_by(Workspace.id.desc())).all()


@router.get("/my-workspaces")
def my_workspaces(request: Request, user: User = Depends(candidate_only),
                  current: Workspace = Depends(candidate_workspace)):
    with UnitOfWork(current.id, write=False) as uow:
        context = shell(uow, "my-workspaces")
    return render(request, "exam/my_workspaces.html", {"rows": _my_workspaces(user), "current": current,
                                                        "statuses": SessionStatus, **context})


def _enter(request: Request, user: User, workspace_id: int) -> None:
    from sim.accounts.service import token_digest

    with UnitOfWork() as uow:
        owned = uow.session.scalar(select(Workspace.id).where(Workspace.id == workspace_id,
                                                             Workspace.owner_id == user.id))
        if owned is None:
            raise NotFound(f"Workspace {workspace_id}")
        uow.session.execute(update(UserSession).where(UserSession.token_hash == token_digest(request.session["sid"]))
                            .values(active_workspace_id=workspace_id))
        uow.commit()


@router.post("/my-workspaces/{workspace_id}/enter")
def my_workspace_enter(request: Request, workspace_id: int, user: User = Depends(candidate_only)):
    _enter(request, user, workspace_id)
    return RedirectResponse("/inbox", status_code=303)


def _practice_run(current: Workspace):
    """The practice run the candidate works in, if the current workspace is one."""
    if current.exam_session_id is None:
        return None
    session = exam.get_session(get_engine(), current.exam_session_id)
    return session if session.mode == SessionMode.PRACTICE else None


def _practice_page(request, user: User, current: Workspace, *, values=None, errors=None, clock_error: str = "",
                   status_code: int = 200):
    with UnitOfWork(current.id, write=False) as uow:
        context = shell(uow, "practice")
    run = _practice_run(current)
    return render(request, "exam/practice.html", {
        "scenarios": _scenarios(), "speeds": exam.SPEEDS, "values": values or {"speed": "10"},
        "errors": errors or {}, "form_token": new_form_token(), "run": run, "statuses": SessionStatus,
        "run_sim_now": exam.session_sim_now(run) if run else None, "clock_error": clock_error, **context},
        status_code=status_code)


@router.get("/practice")
def practice_page(request: Request, user: User = Depends(candidate_only),
                  current: Workspace = Depends(candidate_workspace)):
    return _practice_page(request, user, current)


def _practice_clock(request, user: User, current: Workspace, change):
    """A candidate sets the clock of their own practice run, never an exam's
    (there the trainer alone does, for the whole room)."""
    run = _practice_run(current)
    if run is None:
        return _practice_page(request, user, current, status_code=409, clock_error=(
            "Seul le formateur règle l'horloge d'une épreuve : ces commandes sont celles d'un entraînement."))
    try:
        change(run.id)
    except SimError as refused:
        message = "; ".join(refused.errors.values()) if isinstance(refused, ValidationFailed) else refused.message
        return _practice_page(request, user, current, clock_error=message, status_code=refused.status_code)
    from sim.exam.scheduler import tick

    tick(get_engine())  # what the change made due fires now
    return RedirectResponse("/practice", status_code=303)


@router.post("/practice/pause")
def practice_pause(request: Request, user: User = Depends(candidate_only),
                   current: Workspace = Depends(candidate_workspace)):
    return _practice_clock(request, user, current,
                           lambda run: exam.pause_session(get_engine(), run, actor=actor(user)))


@router.post("/practice/resume")
def practice_resume(request: Request, user: User = Depends(candidate_only),
                    current: Workspace = Depends(candidate_workspace)):
    return _practice_clock(request, user, current,
                           lambda run: exam.resume_session(get_engine(), run, actor=actor(user)))


@router.post("/practice/speed")
def practice_speed(request: Request, user: User = Depends(candidate_only),
                   current: Workspace = Depends(candidate_workspace), form=Depends(form_data)):
    from sim.parsing import read_id

    speed = read_id(str(form.get("speed", ""))) or -1
    return _practice_clock(request, user, current,
                           lambda run: exam.set_speed(get_engine(), run, actor=actor(user), speed=speed))


@router.post("/practice")
def practice_start(request: Request, user: User = Depends(candidate_only), form=Depends(form_data)):
    """A practice run: the scenario alone, on its own clock, at the speed chosen."""
    from sim.parsing import read_id

    raw = str(form.get("speed", ""))
    speed = read_id(raw) or 0
    scenario = str(form.get("scenario", ""))[:80]
    try:
        session_id = exam.create_session(get_engine(), actor=user, title=f"Entraînement — {scenario}",
                                         scenario_name=scenario, candidate_ids=[user.id],
                                         mode=SessionMode.PRACTICE, speed=speed)
    except ValidationFailed as refused:
        return _practice_page(request, user, candidate_workspace(request, user),
                              values={"speed": raw, "scenario": scenario}, errors=refused.errors, status_code=422)
    exam.start_session(get_engine(), session_id, actor=actor(user))
    [workspace] = exam.workspaces_of(get_engine(), session_id)
    _enter(request, user, workspace.id)
    return RedirectResponse("/inbox", status_code=303)
