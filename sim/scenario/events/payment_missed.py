"""A payment that was due does not arrive: the invoice stays open, then overdue."""
from sim.scenario.events._common import MESSAGE

KIND = "payment_missed"
TITLE = "Règlement attendu non reçu à l'échéance (la facture reste ouverte et passe en retard)"
PROPERTIES = {"invoice": {"type": "string"}, "message": MESSAGE}
REQUIRED = ["invoice"]
REFS = {"invoice": "invoice"}


def handle(ctx, spec):
    from sim.journal import service as journal

    invoice = ctx.entity("invoice", spec["invoice"])
    journal.append(ctx.uow, kind="payment.not_received", actor=ctx.actor,
                   refs={"invoice": invoice.number, "event": ctx.event_key},
                   payload={"due_date": invoice.due_date, "amount_due": invoice.amount_due})
    if spec.get("message"):
        ctx.deliver({"role": "accounting"}, spec["message"])
