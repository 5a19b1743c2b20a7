"""Candidate-script actions: order to cash (CP1): quotes, orders, approval, shipping, invoicing, payments."""
from __future__ import annotations

from sqlalchemy import select

from sim.scenario.actions import ACTOR
from sim.scenario.actions._fields import LINES, TEXT, TRANSPORT_TERMS


def create_quote(uow, ctx, spec):
    from sim.sales.service import create_quote as service

    quote = service(uow, actor=ACTOR, customer_id=ctx.entity("customer", spec["customer"]).id,
                    lines=ctx.line_inputs(spec["lines"]), incoterm=spec.get("incoterm", ""),
                    incoterm_place=spec.get("incoterm_place", ""), transport_mode=spec.get("transport_mode", ""))
    if spec.get("name"):
        ctx.register("quote", spec["name"], quote)


def create_order(uow, ctx, spec):
    from sim.sales.service import create_order as service

    order = service(uow, actor=ACTOR, customer_id=ctx.entity("customer", spec["customer"]).id,
                    lines=ctx.line_inputs(spec["lines"]), customer_po=spec.get("customer_po", ""))
    if spec.get("name"):
        ctx.register("order", spec["name"], order)


def confirm_order(uow, ctx, spec):
    from sim.sales.service import confirm_order as service

    service(uow, actor=ACTOR, order_id=ctx.entity("order", spec["order"]).id)


def request_approval(uow, ctx, spec):
    from sim.sales.service import request_approval as service

    service(uow, actor=ACTOR, order_id=ctx.entity("order", spec["order"]).id, message=spec["message"])


def ship(uow, ctx, spec):
    from sim.sales.models import OrderLine
    from sim.stock.models import Carrier, Product
    from sim.stock.service import ship_delivery

    order = ctx.entity("order", spec["order"])
    quantities = {}
    for line in uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                            OrderLine.product_id.is_not(None))):
        rest = line.quantity - line.quantity_delivered
        quantities[line.id] = min(rest, uow.session.get(Product, line.product_id).stock_on_hand)
    carrier_id = (ctx.entity("carrier", spec["carrier"]).id if spec.get("carrier")
                  else uow.session.scalars(select(Carrier.id).order_by(Carrier.id)).first())
    delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities=quantities, carrier_id=carrier_id)
    if spec.get("name"):
        ctx.register("delivery", spec["name"], delivery)


def invoice(uow, ctx, spec):
    from sim.billing.models import Invoice
    from sim.billing.service import invoice_delivery
    from sim.stock.models import Delivery

    order = ctx.entity("order", spec["order"])
    invoiced = set(uow.session.scalars(select(Invoice.delivery_id).where(Invoice.order_id == order.id)))
    delivery = next(d for d in uow.session.scalars(select(Delivery).where(Delivery.order_id == order.id)
                                                   .order_by(Delivery.id)) if d.id not in invoiced)
    inv = invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
    if spec.get("name"):
        ctx.register("invoice", spec["name"], inv)


def record_payment(uow, ctx, spec):
    from sim.receivables.service import record_payment as service

    inv = ctx.entity("invoice", spec["invoice"])
    amount = str(spec.get("amount", inv.amount_due))
    service(uow, actor=ACTOR, customer_id=inv.customer_id, method=spec.get("method", "transfer"), amount=amount,
            allocations={inv.id: amount}, reference=spec.get("reference", ""))


def deliver_to(uow, ctx, spec):
    """The order's delivery address: one of its customer's, by label (empty: the billing address)."""
    from sim.crm.models import DeliveryAddress
    from sim.sales.delivery_address import choose_delivery_address

    order = ctx.entity("order", spec["order"])
    address_id = ""
    if spec["address"]:
        address_id = uow.session.scalars(select(DeliveryAddress.id).where(
            DeliveryAddress.customer_id == order.customer_id, DeliveryAddress.label == spec["address"])).first()
        if address_id is None:
            from sim.errors import ValidationFailed

            raise ValidationFailed({"address": f"Le client n'a pas d'adresse de livraison « {spec['address']} »."})
    choose_delivery_address(uow, actor=ACTOR, order_id=order.id, address_id=str(address_id))


FIELDS = {
    "create_quote": ({"customer": {"type": "string"}, "lines": LINES, "name": {"type": "string"},
                      **TRANSPORT_TERMS}, ["customer", "lines"]),
    "create_order": ({"customer": {"type": "string"}, "lines": LINES, "name": {"type": "string"},
                      "customer_po": {"type": "string", "maxLength": 60}}, ["customer", "lines"]),
    "confirm_order": ({"order": {"type": "string"}}, ["order"]),
    "request_approval": ({"order": {"type": "string"}, "message": {**TEXT, "maxLength": 4000}},
                         ["order", "message"]),
    "ship": ({"order": {"type": "string"}, "name": {"type": "string"}, "carrier": {"type": "string"}}, ["order"]),
    "invoice": ({"order": {"type": "string"}, "name": {"type": "string"}}, ["order"]),
    "deliver_to": ({"order": {"type": "string"}, "address": {"type": "string", "maxLength": 60,
                                                             "description": "le libellé d'une adresse du client, "
                                                                            "vide : l'adresse de facturation"}},
                   ["order", "address"]),
    "record_payment": ({"invoice": {"type": "string"}, "amount": {"type": ["number", "string"]},
                        "method": {"enum": ["transfer", "cheque", "card", "bill", "direct_debit"]},
                        "reference": {"type": "string", "maxLength": 60}}, ["invoice"]),
}
DEFINES = {"create_quote": "quote", "create_order": "order", "ship": "delivery", "invoice": "invoice"}
ACTIONS = (create_quote, create_order, confirm_order, request_approval, deliver_to, ship, invoice, record_payment)
