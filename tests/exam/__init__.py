"""Live exam sessions: helpers shared by the tests of this package."""
from __future__ import annotations

from sqlalchemy import select

from sim.db import UnitOfWork, get_engine
from sim.journal.models import JournalEntry
from sim.scenario.models import ScenarioEvent
from sim.workspace.models import Workspace

TRAINER = "trainer:test"


def a_session(make_user, *, candidates: int = 2, scenario: str = "non-payment", speed: int = 1,
              duration_minutes: int | None = None, mode: str = "exam"):
    """A session of the sample scenario for new candidates: (session id, [candidate users])."""
    from sim.exam.service import create_session

    trainer = make_user("trainer")
    users = [make_user("candidate") for _ in range(candidates)]
    session_id = create_session(get_engine(), actor=trainer, title="Épreuve de test", scenario_name=scenario,
                                candidate_ids=[u.id for u in users], speed=speed,
                                duration_minutes=duration_minutes, mode=mode)
    return session_id, users


def workspaces(session_id: int) -> list[Workspace]:
    from sim.exam.service import workspaces_of

    return workspaces_of(get_engine(), session_id)


def kinds(workspace_id: int, prefix: str = "") -> list[str]:
    with UnitOfWork(workspace_id, write=False) as uow:
        return [e.kind for e in uow.session.scalars(select(JournalEntry).order_by(JournalEntry.seq))
                if e.kind.startswith(prefix)]


def events(workspace_id: int) -> dict[str, str]:
    with UnitOfWork(workspace_id, write=False) as uow:
        return {e.key: e.status for e in uow.session.scalars(select(ScenarioEvent))}
