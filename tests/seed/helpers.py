"""Reading a seeded workspace back, table by table, without the ORM."""
from __future__ import annotations

from sqlalchemy import select

import sim.models  # noqa: F401  (every table in the metadata)
from sim.models import metadata


from seed.writer import SEEDED_TABLES


def owned_tables():
    """Every table the seed fills, parents before children. (The journal is
    written by the caller, with the wall time and the workspace's name.)"""
    return [t for t in metadata.sorted_tables if t.name in SEEDED_TABLES]


def rows(engine, table_name: str, workspace_id: int) -> list[dict]:
    """The workspace's rows of one table, in id order, as dictionaries."""
    table = metadata.tables[table_name]
    with engine.connect() as conn:
        result = conn.execute(select(table).where(table.c.workspace_id == workspace_id).order_by(table.c.id))
        return [dict(row._mapping) for row in result]


def dump(engine, workspace_id: int) -> dict[str, list[tuple]]:
    """The whole company, canonical: no ``id`` nor ``workspace_id``, and every
    foreign key replaced by the referenced row's rank in its table (ids differ
    from one workspace to the next, ranks do not)."""
    tables = owned_tables()
    loaded = {t.name: rows(engine, t.name, workspace_id) for t in tables}
    ranks = {name: {row["id"]: rank for rank, row in enumerate(data)} for name, data in loaded.items()}
    result = {}
    for table in tables:
        columns = [c for c in table.c if c.name not in ("id", "workspace_id")]
        canonical = []
        for row in loaded[table.name]:
            values = []
            for column in columns:
                value = row[column.name]
                fk = next(iter(column.foreign_keys), None)
                if fk is not None and value is not None:
                    value = ("rank", ranks[fk.column.table.name][value])
                values.append((column.name, value))
            canonical.append(tuple(values))
        result[table.name] = canonical
    return result
