"""The trade-show day: visitors with their profiles come to the stand (CP8)."""
from sim.scenario.events import visitor as _visitor
from sim.scenario.events._common import MESSAGE

KIND = "trade_show_day"
TITLE = "Jour du salon : des visiteurs (profils, langue, intérêt) se présentent au stand"
# each visitor as a ``visitor`` event has it (its key: the event's, then .1, .2…)
PROPERTIES = {"visitors": {"type": "array", "minItems": 1, "items": {
    "type": "object", "properties": _visitor.VISITOR, "required": _visitor.REQUIRED, "additionalProperties": False}},
    "message": MESSAGE}
REQUIRED = ["visitors"]
REFS = {"visitors[].facts[].product": "product"}


def _profile(v) -> str:
    p = v["profile"]
    return p if isinstance(p, str) else ", ".join(x for x in (p.get("role"), p.get("size"), p.get("sector")) if x)


def handle(ctx, spec):
    from sim.journal import service as journal
    from sim.tradeshow.service import arrive

    journal.append(ctx.uow, kind="trade_show.visitors_arrived", actor=ctx.actor, refs={"event": ctx.event_key},
                   payload={"visitors": spec["visitors"]})
    for n, visitor in enumerate(spec["visitors"], start=1):
        arrive(ctx.uow, actor=ctx.actor, key=f"{ctx.event_key}.{n}", event_key=ctx.event_key,
               spec=visitor | {"facts": _visitor.facts(ctx, visitor)})
    message = spec.get("message") or {
        "subject": "Salon : visiteurs attendus au stand",
        "body": "Visiteurs au stand aujourd'hui :\n" + "\n".join(
            f"- {v['name']} ({v['company']}, {v['language'].upper()}) — {_profile(v)}"
            + (f" — intérêt : {v.get('need') or v['interest']}" if v.get("need") or v.get("interest") else "") for v in spec["visitors"]),
    }
    ctx.deliver({"role": "management"}, message)
