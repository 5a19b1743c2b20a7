"""page speed on PostgreSQL: the document pages' look-ups by a reference column, the customer list's order

The quote page looks up its order by ``sales_order.quote_id``, the delivery
page its invoice by ``invoice.delivery_id`` and its replacement shipment by
``delivery.replaces_id``: none of the three had an index, so each was a scan
of the whole table (5–7 ms each on the large company, bench/pages_large.py).

The customer list is sorted by ``lower(name), code``: an expression index on
(workspace, lower(name), code) gives its page in index order (7.5 ms → 0.2 ms
on PostgreSQL for the 3 000 customers of the large company).

The order page's stock outlook reads the lines of the orders waiting for stock
(confirmed or partly delivered: about a hundred of the 30 000 orders):
(workspace, status) on sales_order finds them without a scan (8.3 ms → 0.4 ms
on PostgreSQL).

Revision ID: ce32817fe124
Revises: c4e8a2d6f0b3
Create Date: 2026-12-03 13:40:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = 'ce32817fe124'
down_revision: Union[str, None] = 'c4e8a2d6f0b3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

REPLACEMENTS = sa.text("replaces_id IS NOT NULL")
INDEXES = [("ix_sales_order_quote_id", "sales_order", ["quote_id"]),
           ("ix_invoice_delivery_id", "invoice", ["delivery_id"]),
           ("ix_sales_order_status", "sales_order", ["workspace_id", "status"])]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    op.create_index("ix_customer_list", "customer", ["workspace_id", sa.text("lower(name)"), "code"], unique=False)
    # partial: almost every delivery replaces none (NULL), which a full index counts as one
    # huge group; SQLite then scanned the table rather than use it
    op.create_index("ix_delivery_replaces_id", "delivery", ["replaces_id"], unique=False,
                    sqlite_where=REPLACEMENTS, postgresql_where=REPLACEMENTS)


def downgrade() -> None:
    op.drop_index("ix_delivery_replaces_id", table_name="delivery")
    op.drop_index("ix_customer_list", table_name="customer")
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
