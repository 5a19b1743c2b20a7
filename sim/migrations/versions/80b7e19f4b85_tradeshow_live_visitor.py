"""a stand visitor welcomed in live mode (the evaluator plays the visitor)

``tradeshow_visitor`` gains ``live``: set when the candidate welcomes the visitor with
« l'évaluateur joue le visiteur »; only such a visitor takes the evaluator's lines
(sim/tradeshow/service.py, ``visitor_says``). Existing visitors were scripted.

Revision ID: 80b7e19f4b85
Revises: a7e4c2f9b1d3
Create Date: 2026-12-03 13:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = '80b7e19f4b85'
down_revision: Union[str, None] = 'a7e4c2f9b1d3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('tradeshow_visitor', sa.Column('live', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column('tradeshow_visitor', 'live')
