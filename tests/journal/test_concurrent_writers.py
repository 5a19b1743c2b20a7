"""Concurrent writers to one workspace never fork the chain (SQLite and PostgreSQL)."""
from __future__ import annotations

import threading

from sim.db import UnitOfWork
from sim.journal import service as journal
from sim.journal.models import JournalEntry
from sim.journal.service import verify
from sqlalchemy import func, select

THREADS = 6
EACH = 15


def test_threads_appending_to_one_workspace_keep_a_single_chain(workspace):
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                with UnitOfWork(workspace.id) as uow:
                    # A read before the append, as in a real service (the customer's account).
                    uow.session.scalar(select(func.count(JournalEntry.id)))
                    journal.append(uow, kind="call.logged", actor=f"thread:{n}", payload={"i": i})
                    uow.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    with UnitOfWork(workspace.id, write=False) as uow:
        seqs = uow.session.scalars(select(JournalEntry.seq).order_by(JournalEntry.seq)).all()
        [report] = verify(uow.session, workspace.id)
    assert seqs == list(range(1, THREADS * EACH + 2))
    assert report.ok, report.reason


def test_two_workspaces_have_independent_chains(make_workspace):
    first, second = make_workspace(), make_workspace()
    with UnitOfWork(first.id) as uow:
        journal.append(uow, kind="call.logged", actor="t")
        uow.commit()
    with UnitOfWork(second.id, write=False) as uow:
        assert uow.session.scalars(select(JournalEntry.seq)).all() == [1]
