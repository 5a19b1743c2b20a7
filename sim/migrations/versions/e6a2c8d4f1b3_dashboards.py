"""dashboards: saved dashboards and their panels (CP6)

Revision ID: e6a2c8d4f1b3
Revises: 8ab27736e205
Create Date: 2026-12-02 15:40:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = 'e6a2c8d4f1b3'
down_revision: Union[str, None] = '8ab27736e205'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('dashboard',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('objective', sa.Text(), nullable=False),
    sa.Column('commentary', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=False), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=False), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=False), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'number')
    )
    with op.batch_alter_table('dashboard', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dashboard_workspace_id'), ['workspace_id'], unique=False)
    op.create_table('dashboard_panel',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dashboard_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('spec', sa.Text(), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=False), nullable=False),
    sa.ForeignKeyConstraint(['dashboard_id'], ['dashboard.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dashboard_panel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dashboard_panel_dashboard_id'), ['dashboard_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dashboard_panel_workspace_id'), ['workspace_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dashboard_panel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dashboard_panel_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_dashboard_panel_dashboard_id'))
    op.drop_table('dashboard_panel')
    with op.batch_alter_table('dashboard', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dashboard_workspace_id'))
    op.drop_table('dashboard')
