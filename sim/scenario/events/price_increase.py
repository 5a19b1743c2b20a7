"""A supplier raises its prices: the purchase cost of its products goes up."""
from sim.scenario.events._common import MESSAGE

KIND = "price_increase"
TITLE = "Hausse de tarif d'un fournisseur (coût d'achat de ses produits)"
PROPERTIES = {"supplier": {"type": "string"}, "percent": {"type": ["number", "string"]},
              "effective": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}, "message": MESSAGE}
REQUIRED = ["supplier", "percent", "message"]
REFS = {"supplier": "supplier"}


def handle(ctx, spec):
    from sim.stock.service import raise_supplier_prices

    supplier = ctx.entity("supplier", spec["supplier"])
    raise_supplier_prices(ctx.uow, actor=ctx.actor, supplier_id=supplier.id, percent=ctx.decimal(spec["percent"]),
                          effective=spec.get("effective"))
    ctx.deliver({"supplier": spec["supplier"]}, spec["message"])
