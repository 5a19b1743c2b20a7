"""electronic invoicing: an invoice's e-invoicing status, the company's VAT-on-debits option

Revision ID: e7b3c9a1d5f0
Revises: d4f1a7c3e8b2
Create Date: 2026-12-02 15:45:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = 'e7b3c9a1d5f0'
down_revision: Union[str, None] = 'd4f1a7c3e8b2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('einvoice_status', sa.String(length=10), server_default='deposited',
                                      nullable=False))
        batch_op.add_column(sa.Column('einvoice_status_at', sa.DateTime(timezone=False), nullable=True))
        batch_op.add_column(sa.Column('einvoice_reason', sa.String(length=200), server_default='', nullable=False))
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vat_on_debits', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35, PostgreSQL): a batch copy of the
    # invoice table would drop it, which its credit notes' and payments' foreign keys forbid.
    op.drop_column('company', 'vat_on_debits')
    op.drop_column('invoice', 'einvoice_reason')
    op.drop_column('invoice', 'einvoice_status_at')
    op.drop_column('invoice', 'einvoice_status')
