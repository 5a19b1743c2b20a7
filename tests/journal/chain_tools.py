"""Helpers for the journal tests: write entries, damage rows by hand, rewrite a chain."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select, text, update

from sim.db import UnitOfWork
from sim.journal import service as journal
from sim.journal.models import JournalEntry
from sim.workspace.models import Workspace


def write(workspace_id: int, n: int) -> None:
    for i in range(n):
        with UnitOfWork(workspace_id) as uow:
            journal.append(uow, kind="call.logged", actor="candidate:test",
                           refs={"customer": f"C{i:05d}"}, payload={"amount": Decimal("12.30") * i, "i": i})
            uow.commit()


def sql(workspace_id: int, *statements: str, **params) -> None:
    """Damage the journal as someone with write access to the database would."""
    with UnitOfWork(workspace_id) as uow:
        for statement in statements:
            uow.session.execute(text(statement), {"ws": workspace_id, **params})
        uow.commit()


def rechain(workspace_id: int, *, key: bytes | None, key_id: str | None, edit=None) -> None:
    """Rewrite the whole chain and its head with ``key`` (None: plain SHA-256),
    after ``edit(entry)`` — what a forger who controls the database can do."""
    with UnitOfWork(workspace_id) as uow:
        entries = uow.session.scalars(select(JournalEntry).order_by(JournalEntry.seq)).all()
        prev = journal.GENESIS
        for entry in entries:
            if edit:
                edit(entry)
            entry.prev_hash = prev
            entry.key_id = key_id
            entry.hash = journal.entry_hash(
                workspace_id=entry.workspace_id, seq=entry.seq, sim_time=entry.sim_time,
                wall_time=entry.wall_time, actor=entry.actor, kind=entry.kind, refs=entry.refs,
                payload=entry.payload, prev_hash=entry.prev_hash, key=key,
                version=entry.version if key is not None else None)
            prev = entry.hash
        uow.session.flush()
        uow.session.execute(update(Workspace).where(Workspace.id == workspace_id).values(journal_head=prev))
        uow.commit()


def report_of(workspace_id: int) -> journal.ChainReport:
    with UnitOfWork(workspace_id, write=False) as uow:
        [report] = journal.verify(uow.session, workspace_id)
    return report


def on_postgresql(database_url: str) -> bool:
    return database_url.startswith("postgresql")
