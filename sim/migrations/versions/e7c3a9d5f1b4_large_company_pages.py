"""page speed at the large size: the mailbox's threads in SQL, the lists' totals on their index

The mailbox list no longer groups every message in Python: a box's threads
are read from one covering index (it also serves the unread count, so it
replaces ix_interaction_unread), the threads are walked in order of activity
on another, and a thread's replies are looked up on a partial index (most
messages begin a thread: with their NULLs counted, the planners thought a
lookup by thread_id returned thousands of rows and scanned instead).

The quote, order, invoice and payment lists: their (workspace, date) index
grows into one that holds the default order's tie-break and the totals, so
the default page is read in index order and the count and totals of an
unfiltered or date-filtered list never touch the table.

Revision ID: e7c3a9d5f1b4
Revises: 939ba9f5b6cb
Create Date: 2026-12-02 15:40:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = 'e7c3a9d5f1b4'
down_revision: Union[str, None] = '939ba9f5b6cb'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

REPLIES = sa.text("thread_id IS NOT NULL")
# (table, old index, its columns, new index, its columns)
LISTS = [
    ("quote", "ix_quote_ws_issue_date", ["workspace_id", "issue_date"],
     "ix_quote_list", ["workspace_id", "issue_date", "number", "total_ht", "total_ttc"]),
    ("sales_order", "ix_sales_order_ws_order_date", ["workspace_id", "order_date"],
     "ix_sales_order_list", ["workspace_id", "order_date", "number", "total_ht", "total_ttc"]),
    ("invoice", "ix_invoice_ws_issue_date", ["workspace_id", "issue_date"],
     "ix_invoice_list", ["workspace_id", "issue_date", "number", "total_ht", "total_ttc", "amount_due"]),
    ("payment", "ix_payment_ws_received_on", ["workspace_id", "received_on"],
     "ix_payment_list", ["workspace_id", "received_on", "id", "amount", "unapplied"]),
]


def upgrade() -> None:
    op.create_index('ix_interaction_box', 'interaction',
                    ['workspace_id', 'channel', 'direction', 'read', 'thread_id', 'id'], unique=False)
    op.create_index('ix_interaction_activity', 'interaction',
                    ['workspace_id', 'channel', 'sim_time', 'id', 'thread_id'], unique=False)
    op.create_index('ix_interaction_thread', 'interaction', ['thread_id'], unique=False,
                    sqlite_where=REPLIES, postgresql_where=REPLIES)
    op.drop_index('ix_interaction_unread', table_name='interaction')
    op.drop_index('ix_interaction_thread_id', table_name='interaction')
    for table, old, _, new, columns in LISTS:
        op.create_index(new, table, columns, unique=False)
        op.drop_index(old, table_name=table)


def downgrade() -> None:
    for table, old, columns, new, _ in reversed(LISTS):
        op.create_index(old, table, columns, unique=False)
        op.drop_index(new, table_name=table)
    op.create_index('ix_interaction_thread_id', 'interaction', ['thread_id'], unique=False)
    op.create_index('ix_interaction_unread', 'interaction', ['workspace_id', 'channel', 'direction', 'read'],
                    unique=False)
    op.drop_index('ix_interaction_thread', table_name='interaction')
    op.drop_index('ix_interaction_activity', table_name='interaction')
    op.drop_index('ix_interaction_box', table_name='interaction')
