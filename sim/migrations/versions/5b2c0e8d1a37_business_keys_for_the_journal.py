"""business keys for the journal: payment numbers, message references, entry versions

Revision ID: 5b2c0e8d1a37
Revises: 465eb0b7ef22
Create Date: 2026-12-01 22:20:00

Payments and messages get a number of their own (RG-…, MSG-…), numbered per
workspace in date order for the rows that exist, so that journal entries name
them by business key rather than by database id; each journal entry records
the version of its kind's shape (1 for every entry written so far).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "5b2c0e8d1a37"
down_revision: Union[str, None] = "465eb0b7ef22"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SERIES = (("payment", "RG", "payment", "received_on", "number"),
          ("message", "MSG", "interaction", "sim_time", "reference"))


def upgrade() -> None:
    with op.batch_alter_table("payment") as batch_op:
        batch_op.add_column(sa.Column("number", sa.String(length=20), nullable=False, server_default=""))
    with op.batch_alter_table("interaction") as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=20), nullable=False, server_default=""))
    with op.batch_alter_table("journal_entry") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))

    conn = op.get_bind()
    workspaces = [row[0] for row in conn.execute(sa.text("SELECT workspace_id FROM company"))]
    for code, prefix, table, date_column, key_column in SERIES:
        for workspace_id in workspaces:
            rows = conn.execute(sa.text(
                f"SELECT id, {date_column} FROM {table} WHERE workspace_id = :ws ORDER BY {date_column}, id"),
                {"ws": workspace_id}).all()
            updates = [{"id": row_id, "key": f"{prefix}-{str(day)[:4]}-{n:05d}"}
                       for n, (row_id, day) in enumerate(rows, start=1)]
            if updates:
                conn.execute(sa.text(f"UPDATE {table} SET {key_column} = :key WHERE id = :id"), updates)
            conn.execute(sa.text("INSERT INTO number_series (workspace_id, code, prefix, last_number) "
                                 "VALUES (:ws, :code, :prefix, :n)"),
                         {"ws": workspace_id, "code": code, "prefix": prefix, "n": len(rows)})


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM number_series WHERE code IN ('payment', 'message')"))
    with op.batch_alter_table("journal_entry") as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("interaction") as batch_op:
        batch_op.drop_column("reference")
    with op.batch_alter_table("payment") as batch_op:
        batch_op.drop_column("number")
