"""an oral answer at the stand

``tradeshow_line`` gains the candidate's recorded voice (the ``oral_answer``
document) and its duration: at the stand, as on a phone call, an answer can be
spoken into the browser and kept as evidence for the oral criteria (CP8/2, CP8/5).

Revision ID: c4e8a2d6f0b3
Revises: 80b7e19f4b85
Create Date: 2026-12-03 14:10:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = 'c4e8a2d6f0b3'
down_revision: Union[str, None] = '80b7e19f4b85'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('tradeshow_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duration_s', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_tradeshow_line_document_id_document', 'document', ['document_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('tradeshow_line', schema=None) as batch_op:
        batch_op.drop_constraint('fk_tradeshow_line_document_id_document', type_='foreignkey')
        batch_op.drop_column('duration_s')
        batch_op.drop_column('document_id')
