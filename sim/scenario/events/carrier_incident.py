"""A carrier reports an incident on the last delivery of an order: late, damaged or lost."""
from sim.scenario.events._common import MESSAGE

KIND = "carrier_incident"
TITLE = "Incident transporteur sur une livraison (retard, avarie, perte)"
PROPERTIES = {"order": {"type": "string"}, "incident": {"enum": ["late", "damaged", "lost"]},
              "new_date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}, "message": MESSAGE}
REQUIRED = ["order", "incident", "message"]
REFS = {"order": "order"}


def handle(ctx, spec):
    from sim.stock.service import record_carrier_incident

    order = ctx.entity("order", spec["order"])
    delivery = record_carrier_incident(ctx.uow, actor=ctx.actor, order_id=order.id, incident=spec["incident"],
                                       new_date=spec.get("new_date"))
    ctx.deliver({"carrier_id": delivery.carrier_id}, spec["message"])
