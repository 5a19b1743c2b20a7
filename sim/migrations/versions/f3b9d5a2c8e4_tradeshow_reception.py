"""trade-show reception (CP8): visitors at the stand and their dialogue

Revision ID: f3b9d5a2c8e4
Revises: f2a8c4e1b7d3
Create Date: 2026-12-03 08:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = 'f3b9d5a2c8e4'
down_revision: Union[str, None] = 'f2a8c4e1b7d3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'tradeshow_visitor',
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('event_key', sa.String(length=80), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('company', sa.String(length=160), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('role', sa.String(length=120), nullable=False),
        sa.Column('company_size', sa.String(length=60), nullable=False),
        sa.Column('sector', sa.String(length=120), nullable=False),
        sa.Column('need', sa.Text(), nullable=False),
        sa.Column('facts', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('step', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=True),
        sa.Column('arrived_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('workspace_id', 'key'),
    )
    with op.batch_alter_table('tradeshow_visitor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tradeshow_visitor_workspace_id'), ['workspace_id'], unique=False)
    op.create_table(
        'tradeshow_line',
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('visitor_id', sa.Integer(), nullable=False),
        sa.Column('speaker', sa.String(length=10), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('fact', sa.Integer(), nullable=True),
        sa.Column('expected', sa.JSON(), nullable=False),
        sa.Column('said_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['visitor_id'], ['tradeshow_visitor.id'], ),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('tradeshow_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tradeshow_line_visitor_id'), ['visitor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tradeshow_line_workspace_id'), ['workspace_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tradeshow_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tradeshow_line_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_tradeshow_line_visitor_id'))
    op.drop_table('tradeshow_line')
    with op.batch_alter_table('tradeshow_visitor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tradeshow_visitor_workspace_id'))
    op.drop_table('tradeshow_visitor')
