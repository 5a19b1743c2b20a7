"""recovery procedure, reminder details, disputes, payment plans, credit reports

Revision ID: 8ab27736e205
Revises: e7c3a9d5f1b4
Create Date: 2026-12-02 15:43:28.106663
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sim.db

revision: str = '8ab27736e205'
down_revision: Union[str, None] = 'e7c3a9d5f1b4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:

    op.create_table('recovery_step',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('offset_days', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('recovery_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_step_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('credit_report',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(length=60), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('incidents', sa.Text(), nullable=False),
    sa.Column('recommended_limit', sim.db.Fixed(scale=2), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('credit_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_report_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_report_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('payment_plan',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('total', sim.db.Fixed(scale=2), nullable=False),
    sa.Column('penalties_waived', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('decision_comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('payment_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_plan_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_plan_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('payment_plan_instalment',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount', sim.db.Fixed(scale=2), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['payment_plan.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('payment_plan_instalment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_plan_instalment_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_plan_instalment_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('invoice_dispute',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('withhold_payment', sa.Boolean(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('resolution', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('invoice_dispute', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_dispute_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_dispute_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_dispute_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('payment_plan_invoice',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('amount', sim.db.Fixed(scale=2), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], ),
    sa.ForeignKeyConstraint(['plan_id'], ['payment_plan.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('payment_plan_invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_plan_invoice_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_plan_invoice_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_plan_invoice_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('reminder_detail',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reminder_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('deadline_days', sa.Integer(), nullable=False),
    sa.Column('promised_payment_date', sa.Date(), nullable=True),
    sa.Column('promised_amount', sim.db.Fixed(scale=2), nullable=True),
    sa.Column('promise_broken', sa.Boolean(), nullable=False),
    sa.Column('penalties', sim.db.Fixed(scale=2), nullable=False),
    sa.Column('indemnity', sim.db.Fixed(scale=2), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], ),
    sa.ForeignKeyConstraint(['reminder_id'], ['reminder.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reminder_detail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_detail_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_detail_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_detail_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_detail_reminder_id'), ['reminder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_detail_workspace_id'), ['workspace_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('reminder_detail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_detail_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_detail_reminder_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_detail_number'))
        batch_op.drop_index(batch_op.f('ix_reminder_detail_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_detail_customer_id'))

    op.drop_table('reminder_detail')
    with op.batch_alter_table('payment_plan_invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_plan_invoice_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_payment_plan_invoice_plan_id'))
        batch_op.drop_index(batch_op.f('ix_payment_plan_invoice_invoice_id'))

    op.drop_table('payment_plan_invoice')
    with op.batch_alter_table('invoice_dispute', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_dispute_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_dispute_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_dispute_customer_id'))

    op.drop_table('invoice_dispute')
    with op.batch_alter_table('payment_plan_instalment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_plan_instalment_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_payment_plan_instalment_plan_id'))

    op.drop_table('payment_plan_instalment')
    with op.batch_alter_table('payment_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_plan_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_payment_plan_customer_id'))

    op.drop_table('payment_plan')
    with op.batch_alter_table('credit_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_report_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_credit_report_customer_id'))

    op.drop_table('credit_report')
    with op.batch_alter_table('recovery_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_step_workspace_id'))

    op.drop_table('recovery_step')

