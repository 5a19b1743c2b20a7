"""money rules: reservations per order line, customer credits, credit-note basis

Revision ID: a7d3e9c1f482
Revises: c4a7e2f19b03
Create Date: 2026-12-01 22:55:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import sim.db

revision: str = 'a7d3e9c1f482'
down_revision: Union[str, None] = 'c4a7e2f19b03'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # order_line.quantity_reserved comes with c4a7e2f19b03 (order corrections)
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unapplied', sim.db.Fixed(scale=2), nullable=False, server_default='0'))
    with op.batch_alter_table('credit_note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basis', sa.String(length=8), nullable=False, server_default='quantity'))
    # 5.00 %: SQLite keeps Fixed(2) as a count of hundredths, PostgreSQL as NUMERIC
    five_pct = '500' if op.get_bind().dialect.name == 'sqlite' else '5.00'
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_gesture_pct', sim.db.Fixed(scale=2), nullable=False,
                                      server_default=five_pct))
    op.create_table('credit_use',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('credit_note_id', sa.Integer(), nullable=True),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('amount', sim.db.Fixed(scale=2), nullable=False),
    sa.Column('used_on', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['credit_note_id'], ['credit_note.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], ),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('credit_use', schema=None) as batch_op:
        for column in ('credit_note_id', 'customer_id', 'invoice_id', 'payment_id', 'workspace_id'):
            batch_op.create_index(batch_op.f(f'ix_credit_use_{column}'), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('credit_use', schema=None) as batch_op:
        for column in ('credit_note_id', 'customer_id', 'invoice_id', 'payment_id', 'workspace_id'):
            batch_op.drop_index(batch_op.f(f'ix_credit_use_{column}'))
    op.drop_table('credit_use')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('max_gesture_pct')
    with op.batch_alter_table('credit_note', schema=None) as batch_op:
        batch_op.drop_column('basis')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_column('unapplied')
