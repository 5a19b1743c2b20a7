"""One product's stock position: on hand, reserved per order, available,
incoming from open purchase orders, and its stock moves (domain/supply-chain.md §1)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from math import ceil

from sqlalchemy import func, select

from sim.crm.models import Customer
from sim.sales.models import OrderLine, SalesOrder
from sim.stock.models import (
    OPEN_PURCHASE_STATUSES, Delivery, Product, PurchaseOrder, PurchaseOrderLine, StockMove, Supplier,
)

ZERO = Decimal("0.000")
MOVES_PER_PAGE = 50


@dataclass
class Reservation:
    order_id: int
    order_number: str
    order_status: str
    promised_date: object
    customer_id: int
    customer_name: str
    quantity: Decimal


@dataclass
class Incoming:
    purchase_order_id: int
    number: str
    status: str
    supplier: str
    expected: object  # the supplier's confirmed date, else the requested one
    quantity: Decimal


@dataclass
class Position:
    product: Product
    supplier: Supplier | None
    reservations: list[Reservation]
    incoming: list[Incoming]
    moves: list  # (StockMove, delivery number or None, purchase order number or None)
    moves_total: int
    moves_page: int

    @property
    def on_hand(self) -> Decimal:
        return self.product.stock_on_hand

    @property
    def reserved(self) -> Decimal:
        return self.product.stock_reserved

    @property
    def reserved_by_orders(self) -> Decimal:
        return sum((r.quantity for r in self.reservations), ZERO)

    @property
    def available(self) -> Decimal:
        return self.product.stock_available

    @property
    def incoming_total(self) -> Decimal:
        return sum((i.quantity for i in self.incoming), ZERO)

    @property
    def projected(self) -> Decimal:
        """Available once every open purchase order has arrived."""
        return self.available + self.incoming_total

    @property
    def moves_pages(self) -> int:
        return max(1, ceil(self.moves_total / MOVES_PER_PAGE))


def position(uow, product_id: int, moves_page: int = 1) -> Position:
    """The product's position; ``NotFound`` if it is not a product of this workspace."""
    product = uow.get(Product, product_id)
    supplier = uow.session.get(Supplier, product.supplier_id) if product.supplier_id else None
    reservations = [Reservation(*row) for row in uow.session.execute(
        select(SalesOrder.id, SalesOrder.number, SalesOrder.status, SalesOrder.promised_date, Customer.id,
               Customer.name, func.sum(OrderLine.quantity_reserved))
        .join(SalesOrder, SalesOrder.id == OrderLine.order_id).join(Customer, Customer.id == SalesOrder.customer_id)
        .where(OrderLine.product_id == product.id, OrderLine.quantity_reserved > 0)
        .group_by(SalesOrder.id, SalesOrder.number, SalesOrder.status, SalesOrder.promised_date, Customer.id,
                  Customer.name)
        .order_by(SalesOrder.promised_date, SalesOrder.number))]
    incoming = [Incoming(po_id, number, status, name, confirmed or requested, quantity)
                for po_id, number, status, name, confirmed, requested, quantity in uow.session.execute(
        select(PurchaseOrder.id, PurchaseOrder.number, PurchaseOrder.status, Supplier.name,
               PurchaseOrder.confirmed_date, PurchaseOrder.requested_date,
               func.sum(PurchaseOrderLine.quantity - PurchaseOrderLine.quantity_received))
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
        .join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
        .where(PurchaseOrderLine.product_id == product.id, PurchaseOrder.status.in_(OPEN_PURCHASE_STATUSES),
               PurchaseOrderLine.quantity > PurchaseOrderLine.quantity_received)
        .group_by(PurchaseOrder.id, PurchaseOrder.number, PurchaseOrder.status, Supplier.name,
                  PurchaseOrder.confirmed_date, PurchaseOrder.requested_date)
        .order_by(PurchaseOrder.requested_date, PurchaseOrder.number))]
    total = uow.session.scalar(select(func.count()).select_from(StockMove).where(StockMove.product_id == product.id))
    pages = max(1, ceil(total / MOVES_PER_PAGE))
    page = min(max(1, moves_page), pages)
    moves = uow.session.execute(
        select(StockMove, Delivery.number, PurchaseOrder.number)
        .outerjoin(Delivery, Delivery.id == StockMove.delivery_id)
        .outerjoin(PurchaseOrder, PurchaseOrder.id == StockMove.purchase_order_id)
        .where(StockMove.product_id == product.id)
        .order_by(StockMove.move_date.desc(), StockMove.id.desc())
        .offset((page - 1) * MOVES_PER_PAGE).limit(MOVES_PER_PAGE)).all()
    return Position(product, supplier, reservations, incoming, list(moves), total, page)
