"""Candidate-script actions: communication supports (CP5)."""
from __future__ import annotations

from sim.scenario.actions import ACTOR


def write_support(uow, ctx, spec):
    """A communication support drafted in the editor (and published if ``publish: true``)."""
    from sim.communication import service

    support = service.create_support(uow, actor=ACTOR, kind=spec["kind"], channel=spec["channel"],
                                     title=spec.get("title", ""), objective=spec.get("objective", ""),
                                     body=spec.get("body", ""), filters=spec.get("segment") or {},
                                     request_event=spec.get("request", ""))
    if spec.get("name"):
        ctx.register("support", spec["name"], support)
    if spec.get("publish"):
        service.publish(uow, actor=ACTOR, support_id=support.id)


def publish_support(uow, ctx, spec):
    from sim.communication import service

    service.publish(uow, actor=ACTOR, support_id=ctx.entity("support", spec["support"]).id)


FIELDS = {
    "write_support": ({"kind": {"enum": ["offer", "newsletter", "invitation", "social_post"]},
                       "channel": {"enum": ["email", "website", "social", "leaflet"]},
                       "title": {"type": "string", "maxLength": 200}, "objective": {"type": "string", "maxLength": 2000},
                       "body": {"type": "string", "maxLength": 20_000}, "request": {"type": "string"},
                       "segment": {"type": "object", "properties": {
                           "status": {"enum": ["customer", "prospect", ""]}, "kind": {"enum": ["b2b", "b2c", ""]},
                           "country": {"type": "string", "maxLength": 6}, "language": {"enum": ["fr", "en", ""]},
                           "inactive_months": {"type": "integer", "minimum": 0, "maximum": 60},
                           "exclude_litigation": {"type": "boolean"}}, "additionalProperties": False},
                       "name": {"type": "string"}, "publish": {"type": "boolean"}}, ["kind", "channel"]),
    "publish_support": ({"support": {"type": "string"}}, ["support"]),
}
DEFINES = {"write_support": "support"}
ACTIONS = (write_support, publish_support)
