"""The e-invoicing platform reports a new status for an invoice (received by the
buyer's platform, refused by the buyer with a reason, collected): the invoice
page shows it, the journal keeps it (sim/billing/einvoice.py)."""
from sim.scenario.events._common import MESSAGE

KIND = "einvoice_status"
TITLE = ("La plateforme de facturation électronique change le statut d'une facture ou de son dernier avoir "
         "(reçu(e), refusé(e), encaissé(e))")
PROPERTIES = {"invoice": {"type": "string"},
              "status": {"enum": ["received", "refused", "collected"],
                         "description": "reçue (202), refusée par le client (210, motif obligatoire), encaissée (212)"},
              "reason": {"type": "string", "maxLength": 200, "description": "le motif d'un refus"},
              "credit_note": {"const": True, "description": "le dernier avoir de cette facture, au lieu de la "
                                                            "facture elle-même"},
              "message": MESSAGE}
REQUIRED = ["invoice", "status"]
REFS = {"invoice": "invoice"}

PLATFORM = {"role": "accounting", "name": "Plateforme agréée — facturation électronique",
            "email": "notifications@plateforme-agreee.example"}


def handle(ctx, spec):
    from sqlalchemy import select

    from sim.billing.einvoice import move_credit_note_status, move_status
    from sim.billing.models import CreditNote
    from sim.errors import SimError

    invoice = ctx.entity("invoice", spec["invoice"])
    if spec.get("credit_note"):
        note = ctx.uow.session.scalars(select(CreditNote).where(CreditNote.invoice_id == invoice.id)
                                       .order_by(CreditNote.id.desc())).first()
        if note is None:
            raise SimError(f"La facture {invoice.number} n'a pas d'avoir.")
        move_credit_note_status(ctx.uow, actor=ctx.actor, credit_note_id=note.id, status=spec["status"],
                                reason=spec.get("reason", ""), event=ctx.event_key)
    else:
        move_status(ctx.uow, actor=ctx.actor, invoice_id=invoice.id, status=spec["status"],
                    reason=spec.get("reason", ""), event=ctx.event_key)
    if spec.get("message"):
        ctx.deliver(PLATFORM, spec["message"])
