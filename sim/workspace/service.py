"""Creating workspaces: one candidate's company, seeded with Faker."""
from __future__ import annotations

from sqlalchemy import select

from sim.clock import wall_now
from sim.journal import service as journal
from sim.workspace.models import Workspace, WorkspaceKind


def create_workspace(uow, *, name: str, owner_id: int | None, seed: int, size=None,
                     kind: str = WorkspaceKind.PRACTICE, actor: str = "system") -> Workspace:
    """Create a workspace and its generated company, in one transaction."""
    from seed.company import DEFAULT, SIM_START, populate  # seed/ imports sim, not the reverse

    size = size or DEFAULT
    workspace = Workspace(name=name, kind=kind, owner_id=owner_id, seed=seed,
                          sim_date=SIM_START, created_at=wall_now())
    uow.session.add(workspace)
    uow.session.flush()
    uow.workspace_id = workspace.id
    uow.session.info["workspace_id"] = workspace.id
    counts = populate(uow, seed=seed, size=size)
    uow.session.refresh(workspace)
    journal.append(uow, kind="workspace.seeded", actor=actor,
                   refs={"workspace": workspace.id},
                   payload={"name": name, "seed": seed, "counts": counts,
                            "sim_date": workspace.sim_date})
    uow.commit()
    return workspace


def workspace_of(uow, owner_id: int) -> Workspace | None:
    return uow.session.scalar(select(Workspace).where(Workspace.owner_id == owner_id)
                              .order_by(Workspace.id.desc()))
