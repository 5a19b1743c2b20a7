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
