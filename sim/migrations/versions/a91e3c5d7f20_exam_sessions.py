"""exam sessions: the session, its candidates' workspaces, explicit active workspace

Revision ID: a91e3c5d7f20
Revises: fd5b33b90924
Create Date: 2026-12-01 23:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "a91e3c5d7f20"
down_revision: Union[str, None] = "fd5b33b90924"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "exam_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("scenario_name", sa.String(length=80), nullable=False),
        sa.Column("scenario_id", sa.String(length=80), nullable=False),
        sa.Column("scenario_source", sa.Text(), nullable=False),
        sa.Column("sim_start", sa.DateTime(timezone=False), nullable=False),
        sa.Column("speed", sa.Integer(), nullable=False),
        sa.Column("clock_sim", sa.DateTime(timezone=False), nullable=False),
        sa.Column("clock_wall", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clock_speed", sa.Integer(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("template_workspace_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("exam_session") as batch_op:
        batch_op.create_index(batch_op.f("ix_exam_session_status"), ["status"], unique=False)
    with op.batch_alter_table("workspace") as batch_op:
        batch_op.add_column(sa.Column("exam_session_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("held", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("extra_minutes", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("seal_hash", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("trigger_seq", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index(batch_op.f("ix_workspace_exam_session_id"), ["exam_session_id"], unique=False)
        batch_op.create_foreign_key("fk_workspace_exam_session_id_exam_session", "exam_session",
                                    ["exam_session_id"], ["id"])
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("user_session") as batch_op:
        batch_op.add_column(sa.Column("active_workspace_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_user_session_active_workspace_id_workspace", "workspace",
                                    ["active_workspace_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("user_session") as batch_op:
        batch_op.drop_constraint("fk_user_session_active_workspace_id_workspace", type_="foreignkey")
        batch_op.drop_column("active_workspace_id")
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("workspace") as batch_op:
        batch_op.drop_constraint("fk_workspace_exam_session_id_exam_session", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_workspace_exam_session_id"))
        for column in ("trigger_seq", "seal_hash", "ended_at", "extra_minutes", "held", "exam_session_id"):
            batch_op.drop_column(column)
    with op.batch_alter_table("exam_session") as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_session_status"))
    op.drop_table("exam_session")
