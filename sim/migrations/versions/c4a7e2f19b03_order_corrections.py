"""order corrections: reasons for refusal and cancellation, reserved quantity per line

Revision ID: c4a7e2f19b03
Revises: a91e3c5d7f20
Create Date: 2026-12-01 22:50:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from sim.db import Fixed

revision: str = 'c4a7e2f19b03'
down_revision: Union[str, None] = 'a91e3c5d7f20'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.String(length=300), nullable=False, server_default=''))
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=300), nullable=False, server_default=''))
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quantity_reserved', Fixed(scale=3), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.drop_column('quantity_reserved')
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.drop_column('status_reason')
