"""The customer contests an invoice, or refuses to pay it until a dispute is
settled (``withhold_payment: true``): the invoice is flagged disputed and its
reminders pause (sim/receivables/recovery.flag_dispute) until the candidate
clears it. The customer's message arrives with it."""
from sim.scenario.events._common import MESSAGE

KIND = "invoice_disputed"
TITLE = "Facture contestée par le client (paiement suspendu avec withhold_payment) : relances suspendues"
PROPERTIES = {"invoice": {"type": "string"}, "reason": {"type": "string", "minLength": 1, "maxLength": 300},
              "withhold_payment": {"type": "boolean"}, "message": MESSAGE}
REQUIRED = ["invoice", "reason"]
REFS = {"invoice": "invoice"}


def handle(ctx, spec):
    from sim.receivables.recovery import flag_dispute

    invoice = ctx.entity("invoice", spec["invoice"])
    flag_dispute(ctx.uow, actor=ctx.actor, invoice_id=invoice.id, reason=spec["reason"],
                 withhold_payment=bool(spec.get("withhold_payment", False)))
    if spec.get("message"):
        ctx.deliver({"customer_id": invoice.customer_id}, spec["message"])
