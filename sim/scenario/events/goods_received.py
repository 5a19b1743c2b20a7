"""The supplier's goods arrive and the warehouse books them: all, or with
shortages (the quantities given per product; a product not listed arrived in
full unless ``complete: false``) and refused damaged units."""
from sim.scenario.events._common import LINES, MESSAGE
from sim.scenario.events._purchasing import PURCHASE_ORDER, purchase_order

KIND = "goods_received"
TITLE = "Réception de marchandises d'une commande d'achat (complète, ou avec manquants et avaries)"
PROPERTIES = {**PURCHASE_ORDER,
              "lines": {**LINES, "description": "quantités reçues par produit (les manquants en découlent)"},
              "damaged": {**LINES, "description": "unités reçues abîmées, refusées"},
              "complete": {"type": "boolean", "description": "un produit non listé arrive en totalité (oui par défaut)"},
              "supplier_note": {"type": "string", "maxLength": 40}, "note": {"type": "string"},
              "message": MESSAGE}
REQUIRED = []
REFS = {"purchase_order": "purchase_order", "supplier": "supplier", "lines[].product": "product",
        "damaged[].product": "product"}


def handle(ctx, spec):
    from sqlalchemy import select

    from sim.purchasing.service import receive_goods
    from sim.stock.models import PurchaseOrderLine

    po = purchase_order(ctx, spec)
    counted = {ctx.entity("product", l["product"]).id: str(l["quantity"]) for l in spec.get("lines") or []}
    damaged = {ctx.entity("product", l["product"]).id: str(l["quantity"]) for l in spec.get("damaged") or []}
    received, refused = {}, {}
    for line in ctx.uow.session.scalars(select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == po.id)):
        rest = line.quantity - line.quantity_received
        if line.product_id in counted:
            received[line.id] = counted[line.product_id]
        elif spec.get("complete", True) and rest > 0:
            received[line.id] = str(rest)
        if line.product_id in damaged:
            refused[line.id] = damaged[line.product_id]
    receive_goods(ctx.uow, actor=ctx.actor, purchase_order_id=po.id, received=received, refused=refused,
                  supplier_note=spec.get("supplier_note", ""), note=spec.get("note", ""))
    if spec.get("message"):
        ctx.deliver({"role": "management", "name": "Magasin — réception"}, spec["message"])
