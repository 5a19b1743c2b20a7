"""Candidate-script actions: purchasing and orders at risk (CP2)."""
from __future__ import annotations

from sqlalchemy import select

from sim.scenario.actions import ACTOR
from sim.scenario.actions._fields import DAY, LINES, PO, TEXT


def view_product(uow, ctx, spec):
    """The product page: stock on hand, reserved, available, incoming (journaled ``product.position_viewed``)."""
    from sim.purchasing.service import record_position_view
    from sim.stock.availability import position

    record_position_view(uow, actor=ACTOR, pos=position(uow, ctx.entity("product", spec["product"]).id))


def _purchase_order(ctx, spec):
    from sim.scenario.events._purchasing import purchase_order

    return purchase_order(ctx, spec)


def create_purchase_order(uow, ctx, spec):
    """A purchase order entered and (unless ``send: false``) sent to the supplier as PDF."""
    from sim.purchasing import service

    po = service.create_purchase_order(
        uow, actor=ACTOR, supplier_id=ctx.entity("supplier", spec["supplier"]).id,
        lines=[service.POLineInput(ctx.entity("product", l["product"]).id, str(l["quantity"])) for l in spec["lines"]],
        requested_date=str(spec["date"]), notes=spec.get("notes", ""))
    if spec.get("send", True):
        service.send_purchase_order(uow, actor=ACTOR, purchase_order_id=po.id)
    if spec.get("name"):
        ctx.register("purchase_order", spec["name"], po)


def remind_supplier(uow, ctx, spec):
    from sim.purchasing.service import remind_supplier as service

    service(uow, actor=ACTOR, purchase_order_id=_purchase_order(ctx, spec).id, body=spec["body"],
            subject=spec.get("subject", ""))


def agree_new_date(uow, ctx, spec):
    from sim.purchasing.service import agree_new_date as service

    service(uow, actor=ACTOR, purchase_order_id=_purchase_order(ctx, spec).id, new_date=str(spec["date"]),
            reason=spec["reason"])


def receive_goods(uow, ctx, spec):
    """Book a receipt: the quantities counted per product (a product not listed: nothing came)."""
    from sim.purchasing.service import receive_goods as service
    from sim.stock.models import PurchaseOrderLine

    po = _purchase_order(ctx, spec)
    by_product = {line.product_id: line.id for line in uow.session.scalars(
        select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == po.id))}
    counted = {by_product[ctx.entity("product", l["product"]).id]: str(l["quantity"]) for l in spec["lines"]}
    refused = {by_product[ctx.entity("product", l["product"]).id]: str(l["quantity"])
               for l in spec.get("damaged") or []}
    service(uow, actor=ACTOR, purchase_order_id=po.id, received=counted, refused=refused,
            supplier_note=spec.get("supplier_note", ""), note=spec.get("note", ""))


def repromise(uow, ctx, spec):
    """Promise the customer a new date: the one given, else the achievable date the ERP computes."""
    from sim.purchasing.promises import repromise as service
    from sim.purchasing.risk import order_outlook

    order = ctx.entity("order", spec["order"])
    day = spec.get("date") or order_outlook(uow, order.id).achievable
    service(uow, actor=ACTOR, order_id=order.id, new_date=str(day), reason=spec["reason"])


def propose_substitute(uow, ctx, spec):
    from sim.purchasing.promises import propose_substitute as service
    from sim.sales.models import OrderLine

    order = ctx.entity("order", spec["order"])
    product = ctx.entity("product", spec["product"])
    line = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                       OrderLine.product_id == product.id)).first()
    from sim.crm.models import Customer

    customer_language = uow.session.get(Customer, order.customer_id).language
    service(uow, actor=ACTOR, order_id=order.id, order_line_id=line.id if line else None,
            product=ctx.entity("product", spec["substitute"]).id, subject=spec["subject"], body=spec["body"],
            language=spec.get("language", customer_language))


FIELDS = {
    "view_product": ({"product": {"type": "string"}}, ["product"]),
    "create_purchase_order": ({"supplier": {"type": "string"}, "lines": LINES, "date": DAY,
                               "name": {"type": "string"}, "send": {"type": "boolean"},
                               "notes": {"type": "string", "maxLength": 2000}}, ["supplier", "lines", "date"]),
    "remind_supplier": ({**PO, "subject": {**TEXT, "maxLength": 200}, "body": {**TEXT, "maxLength": 20_000}},
                        ["body"]),
    "agree_new_date": ({**PO, "date": DAY, "reason": {**TEXT, "maxLength": 300}}, ["date", "reason"]),
    "receive_goods": ({**PO, "lines": LINES, "damaged": LINES, "supplier_note": {"type": "string", "maxLength": 40},
                       "note": {"type": "string", "maxLength": 2000}}, ["lines"]),
    "repromise": ({"order": {"type": "string"}, "date": DAY, "reason": {**TEXT, "maxLength": 300}},
                  ["order", "reason"]),
    "propose_substitute": ({"order": {"type": "string"}, "product": {"type": "string"},
                            "substitute": {"type": "string"}, "language": {"enum": ["fr", "en"]},
                            "subject": {**TEXT, "maxLength": 200}, "body": {**TEXT, "maxLength": 20_000}},
                           ["order", "product", "substitute", "subject", "body"]),
}
DEFINES = {"create_purchase_order": "purchase_order"}
ACTIONS = (view_product, create_purchase_order, remind_supplier, agree_new_date, receive_goods, repromise,
           propose_substitute)
