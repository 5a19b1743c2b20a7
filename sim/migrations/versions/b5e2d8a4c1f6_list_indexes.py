"""list indexes: per-workspace composite indexes for the document lists and the product page

Revision ID: b5e2d8a4c1f6
Revises: c2e7a9f4d6b1
Create Date: 2026-12-02 07:00:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = 'b5e2d8a4c1f6'
down_revision: Union[str, None] = 'c2e7a9f4d6b1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The lists sort and filter by date within one workspace; the product page reads
# one product's order lines, purchase lines and moves: (workspace_id, ...) lets
# both SQLite and PostgreSQL use one index instead of the single-column workspace_id one.
INDEXES = [
    ("ix_invoice_ws_issue_date", "invoice", ["workspace_id", "issue_date"]),
    ("ix_quote_ws_issue_date", "quote", ["workspace_id", "issue_date"]),
    ("ix_sales_order_ws_order_date", "sales_order", ["workspace_id", "order_date"]),
    ("ix_delivery_ws_ship_date", "delivery", ["workspace_id", "ship_date"]),
    ("ix_payment_ws_received_on", "payment", ["workspace_id", "received_on"]),
    ("ix_order_line_ws_product", "order_line", ["workspace_id", "product_id"]),
    ("ix_purchase_order_line_ws_product", "purchase_order_line", ["workspace_id", "product_id"]),
    ("ix_stock_move_ws_product_date", "stock_move", ["workspace_id", "product_id", "move_date"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
