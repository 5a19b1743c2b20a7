"""A workspace's rows by business content, for comparing two workspaces.

Ids differ between copies, so each row is compared without its id and
workspace id, and each reference (declared foreign key, or an id column listed
in ``sim.workspace.copy.UNDECLARED_REFS``) as the position of the row it points
to among its table's rows of that workspace, in id order. Journal entries
leave out what is bound to the workspace by design (``prev_hash``, ``hash``)
and the wall-clock time each was written.
"""
from __future__ import annotations

from sqlalchemy import select

from sim.db import owned_models
from sim.workspace.copy import UNDECLARED_REFS

JOURNAL_LEFT_OUT = {"prev_hash", "hash", "wall_time"}


def owned_tables():
    from sim.models import metadata

    owned = {m.__table__.name for m in owned_models()}
    return [t for t in metadata.sorted_tables if t.name in owned]


def dump(session, workspace_id: int, *, journal: bool = True) -> dict[str, list[tuple]]:
    tables = [t for t in owned_tables() if journal or t.name != "journal_entry"]
    rows = {t.name: session.execute(select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.id)
                                    .execution_options(all_workspaces=True)).mappings().all()
            for t in owned_tables()}
    position = {name: {r["id"]: i for i, r in enumerate(found)} for name, found in rows.items()}
    result = {}
    for table in tables:
        out = []
        for row in rows[table.name]:
            item = []
            for column in table.c:
                if column.name in ("id", "workspace_id"):
                    continue
                if table.name == "journal_entry" and column.name in JOURNAL_LEFT_OUT:
                    continue
                value = row[column.name]
                targets = [fk.column.table.name for fk in column.foreign_keys]
                undeclared = UNDECLARED_REFS.get((table.name, column.name))
                if undeclared and value is not None:
                    kind_column, kinds = undeclared
                    targets = [kinds[row[kind_column]]]
                if targets and value is not None and targets[0] in position:
                    value = ("row", targets[0], position[targets[0]][value])
                item.append((column.name, value))
            out.append(tuple(item))
        result[table.name] = out
    return result


def without_journal(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "journal_entry"}
