"""Candidate-script actions: a delivery after it leaves (CP2): carrier booking, receipt and reserves, protest, replacement."""
from __future__ import annotations

from sqlalchemy import select

from sim.scenario.actions import ACTOR
from sim.scenario.actions._fields import LINES, TEXT, TRANSPORT_TERMS


def book_carrier(uow, ctx, spec):
    """Book the pickup: the named carrier's service of that mode (its first one), on the
    date given or the next working day."""
    from sim.clock import sim_date
    from sim.sales.working_days import add_working_days
    from sim.shipping.models import CarrierService
    from sim.shipping.service import book_carrier as service

    delivery = ctx.entity("delivery", spec["delivery"])
    query = select(CarrierService.id).where(CarrierService.carrier_id == ctx.entity("carrier", spec["carrier"]).id)
    if spec.get("mode"):
        query = query.where(CarrierService.transport_mode == spec["mode"])
    service(uow, actor=ACTOR, delivery_id=delivery.id, service_id=uow.session.scalars(query.order_by(
        CarrierService.id)).first(), pickup_date=spec.get("pickup_date") or add_working_days(sim_date(uow), 1),
        parcels=str(spec.get("parcels", "")))


def _delivery_lines(uow, ctx, delivery, items) -> dict:
    from sim.stock.models import DeliveryLine

    by_product = {dl.product_id: dl.id for dl in uow.session.scalars(select(DeliveryLine).where(
        DeliveryLine.delivery_id == delivery.id))}
    return {by_product[ctx.entity("product", i["product"]).id]: str(i["quantity"]) for i in items or []}


def record_receipt(uow, ctx, spec):
    """The customer's receipt: who signed, the proof, the reserves and the lines damaged."""
    from sim.clock import sim_date
    from sim.shipping.service import record_receipt as service

    delivery = ctx.entity("delivery", spec["delivery"])
    service(uow, actor=ACTOR, delivery_id=delivery.id, received_date=spec.get("received_date") or sim_date(uow),
            received_by=spec["received_by"], proof=spec.get("proof", ""), reserves=spec.get("reserves", ""),
            damaged=_delivery_lines(uow, ctx, delivery, spec.get("damaged")))


def send_protest(uow, ctx, spec):
    from sim.shipping.service import send_protest as service

    service(uow, actor=ACTOR, delivery_id=ctx.entity("delivery", spec["delivery"]).id, facts=spec["facts"])


def ship_replacement(uow, ctx, spec):
    from sim.shipping.service import ship_replacement as service

    replacement = service(uow, actor=ACTOR, delivery_id=ctx.entity("delivery", spec["delivery"]).id)
    if spec.get("name"):
        ctx.register("delivery", spec["name"], replacement)


FIELDS = {
    "book_carrier": ({"delivery": {"type": "string"}, "carrier": {"type": "string"},
                      "mode": TRANSPORT_TERMS["transport_mode"], "pickup_date": {"type": "string",
                                                                                   "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                      "parcels": {"type": "integer", "minimum": 1}}, ["delivery", "carrier"]),
    "record_receipt": ({"delivery": {"type": "string"}, "received_by": {**TEXT, "maxLength": 120},
                        "received_date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                        "proof": {"type": "string", "maxLength": 200}, "reserves": {"type": "string", "maxLength": 2000},
                        "damaged": LINES}, ["delivery", "received_by"]),
    "send_protest": ({"delivery": {"type": "string"}, "facts": {**TEXT, "maxLength": 4000}}, ["delivery", "facts"]),
    "ship_replacement": ({"delivery": {"type": "string"}, "name": {"type": "string"}}, ["delivery"]),
}
DEFINES = {"ship_replacement": "delivery"}
ACTIONS = (book_carrier, record_receipt, send_protest, ship_replacement)
