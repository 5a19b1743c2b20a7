"""page speed on the large company: the reorder proposals' consumption read on one index, the credits held

The customers' credits (the aged balance, today's reminders, the overdue list)
read the payments that still hold one: a handful among the 30 000 of the large
company, found by a partial index (``unapplied > 0``, the condition written as
such in sim/receivables/credit.py: a bound parameter would not match it)
instead of every payment of a thousand customers by ``customer_id``.

The reorder proposals total each product's shipments of the last 90 days
(stock moves of kind ``shipment``): the (workspace, product, date) index found
them but every one of the ~7 000 moves was then read from the table for its
kind and quantity (17 ms on SQLite at the large size). (workspace, kind,
product, date, quantity) answers the total from the index alone.

Revision ID: a7d4e2c9b5f1
Revises: ce32817fe124
Create Date: 2026-12-04 15:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = 'a7d4e2c9b5f1'
down_revision: Union[str, None] = 'ce32817fe124'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

HOLDING = sa.text("unapplied > 0")


def upgrade() -> None:
    op.create_index("ix_stock_move_consumption", "stock_move",
                    ["workspace_id", "kind", "product_id", "move_date", "quantity"], unique=False)
    op.create_index("ix_payment_holding", "payment", ["workspace_id", "customer_id"], unique=False,
                    sqlite_where=HOLDING, postgresql_where=HOLDING)


def downgrade() -> None:
    op.drop_index("ix_payment_holding", table_name="payment")
    op.drop_index("ix_stock_move_consumption", table_name="stock_move")
