"""Candidate-script actions at the stand (CP8, sim/tradeshow/service.py): welcome a visitor,
answer their question, fill the contact form. A visitor is named by its key, as the journal
names it: a ``visitor`` event's id, or a ``trade_show_day``'s id with the visitor's rank
(``show_day.2``); the linter knows them from the scenario's timeline.

    - after: {event: show_day, delay: 20m}
      do: answer_visitor
      visitor: show_day.2
      say: "The price is 36.50 euros excluding VAT per lot of twenty boxes."
"""
from __future__ import annotations

from sqlalchemy import select

ACTOR = "candidate:script"


def _visitor(uow, key: str):
    from sim.tradeshow.models import Visitor

    visitor = uow.session.scalars(select(Visitor).where(Visitor.key == key)).first()
    if visitor is None:
        raise LookupError(f"aucun visiteur « {key} » au stand (son événement n'a pas encore eu lieu ?)")
    return visitor


def welcome_visitor(uow, ctx, spec):
    """« Accueillir le visiteur » (``live: true``: the evaluator plays the visitor)."""
    from sim.tradeshow.service import welcome

    welcome(uow, actor=ACTOR, visitor_id=_visitor(uow, spec["visitor"]).id, live=bool(spec.get("live", False)))


def answer_visitor(uow, ctx, spec):
    """The candidate's answer to the visitor's last line (checked against the catalogue when it is a fact)."""
    from sim.tradeshow.service import answer

    answer(uow, actor=ACTOR, visitor_id=_visitor(uow, spec["visitor"]).id, text=spec["say"])


def _rep_id(uow, name: str | None):
    """The sales rep named (full name or last name, case ignored); the first one when none is named."""
    from sim.company.models import SalesRep

    reps = list(uow.session.scalars(select(SalesRep).order_by(SalesRep.id)))
    if not name:
        return str(reps[0].id) if reps else ""
    wanted = name.strip().lower()
    for rep in reps:
        if wanted in (f"{rep.first_name} {rep.last_name}".lower(), rep.last_name.lower()):
            return str(rep.id)
    raise LookupError(f"aucun commercial « {name} » (commerciaux : "
                      f"{', '.join(f'{r.first_name} {r.last_name}' for r in reps) or 'aucun'})")


_TEXT_FIELDS = ("first_name", "last_name", "company", "job_title", "email", "phone", "language", "country", "need",
                "documentation", "follow_up")


def save_contact(uow, ctx, spec):
    """The contact form, with the page's fields and validation; ``products`` are the scenario's product
    names, ``sales_rep`` a rep's name. ``name`` makes the prospect a scenario customer."""
    from sim.tradeshow.service import save_contact as service

    values = {k: str(spec.get(k, "")) for k in _TEXT_FIELDS}
    values["follow_up_on"] = str(spec.get("follow_up_on", ""))
    values["products"] = [ctx.entity("product", p).reference for p in spec.get("products") or []]
    values["consent"] = list(spec.get("consent") or [])
    values["retention_months"] = str(spec.get("retention_months", ""))
    values["sales_rep"] = _rep_id(uow, spec.get("sales_rep"))
    visitor = service(uow, actor=ACTOR, visitor_id=_visitor(uow, spec["visitor"]).id, values=values)
    if spec.get("name"):
        from sim.crm.models import Customer

        ctx.register("customer", spec["name"], uow.get(Customer, visitor.customer_id))


ACTIONS = [welcome_visitor, answer_visitor, save_contact]

_KEY = {"type": "string", "minLength": 1, "description": "la clé du visiteur : show_day.2, ou l'id d'un événement visitor"}
_DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _contact_fields() -> dict:
    from sim.communication.models import Purpose
    from sim.tradeshow.service import FOLLOW_UPS, RETENTION_MONTHS

    text = {"type": "string"}
    return {"visitor": _KEY, "first_name": {**text, "maxLength": 60}, "last_name": {**text, "maxLength": 60},
            "company": {**text, "maxLength": 160}, "job_title": {**text, "maxLength": 120},
            "email": {**text, "maxLength": 120}, "phone": {**text, "maxLength": 30},
            "language": {"enum": ["fr", "en"]}, "country": {"type": "string", "pattern": r"^[A-Z]{2}$"},
            "need": {**text, "maxLength": 2000}, "products": {"type": "array", "items": {"type": "string"}},
            "documentation": {**text, "maxLength": 300}, "follow_up": {"enum": sorted(FOLLOW_UPS)},
            "follow_up_on": _DAY, "sales_rep": {**text, "maxLength": 120},
            "consent": {"type": "array", "uniqueItems": True, "items": {"enum": [p.value for p in Purpose]}},
            "retention_months": {"enum": list(RETENTION_MONTHS)}, "name": {"type": "string"}}


FIELDS = {
    "welcome_visitor": ({"visitor": _KEY, "live": {"type": "boolean"}}, ["visitor"]),
    "answer_visitor": ({"visitor": _KEY, "say": {"type": "string", "minLength": 1, "maxLength": 2000}},
                       ["visitor", "say"]),
    "save_contact": (_contact_fields(), ["visitor", "first_name", "last_name", "company", "language", "need",
                                         "follow_up", "follow_up_on"]),
}
REFS = {"visitor": "visitor", "products[]": "product"}
DEFINES = {"save_contact": "customer"}
