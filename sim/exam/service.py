"""Exam sessions: creating one, its clock, its candidates, its end.

A session's clock is applied to every candidate's workspace with one wall
instant, so that all candidates are at the same sim time; each change is a
journal entry in each candidate's journal (the evaluator must see pauses).
A candidate held or given extra time differs from the others by exactly that.

Each candidate's changes are one transaction in that candidate's workspace
(its lock, its journal); the session row is changed with a conditional UPDATE
first, so two trainers clicking *Pause* at once pause once.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import select, update

from sim.accounts.models import Role, User, UserSession
from sim.clock import wall_now
from sim.db import NotFound, UnitOfWork, refresh_statistics
from sim.errors import SimError, ValidationFailed
from sim.exam.models import ExamSession, SessionMode, SessionStatus
from sim.journal import service as journal
from sim.workspace.models import Workspace, WorkspaceKind

SPEEDS = (1, 2, 5, 10, 20, 60)


class SessionStateError(SimError):
    status_code = 409


def _now() -> datetime:
    return wall_now().replace(microsecond=0)


def _sim_at(clock_sim: datetime, clock_wall: datetime, speed: int, wall: datetime) -> datetime:
    if not speed:
        return clock_sim
    anchor = clock_wall if clock_wall.tzinfo else clock_wall.replace(tzinfo=wall.tzinfo)
    return (clock_sim + (wall - anchor) * speed).replace(microsecond=0)


def session_sim_now(session: ExamSession, wall: datetime | None = None) -> datetime:
    return _sim_at(session.clock_sim, session.clock_wall, session.clock_speed, wall or wall_now())


# ===== creating a session ================================================

def create_session(engine, *, actor: User, title: str, scenario_name: str, candidate_ids: list[int],
                   mode: str = SessionMode.EXAM, speed: int = 1, duration_minutes: int | None = None) -> int:
    """Prepare the scenario's company once (the template), then give each
    candidate an identical copy of it. Returns the session id. Whole: it
    commits its own transactions (a template, then the copies)."""
    from sim.scenario import library

    from sim.parsing import read_text

    errors: dict[str, str] = {}
    title = read_text(title, "title", errors, label="Titre", max_length=160)
    if title is not None and not title:
        errors["title"] = "Donnez un titre à la session (ex. « Épreuve du 2 décembre — groupe B »)."
    found = library.find(scenario_name)
    if found is None:
        errors["scenario"] = "Choisissez un scénario de la bibliothèque."
    elif not found.result.ok:
        errors["scenario"] = "Ce scénario ne passe pas la vérification : corrigez-le d'abord."
    if speed not in SPEEDS:
        errors["speed"] = f"Vitesse : une de {', '.join(map(str, SPEEDS))}."
    if duration_minutes is not None and not 1 <= duration_minutes <= 24 * 60:
        errors["duration"] = "Durée : entre 1 minute et 24 heures."
    if mode not in {m.value for m in SessionMode}:
        errors["mode"] = "Mode inconnu."
    candidates = _candidates(engine, candidate_ids, errors)
    if errors:
        raise ValidationFailed(errors)
    source = found.path.read_text(encoding="utf-8")
    scenario = found.result.data
    start = datetime.fromisoformat(str(scenario["start"]).replace(" ", "T"))
    now = _now()
    with UnitOfWork(engine=engine) as uow:
        session = ExamSession(title=title, mode=mode, status=SessionStatus.READY, scenario_name=found.name,
                              scenario_id=scenario["id"], scenario_source=source, sim_start=start, speed=speed,
                              clock_sim=start, clock_wall=now, clock_speed=0, duration_minutes=duration_minutes,
                              created_by=actor.id, created_at=now)
        uow.session.add(session)
        uow.commit()
        session_id = session.id
    template_id = _template(engine, session_id, scenario, actor)
    kind = WorkspaceKind.EXAM if mode == SessionMode.EXAM else WorkspaceKind.PRACTICE
    _copies(engine, template_id, session_id, [(user, kind) for user in candidates], title)
    with UnitOfWork(engine=engine) as uow:
        uow.session.execute(update(ExamSession).where(ExamSession.id == session_id)
                            .values(template_workspace_id=template_id))
        uow.commit()
    return session_id


def _candidates(engine, ids: list[int], errors: dict[str, str]) -> list[User]:
    with UnitOfWork(write=False, engine=engine) as uow:
        users = uow.session.scalars(select(User).where(User.id.in_(set(ids)))).all() if ids else []
    if not users:
        errors["candidates"] = "Ajoutez au moins un candidat."
    elif len(users) != len(set(ids)) or any(u.role != Role.CANDIDATE or not u.active for u in users):
        errors["candidates"] = "Seuls des comptes candidats actifs peuvent passer l'épreuve."
    return sorted(users, key=lambda u: u.username)


def _template(engine, session_id: int, scenario: dict, actor: User) -> int:
    """The scenario's company, generated once: the copies come from it."""
    from seed.company import SIZES
    from sim.scenario.engine import install
    from sim.workspace.service import create_workspace

    size = SIZES[scenario["company"].get("size", "default")]
    with UnitOfWork(engine=engine) as uow:
        workspace = create_workspace(uow, name=f"Modèle — session {session_id}", owner_id=None,
                                     seed=scenario["company"]["seed"], size=size, kind=WorkspaceKind.TEMPLATE,
                                     actor=f"{actor.role}:{actor.username}",
                                     sim_start=datetime.fromisoformat(str(scenario["start"]).replace(" ", "T")))
        uow.commit()
        template_id = workspace.id
    with UnitOfWork(template_id, engine=engine) as uow:
        install(uow, scenario)
        uow.commit()
    return template_id


def _copies(engine, template_id: int, session_id: int, who: list[tuple[User, str]], title: str) -> list[int]:
    from sim.workspace.copy import copy_workspaces

    ids = copy_workspaces(engine, template_id, [
        {"name": f"{title} — {user.display_name or user.username}", "owner_id": user.id, "kind": kind,
         "actor": "system:exam"} for user, kind in who])
    with UnitOfWork(engine=engine) as uow:
        uow.session.execute(update(Workspace).where(Workspace.id.in_(ids)).values(exam_session_id=session_id))
        uow.commit()
    refresh_statistics(engine)  # the first session's copies are most of the database
    return ids


# ===== reading ============================================================

def get_session(engine, session_id: int) -> ExamSession:
    with UnitOfWork(write=False, engine=engine) as uow:
        session = uow.session.get(ExamSession, session_id)
    if session is None:
        raise NotFound(f"ExamSession {session_id}")
    return session


def workspaces_of(engine, session_id: int) -> list[Workspace]:
    with UnitOfWork(write=False, engine=engine) as uow:
        return list(uow.session.scalars(select(Workspace).where(Workspace.exam_session_id == session_id)
                                        .order_by(Workspace.id)))


# ===== the clock ===========================================================

def _move(engine, session_id: int, *, allowed: tuple[str, ...], status: str | None, message: str,
          **values) -> ExamSession:
    """Change the session row if its status is one of ``allowed`` (a conditional
    UPDATE: of two clicks at once, one wins); else refuse with ``message``."""
    with UnitOfWork(engine=engine) as uow:
        table = ExamSession.__table__
        changes = dict(values)
        if status is not None:
            changes["status"] = status
        moved = uow.session.execute(update(table).where(table.c.id == session_id, table.c.status.in_(allowed))
                                    .values(**changes)).rowcount
        if not moved:
            if uow.session.get(ExamSession, session_id) is None:
                raise NotFound(f"ExamSession {session_id}")
            raise SessionStateError(message)
        uow.commit()
    return get_session(engine, session_id)


def _each_candidate(engine, session_id: int, change, *, include_held: bool = True) -> None:
    """Apply ``change(uow, workspace)`` to each candidate still working, one
    transaction per candidate (its lock, its journal)."""
    for workspace in workspaces_of(engine, session_id):
        if workspace.ended_at is not None or (workspace.held and not include_held):
            continue
        with UnitOfWork(workspace.id, engine=engine) as uow:
            change(uow, uow.session.get(Workspace, workspace.id))
            uow.commit()


def _freeze(workspace: Workspace, wall: datetime) -> datetime:
    sim = workspace.sim_now(wall).replace(microsecond=0)
    workspace.clock_sim, workspace.clock_wall, workspace.clock_speed = sim, wall, 0
    return sim


def _run(workspace: Workspace, wall: datetime, speed: int) -> datetime:
    sim = _freeze(workspace, wall)
    workspace.clock_wall, workspace.clock_speed = wall, speed
    return sim


def _entry(uow, kind: str, actor: str, session: ExamSession, sim: datetime, **payload) -> None:
    journal.append(uow, kind=kind, actor=actor, refs={"session": f"S{session.id}"}, sim_time=sim,
                   payload=payload)


def start_session(engine, session_id: int, *, actor: str) -> ExamSession:
    """The clock starts at the scenario's start, for every candidate at the same wall instant."""
    wall = _now()
    session = get_session(engine, session_id)
    session = _move(engine, session_id, allowed=(SessionStatus.READY,), status=SessionStatus.RUNNING,
                    message="La session a déjà commencé.", started_at=wall, clock_sim=session.clock_sim,
                    clock_wall=wall, clock_speed=session.speed)

    def change(uow, workspace):
        sim = _run(workspace, wall, 0 if workspace.held else session.speed)
        _entry(uow, "session.started", actor, session, sim, title=session.title, speed=session.speed,
               mode=session.mode)

    _each_candidate(engine, session_id, change)
    _send_candidates_in(engine, session_id)
    return session


def _send_candidates_in(engine, session_id: int) -> None:
    """Each candidate's open login sessions now work in their copy of the exam."""
    with UnitOfWork(engine=engine) as uow:
        for workspace in uow.session.scalars(select(Workspace).where(Workspace.exam_session_id == session_id)):
            uow.session.execute(update(UserSession).where(UserSession.user_id == workspace.owner_id,
                                                          UserSession.revoked_at.is_(None))
                                .values(active_workspace_id=workspace.id))
        uow.commit()


def pause_session(engine, session_id: int, *, actor: str) -> ExamSession:
    wall = _now()
    session = get_session(engine, session_id)
    session = _move(engine, session_id, allowed=(SessionStatus.RUNNING,), status=SessionStatus.PAUSED,
                    message="La session n'est pas en cours.", clock_sim=session_sim_now(session, wall),
                    clock_wall=wall, clock_speed=0)

    def change(uow, workspace):
        _entry(uow, "session.paused", actor, session, _freeze(workspace, wall))

    _each_candidate(engine, session_id, change, include_held=False)
    return session


def resume_session(engine, session_id: int, *, actor: str) -> ExamSession:
    wall = _now()
    session = get_session(engine, session_id)
    session = _move(engine, session_id, allowed=(SessionStatus.PAUSED,), status=SessionStatus.RUNNING,
                    message="La session n'est pas en pause.", clock_wall=wall, clock_speed=session.speed)

    def change(uow, workspace):
        _entry(uow, "session.resumed", actor, session, _run(workspace, wall, session.speed))

    _each_candidate(engine, session_id, change, include_held=False)
    return session


def set_speed(engine, session_id: int, *, actor: str, speed: int) -> ExamSession:
    """A new speed from now on: sim time stays continuous (each clock is re-anchored)."""
    if speed not in SPEEDS:
        raise ValidationFailed({"speed": f"Vitesse : une de {', '.join(map(str, SPEEDS))}."})
    wall = _now()
    session = get_session(engine, session_id)
    running = session.status == SessionStatus.RUNNING
    before = session.speed
    session = _move(engine, session_id, allowed=(SessionStatus.READY, SessionStatus.RUNNING, SessionStatus.PAUSED),
                    status=None, message="La session est terminée.", speed=speed,
                    clock_sim=session_sim_now(session, wall), clock_wall=wall,
                    clock_speed=speed if running else 0)

    def change(uow, workspace):
        sim = _run(workspace, wall, speed) if running else _freeze(workspace, wall)
        _entry(uow, "session.speed_changed", actor, session, sim, previous=before, speed=speed)

    _each_candidate(engine, session_id, change, include_held=False)
    return session


def next_event_at(engine, session_id: int) -> datetime | None:
    """The sim time of the next pending event (armed) of the candidates still working."""
    from sqlalchemy import func

    from sim.scenario.models import EventStatus, ScenarioEvent

    ids = [w.id for w in workspaces_of(engine, session_id) if w.ended_at is None and not w.held]
    if not ids:
        return None
    with UnitOfWork(write=False, engine=engine) as uow:
        return uow.session.scalar(select(func.min(ScenarioEvent.due_at)).where(
            ScenarioEvent.workspace_id.in_(ids), ScenarioEvent.status == EventStatus.PENDING,
            ScenarioEvent.due_at.is_not(None)).execution_options(all_workspaces=True))


def jump_to_next_event(engine, session_id: int, *, actor: str) -> datetime | None:
    """Move every working candidate's clock to the next event's time (it then
    fires, and only it: the clock keeps its speed from there). None when no
    event is waiting on the clock."""
    session = get_session(engine, session_id)
    if session.status not in (SessionStatus.RUNNING, SessionStatus.PAUSED):
        raise SessionStateError("Démarrez la session avant d'avancer l'horloge.")
    target = next_event_at(engine, session_id)
    if target is None:
        return None
    wall = _now()
    running = session.status == SessionStatus.RUNNING
    _move(engine, session_id, allowed=(SessionStatus.RUNNING, SessionStatus.PAUSED), status=None,
          message="La session est terminée.", clock_sim=max(target, session_sim_now(session, wall)),
          clock_wall=wall)

    def change(uow, workspace):
        before = _freeze(workspace, wall)
        workspace.clock_sim = max(before, target)
        workspace.clock_speed = session.speed if running else 0
        _entry(uow, "session.jumped", actor, session, workspace.clock_sim, previous=before, to=workspace.clock_sim)

    _each_candidate(engine, session_id, change, include_held=False)
    return target


def release_event(engine, session_id: int, key: str, *, actor: str) -> int:
    """Fire an event now (a ``manual: true`` one, or any still pending): it
    becomes due at each working candidate's current sim time; the next tick
    fires it. Returns how many candidates it was released for."""
    from sim.scenario.models import EventStatus, ScenarioEvent

    session = get_session(engine, session_id)
    if session.status not in (SessionStatus.RUNNING, SessionStatus.PAUSED):
        raise SessionStateError("Démarrez la session avant de déclencher un événement.")
    released = 0
    for workspace in workspaces_of(engine, session_id):
        if workspace.ended_at is not None:
            continue
        with UnitOfWork(workspace.id, engine=engine) as uow:
            event = uow.session.scalars(select(ScenarioEvent).where(ScenarioEvent.key == key,
                                                                   ScenarioEvent.status == EventStatus.PENDING)).first()
            if event is None:
                continue
            now = uow.session.get(Workspace, workspace.id).sim_now().replace(microsecond=0)
            event.due_at, event.after_key, event.when = now, "", {}
            _entry(uow, "session.event_released", actor, session, now, event=key)
            uow.commit()
            released += 1
    if not released:
        raise SessionStateError(f"L'événement « {key} » n'est en attente chez aucun candidat.")
    return released


# ===== one candidate =======================================================

def _candidate(engine, session_id: int, workspace_id: int) -> tuple[ExamSession, Workspace]:
    session = get_session(engine, session_id)
    workspace = next((w for w in workspaces_of(engine, session_id) if w.id == workspace_id), None)
    if workspace is None:
        raise NotFound(f"Workspace {workspace_id}")
    if workspace.ended_at is not None:
        raise SessionStateError("L'épreuve de ce candidat est terminée.")
    return session, workspace


def _reason(reason: str) -> str:
    from sim.parsing import read_text

    errors: dict[str, str] = {}
    text = read_text(reason, "reason", errors, max_length=500, label="Motif")
    if not errors and not (text or "").strip():
        errors["reason"] = "Indiquez le motif (incident technique, tiers-temps…) : il est journalisé."
    if errors:
        raise ValidationFailed(errors)
    return text.strip()


def hold_candidate(engine, session_id: int, workspace_id: int, *, actor: str, reason: str) -> None:
    """Pause this candidate alone (a technical incident)."""
    reason = _reason(reason)
    session, _ = _candidate(engine, session_id, workspace_id)
    wall = _now()
    with UnitOfWork(workspace_id, engine=engine) as uow:
        workspace = uow.session.get(Workspace, workspace_id)
        if workspace.held:
            raise SessionStateError("Ce candidat est déjà en pause.")
        workspace.held = True
        _entry(uow, "candidate.held", actor, session, _freeze(workspace, wall), reason=reason)
        uow.commit()


def release_candidate(engine, session_id: int, workspace_id: int, *, actor: str) -> None:
    session, _ = _candidate(engine, session_id, workspace_id)
    wall = _now()
    with UnitOfWork(workspace_id, engine=engine) as uow:
        workspace = uow.session.get(Workspace, workspace_id)
        if not workspace.held:
            raise SessionStateError("Ce candidat n'est pas en pause.")
        workspace.held = False
        running = session.status == SessionStatus.RUNNING
        sim = _run(workspace, wall, session.speed) if running else _freeze(workspace, wall)
        _entry(uow, "candidate.released", actor, session, sim)
        uow.commit()


def grant_extra_time(engine, session_id: int, workspace_id: int, *, actor: str, minutes, reason: str) -> None:
    """Extra time for this candidate (a tiers-temps accommodation): their own end comes later."""
    from sim.parsing import read_decimal

    errors: dict[str, str] = {}
    value = read_decimal(minutes, "minutes", errors, "Minutes : nombre entier attendu.")
    if value is not None and (value != value.to_integral_value() or not 1 <= value <= 600):
        errors["minutes"] = "Minutes : un nombre entier entre 1 et 600."
    if errors:
        raise ValidationFailed(errors)
    reason = _reason(reason)
    session, _ = _candidate(engine, session_id, workspace_id)
    with UnitOfWork(workspace_id, engine=engine) as uow:
        workspace = uow.session.get(Workspace, workspace_id)
        workspace.extra_minutes += int(value)
        _entry(uow, "candidate.extra_time", actor, session, workspace.sim_now().replace(microsecond=0),
               minutes=int(value), total_minutes=workspace.extra_minutes, reason=reason)
        uow.commit()


def deadline(session: ExamSession, workspace: Workspace) -> datetime | None:
    """When this candidate's exam ends (wall time): the planned length plus their extra time."""
    if session.started_at is None or session.duration_minutes is None:
        return None
    started = session.started_at if session.started_at.tzinfo else session.started_at.replace(
        tzinfo=wall_now().tzinfo)
    return started + timedelta(minutes=session.duration_minutes + workspace.extra_minutes)


# ===== the end ===============================================================

def end_candidate(engine, session_id: int, workspace_id: int, *, actor: str, reason: str = "") -> str:
    """Seal this candidate's journal with a final entry; the workspace is then read-only.
    Returns the seal (the final entry's hash)."""
    session, _ = _candidate(engine, session_id, workspace_id)
    wall = _now()
    with UnitOfWork(workspace_id, engine=engine) as uow:
        workspace = uow.session.get(Workspace, workspace_id)
        sim = _freeze(workspace, wall)
        entry = journal.append(uow, kind="session.ended", actor=actor, refs={"session": f"S{session.id}"},
                               sim_time=sim, payload={"entries": workspace.journal_seq, "reason": reason})
        workspace.ended_at, workspace.seal_hash = wall, entry.hash
        uow.commit()
        return entry.hash


def end_session(engine, session_id: int, *, actor: str) -> ExamSession:
    """The end: every candidate's workspace becomes read-only, each journal sealed."""
    wall = _now()
    session = get_session(engine, session_id)
    session = _move(engine, session_id, allowed=(SessionStatus.READY, SessionStatus.RUNNING, SessionStatus.PAUSED),
                    status=SessionStatus.ENDED, message="La session est déjà terminée.", ended_at=wall,
                    clock_sim=session_sim_now(session, wall), clock_wall=wall, clock_speed=0)
    for workspace in workspaces_of(engine, session_id):
        if workspace.ended_at is None:
            end_candidate(engine, session_id, workspace.id, actor=actor, reason="fin de la session")
    return session


def scenario_end(session: ExamSession) -> datetime:
    """The scenario's end in sim time (its start + ``duration_days``)."""
    return session.sim_start + timedelta(days=_duration_days(session.scenario_source))


@lru_cache(maxsize=256)
def _duration_days(source: str) -> int:
    # The source is the session's own frozen copy: parsed once per process, not at every tick.
    from ruamel.yaml import YAML

    return int(YAML(typ="safe").load(source)["duration_days"])


def end_overdue(engine, wall: datetime | None = None) -> list[int]:
    """End the candidates whose time is up: with a planned length, their own
    deadline (length + extra time, wall time); without one, the scenario's end
    in their sim time (a practice run, an exam left open-ended) — nothing more
    can happen after it. A held candidate's clock is frozen: never ended here."""
    wall = wall or wall_now()
    ended = []
    with UnitOfWork(write=False, engine=engine) as uow:
        rows = uow.session.execute(
            select(ExamSession, Workspace).join(Workspace, Workspace.exam_session_id == ExamSession.id)
            .where(ExamSession.status.in_([SessionStatus.RUNNING, SessionStatus.PAUSED]),
                   Workspace.ended_at.is_(None))).all()
    for session, workspace in rows:
        if workspace.held:
            continue
        limit = deadline(session, workspace)
        if limit is not None:
            over, reason = wall >= limit, "temps écoulé"
        else:
            over, reason = workspace.sim_now(wall) >= scenario_end(session), "fin du scénario"
        if over:
            end_candidate(engine, session.id, workspace.id, actor="system:clock", reason=reason)
            ended.append(workspace.id)
    _end_finished_sessions(engine, {s.id: s for s, _ in rows})
    return ended


def _end_finished_sessions(engine, sessions: dict[int, ExamSession]) -> None:
    """A session whose every candidate has ended is ended too (the console then says so)."""
    for session_id, session in sessions.items():
        if all(w.ended_at is not None for w in workspaces_of(engine, session_id)):
            wall = _now()
            with UnitOfWork(engine=engine) as uow:
                table = ExamSession.__table__
                uow.session.execute(update(table).where(
                    table.c.id == session_id, table.c.status.in_([SessionStatus.RUNNING, SessionStatus.PAUSED]))
                    .values(status=SessionStatus.ENDED, ended_at=wall, clock_sim=session_sim_now(session, wall),
                            clock_wall=wall, clock_speed=0))
                uow.commit()
