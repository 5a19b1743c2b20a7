"""The e-invoicing platform reports a new status for an invoice (received by the
buyer's platform, refused by the buyer with a reason, collected): the invoice
page shows it, the journal keeps it (sim/billing/einvoice.py)."""
from sim.scenario.events._common import MESSAGE

KIND = "einvoice_status"
TITLE = "La plateforme de facturation électronique change le statut d'une facture (reçue, refusée, encaissée)"
PROPERTIES = {"invoice": {"type": "string"},
              "status": {"enum": ["received", "refused", "collected"],
                         "description": "reçue (202), refusée par le client (210, motif obligatoire), encaissée (212)"},
              "reason": {"type": "string", "maxLength": 200, "description": "le motif d'un refus"},
              "message": MESSAGE}
REQUIRED = ["invoice", "status"]
REFS = {"invoice": "invoice"}

PLATFORM = {"role": "accounting", "name": "Plateforme agréée — facturation électronique",
            "email": "notifications@plateforme-agreee.example"}


def handle(ctx, spec):
    from sim.billing.einvoice import move_status

    invoice = ctx.entity("invoice", spec["invoice"])
    move_status(ctx.uow, actor=ctx.actor, invoice_id=invoice.id, status=spec["status"],
                reason=spec.get("reason", ""), event=ctx.event_key)
    if spec.get("message"):
        ctx.deliver(PLATFORM, spec["message"])
