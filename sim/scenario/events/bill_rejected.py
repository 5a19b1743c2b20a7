"""The bank returns a bill of exchange (LCR) unpaid: the payment is cancelled.
Only a real LCR can come back so: the invoice's last payment must have been
made by bill of exchange (``method: bill``), else the event fails."""
from sim.scenario.events._common import MESSAGE

KIND = "bill_rejected"
TITLE = "Lettre de change (LCR) revenue impayée : le règlement est annulé"
PROPERTIES = {"invoice": {"type": "string"}, "reason": {"type": "string"}, "message": MESSAGE}
REQUIRED = ["invoice", "message"]
REFS = {"invoice": "invoice"}


def handle(ctx, spec):
    from sim.receivables.service import reject_payment

    invoice = ctx.entity("invoice", spec["invoice"])
    reject_payment(ctx.uow, actor=ctx.actor, invoice_id=invoice.id, reason=spec.get("reason", "Impayé"),
                   method="bill")
    ctx.deliver({"role": "bank", "name": "Banque — service des effets"}, spec["message"])
