"""journal entries name the key that signed them

Revision ID: 7c1e4a9d2b30
Revises: 5b2c0e8d1a37
Create Date: 2026-12-01 22:10:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = '7c1e4a9d2b30'
down_revision: Union[str, None] = '5b2c0e8d1a37'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Existing entries keep NULL: they were plain SHA-256 and verify as such.
    with op.batch_alter_table('journal_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_id', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('journal_entry', schema=None) as batch_op:
        batch_op.drop_column('key_id')
