"""A new customer arrives with a large first order."""
from sim.scenario.events._common import LINES, MESSAGE, draft_order

KIND = "new_customer"
TITLE = "Nouveau client avec une première commande importante"
def _details() -> dict:
    """The customer's card, checked as the company's customers are (plus its address)."""
    from sim.scenario.schema import CUSTOMER

    return {**CUSTOMER, "properties": {**CUSTOMER["properties"], "address": {"type": "string"},
                                       "postcode": {"type": "string"}}}


PROPERTIES = {"customer": {"type": "string", "description": "nom de scénario du nouveau client"},
              "details": _details(), "lines": LINES, "customer_po": {"type": "string"},
              "name": {"type": "string"}, "message": MESSAGE,
              "attach_purchase_order": {"type": "boolean", "description": "joindre le bon de commande du client (PDF), oui par défaut"}}
REQUIRED = ["customer", "details", "lines", "message"]
REFS = {"lines[].product": "product"}
DEFINES = {"customer": "customer", "name": "order"}


def handle(ctx, spec):
    order = draft_order(ctx, ctx.create_customer(spec["customer"], spec["details"]), spec)
    attachments = [ctx.document_of("customer_po", order.id)] if spec.get("attach_purchase_order", True) else []
    ctx.deliver({"customer": spec["customer"]}, spec["message"], attachments=attachments)
