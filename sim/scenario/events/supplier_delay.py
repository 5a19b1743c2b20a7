"""A supplier announces that a purchase order will arrive late."""
from sim.scenario.events._common import MESSAGE
from sim.scenario.events._purchasing import PURCHASE_ORDER, purchase_order

KIND = "supplier_delay"
TITLE = "Retard fournisseur sur une commande d'achat (nouvelle date, motif)"
PROPERTIES = {**PURCHASE_ORDER, "new_date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
              "reason": {"type": "string"}, "message": MESSAGE}
REQUIRED = ["new_date", "message"]
REFS = {"purchase_order": "purchase_order", "supplier": "supplier"}


def handle(ctx, spec):
    from datetime import date

    from sim.stock.service import move_purchase_order_date

    po = purchase_order(ctx, spec)
    move_purchase_order_date(ctx.uow, actor=ctx.actor, purchase_order_id=po.id,
                             new_date=date.fromisoformat(str(spec["new_date"])), reason=spec.get("reason", ""))
    ctx.deliver({"supplier_id": po.supplier_id}, spec["message"])
