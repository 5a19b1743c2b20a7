"""Candidate-script actions: messages and the customer's account: read, write, log a call."""
from __future__ import annotations

from sqlalchemy import select

from sim.scenario.actions import ACTOR
from sim.scenario.actions._fields import TEXT


def view_customer(uow, ctx, spec):
    from sim.crm.service import view_customer_account

    view_customer_account(uow, actor=ACTOR, customer_id=ctx.entity("customer", spec["customer"]).id)


def send_message(uow, ctx, spec):
    from sim.inbox.service import send

    to = spec["to"]
    customer = ctx.entity("customer", to["customer"]) if to.get("customer") else None
    supplier = ctx.entity("supplier", to["supplier"]) if to.get("supplier") else None
    role = "customer" if customer else "supplier" if supplier else to.get("role", "management")
    attach = [(a["kind"], ctx.entity(_ATTACH_OF[a["kind"]], a["of"]).id) for a in spec.get("attach") or []]
    if any(kind == "carrier_protest" for kind, _ in attach):  # a protest is named by its delivery
        from sim.shipping.service import protest_of

        attach = [(k, protest_of(uow, i).id if k == "carrier_protest" else i) for k, i in attach]
    send(uow, actor=ACTOR, to_role=role, subject=spec["subject"], body=spec["body"],
         language=spec.get("language", customer.language if customer else "fr"),
         customer_id=customer.id if customer else None, supplier_id=supplier.id if supplier else None,
         attach=attach)


_ATTACH_OF = {"quote": "quote", "proforma": "quote", "order_ack": "order", "order_proforma": "order",
              "invoice": "invoice", "delivery_note": "delivery", "packing_list": "delivery",
              "carrier_protest": "delivery"}


def read_messages(uow, ctx, spec):
    from sim.crm.models import Interaction
    from sim.inbox.service import mark_read

    unread = uow.session.scalars(select(Interaction.id).where(Interaction.channel == "email",
                                                              Interaction.direction == "in",
                                                              Interaction.read.is_(False))).all()
    for message_id in unread:
        mark_read(uow, actor=ACTOR, message_id=message_id)


def log_call(uow, ctx, spec):
    """A phone call, noted in the CRM (recovery ladder: the phone reminder)."""
    from sim.crm.service import log_call as service

    service(uow, actor=ACTOR, customer_id=ctx.entity("customer", spec["customer"]).id, note=spec["note"],
            subject=spec.get("subject", "Appel"))


FIELDS = {
    "view_customer": ({"customer": {"type": "string"}}, ["customer"]),
    "send_message": ({"to": {"type": "object", "properties": {
        "customer": {"type": "string"}, "supplier": {"type": "string"},
        "role": {"enum": ["management", "accounting", "logistics", "quality"]}}, "additionalProperties": False,
        "minProperties": 1, "maxProperties": 1},
        "language": {"enum": ["fr", "en"]}, "subject": {**TEXT, "maxLength": 200},
        "body": {**TEXT, "maxLength": 20_000},
        "attach": {"type": "array", "items": {"type": "object", "properties": {
            "kind": {"enum": sorted(_ATTACH_OF)}, "of": {"type": "string"}},
            "required": ["kind", "of"], "additionalProperties": False}}}, ["to", "subject", "body"]),
    "read_messages": ({}, []),
    "log_call": ({"customer": {"type": "string"}, "note": {**TEXT, "maxLength": 4000},
                  "subject": {**TEXT, "maxLength": 200}}, ["customer", "note"]),
}
ACTIONS = (view_customer, send_message, read_messages, log_call)
