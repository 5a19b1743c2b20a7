"""A customer sends an order: it is entered as a draft for the candidate to check and confirm."""
from sim.scenario.events._common import LINES, MESSAGE

KIND = "customer_order"
TITLE = "Commande reçue d'un client (saisie en brouillon, à vérifier et confirmer par le candidat)"
PROPERTIES = {"customer": {"type": "string"}, "lines": LINES, "customer_po": {"type": "string"},
              "name": {"type": "string", "description": "nom de la commande pour les événements suivants"},
              "message": MESSAGE}
REQUIRED = ["customer", "lines", "message"]
REFS = {"customer": "customer", "lines[].product": "product"}


def handle(ctx, spec):
    from sim.sales.service import LineInput, create_order

    customer = ctx.entity("customer", spec["customer"])
    order = create_order(ctx.uow, actor=ctx.actor, customer_id=customer.id,
                         lines=[LineInput(ctx.entity("product", l["product"]).id, str(l["quantity"]))
                                for l in spec["lines"]],
                         customer_po=spec.get("customer_po", ""), commit=False)
    if spec.get("name"):
        ctx.register("order", spec["name"], order)
    ctx.deliver({"customer": spec["customer"]}, spec["message"])
