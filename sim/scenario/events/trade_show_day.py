"""The trade-show day: visitors with their profiles come to the stand (CP8)."""
from sim.scenario.events._common import MESSAGE

KIND = "trade_show_day"
TITLE = "Jour du salon : des visiteurs (profils, langue, intérêt) se présentent au stand"
PROPERTIES = {"visitors": {"type": "array", "minItems": 1, "items": {"type": "object", "properties": {
    "name": {"type": "string"}, "company": {"type": "string"}, "language": {"enum": ["fr", "en"]},
    "profile": {"type": "string"}, "interest": {"type": "string"}},
    "required": ["name", "company", "language", "profile"], "additionalProperties": False}},
    "message": MESSAGE}
REQUIRED = ["visitors"]
REFS = {}


def handle(ctx, spec):
    from sim.journal import service as journal

    journal.append(ctx.uow, kind="trade_show.visitors_arrived", actor=ctx.actor, refs={"event": ctx.event_key},
                   payload={"visitors": spec["visitors"]})
    message = spec.get("message") or {
        "subject": "Salon : visiteurs attendus au stand",
        "body": "Visiteurs au stand aujourd'hui :\n" + "\n".join(
            f"- {v['name']} ({v['company']}, {v['language'].upper()}) — {v['profile']}"
            + (f" — intérêt : {v['interest']}" if v.get("interest") else "") for v in spec["visitors"]),
    }
    ctx.deliver({"role": "management"}, message)
