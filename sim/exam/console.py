"""What the trainer's console shows of a session: the clock, the timeline per
candidate, each candidate's last action. Reads only."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from sim.accounts.models import User
from sim.db import UnitOfWork
from sim.exam.models import ExamSession
from sim.journal.models import JournalEntry
from sim.scenario.events import registry
from sim.scenario.models import ScenarioEvent
from sim.workspace.models import Workspace


@dataclass
class CandidateRow:
    workspace: Workspace
    user: User | None
    actions: int = 0
    last_action_kind: str = ""
    last_action_at: datetime | None = None  # sim time
    deadline: datetime | None = None


@dataclass
class TimelineRow:
    key: str
    kind: str
    title: str
    status: dict[int, str] = field(default_factory=dict)  # workspace id -> pending / fired / failed
    due_at: dict[int, datetime | None] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)


@dataclass
class Console:
    session: ExamSession
    candidates: list[CandidateRow]
    timeline: list[TimelineRow]

    @property
    def workspace_ids(self) -> list[int]:
        return [c.workspace.id for c in self.candidates]


def console(engine, session_id: int) -> Console:
    from sim.exam.service import deadline, get_session, workspaces_of

    session = get_session(engine, session_id)
    copies = workspaces_of(engine, session_id)
    ids = [w.id for w in copies]
    with UnitOfWork(write=False, engine=engine) as uow:
        users = {u.id: u for u in uow.session.scalars(select(User).where(
            User.id.in_([w.owner_id for w in copies if w.owner_id])))}
        counts = dict(uow.session.execute(
            select(JournalEntry.workspace_id, func.count()).where(
                JournalEntry.workspace_id.in_(ids), JournalEntry.actor.startswith("candidate:"))
            .group_by(JournalEntry.workspace_id).execution_options(all_workspaces=True)).all()) if ids else {}
        last_seq = (select(JournalEntry.workspace_id, func.max(JournalEntry.seq).label("seq"))
                    .where(JournalEntry.workspace_id.in_(ids), JournalEntry.actor.startswith("candidate:"))
                    .group_by(JournalEntry.workspace_id).subquery())
        last = {e.workspace_id: e for e in uow.session.scalars(
            select(JournalEntry).join(last_seq, (last_seq.c.workspace_id == JournalEntry.workspace_id)
                                      & (last_seq.c.seq == JournalEntry.seq))
            .execution_options(all_workspaces=True))} if ids else {}
        events = uow.session.scalars(select(ScenarioEvent).where(ScenarioEvent.workspace_id.in_(ids))
                                     .order_by(ScenarioEvent.position).execution_options(all_workspaces=True)
                                     ).all() if ids else []
    rows = []
    for w in copies:
        entry = last.get(w.id)
        rows.append(CandidateRow(w, users.get(w.owner_id), counts.get(w.id, 0), entry.kind if entry else "",
                                 entry.sim_time if entry else None, deadline(session, w)))
    timeline: dict[str, TimelineRow] = {}
    kinds = registry()
    for e in events:
        row = timeline.setdefault(e.key, TimelineRow(e.key, e.kind, getattr(kinds.get(e.kind), "TITLE", e.kind)))
        row.status[e.workspace_id], row.due_at[e.workspace_id] = e.status, e.due_at
        if e.error:
            row.errors[e.workspace_id] = e.error
    rows.sort(key=lambda r: (r.user.display_name or r.user.username) if r.user else "")
    return Console(session, rows, list(timeline.values()))
