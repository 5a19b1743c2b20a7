"""The journal is append-only and hash-chained per workspace (DESIGN.md, "journal")."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from sim.cli import main
from sim.db import UnitOfWork
from sim.journal import service as journal
from sim.journal.models import JournalEntry
from sim.journal.service import GENESIS, verify


def _write(workspace_id: int, n: int) -> None:
    for i in range(n):
        with UnitOfWork(workspace_id) as uow:
            journal.append(uow, kind="call.logged", actor="candidate:test",
                           refs={"customer": f"C{i:05d}"}, payload={"amount": Decimal("12.30") * i, "i": i})
            uow.commit()


def test_each_entry_chains_to_the_previous_one(workspace):
    _write(workspace.id, 3)
    with UnitOfWork(workspace.id, write=False) as uow:
        entries = uow.session.query(JournalEntry).order_by(JournalEntry.seq).all()
        # The seed wrote entry 1 (workspace.seeded); ours follow without a gap.
        assert [e.seq for e in entries] == [1, 2, 3, 4]
        assert entries[0].prev_hash == GENESIS
        for before, after in zip(entries, entries[1:]):
            assert after.prev_hash == before.hash
        assert entries[3].payload == {"amount": "24.60", "i": 2}  # Decimal kept exact, as a string
        [report] = verify(uow.session, workspace.id)
    assert report.ok and report.entries == 4


def test_a_rolled_back_action_leaves_no_entry(workspace):
    with UnitOfWork(workspace.id) as uow:
        journal.append(uow, kind="call.logged", actor="candidate:test")
        # no commit: the unit of work rolls back
    with UnitOfWork(workspace.id, write=False) as uow:
        [report] = verify(uow.session, workspace.id)
    assert report.ok and report.entries == 1


def test_editing_one_row_by_hand_breaks_the_chain_and_verify_names_it(workspace, capsys):
    _write(workspace.id, 4)
    with UnitOfWork(workspace.id) as uow:
        uow.session.execute(text("UPDATE journal_entry SET actor = 'candidate:someone-else' "
                                 "WHERE workspace_id = :ws AND seq = 3"), {"ws": workspace.id})
        uow.commit()

    exit_code = main(["journal", "verify", "--workspace", str(workspace.id)])

    out = capsys.readouterr().out
    assert exit_code == 1
    assert "seq=3" in out and "ROMPU" in out


def test_deleting_the_last_entry_is_detected(workspace, capsys):
    _write(workspace.id, 2)
    with UnitOfWork(workspace.id) as uow:
        uow.session.execute(text("DELETE FROM journal_entry WHERE workspace_id = :ws AND seq = 3"),
                            {"ws": workspace.id})
        uow.commit()
    assert main(["journal", "verify", "--workspace", str(workspace.id)]) == 1
    assert "seq=3" in capsys.readouterr().out


def test_verify_passes_on_an_untouched_journal(workspace, capsys):
    _write(workspace.id, 2)
    assert main(["journal", "verify", "--workspace", str(workspace.id)]) == 0
    assert "OK, 3 entrées" in capsys.readouterr().out
