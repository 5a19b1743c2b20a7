"""Units are found missing (breakage, inventory gap): stock on hand drops."""
from sim.scenario.events._common import MESSAGE

KIND = "stock_shortage"
TITLE = "Rupture ou écart d'inventaire : le stock physique d'un produit baisse"
PROPERTIES = {"product": {"type": "string"}, "quantity_lost": {"type": ["number", "string"]},
              "reason": {"type": "string"}, "message": MESSAGE}
REQUIRED = ["product", "quantity_lost"]
REFS = {"product": "product"}


def handle(ctx, spec):
    from sim.stock.service import adjust_stock

    product = ctx.entity("product", spec["product"])
    adjust_stock(ctx.uow, actor=ctx.actor, product_id=product.id, quantity=-abs(ctx.decimal(spec["quantity_lost"])),
                 reason=spec.get("reason", "Écart d'inventaire"))
    if spec.get("message"):
        ctx.deliver({"role": "management", "name": "Entrepôt"}, spec["message"])
