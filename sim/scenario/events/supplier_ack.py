"""The supplier acknowledges a purchase order (ARC) with its confirmed date."""
from sim.scenario.events._common import MESSAGE
from sim.scenario.events._purchasing import PURCHASE_ORDER, purchase_order

KIND = "supplier_ack"
TITLE = "Accusé de réception fournisseur (ARC) d'une commande d'achat, avec sa date confirmée"
PROPERTIES = {**PURCHASE_ORDER,
              "confirmed_date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$",
                                 "description": "date de livraison confirmée ; par défaut la date demandée"},
              "note": {"type": "string"}, "message": MESSAGE}
REQUIRED = ["message"]
REFS = {"purchase_order": "purchase_order", "supplier": "supplier"}


def handle(ctx, spec):
    from sim.purchasing.service import record_acknowledgement

    po = purchase_order(ctx, spec)
    record_acknowledgement(ctx.uow, actor=ctx.actor, purchase_order_id=po.id,
                           confirmed_date=str(spec.get("confirmed_date") or po.requested_date.isoformat()),
                           note=spec.get("note", ""), check_past=False)
    ctx.deliver({"supplier_id": po.supplier_id}, spec["message"])
