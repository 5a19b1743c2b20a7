"""customer records: prospects, delivery addresses

Revision ID: a3c9e1f4b7d2
Revises: a7d3e9c1f482
Create Date: 2026-12-01 22:50:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = 'a3c9e1f4b7d2'
down_revision: Union[str, None] = 'a7d3e9c1f482'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), server_default='customer', nullable=False))
    op.create_table('delivery_address',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('recipient', sa.String(length=120), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=12), nullable=False),
    sa.Column('city', sa.String(length=80), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('instructions', sa.String(length=200), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('customer_id', 'number')
    )
    with op.batch_alter_table('delivery_address', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_address_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_address_workspace_id'), ['workspace_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('delivery_address', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_address_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_address_customer_id'))
    op.drop_table('delivery_address')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_column('status')
