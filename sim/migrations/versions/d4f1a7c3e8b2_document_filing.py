"""document filing: customer and order folders, versions of filed documents

Revision ID: d4f1a7c3e8b2
Revises: b5e2d8a4c1f6
Create Date: 2026-12-02 06:55:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = 'd4f1a7c3e8b2'
down_revision: Union[str, None] = 'b5e2d8a4c1f6'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('filed_document',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('doc_type', sa.String(length=30), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('series', sa.String(length=120), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('filed_by', sa.String(length=80), nullable=False),
    sa.Column('sim_time', sa.DateTime(timezone=False), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.ForeignKeyConstraint(['message_id'], ['interaction.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'series', 'version', name='uq_filed_document_version')
    )
    with op.batch_alter_table('filed_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filed_document_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_filed_document_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_filed_document_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_filed_document_workspace_id'), ['workspace_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('filed_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_filed_document_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_filed_document_order_id'))
        batch_op.drop_index(batch_op.f('ix_filed_document_document_id'))
        batch_op.drop_index(batch_op.f('ix_filed_document_customer_id'))
    op.drop_table('filed_document')
