"""claims workflow (CP3) and oral evidence of phone calls

``claim`` gains its workflow columns (channel, the message it came with, the
answer's deadline, the analysis, the solution and its credit note, the
customer's answer); its statuses become received → analysed → proposed /
escalated → accepted / refused → closed (open → received, in_progress →
analysed, resolved and rejected → closed). Each company gets the ``claim``
number series (RC-…), going on from the claims it already has.
``interaction`` gains a recorded answer's duration and how a call was answered
(``recording`` or ``summary``).

Revision ID: e7c3b1a9d5f2
Revises: e6a2c8d4f1b3
Create Date: 2026-12-02 15:45:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from sim.db import Fixed

revision: str = 'e7c3b1a9d5f2'
down_revision: Union[str, None] = 'e6a2c8d4f1b3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

STATUSES = {"open": "received", "in_progress": "analysed", "resolved": "closed", "rejected": "closed"}


def upgrade() -> None:
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), nullable=False, server_default='email'))
        batch_op.add_column(sa.Column('message_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('event_key', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('respond_by', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('analysis', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('solution', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('solution_amount', Fixed(2), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('solution_pct', Fixed(2), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('solution_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('credit_note_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('customer_answer', sa.Text(), nullable=False, server_default=''))
        batch_op.create_foreign_key('fk_claim_message_id_interaction', 'interaction', ['message_id'], ['id'])
        batch_op.create_foreign_key('fk_claim_credit_note_id_credit_note', 'credit_note', ['credit_note_id'], ['id'])
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duration_s', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answer_mode', sa.String(length=10), nullable=False, server_default=''))
    claim = sa.table('claim', sa.column('status', sa.String), sa.column('workspace_id', sa.Integer))
    for old, new in STATUSES.items():
        op.execute(claim.update().where(claim.c.status == old).values(status=new))
    conn = op.get_bind()
    series = sa.table('number_series', sa.column('workspace_id', sa.Integer), sa.column('code', sa.String),
                      sa.column('prefix', sa.String), sa.column('last_number', sa.Integer))
    companies = set(conn.execute(sa.select(series.c.workspace_id).distinct()).scalars())
    having = set(conn.execute(sa.select(series.c.workspace_id).where(series.c.code == 'claim')).scalars())
    counts = dict(conn.execute(sa.select(claim.c.workspace_id, sa.func.count()).group_by(claim.c.workspace_id)).all())
    for workspace_id in sorted(companies - having):
        conn.execute(series.insert().values(workspace_id=workspace_id, code='claim', prefix='RC',
                                            last_number=counts.get(workspace_id, 0)))


def downgrade() -> None:
    op.execute("DELETE FROM number_series WHERE code = 'claim'")
    # plain ALTER TABLE … DROP COLUMN (no foreign key on them): a batch copy of ``interaction``,
    # which other tables reference, would break their foreign keys on SQLite
    op.drop_column('interaction', 'answer_mode')
    op.drop_column('interaction', 'duration_s')
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_constraint('fk_claim_credit_note_id_credit_note', type_='foreignkey')
        batch_op.drop_constraint('fk_claim_message_id_interaction', type_='foreignkey')
        for column in ('customer_answer', 'credit_note_id', 'solution_note', 'solution_pct', 'solution_amount',
                       'solution', 'analysis', 'respond_by', 'event_key', 'message_id', 'channel'):
            batch_op.drop_column(column)
