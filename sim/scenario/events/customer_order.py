"""A customer sends an order: it is entered as a draft for the candidate to check and confirm."""
from sim.scenario.events._common import LINES, MESSAGE, TRANSPORT_TERMS, draft_order

KIND = "customer_order"
TITLE = "Commande reçue d'un client (saisie en brouillon, à vérifier et confirmer par le candidat)"
PROPERTIES = {"customer": {"type": "string"}, "lines": LINES, "customer_po": {"type": "string"},
              "name": {"type": "string", "description": "nom de la commande pour les événements suivants"},
              "message": MESSAGE,
              "attach_purchase_order": {"type": "boolean", "description": "joindre le bon de commande du client (PDF), oui par défaut"},
              # the Incoterm® 2020 the customer orders under (else the customer's usual one), and the mode
              **TRANSPORT_TERMS}
REQUIRED = ["customer", "lines", "message"]
REFS = {"customer": "customer", "lines[].product": "product"}


def handle(ctx, spec):
    order = draft_order(ctx, ctx.entity("customer", spec["customer"]), spec)
    attachments = [ctx.document_of("customer_po", order.id)] if spec.get("attach_purchase_order", True) else []
    ctx.deliver({"customer": spec["customer"]}, spec["message"], attachments=attachments)
