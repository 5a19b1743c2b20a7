"""management's decision on an escalated claim; a credit note's e-invoicing status

``claim`` gains management's decision (``approved``, ``approved_with_conditions``,
``refused`` or empty) and its comment: an escalated claim goes to management,
whose answer reaches the candidate's inbox and the claim page (sim/crm/claims.py).
``credit_note`` gains the e-invoicing status an invoice has (deposited, received,
refused, collected; when; a refusal's reason): existing credit notes were deposited.

Revision ID: f5d2a7c4e1b6
Revises: f3b9d5a2c8e4
Create Date: 2026-12-03 08:20:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = 'f5d2a7c4e1b6'
down_revision: Union[str, None] = 'f3b9d5a2c8e4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # plain ALTER TABLE … ADD COLUMN: no foreign key, no table copy
    op.add_column('claim', sa.Column('management_decision', sa.String(length=30), nullable=False, server_default=''))
    op.add_column('claim', sa.Column('management_comment', sa.Text(), nullable=False, server_default=''))
    # a credit note's e-invoicing status, as an invoice's (e7b3c9a1d5f0); an existing one was deposited
    op.add_column('credit_note', sa.Column('einvoice_status', sa.String(length=10), server_default='deposited',
                                           nullable=False))
    op.add_column('credit_note', sa.Column('einvoice_status_at', sa.DateTime(timezone=False), nullable=True))
    op.add_column('credit_note', sa.Column('einvoice_reason', sa.String(length=200), server_default='',
                                           nullable=False))


def downgrade() -> None:
    op.drop_column('credit_note', 'einvoice_reason')
    op.drop_column('credit_note', 'einvoice_status_at')
    op.drop_column('credit_note', 'einvoice_status')
    op.drop_column('claim', 'management_comment')
    op.drop_column('claim', 'management_decision')
