"""Append-only, hash-chained journal, one chain per workspace.

Every entry's hash is an HMAC-SHA-256, under the journal key (``keys.py``),
of the previous entry's hash and a canonical JSON of the entry (workspace,
seq, times, actor, kind, refs, payload), so that editing, deleting or
reordering any entry breaks the chain from that point, and rewriting the
entries and recomputing the hashes needs the key, which the database does not
hold. Entries written before the key existed (``key_id`` empty) were plain
SHA-256; they still verify, and the report counts them.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import Text, cast, select, type_coerce, update
from sqlalchemy.types import String

from sim.clock import sim_now, wall_now
from sim.journal import keys
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
               actor: str, kind: str, refs: dict, payload: dict, prev_hash: str,
               key: bytes | None = None, version: int | None = None) -> str:
    """HMAC-SHA-256 under ``key`` of prev_hash + canonical body; plain SHA-256
    without a key (the rule of the entries written before the journal key).
    A signed entry's body includes the version of its kind's shape."""
    fields = {"workspace_id": workspace_id, "seq": seq, "sim_time": sim_time, "wall_time": wall_time,
              "actor": actor, "kind": kind, "refs": refs, "payload": payload}
    if version is not None:
        fields["version"] = version
    body = canonical_json(fields)
    message = (prev_hash + body).encode("utf-8")
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


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
    judging = getattr(uow, "judging", False)
    if judging != kind.startswith("evaluation."):
        # a judging unit of work writes judgements only, and judgements are written only by one:
        # nothing else enters a sealed journal, and no judgement hides among a candidate's actions
        raise ValueError(f"journal kind {kind!r} in a {'judging' if judging else 'plain'} unit of work")
    refs = json.loads(canonical_json(refs or {}))
    payload = json.loads(canonical_json(payload or {}))
    # a scenario's set-up records the situation as it stands at the start
    sim_time = (sim_time or uow.session.info.get("journal_sim_time") or sim_now(uow)).replace(microsecond=0)
    wall_time = wall_now()
    key = keys.current_key()  # may read a file: before the chain head is locked
    table = Workspace.__table__
    seq, prev_hash = uow.session.execute(
        update(table).where(table.c.id == workspace_id)
        .values(journal_seq=table.c.journal_seq + 1)
        .returning(table.c.journal_seq, table.c.journal_head)
    ).one()
    version = KINDS[kind].version
    digest = entry_hash(workspace_id=workspace_id, seq=seq, sim_time=sim_time, wall_time=wall_time,
                        actor=actor, kind=kind, refs=refs, payload=payload, prev_hash=prev_hash,
                        key=key.secret, version=version)
    entry = JournalEntry(workspace_id=workspace_id, seq=seq, sim_time=sim_time, wall_time=wall_time,
                         actor=actor, kind=kind, version=version, refs=refs, payload=payload,
                         prev_hash=prev_hash, hash=digest, key_id=key.id)
    uow.session.add(entry)
    uow.session.execute(update(table).where(table.c.id == workspace_id).values(journal_head=digest))
    uow.session.flush([entry])
    return entry


# ===== verification =====================================================
#
# Verification reads the raw columns and parses each row itself: a row edited
# by hand (invalid JSON, a float, a date that is not one, a NULL) must become a
# reason in the report, never an exception that stops the check.

@dataclass
class ChainReport:
    workspace_id: int
    workspace_name: str
    entries: int
    broken_seq: int | None = None
    reason: str = ""
    last_hash: str = GENESIS
    unkeyed: int = 0          # entries of before the journal key (plain SHA-256)
    missing_key: str | None = None  # id of a key verification needed and did not have
    key_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


@dataclass
class JournalRow:
    """One journal row as stored, parsed without trusting it.

    ``problem`` is the first thing that makes it unreadable (French), else
    None; fields that could not be read are None and ``raw`` keeps the text.
    """
    id: Any
    workspace_id: Any
    seq: Any
    sim_time: datetime | None
    wall_time: datetime | None
    actor: str | None
    kind: str | None
    refs: dict | None
    payload: dict | None
    prev_hash: str | None
    hash: str | None
    key_id: str | None
    raw: dict[str, Any]
    version: int | None = None
    problem: str | None = None


def _excerpt(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


class _Unreadable(ValueError):
    pass


def _time(name: str, value: Any) -> datetime:
    if value is None:
        raise _Unreadable(f"{name} vide")
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _Unreadable(f"{name} illisible : « {_excerpt(value)} » n'est pas une date")


def _text(name: str, value: Any) -> str:
    if value is None:
        raise _Unreadable(f"{name} vide")
    if not isinstance(value, str):
        raise _Unreadable(f"{name} n'est pas du texte : « {_excerpt(value)} »")
    return value


def _first_float(value: Any) -> float | None:
    if isinstance(value, float):
        return value
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found = _first_float(item)
            if found is not None:
                return found
    return None


def _object(name: str, value: Any) -> dict:
    if value is None:
        raise _Unreadable(f"{name} vide")
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise _Unreadable(f"{name} n'est pas du JSON valide : « {_excerpt(value)} »") from None
    if not isinstance(value, dict):
        raise _Unreadable(f"{name} n'est pas un objet JSON : « {_excerpt(json.dumps(value))} »")
    try:
        found = _first_float(value)
    except RecursionError:
        raise _Unreadable(f"{name} : JSON trop imbriqué") from None
    if found is not None:
        raise _Unreadable(f"{name} contient un nombre à virgule flottante ({found!r}) : le journal "
                          f"n'enregistre que des valeurs exactes (montants en texte)")
    return value


def _row(raw: dict[str, Any]) -> JournalRow:
    row = JournalRow(id=raw["id"], workspace_id=raw["workspace_id"], seq=raw["seq"], sim_time=None,
                     wall_time=None, actor=None, kind=None, refs=None, payload=None, prev_hash=None,
                     hash=None, key_id=None, raw=raw)
    steps = (
        ("seq", lambda v: v if isinstance(v, int) and not isinstance(v, bool) else _bad_seq(v)),
        ("sim_time", lambda v: _time("sim_time", v)),
        ("wall_time", lambda v: _time("wall_time", v)),
        ("actor", lambda v: _text("actor", v)),
        ("kind", lambda v: _text("kind", v)),
        ("refs", lambda v: _object("refs", v)),
        ("payload", lambda v: _object("payload", v)),
        ("prev_hash", lambda v: _text("prev_hash", v)),
        ("hash", lambda v: _text("hash", v)),
        ("key_id", lambda v: None if v is None else _text("key_id", v)),
        ("version", lambda v: v if isinstance(v, int) and not isinstance(v, bool) else _bad_version(v)),
    )
    for name, parse in steps:
        try:
            setattr(row, name, parse(raw[name]))
        except _Unreadable as exc:
            row.problem = row.problem or str(exc)
            if name == "seq":
                row.seq = None
    return row


def _bad_version(value: Any):
    raise _Unreadable(f"version illisible : « {_excerpt(value)} »")


def _bad_seq(value: Any):
    raise _Unreadable(f"numéro d'ordre (seq) illisible : « {_excerpt(value)} »")


def _raw_query(workspace_id: int):
    t = JournalEntry.__table__
    # No type processing on the way out: the times as the driver gives them
    # (text on SQLite), the JSON columns as their stored text.
    return select(
        t.c.id, t.c.workspace_id, t.c.seq,
        type_coerce(t.c.sim_time, String()).label("sim_time"),
        type_coerce(t.c.wall_time, String()).label("wall_time"),
        t.c.actor, t.c.kind,
        cast(t.c.refs, Text()).label("refs"), cast(t.c.payload, Text()).label("payload"),
        t.c.prev_hash, t.c.hash, t.c.key_id, t.c.version,
    ).where(t.c.workspace_id == workspace_id).execution_options(all_workspaces=True)


def journal_rows(session, workspace_id: int, *, kind_prefix: str = "", offset: int = 0,
                 limit: int | None = None, newest_first: bool = False) -> list[JournalRow]:
    """Rows for display (the staff journal page): a damaged row shows, raw."""
    t = JournalEntry.__table__
    query = _raw_query(workspace_id)
    if kind_prefix:
        query = query.where(t.c.kind.startswith(kind_prefix, autoescape=True))
    order = (t.c.seq.desc(), t.c.id.desc()) if newest_first else (t.c.seq, t.c.id)
    query = query.order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_row(dict(r._mapping)) for r in session.execute(query)]


def _check(row: JournalRow, report: ChainReport, ring: dict, expected_seq: int, expected_prev: str,
           seen_keyed: bool) -> str | None:
    """The reason this row breaks the chain, or None."""
    if row.problem:
        return row.problem
    if row.workspace_id != report.workspace_id:
        return "entrée d'un autre espace"
    if row.seq != expected_seq:
        report.broken_seq = expected_seq  # the missing one, not the one found after the gap
        return f"entrée {expected_seq} manquante (trouvé {row.seq})"
    if row.prev_hash != expected_prev:
        return "prev_hash ne correspond pas à l'entrée précédente (entrée supprimée, déplacée ou remplacée)"
    fields = dict(workspace_id=row.workspace_id, seq=row.seq, sim_time=row.sim_time, wall_time=row.wall_time,
                  actor=row.actor, kind=row.kind, refs=row.refs, payload=row.payload, prev_hash=row.prev_hash)
    if row.key_id is None:
        if seen_keyed:
            return "entrée non signée après des entrées signées (réécrite sans la clé du journal ?)"
        if entry_hash(**fields) != row.hash:
            return "contenu modifié (le hash ne correspond plus)"
        return None
    key = ring.get(row.key_id)
    if key is None:
        report.missing_key = row.key_id
        return (f"clé du journal « {row.key_id} » introuvable (ni courante ni dans journal_keys/) : "
                f"vérification impossible à partir de cette entrée")
    if not hmac.compare_digest(entry_hash(**fields, key=key.secret, version=row.version), row.hash):
        if hmac.compare_digest(entry_hash(**fields), row.hash):
            return "hash recalculé sans la clé du journal (SHA-256 simple au lieu du HMAC)"
        return "contenu modifié ou hash recalculé sans la clé (le HMAC ne correspond plus)"
    return None


def verify_chain(session, workspace, ring: dict | None = None) -> ChainReport:
    """Walk one workspace's chain; report the first entry that does not hold.

    ``workspace`` needs ``id, name, journal_seq, journal_head``; ``ring`` the
    journal keys by id (read from the data directory when not given).
    """
    ring = keys.key_ring() if ring is None else ring
    session.flush()  # a Core read does not autoflush: see this transaction's own entries
    report = ChainReport(workspace.id, workspace.name, 0)
    expected_prev, expected_seq, seen_keyed = GENESIS, 1, False
    result = session.execute(_raw_query(workspace.id).order_by(JournalEntry.__table__.c.seq,
                                                               JournalEntry.__table__.c.id)
                             .execution_options(yield_per=500))
    try:
        for raw in result:
            report.entries += 1
            row = None
            try:
                row = _row(dict(raw._mapping))
                reason = _check(row, report, ring, expected_seq, expected_prev, seen_keyed)
            except Exception as exc:  # a value no rule foresaw: still a report, not a crash
                reason = f"entrée illisible ({exc.__class__.__name__} : {_excerpt(exc)})"
            if reason:
                if report.broken_seq is None:
                    report.broken_seq = row.seq if row and isinstance(row.seq, int) else expected_seq
                report.reason = reason
                return report
            if row.key_id is None:
                report.unkeyed += 1
            else:
                seen_keyed = True
                if row.key_id not in report.key_ids:
                    report.key_ids.append(row.key_id)
            expected_prev, expected_seq = row.hash, row.seq + 1
    finally:
        result.close()  # a server-side cursor on PostgreSQL: close it even when we stop early
    report.last_hash = expected_prev
    if workspace.journal_seq != expected_seq - 1 or workspace.journal_head != expected_prev:
        report.broken_seq = expected_seq
        report.reason = (f"fin de chaîne tronquée : l'espace attend {workspace.journal_seq} entrées, "
                         f"{expected_seq - 1} trouvées")
    return report


@dataclass
class _WorkspaceHead:
    id: int
    name: str
    journal_seq: Any
    journal_head: Any


def verify(session, workspace_id: int | None = None) -> list[ChainReport]:
    """One report per workspace; a workspace that cannot be checked is
    reported as such and the others are still checked."""
    t = Workspace.__table__
    query = select(t.c.id, t.c.name, t.c.journal_seq, t.c.journal_head).order_by(t.c.id)
    if workspace_id is not None:
        query = query.where(t.c.id == workspace_id)
    heads = [_WorkspaceHead(*row) for row in session.execute(query).all()]
    ring = keys.key_ring()
    reports = []
    for head in heads:
        try:
            reports.append(verify_chain(session, head, ring))
        except Exception as exc:  # e.g. a database error: say so, go on with the next one
            session.rollback()
            reports.append(ChainReport(head.id, head.name, 0, broken_seq=0,
                                       reason=f"vérification impossible ({exc.__class__.__name__} : "
                                              f"{_excerpt(exc)})"))
    return reports
