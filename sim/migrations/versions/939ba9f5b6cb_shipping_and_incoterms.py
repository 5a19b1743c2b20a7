"""shipping and Incoterms 2020: carrier services and rates, tracking, protests, freight lines

Revision ID: 939ba9f5b6cb
Revises: e6a2c9d4f1b7
Create Date: 2026-12-02 15:27:00

Tables carrier_service, carrier_rate, tracking_event, carrier_protest; columns
for Incoterms, transport mode and service on customer, quote, sales_order and
delivery; booking and receipt on delivery; line_kind (goods, freight, insurance)
on quote, order, invoice and credit-note lines.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sim.db

revision: str = '939ba9f5b6cb'
down_revision: Union[str, None] = 'e6a2c9d4f1b7'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('carrier_service',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('carrier_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('transport_mode', sa.String(length=16), nullable=False),
    sa.Column('transit_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['carrier_id'], ['carrier.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'carrier_id', 'code')
    )
    with op.batch_alter_table('carrier_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carrier_service_carrier_id'), ['carrier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_carrier_service_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('carrier_rate',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('zone', sa.String(length=8), nullable=False),
    sa.Column('weight_from_kg', sim.db.Fixed(scale=3), nullable=False),
    sa.Column('weight_to_kg', sim.db.Fixed(scale=3), nullable=False),
    sa.Column('base_price', sim.db.Fixed(scale=2), nullable=False),
    sa.Column('price_per_kg', sim.db.Fixed(scale=2), nullable=False),
    sa.Column('price_per_parcel', sim.db.Fixed(scale=2), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['carrier_service.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('carrier_rate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carrier_rate_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_carrier_rate_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('carrier_protest',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('carrier_id', sa.Integer(), nullable=False),
    sa.Column('sent_date', sa.Date(), nullable=False),
    sa.Column('received_date', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('claimed_amount', sim.db.Fixed(scale=2), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['carrier_id'], ['carrier.id'], ),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'number')
    )
    with op.batch_alter_table('carrier_protest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carrier_protest_carrier_id'), ['carrier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_carrier_protest_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_carrier_protest_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('tracking_event',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('location', sa.String(length=120), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tracking_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracking_event_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracking_event_workspace_id'), ['workspace_id'], unique=False)

    with op.batch_alter_table('credit_note_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_kind', sa.String(length=10), server_default='goods', nullable=False))

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incoterm', sa.String(length=3), server_default='', nullable=False))
        batch_op.add_column(sa.Column('incoterm_place', sa.String(length=80), server_default='', nullable=False))

    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pickup_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('parcels', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('weight_kg', sim.db.Fixed(scale=3), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('freight_cost', sim.db.Fixed(scale=2), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('incoterm', sa.String(length=3), server_default='', nullable=False))
        batch_op.add_column(sa.Column('incoterm_place', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('received_by', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('proof_of_delivery', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_delivery_service_id', 'carrier_service', ['service_id'], ['id'])
        batch_op.create_foreign_key('fk_delivery_replaces_id', 'delivery', ['replaces_id'], ['id'])

    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_kind', sa.String(length=10), server_default='goods', nullable=False))

    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_kind', sa.String(length=10), server_default='goods', nullable=False))

    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transport_mode', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('service_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_quote_service_id', 'carrier_service', ['service_id'], ['id'])

    with op.batch_alter_table('quote_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_kind', sa.String(length=10), server_default='goods', nullable=False))

    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transport_mode', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('service_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_sales_order_service_id', 'carrier_service', ['service_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.drop_constraint('fk_sales_order_service_id', type_='foreignkey')
        batch_op.drop_column('service_id')
        batch_op.drop_column('transport_mode')

    with op.batch_alter_table('quote_line', schema=None) as batch_op:
        batch_op.drop_column('line_kind')

    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.drop_constraint('fk_quote_service_id', type_='foreignkey')
        batch_op.drop_column('service_id')
        batch_op.drop_column('transport_mode')

    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.drop_column('line_kind')

    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.drop_column('line_kind')

    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_constraint('fk_delivery_replaces_id', type_='foreignkey')
        batch_op.drop_constraint('fk_delivery_service_id', type_='foreignkey')
        batch_op.drop_column('replaces_id')
        batch_op.drop_column('proof_of_delivery')
        batch_op.drop_column('received_by')
        batch_op.drop_column('incoterm_place')
        batch_op.drop_column('incoterm')
        batch_op.drop_column('freight_cost')
        batch_op.drop_column('weight_kg')
        batch_op.drop_column('parcels')
        batch_op.drop_column('pickup_date')
        batch_op.drop_column('service_id')

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_column('incoterm_place')
        batch_op.drop_column('incoterm')

    with op.batch_alter_table('credit_note_line', schema=None) as batch_op:
        batch_op.drop_column('line_kind')

    with op.batch_alter_table('tracking_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracking_event_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_tracking_event_delivery_id'))

    op.drop_table('tracking_event')
    with op.batch_alter_table('carrier_protest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carrier_protest_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_carrier_protest_delivery_id'))
        batch_op.drop_index(batch_op.f('ix_carrier_protest_carrier_id'))

    op.drop_table('carrier_protest')
    with op.batch_alter_table('carrier_rate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carrier_rate_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_carrier_rate_service_id'))

    op.drop_table('carrier_rate')
    with op.batch_alter_table('carrier_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carrier_service_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_carrier_service_carrier_id'))

    op.drop_table('carrier_service')
