"""Reorder proposals (propositions de réapprovisionnement), domain/supply-chain.md §1.

For each active product with a supplier:

- daily consumption = units shipped to customers over the last
  ``CONSUMPTION_DAYS`` days (stock moves of kind shipment) / ``CONSUMPTION_DAYS``;
- reorder point = daily consumption × lead time (days) + safety stock, rounded
  up to a whole unit; with no consumption yet, the product's own reorder point;
- projected stock = available (on hand − reserved) + on order (open purchase
  orders not yet received) − backorders (what confirmed customer orders still
  need beyond their reservations: units promised, not yet set aside);
- a proposal is made when projected stock ≤ reorder point, for the quantity
  that brings the projected stock up to the order-up-to level: reorder point +
  ``REVIEW_DAYS`` days of consumption (with no consumption: reorder point +
  safety stock), rounded up to a whole unit.

Worked example (the domain file's): 40 u/day, 10 days' lead time, safety stock
120 → reorder point 40 × 10 + 120 = 520; projected 400 ≤ 520 → order
520 + 40 × 30 − 400 = 1 320.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import func, select

from sim.clock import sim_date
from sim.stock.models import Product, StockMove, StockMoveKind, Supplier
from sim.purchasing.risk import WAITING_ORDERS, incoming
from sim.sales.models import OrderLine, SalesOrder

CONSUMPTION_DAYS = 90
REVIEW_DAYS = 30
ZERO = Decimal("0.000")


def _up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"), rounding=ROUND_CEILING)


@dataclass
class Proposal:
    product: Product
    supplier: Supplier
    daily: Decimal  # average daily consumption
    reorder_point: Decimal
    available: Decimal
    on_order: Decimal
    backorders: Decimal
    quantity: Decimal

    @property
    def projected(self) -> Decimal:
        return self.available + self.on_order - self.backorders

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.product.purchase_cost).quantize(Decimal("0.01"))


def figures(product: Product, shipped: Decimal, on_order: Decimal,
            backorders: Decimal = ZERO) -> tuple[Decimal, Decimal, Decimal]:
    """(daily consumption, reorder point, quantity to order — 0 when none is due)."""
    daily = (shipped / CONSUMPTION_DAYS).quantize(Decimal("0.001"))
    if daily > 0:
        point = _up(daily * product.lead_time_days + product.safety_stock)
        target = point + _up(daily * REVIEW_DAYS)
    else:
        point = product.reorder_point
        target = point + product.safety_stock
    projected = product.stock_available + on_order - backorders
    quantity = _up(target - projected) if projected <= point else Decimal("0")
    return daily, point, max(quantity, Decimal("0"))


def proposals(uow, supplier_id: int | None = None) -> list[Proposal]:
    """What to order now, by supplier then product reference."""
    today = sim_date(uow)
    query = select(Product, Supplier).join(Supplier, Supplier.id == Product.supplier_id).where(Product.active.is_(True))
    if supplier_id is not None:
        query = query.where(Product.supplier_id == supplier_id)
    rows = uow.session.execute(query).all()
    if not rows:
        return []
    ids = [p.id for p, _ in rows]
    shipped = dict(uow.session.execute(
        select(StockMove.product_id, func.sum(StockMove.quantity))
        .where(StockMove.kind == StockMoveKind.SHIPMENT, StockMove.product_id.in_(ids),
               StockMove.move_date > today - timedelta(days=CONSUMPTION_DAYS), StockMove.move_date <= today)
        .group_by(StockMove.product_id)).all())
    supplies = incoming(uow, ids)
    # the waiting orders named in a subquery: SQLite starts from them (a hundred, ix_sales_order_status)
    # instead of every line of the products (risk._waiting_lines; 19 → 0.5 ms on the large company)
    orders = select(SalesOrder.id).where(SalesOrder.status.in_(WAITING_ORDERS))
    waiting = dict(uow.session.execute(
        select(OrderLine.product_id,
               func.sum(OrderLine.quantity - OrderLine.quantity_delivered - OrderLine.quantity_reserved))
        .join(SalesOrder, SalesOrder.id == OrderLine.order_id)
        .where(SalesOrder.status.in_(WAITING_ORDERS), OrderLine.order_id.in_(orders), OrderLine.product_id.in_(ids),
               OrderLine.quantity > OrderLine.quantity_delivered + OrderLine.quantity_reserved)
        .group_by(OrderLine.product_id)).all())
    result = []
    for product, supplier in rows:
        on_order = sum((s.quantity for s in supplies.get(product.id, [])), ZERO)
        backorders = Decimal(waiting.get(product.id) or 0)
        daily, point, quantity = figures(product, -Decimal(shipped.get(product.id) or 0), on_order, backorders)
        if quantity > 0:
            result.append(Proposal(product, supplier, daily, point, product.stock_available, on_order, backorders,
                                   quantity))
    return sorted(result, key=lambda p: (p.supplier.name, p.product.reference))
