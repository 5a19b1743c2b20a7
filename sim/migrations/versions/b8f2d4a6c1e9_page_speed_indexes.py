"""page speed: the unread-messages count every page shows, a thread's messages

Revision ID: b8f2d4a6c1e9
Revises: a3c9e1f4b7d2
Create Date: 2026-12-02 06:40:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = 'b8f2d4a6c1e9'
down_revision: Union[str, None] = 'a3c9e1f4b7d2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.create_index('ix_interaction_unread', ['workspace_id', 'channel', 'direction', 'read'], unique=False)
        batch_op.create_index('ix_interaction_thread_id', ['thread_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.drop_index('ix_interaction_thread_id')
        batch_op.drop_index('ix_interaction_unread')
