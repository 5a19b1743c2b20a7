"""The payment the customer promised on the phone does not come: the latest
promise noted on the invoice (a call of the recovery ladder) is marked broken,
``promise.broken``, and the ladder resumes. Without a promise noted on the
invoice, only the message (if any) arrives."""
from sim.scenario.events._common import MESSAGE, PARTY

KIND = "promise_broken"
TITLE = "Promesse de règlement non tenue (la promesse notée sur la facture est marquée non tenue)"
PROPERTIES = {"invoice": {"type": "string"}, "message": MESSAGE, "from": PARTY}
REQUIRED = ["invoice"]
REFS = {"invoice": "invoice", "from.customer": "customer"}


def handle(ctx, spec):
    from sqlalchemy import select

    from sim.receivables.models import ReminderDetail
    from sim.receivables.recovery import break_promise

    invoice = ctx.entity("invoice", spec["invoice"])
    noted = ctx.uow.session.scalar(select(ReminderDetail.id).where(
        ReminderDetail.invoice_id == invoice.id, ReminderDetail.promised_payment_date.is_not(None)).limit(1))
    if noted is not None:
        break_promise(ctx.uow, actor=ctx.actor, invoice_id=invoice.id, event_key=ctx.event_key)
    if spec.get("message"):
        ctx.deliver(spec.get("from") or {"role": "accounting"}, spec["message"])
