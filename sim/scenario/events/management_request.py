"""Management asks for something by a deadline (e.g. the monthly dashboard by Friday)."""
from sim.scenario.events._common import MESSAGE

KIND = "management_request"
TITLE = "Demande de la direction avec une échéance (ex. le tableau de bord mensuel pour vendredi)"
PROPERTIES = {"due": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$"}, "message": MESSAGE}
REQUIRED = ["message"]
REFS = {}


def handle(ctx, spec):
    from sim.journal import service as journal

    journal.append(ctx.uow, kind="management.request_received", actor=ctx.actor, refs={"event": ctx.event_key},
                   payload={"subject": spec["message"]["subject"], "due": str(spec.get("due", ""))})
    ctx.deliver({"role": "management"}, spec["message"])
