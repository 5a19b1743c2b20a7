"""A new customer arrives with a large first order."""
from sim.scenario.events._common import LINES, MESSAGE

KIND = "new_customer"
TITLE = "Nouveau client avec une première commande importante"
PROPERTIES = {"customer": {"type": "string", "description": "nom de scénario du nouveau client"},
              "details": {"type": "object"}, "lines": LINES, "customer_po": {"type": "string"},
              "name": {"type": "string"}, "message": MESSAGE}
REQUIRED = ["customer", "details", "lines", "message"]
REFS = {"lines[].product": "product"}
DEFINES = {"customer": "customer", "name": "order"}


def handle(ctx, spec):
    from sim.sales.service import LineInput, create_order

    customer = ctx.create_customer(spec["customer"], spec["details"])
    order = create_order(ctx.uow, actor=ctx.actor, customer_id=customer.id,
                         lines=[LineInput(ctx.entity("product", l["product"]).id, str(l["quantity"]))
                                for l in spec["lines"]],
                         customer_po=spec.get("customer_po", ""), commit=False)
    if spec.get("name"):
        ctx.register("order", spec["name"], order)
    ctx.deliver({"customer": spec["customer"]}, spec["message"])
