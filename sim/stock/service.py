"""Product catalogue and stock levels."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import asc, desc, func, or_, select

from sim.clock import sim_date
from sim.company.numbering import next_number
from sim.crm.models import Customer
from sim.crm.service import Page
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.formatting import fr_number
from sim.parsing import read_quantity
from sim.sales.errors import WrongStatus
from sim.sales.pricing import money
from sim.sales.models import OrderLine, OrderStatus, SalesOrder
from sim.stock.models import (
    OPEN_PURCHASE_STATUSES, Carrier, Delivery, DeliveryLine, DeliveryStatus, Product, PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatus,
    StockMove, StockMoveKind, Supplier,
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
    on_order = _on_order(uow, [p.id for p, _ in rows])
    return Page([(p, supplier or "", on_order.get(p.id, Decimal("0.000"))) for p, supplier in rows], total, page,
                filters.per_page)


def _on_order(uow, product_ids: list[int]) -> dict[int, Decimal]:
    """What open purchase orders (sent, confirmed, partly received) still bring, per product."""
    if not product_ids:
        return {}
    return dict(uow.session.execute(
        select(PurchaseOrderLine.product_id, func.sum(PurchaseOrderLine.quantity - PurchaseOrderLine.quantity_received))
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
        .where(PurchaseOrderLine.product_id.in_(product_ids),
               PurchaseOrder.status.in_(OPEN_PURCHASE_STATUSES),
               PurchaseOrderLine.quantity > PurchaseOrderLine.quantity_received)
        .group_by(PurchaseOrderLine.product_id)).all())


def categories(uow) -> list[str]:
    return list(uow.session.scalars(select(Product.category).distinct().order_by(Product.category)))


# ===== deliveries =======================================================





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

    claim(uow, form_token, "delivery.shipped")  # first: a resubmitted form is refused as such (409)
    order = uow.get(SalesOrder, order_id)
    if order.status not in (OrderStatus.CONFIRMED, OrderStatus.PARTIAL):
        raise WrongStatus(f"La commande {order.number} est « {OrderStatus(order.status).label} » : "
                          "seule une commande confirmée peut être livrée.")
    lines = {line.id: line for line in uow.session.scalars(  # the goods (freight lines are not shipped)
        select(OrderLine).where(OrderLine.order_id == order.id, OrderLine.product_id.is_not(None))
        .order_by(OrderLine.position))}
    errors: dict[str, str] = {}
    shipping: list[tuple[OrderLine, Product, Decimal]] = []
    for line_id, raw in quantities.items():
        key = f"qty-{line_id}"
        line = lines.get(int(line_id))
        if line is None:
            errors[key] = "Cette ligne n'appartient pas à la commande."
            continue
        product = uow.session.get(Product, line.product_id)
        qty = read_quantity(raw, key, errors, unit=product.unit, default="0")
        if qty is None:
            continue
        if qty == 0:
            continue
        remaining = line.quantity - line.quantity_delivered
        if qty < 0:
            errors[key] = "La quantité livrée ne peut pas être négative."
        elif qty > remaining:
            errors[key] = f"Reste à livrer : {fr_number(remaining)} — on ne livre pas plus que commandé."
        elif qty > product.stock_on_hand:
            errors[key] = f"Stock physique insuffisant ({fr_number(product.stock_on_hand)} en stock)."
        elif qty > product.stock_on_hand - (product.stock_reserved - line.quantity_reserved):
            # what other orders' lines have reserved is not this order's to ship
            others = product.stock_reserved - line.quantity_reserved
            errors[key] = (f"Stock réservé pour d'autres commandes : {fr_number(others)} sur "
                           f"{fr_number(product.stock_on_hand)} en stock, "
                           f"{fr_number(product.stock_on_hand - others)} au plus pour celle-ci.")
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
    today = sim_date(uow)
    customer = uow.session.get(Customer, order.customer_id)
    number = next_number(uow, "delivery", today)
    delivery = Delivery(workspace_id=uow.workspace_id, number=number, order_id=order.id,
                        customer_id=order.customer_id, carrier_id=carrier.id, status=DeliveryStatus.SHIPPED,
                        ship_date=today, tracking_number=_tracking_number(carrier, number, today),
                        incoterm=order.incoterm, incoterm_place=order.incoterm_place)
    uow.session.add(delivery)
    uow.session.flush()
    shipped = []
    for line, product, qty in shipping:
        uow.session.add(DeliveryLine(workspace_id=uow.workspace_id, delivery_id=delivery.id, order_line_id=line.id,
                                     product_id=product.id, quantity=qty))
        uow.session.add(StockMove(workspace_id=uow.workspace_id, product_id=product.id, kind=StockMoveKind.SHIPMENT,
                                  quantity=-qty, move_date=today, delivery_id=delivery.id))
        product.stock_on_hand -= qty
        released = min(qty, line.quantity_reserved)  # only this line's own reservation
        line.quantity_reserved -= released
        product.stock_reserved -= released
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
    return delivery


# ===== purchasing, stock adjustments, carrier incidents ==================
# Called by the scenario engine (the caller commits, as for every service).

def create_purchase_order(uow, *, actor: str, supplier_id: int, lines: list[tuple[int, Decimal]], order_date,
                          requested_date, confirmed: bool = True) -> PurchaseOrder:
    supplier = uow.get(Supplier, supplier_id)
    po = PurchaseOrder(workspace_id=uow.workspace_id, number=next_number(uow, "purchase_order", order_date),
                       supplier_id=supplier.id, order_date=order_date, requested_date=requested_date,
                       confirmed_date=requested_date if confirmed else None,
                       status=PurchaseOrderStatus.CONFIRMED if confirmed else PurchaseOrderStatus.SENT,
                       total_ht=Decimal("0.00"))
    uow.session.add(po)
    uow.session.flush()
    total = Decimal("0.00")
    for product_id, quantity in lines:
        product = uow.get(Product, product_id)
        line_total = (product.purchase_cost * quantity).quantize(Decimal("0.01"))
        total += line_total
        uow.session.add(PurchaseOrderLine(workspace_id=uow.workspace_id, purchase_order_id=po.id,
                                          product_id=product.id, quantity=quantity, unit_cost=product.purchase_cost,
                                          line_total_ht=line_total))
    po.total_ht = total
    journal.append(uow, kind="purchase_order.sent", actor=actor, refs={"purchase_order": po.number,
                                                                      "supplier": supplier.code},
                   payload={"requested_date": requested_date, "total_ht": total})
    return po


def move_purchase_order_date(uow, *, actor: str, purchase_order_id: int, new_date, reason: str) -> PurchaseOrder:
    """The supplier confirms a new date (its ARC changes): the PO's date moves."""
    po = uow.get(PurchaseOrder, purchase_order_id)
    previous = po.confirmed_date or po.requested_date
    po.confirmed_date = new_date
    supplier = uow.session.get(Supplier, po.supplier_id)
    journal.append(uow, kind="purchase_order.delayed", actor=actor,
                   refs={"purchase_order": po.number, "supplier": supplier.code},
                   payload={"previous_date": previous, "new_date": new_date, "reason": reason,
                            "days_late": (new_date - previous).days})
    return po


def record_carrier_incident(uow, *, actor: str, order_id: int, incident: str, new_date=None,
                            delivery_id: int | None = None, lines: list[dict] | None = None) -> Delivery:
    """The carrier's incident on a delivery (the order's last one unless named), with the lines it touches."""
    order = uow.get(SalesOrder, order_id)
    query = select(Delivery).where(Delivery.order_id == order.id)
    if delivery_id is not None:
        query = query.where(Delivery.id == delivery_id)
    delivery = uow.session.scalars(query.order_by(Delivery.id.desc())).first()
    if delivery is None:
        raise WrongStatus(f"La commande {order.number} n'a pas encore été expédiée.")
    delivery.status = DeliveryStatus.INCIDENT
    customer = uow.session.get(Customer, order.customer_id)
    journal.append(uow, kind="delivery.incident", actor=actor,
                   refs={"delivery": delivery.number, "order": order.number, "customer": customer.code},
                   payload={"incident": incident, "new_date": str(new_date) if new_date else None,
                            **({"lines": lines} if lines else {})})
    return delivery


def adjust_stock(uow, *, actor: str, product_id: int, quantity: Decimal, reason: str) -> Product:
    """An inventory difference (écart d'inventaire): stock on hand moves by ``quantity``."""
    product = uow.get(Product, product_id)
    quantity = max(quantity, -product.stock_on_hand)
    product.stock_on_hand += quantity
    excess = product.stock_reserved - product.stock_on_hand
    if excess > 0:  # units gone: the newest orders' lines lose their reservation first
        for line in uow.session.scalars(select(OrderLine).where(OrderLine.product_id == product.id,
                                                                OrderLine.quantity_reserved > 0)
                                        .order_by(OrderLine.id.desc())):
            cut = min(excess, line.quantity_reserved)
            line.quantity_reserved -= cut
            excess -= cut
            if excess == 0:
                break
    product.stock_reserved = min(product.stock_reserved, product.stock_on_hand)
    uow.session.add(StockMove(workspace_id=uow.workspace_id, product_id=product.id, kind=StockMoveKind.ADJUSTMENT,
                              quantity=quantity, move_date=sim_date(uow), note=reason[:200]))
    journal.append(uow, kind="stock.adjusted", actor=actor, refs={"product": product.reference},
                   payload={"quantity": quantity, "reason": reason, "stock_on_hand": product.stock_on_hand})
    return product


def raise_supplier_prices(uow, *, actor: str, supplier_id: int, percent: Decimal, effective=None) -> int:
    supplier = uow.get(Supplier, supplier_id)
    products = uow.session.scalars(select(Product).where(Product.supplier_id == supplier.id)
                                    .order_by(Product.id)).all()  # the journal lists them in a stable order
    for product in products:
        product.purchase_cost = money(product.purchase_cost * (100 + percent) / 100)
    journal.append(uow, kind="supplier.prices_raised", actor=actor, refs={"supplier": supplier.code},
                   payload={"percent": percent, "effective": str(effective) if effective else None,
                            "products": [p.reference for p in products]})
    return len(products)


# ===== catalogue and suppliers ==========================================

def create_supplier(uow, *, actor: str, name: str, country: str = "FR", language: str = "fr", email: str = "",
                    lead_time_days: int = 10) -> Supplier:
    """A new supplier account, journaled ``supplier.created``."""
    count = uow.session.scalar(select(func.count(Supplier.id)))
    supplier = Supplier(workspace_id=uow.workspace_id, code=f"SF{count + 1:03d}", name=name, address="",
                        postcode="", city="", country=country, language=language, email=email,
                        lead_time_days=lead_time_days)
    uow.add(supplier)
    uow.session.flush()
    journal.append(uow, kind="supplier.created", actor=actor, refs={"supplier": supplier.code},
                   payload={"name": name, "country": country, "lead_time_days": lead_time_days})
    return supplier


def create_product(uow, *, actor: str, reference: str, name: str, price_ht: Decimal, purchase_cost: Decimal,
                   vat_rate: Decimal = Decimal("20.00"), category: str = "Divers", supplier_id: int | None = None,
                   lead_time_days: int = 10, stock: Decimal = Decimal("0"), unit: str = "u") -> Product:
    """A new catalogue product, journaled ``product.created``; its opening stock
    comes in through a stock move, as any stock does."""
    supplier = uow.get(Supplier, supplier_id) if supplier_id is not None else None
    product = Product(workspace_id=uow.workspace_id, reference=reference, name=name, category=category, unit=unit,
                      price_ht=money(price_ht), purchase_cost=money(purchase_cost), vat_rate=Decimal(vat_rate),
                      weight_kg=Decimal("1"), stock_on_hand=Decimal("0"), reorder_point=Decimal("10"),
                      safety_stock=Decimal("5"), supplier_id=supplier.id if supplier else None,
                      lead_time_days=lead_time_days)
    uow.add(product)
    uow.session.flush()
    journal.append(uow, kind="product.created", actor=actor,
                   refs={"product": product.reference, **({"supplier": supplier.code} if supplier else {})},
                   payload={"name": name, "price_ht": product.price_ht, "vat_rate": product.vat_rate,
                            "unit": unit, "lead_time_days": lead_time_days})
    if stock:
        receive_stock(uow, actor=actor, product_id=product.id, quantity=Decimal(stock), reason="Stock d'ouverture")
    return product


def receive_stock(uow, *, actor: str, product_id: int, quantity: Decimal, reason: str) -> Product:
    """Units come into stock (a receipt move), journaled ``stock.received``."""
    product = uow.get(Product, product_id)
    product.stock_on_hand += quantity
    uow.add(StockMove(workspace_id=uow.workspace_id, product_id=product.id, kind=StockMoveKind.RECEIPT,
                      quantity=quantity, move_date=sim_date(uow), note=reason[:200]))
    journal.append(uow, kind="stock.received", actor=actor, refs={"product": product.reference},
                   payload={"quantity": quantity, "reason": reason, "stock_on_hand": product.stock_on_hand})
    return product
