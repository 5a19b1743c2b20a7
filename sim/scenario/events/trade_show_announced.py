"""Management announces a trade show the candidate must organise (CP7)."""
from sim.scenario.events._common import MESSAGE

KIND = "trade_show_announced"
TITLE = "Salon annoncé par la direction (date, lieu, budget, objectifs) à organiser"
PROPERTIES = {"show": {"type": "object", "properties": {
    "name": {"type": "string"}, "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}, "place": {"type": "string"},
    "budget": {"type": ["number", "string"]}, "objectives": {"type": "array", "items": {"type": "string"}}},
    "required": ["name", "date", "place", "budget"], "additionalProperties": False}, "message": MESSAGE}
REQUIRED = ["show", "message"]
REFS = {}


def handle(ctx, spec):
    from sim.journal import service as journal

    show = spec["show"]
    journal.append(ctx.uow, kind="trade_show.announced", actor=ctx.actor, refs={"event": ctx.event_key},
                   payload={"name": show["name"], "date": str(show["date"]), "place": show["place"],
                            "budget": str(show["budget"]), "objectives": show.get("objectives", [])})
    ctx.deliver({"role": "management"}, spec["message"])
