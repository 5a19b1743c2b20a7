"""Append-only, hash-chained journal, one chain per workspace.

Every entry's hash is SHA-256 over a canonical JSON of the entry (workspace,
seq, times, actor, kind, refs, payload) and the previous entry's hash, so that
editing, deleting or reordering any entry breaks the chain from that point.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import select, update

from sim.clock import sim_now, wall_now
from sim.journal.catalogue import KINDS
from sim.journal.models import JournalEntry
from sim.workspace.models import Workspace

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    """JSON-safe value: Decimal as a string (exact), dates as ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        raise TypeError("journal payloads hold Decimal, never float")
    return value


def _iso(moment: datetime) -> str:
    # Wall times are UTC; SQLite gives them back without a zone.
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def canonical_json(data: Any) -> str:
    return json.dumps(_plain(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(*, workspace_id: int, seq: int, sim_time: datetime, wall_time: datetime,
               actor: str, kind: str, refs: dict, payload: dict, prev_hash: str) -> str:
    body = canonical_json({
        "workspace_id": workspace_id, "seq": seq, "sim_time": sim_time, "wall_time": wall_time,
        "actor": actor, "kind": kind, "refs": refs, "payload": payload,
    })
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(uow, *, kind: str, actor: str, refs: dict | None = None, payload: dict | None = None,
           sim_time: datetime | None = None) -> JournalEntry:
    """Record one action or event in the unit of work's workspace, in its transaction.

    The first statement moves the workspace's chain head (UPDATE ... RETURNING):
    it takes the row lock on PostgreSQL, so a concurrent appender waits for this
    transaction and then reads the new head; on SQLite the writer already holds
    the database lock (BEGIN IMMEDIATE). Either way the chain cannot fork.
    """
    workspace_id = uow.workspace_id
    if workspace_id is None:
        raise ValueError("a journal entry belongs to a workspace")
    if kind not in KINDS:
        raise ValueError(f"journal kind {kind!r} is not in sim/journal/catalogue.py")
    refs = json.loads(canonical_json(refs or {}))
    payload = json.loads(canonical_json(payload or {}))
    # a scenario's set-up records the situation as it stands at the start
    sim_time = (sim_time or uow.session.info.get("journal_sim_time") or sim_now(uow)).replace(microsecond=0)
    wall_time = wall_now()
    table = Workspace.__table__
    seq, prev_hash = uow.session.execute(
        update(table).where(table.c.id == workspace_id)
        .values(journal_seq=table.c.journal_seq + 1)
        .returning(table.c.journal_seq, table.c.journal_head)
    ).one()
    digest = entry_hash(workspace_id=workspace_id, seq=seq, sim_time=sim_time, wall_time=wall_time,
                        actor=actor, kind=kind, refs=refs, payload=payload, prev_hash=prev_hash)
    entry = JournalEntry(workspace_id=workspace_id, seq=seq, sim_time=sim_time, wall_time=wall_time,
                         actor=actor, kind=kind, version=KINDS[kind].version, refs=refs, payload=payload, prev_hash=prev_hash,
                         hash=digest)
    uow.session.add(entry)
    uow.session.execute(update(table).where(table.c.id == workspace_id).values(journal_head=digest))
    uow.session.flush([entry])
    return entry


# ===== verification =====================================================

@dataclass
class ChainReport:
    workspace_id: int
    workspace_name: str
    entries: int
    broken_seq: int | None = None
    reason: str = ""
    last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def _first_break(rows: Iterable[JournalEntry], report: ChainReport) -> bool:
    expected_prev, expected_seq = GENESIS, 1
    for entry in rows:
        report.entries += 1
        if entry.seq != expected_seq:
            report.broken_seq, report.reason = expected_seq, f"entrée {expected_seq} manquante (trouvé {entry.seq})"
            return True
        if entry.prev_hash != expected_prev:
            report.broken_seq, report.reason = entry.seq, "prev_hash ne correspond pas à l'entrée précédente"
            return True
        digest = entry_hash(workspace_id=entry.workspace_id, seq=entry.seq, sim_time=entry.sim_time,
                            wall_time=entry.wall_time, actor=entry.actor, kind=entry.kind,
                            refs=entry.refs, payload=entry.payload, prev_hash=entry.prev_hash)
        if digest != entry.hash:
            report.broken_seq, report.reason = entry.seq, "contenu modifié (le hash ne correspond plus)"
            return True
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    report.last_hash = expected_prev
    return False


def verify_chain(session, workspace: Workspace) -> ChainReport:
    """Walk one workspace's chain; report the first entry that does not hold."""
    report = ChainReport(workspace.id, workspace.name, 0)
    rows = session.scalars(
        select(JournalEntry).where(JournalEntry.workspace_id == workspace.id)
        .order_by(JournalEntry.seq).execution_options(yield_per=500, all_workspaces=True)
    )
    try:
        broken = _first_break(rows, report)
    finally:
        rows.close()  # a server-side cursor on PostgreSQL: close it even when we stop early
    if broken:
        return report
    expected_seq, expected_prev = report.entries + 1, report.last_hash
    if workspace.journal_seq != expected_seq - 1 or workspace.journal_head != expected_prev:
        report.broken_seq = expected_seq
        report.reason = (f"fin de chaîne tronquée : l'espace attend {workspace.journal_seq} entrées, "
                         f"{expected_seq - 1} trouvées")
    return report


def verify(session, workspace_id: int | None = None) -> list[ChainReport]:
    query = select(Workspace).order_by(Workspace.id)
    if workspace_id is not None:
        query = query.where(Workspace.id == workspace_id)
    return [verify_chain(session, ws) for ws in session.scalars(query).all()]
