"""a quote's delivery address

``quote`` gains the delivery address the customer asked for (text, fixed when
chosen, as an order's), printed on the quote and carried to the order it becomes.
Existing quotes keep the empty text: the billing address, as before.

Revision ID: a7e4c2f9b1d3
Revises: f5d2a7c4e1b6
Create Date: 2026-12-03 13:40:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = 'a7e4c2f9b1d3'
down_revision: Union[str, None] = 'f5d2a7c4e1b6'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('quote', sa.Column('delivery_address', sa.String(length=300), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.drop_column('delivery_address')
