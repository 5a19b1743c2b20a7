"""A customer sends an order: it is entered as a draft for the candidate to check and confirm."""
from sim.scenario.events._common import LINES, MESSAGE, draft_order

KIND = "customer_order"
TITLE = "Commande reçue d'un client (saisie en brouillon, à vérifier et confirmer par le candidat)"
PROPERTIES = {"customer": {"type": "string"}, "lines": LINES, "customer_po": {"type": "string"},
              "name": {"type": "string", "description": "nom de la commande pour les événements suivants"},
              "message": MESSAGE}
REQUIRED = ["customer", "lines", "message"]
REFS = {"customer": "customer", "lines[].product": "product"}


def handle(ctx, spec):
    draft_order(ctx, ctx.entity("customer", spec["customer"]), spec)
    ctx.deliver({"customer": spec["customer"]}, spec["message"])
