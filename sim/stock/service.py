"""Product catalogue and stock levels."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import asc, desc, func, or_, select

from sim.clock import sim_date
from sim.company.numbering import next_number
from sim.crm.models import Customer
from sim.crm.service import Page
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.sales.errors import WrongStatus
from sim.sales.models import OrderLine, OrderStatus, SalesOrder
from sim.stock.models import (
    Carrier, Delivery, DeliveryLine, DeliveryStatus, Product, StockMove, StockMoveKind, Supplier,
)


@dataclass
class ProductFilters:
    q: str = ""
    category: str = ""
    below_reorder: bool = False
    sort: str = "reference"
    direction: str = "asc"
    page: int = 1
    per_page: int = 30


SORTABLE = ("reference", "name", "category", "price_ht", "stock_on_hand", "stock_reserved", "available")


def list_products(uow, filters: ProductFilters) -> Page:
    available = Product.stock_on_hand - Product.stock_reserved
    query = select(Product, Supplier.name).outerjoin(Supplier, Supplier.id == Product.supplier_id)
    if filters.q.strip():
        term = f"%{filters.q.strip().lower()}%"
        query = query.where(or_(func.lower(Product.name).like(term), func.lower(Product.reference).like(term)))
    if filters.category:
        query = query.where(Product.category == filters.category)
    if filters.below_reorder:
        query = query.where(available <= Product.reorder_point)
    total = uow.session.scalar(select(func.count()).select_from(query.subquery()))
    columns = {"reference": Product.reference, "name": func.lower(Product.name), "category": Product.category,
               "price_ht": Product.price_ht, "stock_on_hand": Product.stock_on_hand,
               "stock_reserved": Product.stock_reserved, "available": available}
    direction = desc if filters.direction == "desc" else asc
    query = query.order_by(direction(columns.get(filters.sort, Product.reference)), Product.reference)
    page = max(1, filters.page)
    rows = uow.session.execute(query.offset((page - 1) * filters.per_page).limit(filters.per_page)).all()
    return Page([(p, supplier or "") for p, supplier in rows], total, page, filters.per_page)


def categories(uow) -> list[str]:
    return list(uow.session.scalars(select(Product.category).distinct().order_by(Product.category)))


# ===== deliveries =======================================================



ZERO = Decimal("0")


def _tracking_number(carrier: Carrier, delivery_number: str, day) -> str:
    """The carrier's parcel number, as it would print on the label (simulated)."""
    initials = "".join(word[0] for word in carrier.name.split() if word[:1].isalpha())[:2].upper() or "TR"
    return f"{initials}{day:%y%m%d}{delivery_number.rsplit('-', 1)[-1]}FR"


def ship_delivery(uow, *, actor: str, order_id: int, quantities: dict[int, str | Decimal],
                  carrier_id: int | None, form_token: str | None = None) -> Delivery:
    """Ship all or part of a confirmed order (bon de livraison).

    What is not shipped stays on the order as a backorder (reliquat); stock on
    hand goes down by what leaves, and the reservation with it
    (domain/supply-chain.md §1 and §5).
    """
    from sim.workspace.forms import claim

    order = uow.get(SalesOrder, order_id)
    if order.status not in (OrderStatus.CONFIRMED, OrderStatus.PARTIAL):
        raise WrongStatus(f"La commande {order.number} est « {OrderStatus(order.status).label} » : "
                          "seule une commande confirmée peut être livrée.")
    lines = {line.id: line for line in uow.session.scalars(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.position))}
    errors: dict[str, str] = {}
    shipping: list[tuple[OrderLine, Product, Decimal]] = []
    for line_id, raw in quantities.items():
        key = f"qty-{line_id}"
        line = lines.get(int(line_id))
        if line is None:
            errors[key] = "Cette ligne n'appartient pas à la commande."
            continue
        try:
            qty = Decimal(str(raw).strip().replace(",", ".") or "0")
        except InvalidOperation:
            errors[key] = "Quantité : nombre attendu."
            continue
        if qty == 0:
            continue
        remaining = line.quantity - line.quantity_delivered
        product = uow.session.get(Product, line.product_id)
        if qty < 0:
            errors[key] = "La quantité livrée ne peut pas être négative."
        elif qty > remaining:
            errors[key] = f"Reste à livrer : {remaining.normalize()} — on ne livre pas plus que commandé."
        elif qty > product.stock_on_hand:
            errors[key] = f"Stock physique insuffisant ({product.stock_on_hand.normalize()} en stock)."
        else:
            shipping.append((line, product, qty))
    if not shipping and not errors:
        errors["quantities"] = "Indiquez au moins une quantité à livrer."
    carrier = None
    if carrier_id is not None:
        carrier = uow.session.scalars(select(Carrier).where(Carrier.id == carrier_id)).first()
        if carrier is None:
            errors["carrier"] = "Transporteur inconnu."
    else:
        errors["carrier"] = "Choisissez un transporteur."
    if errors:
        raise ValidationFailed(errors)
    claim(uow, form_token, "delivery.shipped")
    today = sim_date(uow)
    customer = uow.session.get(Customer, order.customer_id)
    number = next_number(uow, "delivery", today)
    delivery = Delivery(workspace_id=uow.workspace_id, number=number, order_id=order.id,
                        customer_id=order.customer_id, carrier_id=carrier.id, status=DeliveryStatus.SHIPPED,
                        ship_date=today, tracking_number=_tracking_number(carrier, number, today))
    uow.session.add(delivery)
    uow.session.flush()
    shipped = []
    for line, product, qty in shipping:
        uow.session.add(DeliveryLine(workspace_id=uow.workspace_id, delivery_id=delivery.id, order_line_id=line.id,
                                     product_id=product.id, quantity=qty))
        uow.session.add(StockMove(workspace_id=uow.workspace_id, product_id=product.id, kind=StockMoveKind.SHIPMENT,
                                  quantity=-qty, move_date=today, delivery_id=delivery.id))
        product.stock_on_hand -= qty
        product.stock_reserved -= min(qty, product.stock_reserved)
        line.quantity_delivered += qty
        shipped.append({"product": product.reference, "quantity": qty})
    backorder = [{"product": uow.session.get(Product, l.product_id).reference,
                  "quantity": l.quantity - l.quantity_delivered}
                 for l in lines.values() if l.quantity > l.quantity_delivered]
    order.status = OrderStatus.PARTIAL if backorder else OrderStatus.DELIVERED
    journal.append(uow, kind="delivery.shipped", actor=actor,
                   refs={"delivery": delivery.number, "order": order.number, "customer": customer.code},
                   payload={"lines": shipped, "backorder": backorder, "carrier": carrier.name,
                            "tracking_number": delivery.tracking_number,
                            "ship_date": today, "promised_date": order.promised_date,
                            "late": bool(order.promised_date and today > order.promised_date)})
    uow.commit()
    return delivery
