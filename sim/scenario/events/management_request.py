"""Management asks for something by a deadline (e.g. the monthly dashboard by Friday).

``objective`` (optional) says what the deliverable is for — for a dashboard,
the figures wanted and for whom: it is journaled with the request, and the
expectations score the dashboard the candidate sends (``dashboard:``, README
"Expectations and scoring")."""
from sim.scenario.events._common import MESSAGE

KIND = "management_request"
TITLE = ("Demande de la direction avec une échéance (ex. le tableau de bord mensuel pour vendredi : "
         "objectif, échéance ; le candidat envoie le tableau de bord)")
PROPERTIES = {"due": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$"},
              "objective": {"type": "string", "minLength": 1, "maxLength": 2000}, "message": MESSAGE}
REQUIRED = ["message"]
REFS = {}


def handle(ctx, spec):
    from sim.journal import service as journal

    payload = {"subject": spec["message"]["subject"], "due": str(spec.get("due", ""))}
    if spec.get("objective"):
        payload["objective"] = spec["objective"]
    journal.append(ctx.uow, kind="management.request_received", actor=ctx.actor, refs={"event": ctx.event_key},
                   payload=payload)
    ctx.deliver({"role": "management"}, spec["message"])
