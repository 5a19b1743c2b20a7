"""reservations per order line on existing data

Revision c4a7e2f19b03 added ``order_line.quantity_reserved`` at 0, while the
products' ``stock_reserved`` already held the units of the orders confirmed
before it. Spread each product's reservation over its open order lines, oldest
order first, as the seed does (seed/history.py ``_finish``); what is left
unallocated (no open line can hold it) stays on the product, as before.

Revision ID: c2e7a9f4d6b1
Revises: b8f2d4a6c1e9
Create Date: 2026-12-02 06:50:00
"""
from decimal import Decimal
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from sim.db import Fixed


revision: str = 'c2e7a9f4d6b1'
down_revision: Union[str, None] = 'b8f2d4a6c1e9'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OPEN = ("confirmed", "partial")

product = sa.table("product", sa.column("id", sa.Integer), sa.column("stock_reserved", Fixed(3)))
order = sa.table("sales_order", sa.column("id", sa.Integer), sa.column("status", sa.String),
                 sa.column("order_date", sa.Date))
line = sa.table("order_line", sa.column("id", sa.Integer), sa.column("order_id", sa.Integer),
                sa.column("product_id", sa.Integer), sa.column("quantity", Fixed(3)),
                sa.column("quantity_delivered", Fixed(3)), sa.column("quantity_reserved", Fixed(3)))


def upgrade() -> None:
    conn = op.get_bind()
    held = dict(conn.execute(sa.select(line.c.product_id, sa.func.sum(line.c.quantity_reserved))
                             .group_by(line.c.product_id)).all())
    left = {pid: reserved - Decimal(held.get(pid) or 0)
            for pid, reserved in conn.execute(sa.select(product.c.id, product.c.stock_reserved)).all()}
    left = {pid: units for pid, units in left.items() if units > 0}
    if not left:
        return
    rows = conn.execute(
        sa.select(line.c.id, line.c.product_id, line.c.quantity, line.c.quantity_delivered,
                  line.c.quantity_reserved)
        .join(order, order.c.id == line.c.order_id)
        .where(order.c.status.in_(OPEN), line.c.product_id.in_(list(left)))
        .order_by(order.c.order_date, order.c.id, line.c.id)).all()
    for line_id, product_id, quantity, delivered, reserved in rows:
        room = quantity - delivered - reserved
        units = min(room, left.get(product_id, Decimal(0)))
        if units > 0:
            conn.execute(sa.update(line).where(line.c.id == line_id)
                         .values(quantity_reserved=reserved + units))
            left[product_id] -= units


def downgrade() -> None:
    pass  # the per-line split is information the previous schema did not hold; nothing to undo
