"""Management announces a trade show the candidate must organise (CP7).

The announcement opens the commercial action project (``sim.projects``: its
checklist started from the trade-show template, the announced budget and
objectives), once per event key. ``name:`` names that project for the
candidate scripts and the expectations (``project: salon``); without it the
project is registered under the event's id."""
from sim.scenario.events._common import MESSAGE

KIND = "trade_show_announced"
TITLE = ("Salon annoncé par la direction (date, lieu, budget, objectifs) à organiser ; ouvre le projet "
         "d'action commerciale (check-list, tâches, budget), nommé par `name`")
PROPERTIES = {"show": {"type": "object", "properties": {
    "name": {"type": "string"}, "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}, "place": {"type": "string"},
    "budget": {"type": ["number", "string"]}, "objectives": {"type": "array", "items": {"type": "string"}}},
    "required": ["name", "date", "place", "budget"], "additionalProperties": False}, "message": MESSAGE,
    "name": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$",
             "description": "nom du projet pour les scripts et les attentes (project: …)"}}
REQUIRED = ["show", "message"]
REFS = {}
DEFINES = {"name": "project"}


def handle(ctx, spec):
    from sim.journal import service as journal
    from sim.projects.service import create_from_announcement

    show = spec["show"]
    journal.append(ctx.uow, kind="trade_show.announced", actor=ctx.actor, refs={"event": ctx.event_key},
                   payload={"name": show["name"], "date": str(show["date"]), "place": show["place"],
                            "budget": str(show["budget"]), "objectives": show.get("objectives", [])})
    project = create_from_announcement(ctx.uow, event_key=ctx.event_key, name=show["name"],
                                       date_text=str(show["date"]), place=show["place"],
                                       budget_text=str(show["budget"]), objectives=show.get("objectives", []))
    if project is not None:
        ctx.register("project", spec.get("name") or ctx.event_key, project)
    ctx.deliver({"role": "management"}, spec["message"])
