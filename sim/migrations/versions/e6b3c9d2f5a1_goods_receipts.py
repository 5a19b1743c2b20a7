"""goods receipts against purchase orders (purchasing)

Revision ID: e6b3c9d2f5a1
Revises: e7b3c9a1d5f0
Create Date: 2026-12-02 15:45:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from sim.db import Fixed

revision: str = 'e6b3c9d2f5a1'
down_revision: Union[str, None] = 'e7b3c9a1d5f0'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('goods_receipt',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('purchase_order_id', sa.Integer(), nullable=False),
    sa.Column('receipt_date', sa.Date(), nullable=False),
    sa.Column('supplier_note', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_order.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'number')
    )
    with op.batch_alter_table('goods_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goods_receipt_purchase_order_id'), ['purchase_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goods_receipt_workspace_id'), ['workspace_id'], unique=False)
    op.create_table('goods_receipt_line',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('purchase_order_line_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('expected', Fixed(3), nullable=False),
    sa.Column('received', Fixed(3), nullable=False),
    sa.Column('refused', Fixed(3), nullable=False),
    sa.Column('discrepancy', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.ForeignKeyConstraint(['purchase_order_line_id'], ['purchase_order_line.id'], ),
    sa.ForeignKeyConstraint(['receipt_id'], ['goods_receipt.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('goods_receipt_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goods_receipt_line_receipt_id'), ['receipt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goods_receipt_line_workspace_id'), ['workspace_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('goods_receipt_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goods_receipt_line_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_goods_receipt_line_receipt_id'))
    op.drop_table('goods_receipt_line')
    with op.batch_alter_table('goods_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goods_receipt_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_goods_receipt_purchase_order_id'))
    op.drop_table('goods_receipt')
