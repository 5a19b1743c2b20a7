"""The customer pays only part of an invoice."""
from sim.scenario.events._common import MESSAGE

KIND = "partial_payment"
TITLE = "Règlement partiel d'une facture par le client"
PROPERTIES = {"invoice": {"type": "string"}, "amount": {"type": ["number", "string"]},
              "method": {"enum": ["transfer", "cheque", "card", "bill", "direct_debit"]}, "message": MESSAGE}
REQUIRED = ["invoice", "amount"]
REFS = {"invoice": "invoice"}


def handle(ctx, spec):
    from sim.receivables.service import record_payment

    invoice = ctx.entity("invoice", spec["invoice"])
    record_payment(ctx.uow, actor=ctx.actor, customer_id=invoice.customer_id, method=spec.get("method", "transfer"),
                   amount=str(spec["amount"]), allocations={invoice.id: str(spec["amount"])},
                   reference=f"Paiement partiel {invoice.number}")
    if spec.get("message"):
        ctx.deliver({"customer_id": invoice.customer_id}, spec["message"])
