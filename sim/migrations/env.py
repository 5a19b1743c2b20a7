"""Alembic environment: the URL comes from advsim's settings or the caller."""
from alembic import context

import sim.models  # noqa: F401  (fills the metadata)
from sim.db import get_engine
from sim.models import metadata

config = context.config


def _render_item(type_, obj, autogen_context):
    # Render our exact-decimal type by its import path so migrations can rebuild it.
    if type_ == "type" and obj.__class__.__name__ == "Fixed":
        autogen_context.imports.add("import sim.db")
        return f"sim.db.Fixed(scale={obj.scale})"
    if type_ == "type" and obj.__class__.__module__.startswith("sqlmodel"):
        autogen_context.imports.add("import sqlmodel")
    return False


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = get_engine(config.get_main_option("sqlalchemy.url") or None)
    with engine.connect() as conn:
        _run(conn)


def _run(connection) -> None:
    """SQLite rebuilds a table to add a foreign key to it (batch mode): with the
    foreign keys enforced, dropping the old table of a database that has rows
    fails. SQLite's own procedure (lang_altertable.html, "making other kinds of
    table schema changes"): foreign keys off outside the transaction, rebuild,
    ``PRAGMA foreign_key_check``, foreign keys on again."""
    raw = connection.connection.driver_connection if connection.dialect.name == "sqlite" else None
    if raw is not None and not connection.in_transaction():
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            _migrate(connection)
            broken = raw.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left dangling foreign keys: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
        return
    _migrate(connection)


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_item=_render_item,
        render_as_batch=True,  # SQLite can only ALTER by rebuilding the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
