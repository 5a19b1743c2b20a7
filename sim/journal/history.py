"""A document's own history: the journal entries whose refs name it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, cast, select

from sim.journal.catalogue import KINDS
from sim.journal.models import JournalEntry


@dataclass(frozen=True)
class HistoryLine:
    sim_time: datetime
    title: str  # the catalogue's French title
    actor: str
    kind: str


def _names(value, key: str) -> bool:
    if isinstance(value, list):
        return any(_names(v, key) for v in value)
    return value == key


def history(uow, key: str, *, limit: int = 200) -> list[HistoryLine]:
    """Entries whose refs name ``key`` (a document number), oldest first.

    The refs column is JSON: a text match narrows the rows in SQL on SQLite and
    PostgreSQL alike, then the exact match on a ref's value is made here, so
    "FA-1" never picks up "FA-10"."""
    if not key:
        return []
    rows = uow.session.scalars(select(JournalEntry).where(cast(JournalEntry.refs, String).contains(f'"{key}"'))
                               .order_by(JournalEntry.seq).limit(limit * 2)).all()
    lines = []
    for entry in rows:
        if any(_names(v, key) for v in (entry.refs or {}).values()):
            kind = KINDS.get(entry.kind)
            lines.append(HistoryLine(entry.sim_time, kind.title if kind else entry.kind, entry.actor, entry.kind))
    return lines[:limit]
