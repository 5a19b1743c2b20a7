"""When can each waiting customer order line be shipped, and which orders can
no longer keep their promised date (the « à risque » page).

Per product, the open customer order lines that still need units (ordered −
delivered − reserved) queue by promised date (then order number). They are
served first from the free stock (available = on hand − reserved), then from
the open purchase orders in the order of their expected date (the supplier's
confirmed date, else the agreed one). A line's supply date is the day the last
unit it needs comes in; its achievable date is that day plus the two working
days the warehouse takes to prepare and ship (``HANDLING_DAYS``, the rule the
order confirmation already used), never a weekend or a French public holiday
(domain/supply-chain.md §1, "Promising a date"). A line no open purchase order
covers gets an estimate: today + the product's lead time + handling, flagged
``uncovered``.

An order is at risk when one of its lines' achievable date is after the date
promised to the customer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from sim.clock import sim_date
from sim.crm.models import Customer
from sim.sales.models import OrderLine, OrderStatus, SalesOrder
from sim.sales.working_days import add_working_days
from sim.stock.models import OPEN_PURCHASE_STATUSES, Product, PurchaseOrder, PurchaseOrderLine

ZERO = Decimal("0.000")
HANDLING_DAYS = 2
WAITING_ORDERS = (OrderStatus.CONFIRMED, OrderStatus.PARTIAL)
_LAST = date.max


@dataclass
class Supply:
    """What a line's units come from: the free stock (``purchase_order`` None) or a purchase order."""
    quantity: Decimal
    day: date
    purchase_order: str | None = None
    purchase_order_id: int | None = None


@dataclass
class LineOutlook:
    order_line_id: int
    order_id: int
    product_id: int
    reference: str
    name: str
    need: Decimal  # ordered − delivered − reserved
    reserved: Decimal
    supplies: list[Supply] = field(default_factory=list)
    uncovered: Decimal = ZERO  # units no stock nor open purchase order covers
    achievable: date | None = None

    @property
    def supply_date(self) -> date | None:
        return max((s.day for s in self.supplies), default=None)


@dataclass
class OrderOutlook:
    order: SalesOrder
    customer: Customer
    lines: list[LineOutlook]

    @property
    def achievable(self) -> date | None:
        return max((l.achievable for l in self.lines if l.achievable), default=None)

    @property
    def at_risk(self) -> bool:
        promised = self.order.promised_date
        return promised is not None and self.achievable is not None and self.achievable > promised

    @property
    def days_late(self) -> int:
        return (self.achievable - self.order.promised_date).days if self.at_risk else 0

    @property
    def purchase_orders(self) -> list[tuple[int, str]]:
        seen = {}
        for line in self.lines:
            for s in line.supplies:
                if s.purchase_order:
                    seen[s.purchase_order_id] = s.purchase_order
        return sorted(seen.items(), key=lambda item: item[1])


def ready_date(supply_day: date, today: date) -> date:
    """The day the customer can have goods that come in on ``supply_day``."""
    return add_working_days(max(supply_day, today), HANDLING_DAYS)


def incoming(uow, product_ids) -> dict[int, list[Supply]]:
    """Open purchase order quantities per product, earliest expected first."""
    # the open orders named in a subquery: the planners start from them (a few dozen among 3 000)
    # instead of every purchase line of the products (3 → 0.5 ms on the large company)
    open_orders = select(PurchaseOrder.id).where(PurchaseOrder.status.in_(OPEN_PURCHASE_STATUSES))
    rows = uow.session.execute(
        select(PurchaseOrderLine.product_id, PurchaseOrderLine.quantity, PurchaseOrderLine.quantity_received,
               PurchaseOrder.id, PurchaseOrder.number, PurchaseOrder.confirmed_date, PurchaseOrder.requested_date)
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
        .where(PurchaseOrder.status.in_(OPEN_PURCHASE_STATUSES), PurchaseOrderLine.purchase_order_id.in_(open_orders),
               PurchaseOrderLine.product_id.in_(product_ids),
               PurchaseOrderLine.quantity > PurchaseOrderLine.quantity_received)).all()
    result: dict[int, list[Supply]] = {}
    for product_id, quantity, received, po_id, number, confirmed, requested in rows:
        result.setdefault(product_id, []).append(Supply(quantity - received, confirmed or requested, number, po_id))
    for supplies in result.values():
        supplies.sort(key=lambda s: (s.day, s.purchase_order))
    return result


def _waiting_lines(uow, product_ids=None, exclude_order_id=None):
    # the waiting orders named in a subquery too: SQLite then starts from them (ix_sales_order_status,
    # a hundred orders) instead of every line of the products (17 ms → 0.2 ms on the large company)
    waiting = select(SalesOrder.id).where(SalesOrder.status.in_(WAITING_ORDERS))
    query = (select(OrderLine, SalesOrder).join(SalesOrder, SalesOrder.id == OrderLine.order_id)
             .where(SalesOrder.status.in_(WAITING_ORDERS), OrderLine.order_id.in_(waiting),
                    OrderLine.product_id.is_not(None),  # not freight
                    OrderLine.quantity > OrderLine.quantity_delivered + OrderLine.quantity_reserved))
    if product_ids is not None:
        query = query.where(OrderLine.product_id.in_(product_ids))
    if exclude_order_id is not None:
        query = query.where(SalesOrder.id != exclude_order_id)
    return uow.session.execute(query).all()


def _queue(rows):
    return sorted(rows, key=lambda r: (r[1].promised_date or _LAST, r[1].number, r[0].position, r[0].id))


def _serve(line: LineOutlook, free: list[Decimal], supplies: list[Supply], today: date, lead_days: int) -> None:
    """Take what the line needs from the free stock, then the purchase orders (both consumed in place)."""
    need = line.need
    if free[0] > 0 and need > 0:
        taken = min(free[0], need)
        free[0] -= taken
        need -= taken
        line.supplies.append(Supply(taken, today))
    for supply in supplies:
        if need <= 0:
            break
        if supply.quantity <= 0:
            continue
        taken = min(supply.quantity, need)
        supply.quantity -= taken
        need -= taken
        line.supplies.append(Supply(taken, supply.day, supply.purchase_order, supply.purchase_order_id))
    line.uncovered = need
    if need > 0:
        line.achievable = add_working_days(today + timedelta(days=lead_days), HANDLING_DAYS)
    elif line.need > 0:
        line.achievable = ready_date(line.supply_date, today)


def outlook(uow, product_ids=None, *, extra: list[tuple[int, Decimal]] = (),
            exclude_order_id: int | None = None) -> tuple[list[LineOutlook], list]:
    """Every waiting line's outlook (on ``product_ids`` only, if given), and
    the outlook of ``extra`` lines ((product id, quantity): an order being
    confirmed, queued after everything already promised)."""
    today = sim_date(uow)
    rows = _waiting_lines(uow, product_ids, exclude_order_id)
    ids = {line.product_id for line, _ in rows} | {pid for pid, _ in extra}
    if not ids:
        return [], []
    products = {p.id: p for p in uow.session.scalars(select(Product).where(Product.id.in_(ids)))}
    supplies = incoming(uow, ids)
    free = {pid: [max(ZERO, p.stock_on_hand - p.stock_reserved)] for pid, p in products.items()}
    result = []
    for line, order in _queue(rows):
        product = products[line.product_id]
        outlook_ = LineOutlook(line.id, order.id, product.id, product.reference, line.description or product.name,
                               line.quantity - line.quantity_delivered - line.quantity_reserved,
                               line.quantity_reserved)
        _serve(outlook_, free[product.id], supplies.get(product.id, []), today, product.lead_time_days)
        result.append(outlook_)
    extras = []
    for product_id, quantity in extra:
        product = products[product_id]
        outlook_ = LineOutlook(0, 0, product.id, product.reference, product.name, quantity, ZERO)
        _serve(outlook_, free[product.id], supplies.get(product.id, []), today, product.lead_time_days)
        extras.append(outlook_)
    return result, extras


def achievable_for_new_lines(uow, lines: list[tuple[int, Decimal]], order_id: int | None = None) -> date:
    """The date an order being confirmed can be promised (before it reserves
    anything): two working days if the free stock covers it, else when the
    open purchase orders bring what it lacks, else after the lead time."""
    _, extras = outlook(uow, extra=[(pid, qty) for pid, qty in lines if qty > 0], exclude_order_id=order_id)
    today = sim_date(uow)
    return max([e.achievable for e in extras if e.achievable] + [add_working_days(today, HANDLING_DAYS)])


def order_outlooks(uow, *, only_at_risk: bool = True, order_id: int | None = None,
                   product_ids: list[int] | None = None) -> list[OrderOutlook]:
    """Confirmed or partly delivered orders with what they wait for, most late first.
    ``product_ids``: the products of ``order_id``'s lines, when the caller has read them."""
    if order_id is not None and product_ids is None:  # each product's queue is its own: only the order's matter
        product_ids = list(uow.session.scalars(select(OrderLine.product_id).where(OrderLine.order_id == order_id,
                                                                                OrderLine.product_id.is_not(None))))
    lines, _ = outlook(uow, product_ids)
    by_order: dict[int, list[LineOutlook]] = {}
    for line in lines:
        by_order.setdefault(line.order_id, []).append(line)
    if order_id is not None:
        by_order = {order_id: by_order.get(order_id, [])}
    if not by_order:
        return []
    if order_id is not None:  # one order: the one the session holds (the caller's), its customer likewise
        found = uow.session.get(SalesOrder, order_id)
        orders = {order_id: found} if found is not None else {}
        customers = {o.customer_id: uow.session.get(Customer, o.customer_id) for o in orders.values()}
    else:
        orders = {o.id: o for o in uow.session.scalars(select(SalesOrder).where(SalesOrder.id.in_(by_order)))}
        customers = {c.id: c for c in uow.session.scalars(
            select(Customer).where(Customer.id.in_({o.customer_id for o in orders.values()})))}
    result = [OrderOutlook(orders[oid], customers[orders[oid].customer_id], lines)
              for oid, lines in by_order.items() if oid in orders]
    if only_at_risk:
        result = [o for o in result if o.at_risk]
    return sorted(result, key=lambda o: (-o.days_late, o.order.promised_date or _LAST, o.order.number))


def order_outlook(uow, order_id: int, *, order: SalesOrder | None = None,
                  product_ids: list[int] | None = None) -> OrderOutlook:
    """One order's outlook (lines it waits for; none if it waits for nothing). A page that
    has read the order and its lines passes them (``order``, its lines' ``product_ids``)."""
    order = order if order is not None and order.id == order_id else uow.get(SalesOrder, order_id)
    found = order_outlooks(uow, only_at_risk=False, order_id=order.id, product_ids=product_ids)
    return found[0] if found else OrderOutlook(order, uow.session.get(Customer, order.customer_id), [])
