"""A carrier reports an incident on a delivery: late, damaged or lost, with the lines affected.

The delivery is a named one (``delivery``: the company's ``deliveries`` section, or one the
candidate script named) or the last one of an order (``order``). The incident is recorded
on the delivery's tracking (delayed / damaged / lost, with its lines and the place), the
delivery goes to "incident", and the carrier's message reaches the candidate."""
from sim.scenario.events._common import MESSAGE

KIND = "carrier_incident"
TITLE = "Incident transporteur sur une livraison (retard, avarie, perte), avec les lignes touchées"
PROPERTIES = {"order": {"type": "string"}, "delivery": {"type": "string"},
              "incident": {"enum": ["late", "damaged", "lost"]},
              "new_date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
              "location": {"type": "string", "maxLength": 120},
              "lines": {"type": "array", "minItems": 1, "description": "les lignes touchées (avarie, perte)",
                        "items": {"type": "object",
                                  "properties": {"product": {"type": "string"},
                                                 "quantity": {"type": ["number", "string"]}},
                                  "required": ["product", "quantity"], "additionalProperties": False}},
              "message": MESSAGE}
REQUIRED = ["incident", "message"]
ONE_OF = [["order"], ["delivery"]]
REFS = {"order": "order", "delivery": "delivery", "lines[].product": "product"}

_TRACKING = {"late": "delayed", "damaged": "damaged", "lost": "lost"}


def handle(ctx, spec):
    from sim.shipping.service import record_tracking
    from sim.stock.service import record_carrier_incident

    if spec.get("delivery"):
        delivery = ctx.entity("delivery", spec["delivery"])
        order_id = delivery.order_id
    else:
        order_id, delivery = ctx.entity("order", spec["order"]).id, None
    lines = [{"product": ctx.entity("product", l["product"]).reference, "quantity": str(l["quantity"])}
             for l in spec.get("lines") or []]
    delivery = record_carrier_incident(ctx.uow, actor=ctx.actor, order_id=order_id, incident=spec["incident"],
                                       new_date=spec.get("new_date"), delivery_id=delivery.id if delivery else None,
                                       lines=lines)
    record_tracking(ctx.uow, actor=ctx.actor, delivery_id=delivery.id, kind=_TRACKING[spec["incident"]],
                    location=spec.get("location", ""), note=spec["message"]["subject"], lines=lines)
    ctx.deliver({"carrier_id": delivery.carrier_id}, spec["message"])
