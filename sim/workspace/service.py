"""Creating workspaces: one candidate's company, seeded with Faker."""
from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select

from sim.clock import wall_now
from sim.journal import service as journal
from sim.workspace.models import Workspace, WorkspaceKind


OPENING_TIME = time(8, 30)  # the office opens: a fresh company's sim clock starts here


def create_workspace(uow, *, name: str, owner_id: int | None, seed: int, size=None,
                     kind: str = WorkspaceKind.PRACTICE, actor: str = "system",
                     sim_start: datetime | None = None) -> Workspace:
    """Create a workspace and its generated company, in one transaction.

    ``sim_start`` (a scenario's start) is where the clock starts and the
    company's history ends; by default ``SIM_START`` at opening time. The same
    seed gives the same company, its history dated up to that start."""
    from seed.company import DEFAULT, SIM_START, populate  # seed/ imports sim, not the reverse

    size = size or DEFAULT
    now = wall_now()
    sim_start = sim_start or datetime.combine(SIM_START, OPENING_TIME)
    workspace = Workspace(name=name, kind=kind, owner_id=owner_id, seed=seed, created_at=now,
                          clock_sim=sim_start, clock_wall=now, clock_speed=1)
    uow.session.add(workspace)
    uow.session.flush()
    uow.workspace_id = workspace.id
    uow.session.info["workspace_id"] = workspace.id
    counts = populate(uow, seed=seed, size=size, sim_start=sim_start.date())
    uow.session.refresh(workspace)
    journal.append(uow, kind="workspace.seeded", actor=actor,
                   refs={},
                   payload={"name": name, "seed": seed, "counts": counts,
                            "sim_date": workspace.sim_date})
    return workspace


def workspace_of(uow, owner_id: int) -> Workspace | None:
    return uow.session.scalar(select(Workspace).where(Workspace.owner_id == owner_id)
                              .order_by(Workspace.id.desc()))
