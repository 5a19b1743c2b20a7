"""Copying a prepared workspace: every candidate of an exam session starts from
the same company, row for row.

A live exam session gives each candidate an identical copy of one *template*
workspace (seeded, scenario installed). Re-running Faker and the scenario set-up
for each of 30 candidates would cost 30 × the seeding time; copying is one
``INSERT … SELECT`` per table for all the copies at once, no Python loop per row:

    INSERT INTO t (id, workspace_id, cols…, fk…)
    SELECT src.id + :offset_t + copy_n * :span_t, copy_ws, src.cols…,
           src.fk + :offset_r + copy_n * :span_r …
    FROM t AS src CROSS JOIN (SELECT 0 AS copy_n, 41 AS copy_ws UNION ALL …) AS copies
    WHERE src.workspace_id = :template

Each table gets, per copy, a fresh id range as wide as the template's
(``span_t`` = its max id − min id + 1) above the table's highest id, so every
id, and every foreign key pointing at it, moves by the same offset: relative
order is kept (a list sorted by id reads the same), NULL foreign keys stay NULL
and self-references (``interaction.thread_id``) follow. The columns that hold
an id without a declared foreign key are listed in ``UNDECLARED_REFS`` and
remapped by their kind column; a test fails when a new ``…_id`` column is
neither a foreign key nor listed there. A template's range is from its
lowest to its highest id: rows added to it long after the others (ids far
apart) make every copy use that much id space (``CopyRefused`` past 2**31 - 1). Values are copied as stored: money
(integers on SQLite, NUMERIC on PostgreSQL), JSON and PDFs stay exact.

On PostgreSQL each table's range is reserved from its id sequence first
(``setval(…, GREATEST(max(id) + 1, nextval(…)) + n - 1)``), so writers of other
workspaces go on meanwhile and draw ids above the copies; when the role may,
the per-row foreign-key triggers are skipped for the copy and the references
checked set-wise instead (``_skip_row_checks``). SQLite holds the database
write lock for the whole copy.

The journal is not copied as it is: its hash chain includes the workspace id,
so each copy's entries are re-chained under the current journal key (same seq,
times, actor, kind, refs and payload), then a ``workspace.copied`` entry names
what the copy was made from (the scenario, the seed, the template's number of
entries and chain head): the copy's journal verifies on its own, and says it
began as a copy. The template's chain is checked first; a template whose
journal does not verify is refused.

Transactions: ``copy_workspace`` and ``copy_workspaces`` are whole operations
(like ``advsim`` commands): they open their own unit of work and commit.
``copy_into`` is the caller-commits form, for a caller that creates other rows
in the same transaction (an exam session and its candidates).
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Iterable, Mapping

from sqlalchemy import insert, select, text, update

from sim.clock import wall_now
from sim.db import UnitOfWork, owned_models
from sim.errors import SimError
from sim.workspace.models import Workspace, WorkspaceKind

MAX_ID = 2**31 - 1  # INTEGER primary keys on PostgreSQL (and UnitOfWork.get's bound)

# Columns holding another row's id without a foreign key, remapped per kind:
# (table, column) -> (kind column, {kind value: referenced table}).
# scenario_entity: the names a scenario gives (sim/scenario/engine.py MODELS);
# document: what a stored PDF was printed from (sim/documents/service.py render).
UNDECLARED_REFS: dict[tuple[str, str], tuple[str, dict[str, str]]] = {
    ("scenario_entity", "ref_id"): ("kind", {
        "customer": "customer", "supplier": "supplier", "product": "product", "carrier": "carrier",
        "purchase_order": "purchase_order", "order": "sales_order", "invoice": "invoice", "quote": "quote",
        "support": "communication_support", "delivery": "delivery", "claim": "claim"}),
    ("document", "ref_id"): ("ref_kind", {
        "quote": "quote", "order_ack": "sales_order", "delivery_note": "delivery", "invoice": "invoice",
        "credit_note": "credit_note", "statement": "customer", "customer_po": "sales_order",
        "purchase_order": "purchase_order", "goods_receipt": "goods_receipt",
        "proforma": "quote", "order_proforma": "sales_order", "packing_list": "delivery",
        "carrier_protest": "carrier_protest",
        "reminder_letter": "reminder_detail", "formal_notice": "reminder_detail"}),
}

JOURNAL_TABLE = "journal_entry"  # re-chained in Python, not copied by SQL


class CopyRefused(SimError):
    """The template cannot be copied faithfully (nothing is written)."""

    status_code = 409


@dataclass(frozen=True)
class CopySpec:
    """One copy to make: the new workspace's name, owner and kind, and who asked."""

    name: str
    owner_id: int | None = None
    kind: str = WorkspaceKind.EXAM
    actor: str = "system"


def copy_workspace(engine, template_id: int, *, name: str, owner_id: int | None,
                   kind: str = WorkspaceKind.EXAM, actor: str = "system") -> int:
    """Copy the template into a new workspace and commit; returns its id."""
    [new_id] = copy_workspaces(engine, template_id,
                               [CopySpec(name=name, owner_id=owner_id, kind=kind, actor=actor)])
    return new_id


def copy_workspaces(engine, template_id: int, specs: Iterable[CopySpec | Mapping]) -> list[int]:
    """Make one copy of the template per spec, in one transaction, and commit;
    returns the new workspace ids in the specs' order."""
    with UnitOfWork(template_id, engine=engine) as uow:  # the template's write lock: it cannot move meanwhile
        ids = copy_into(uow, template_id, specs)
        uow.commit()
    return ids


def copy_into(uow, template_id: int, specs: Iterable[CopySpec | Mapping]) -> list[int]:
    """The copies, in the unit of work's transaction (the caller commits)."""
    specs = [s if isinstance(s, CopySpec) else CopySpec(**s) for s in specs]
    if not specs:
        return []
    from sim.models import metadata

    session = uow.session
    conn = session.connection()
    ws_table = Workspace.__table__
    # Lock the template row (a no-op when the unit of work already did): its
    # writers wait until the copies are committed, so all copies are of one state.
    template = conn.execute(select(ws_table).where(ws_table.c.id == template_id).with_for_update()).first()
    if template is None:
        raise CopyRefused(f"Espace modèle n° {template_id} introuvable")
    _check_template_journal(session, template)

    owned = {model.__table__.name for model in owned_models()}
    tables = [t for t in metadata.sorted_tables if t.name in owned and t.name != JOURNAL_TABLE]
    n = len(specs)
    postgres = conn.dialect.name == "postgresql"
    ranges = {t.name: _reserve(conn, t, template_id, n, postgres) for t in tables}
    _check_kinds(conn, template_id, metadata)

    now = wall_now()
    new_ids = []
    for spec in specs:
        new_ids.append(conn.execute(insert(ws_table).values(
            name=spec.name, kind=spec.kind, owner_id=spec.owner_id, clock_sim=template.clock_sim,
            clock_wall=template.clock_wall, clock_speed=template.clock_speed, seed=template.seed,
            scenario_id=template.scenario_id, journal_seq=0, journal_head="0" * 64, created_at=now,
        ).returning(ws_table.c.id)).scalar_one())

    quote = conn.dialect.identifier_preparer.quote
    checks_skipped = _skip_row_checks(session) if postgres else False
    copies = " UNION ALL ".join(f"SELECT {k} AS copy_n, {int(ws)} AS copy_ws" for k, ws in enumerate(new_ids))
    for table in tables:
        offset, span, count = ranges[table.name]
        if not count:
            continue
        columns, values = [], []
        for column in table.c:
            columns.append(quote(column.name))
            values.append(_value_sql(table, column, ranges, owned, quote))
        conn.execute(text(
            f"INSERT INTO {quote(table.name)} ({', '.join(columns)}) "
            # the copies outermost (SQLite keeps a CROSS JOIN's order): each copy's
            # rows arrive in id order and are appended to the table's b-tree
            f"SELECT {', '.join(values)} FROM ({copies}) AS copies "
            f"CROSS JOIN {quote(table.name)} AS src WHERE src.workspace_id = :template"
        ), {"template": template_id})
    if checks_skipped:
        conn.execute(text("SET LOCAL session_replication_role = origin"))
        _check_references(conn, tables, owned, new_ids, quote)

    _copy_journal(session, template, specs, new_ids)
    return new_ids


# ===== ids ================================================================

def _reserve(conn, table, template_id: int, n: int, postgres: bool) -> tuple[int, int, int]:
    """(offset, span, count) of the table: copy k's id = id + offset + k × span."""
    lo, hi, count = conn.execute(text(
        f"SELECT min(id), max(id), count(*) FROM {_q(conn, table.name)} WHERE workspace_id = :t"),
        {"t": template_id}).one()
    if not count:
        return 0, 0, 0
    span = hi - lo + 1
    wanted = n * span
    if postgres:
        # Reserve the range in the sequence at once: another workspace's writer
        # draws its next id above the copies, without waiting for this transaction.
        last = conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:name, 'id'), "
            f"GREATEST((SELECT COALESCE(max(id), 0) FROM {_q(conn, table.name)}) + 1, "
            f"nextval(pg_get_serial_sequence(:name, 'id'))) + :wanted - 1)"),
            {"name": table.name, "wanted": wanted}).scalar_one()
        start = last - wanted + 1
    else:
        start = conn.execute(text(f"SELECT COALESCE(max(id), 0) + 1 FROM {_q(conn, table.name)}")).scalar_one()
    if start + wanted - 1 > MAX_ID:
        raise CopyRefused(f"Plus d'identifiants disponibles dans la table {table.name} pour {n} copies")
    return start - lo, span, count


def _q(conn, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _shifted(expr: str, ranges, target: str) -> str:
    offset, span, _count = ranges[target]
    return f"{expr} + {int(offset)} + copies.copy_n * {int(span)}"


def _value_sql(table, column, ranges, owned, quote) -> str:
    source = f"src.{quote(column.name)}"
    if column.name == "workspace_id":
        return "copies.copy_ws"
    if column.primary_key:
        return _shifted(source, ranges, table.name)
    targets = {fk.column.table.name for fk in column.foreign_keys}
    if targets:
        [target] = targets
        # NULL + n is NULL: an optional reference stays empty
        return _shifted(source, ranges, target) if target in owned else source
    undeclared = UNDECLARED_REFS.get((table.name, column.name))
    if undeclared:
        kind_column, kinds = undeclared
        cases = " ".join(f"WHEN '{kind}' THEN {_shifted(source, ranges, target)}"
                         for kind, target in sorted(kinds.items()) if target in ranges)
        return f"CASE src.{quote(kind_column)} {cases} ELSE NULL END"
    return source


def _check_kinds(conn, template_id: int, metadata) -> None:
    """Every undeclared reference of the template is of a kind we know how to remap."""
    for (table_name, column_name), (kind_column, kinds) in UNDECLARED_REFS.items():
        table = metadata.tables[table_name]
        found = conn.execute(select(table.c[kind_column]).distinct().where(
            table.c.workspace_id == template_id, table.c[column_name].is_not(None))).scalars().all()
        unknown = sorted(set(found) - set(kinds))
        if unknown:
            raise CopyRefused(f"{table_name}.{column_name} : type de référence inconnu "
                              f"({', '.join(unknown)}) : copie impossible sans le recopier à l'identique")


def _skip_row_checks(session) -> bool:
    """On PostgreSQL, skip the per-row foreign-key triggers when the role may.

    PostgreSQL checks each foreign key of each inserted row with a query of its
    own: three quarters of a copy's time. A role allowed to set
    ``session_replication_role`` (a superuser, the docker-compose set-up, or
    ``GRANT SET ON PARAMETER`` from PostgreSQL 15) copies without them, for this
    transaction only, and ``_check_references`` then checks every reference in
    a few set-wise queries (stricter than the keys: into the same workspace).
    Otherwise the triggers run, slower."""
    from sqlalchemy.exc import DBAPIError

    try:
        with session.begin_nested():
            session.connection().execute(text("SET LOCAL session_replication_role = replica"))
    except DBAPIError:
        return False
    return True


def _check_references(conn, tables, owned, new_ids: list[int], quote) -> None:
    """Every reference of the copies points to a row of the same copy (else the
    copy is rolled back: it would be a bug of this module, not of the template)."""
    wanted = ", ".join(str(int(ws)) for ws in new_ids)
    for table in tables:
        for column in table.c:
            pairs = []
            targets = {fk.column.table.name for fk in column.foreign_keys}
            if column.name != "workspace_id" and targets & owned:
                pairs.append(("", next(iter(targets))))
            undeclared = UNDECLARED_REFS.get((table.name, column.name))
            if undeclared:
                kind_column, kinds = undeclared
                pairs += [(f" AND child.{quote(kind_column)} = '{kind}'", target) for kind, target in kinds.items()]
            for condition, target in pairs:
                dangling = conn.execute(text(
                    f"SELECT count(*) FROM {quote(table.name)} AS child LEFT JOIN {quote(target)} AS parent "
                    f"ON parent.id = child.{quote(column.name)} AND parent.workspace_id = child.workspace_id "
                    f"WHERE child.workspace_id IN ({wanted}) AND child.{quote(column.name)} IS NOT NULL"
                    f"{condition} AND parent.id IS NULL")).scalar_one()
                if dangling:
                    raise RuntimeError(f"copie incohérente : {dangling} lignes de {table.name}.{column.name} "
                                       f"ne désignent pas une ligne de leur copie")
        # the workspace column is the copies' own, set by the INSERT itself


# ===== the journal ========================================================

def _check_template_journal(session, template) -> None:
    from sim.journal.service import verify_chain

    report = verify_chain(session, template)
    if not report.ok:
        raise CopyRefused(f"Le journal de l'espace modèle ne se vérifie pas (entrée {report.broken_seq} : "
                          f"{report.reason}) : il ne peut pas être copié")


def _copy_journal(session, template, specs: list[CopySpec], new_ids: list[int]) -> None:
    """Each copy gets the template's entries re-chained for its own id, then ``workspace.copied``."""
    from sim.journal import keys
    from sim.journal import service as journal
    from sim.journal.models import JournalEntry

    conn = session.connection()
    rows = [journal._row(dict(r._mapping)) for r in conn.execute(
        journal._raw_query(template.id).order_by(JournalEntry.__table__.c.seq))]
    key = keys.current_key()
    table = JournalEntry.__table__
    ws_table = Workspace.__table__
    # One sim time for the whole batch: every candidate's copy says the same.
    sim_time = Workspace(clock_sim=template.clock_sim, clock_wall=template.clock_wall,
                         clock_speed=template.clock_speed).sim_now().replace(microsecond=0)
    for spec, ws in zip(specs, new_ids, strict=True):
        prev, values = journal.GENESIS, []
        for row in rows:
            digest = journal.entry_hash(workspace_id=ws, seq=row.seq, sim_time=row.sim_time,
                                        wall_time=row.wall_time, actor=row.actor, kind=row.kind, refs=row.refs,
                                        payload=row.payload, prev_hash=prev, key=key.secret, version=row.version)
            values.append({"workspace_id": ws, "seq": row.seq, "sim_time": row.sim_time,
                           "wall_time": row.wall_time, "actor": row.actor, "kind": row.kind,
                           "version": row.version, "refs": row.refs, "payload": row.payload,
                           "prev_hash": prev, "hash": digest, "key_id": key.id})
            prev = digest
        if values:
            conn.execute(insert(table), values)
        conn.execute(update(ws_table).where(ws_table.c.id == ws)
                     .values(journal_seq=len(rows), journal_head=prev))
        refs = {"scenario": template.scenario_id} if template.scenario_id else {}
        journal.append(SimpleNamespace(workspace_id=ws, session=session), kind="workspace.copied",
                       actor=spec.actor, refs=refs, sim_time=sim_time,
                       payload={"name": spec.name, "seed": template.seed, "entries": len(rows),
                                "template_head": template.journal_head})

