"""Management asks for a communication support: an objective, a target, channels and a deadline."""
from sim.scenario.events._common import MESSAGE

KIND = "communication_request"
TITLE = ("Demande de support de communication par la direction (objectif, cible, canaux, échéance) ; "
         "« response » scripte la réponse simulée (ouvertures, clics, réponses)")
_RATE = {"type": ["number", "string"], "pattern": r"^(0(\.\d+)?|1(\.0+)?)$", "minimum": 0, "maximum": 1}
PROPERTIES = {
    "objective": {"type": "string", "minLength": 1, "maxLength": 2000},
    "target": {"type": "string", "minLength": 1, "maxLength": 300},
    "channels": {"type": "array", "minItems": 1, "uniqueItems": True,
                 "items": {"enum": ["email", "website", "social", "leaflet"]}},
    "due": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$"},
    "response": {"type": "object", "description": "taux d'ouverture et de clic (0 à 1), nombre de réponses",
                 "properties": {"open_rate": _RATE, "click_rate": _RATE,
                                "replies": {"type": "integer", "minimum": 0, "maximum": 10000}},
                 "additionalProperties": False},
    "message": MESSAGE,
}
REQUIRED = ["objective", "target", "message"]
REFS = {}


def handle(ctx, spec):
    from datetime import datetime

    from sim.communication.service import record_request

    due = datetime.fromisoformat(str(spec["due"]).replace(" ", "T")) if spec.get("due") else None
    record_request(ctx.uow, actor=ctx.actor, event_key=ctx.event_key, subject=spec["message"]["subject"],
                   objective=spec["objective"], target=spec["target"], channels=spec.get("channels", []),
                   due=due, response={k: str(v) if k != "replies" else int(v)
                                      for k, v in (spec.get("response") or {}).items()})
    ctx.deliver({"role": "management"}, spec["message"])
