"""communication supports (CP5), consent per purpose, the company's colours

Customers get one consent date per purpose (offers, newsletter, events) and an
objection date; the records written before get theirs from the one consent
they had: its date for the offers, and for the newsletter too when its wording
names the newsletter (the seed's private customers).

Revision ID: e6a2c9d4f1b7
Revises: e6b3c9d2f5a1
Create Date: 2026-12-02 15:26:46
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = 'e6a2c9d4f1b7'
down_revision: Union[str, None] = 'e6b3c9d2f5a1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('communication_request',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_key', sa.String(length=80), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('objective', sa.Text(), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'event_key')
    )
    with op.batch_alter_table('communication_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_communication_request_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('communication_support',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('objective', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('reach', sa.Integer(), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('opens', sa.Integer(), nullable=False),
    sa.Column('clicks', sa.Integer(), nullable=False),
    sa.Column('replies', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['communication_request.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'number')
    )
    with op.batch_alter_table('communication_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_communication_support_workspace_id'), ['workspace_id'], unique=False)

    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('brand_colour', sa.String(length=7), server_default='#1f4e79', nullable=False))
        batch_op.add_column(sa.Column('accent_colour', sa.String(length=7), server_default='#e07b00', nullable=False))

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_offers_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('consent_newsletter_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('consent_events_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('marketing_objection_on', sa.Date(), nullable=True))

    customer = sa.table('customer', sa.column('gdpr_consent', sa.Boolean()), sa.column('gdpr_purpose', sa.String()),
                        sa.column('gdpr_consent_date', sa.Date()), sa.column('consent_offers_on', sa.Date()),
                        sa.column('consent_newsletter_on', sa.Date()))
    consented = customer.c.gdpr_consent.is_(sa.true())
    op.execute(customer.update().where(consented).values(consent_offers_on=customer.c.gdpr_consent_date))
    op.execute(customer.update().where(consented, customer.c.gdpr_purpose.like("%lettre d'information%"))
               .values(consent_newsletter_on=customer.c.gdpr_consent_date))


def downgrade() -> None:
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_column('marketing_objection_on')
        batch_op.drop_column('consent_events_on')
        batch_op.drop_column('consent_newsletter_on')
        batch_op.drop_column('consent_offers_on')

    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('accent_colour')
        batch_op.drop_column('brand_colour')

    with op.batch_alter_table('communication_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_communication_support_workspace_id'))

    op.drop_table('communication_support')
    with op.batch_alter_table('communication_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_communication_request_workspace_id'))

    op.drop_table('communication_request')
