"""A scripted candidate for dry runs: a YAML list of actions done through the
same services a candidate's clicks call, at a sim time or after an event.

    - at: 2026-11-03T11:00            # or: after: {event: supplier_delay, delay: 45m}
      do: send_message
      to: {customer: dublin}
      language: en
      subject: Your order
      body: ...
"""
from __future__ import annotations


from sqlalchemy import select

from sim.scenario.engine import EventContext

ACTOR = "candidate:script"


def view_customer(uow, ctx, spec):
    from sim.crm.service import view_customer_account

    view_customer_account(uow, actor=ACTOR, customer_id=ctx.entity("customer", spec["customer"]).id)


def send_message(uow, ctx, spec):
    from sim.inbox.service import send

    to = spec["to"]
    customer = ctx.entity("customer", to["customer"]) if to.get("customer") else None
    supplier = ctx.entity("supplier", to["supplier"]) if to.get("supplier") else None
    role = "customer" if customer else "supplier" if supplier else to.get("role", "management")
    send(uow, actor=ACTOR, to_role=role, subject=spec["subject"], body=spec["body"],
         language=spec.get("language", customer.language if customer else "fr"),
         customer_id=customer.id if customer else None, supplier_id=supplier.id if supplier else None)


def read_messages(uow, ctx, spec):
    from sim.crm.models import Interaction
    from sim.inbox.service import mark_read

    unread = uow.session.scalars(select(Interaction.id).where(Interaction.channel == "email",
                                                              Interaction.direction == "in",
                                                              Interaction.read.is_(False))).all()
    for message_id in unread:
        mark_read(uow, actor=ACTOR, message_id=message_id)


def create_quote(uow, ctx, spec):
    from sim.sales.service import create_quote as service

    quote = service(uow, actor=ACTOR, customer_id=ctx.entity("customer", spec["customer"]).id,
                    lines=ctx.line_inputs(spec["lines"]))
    if spec.get("name"):
        ctx.register("quote", spec["name"], quote)


def create_order(uow, ctx, spec):
    from sim.sales.service import create_order as service

    order = service(uow, actor=ACTOR, customer_id=ctx.entity("customer", spec["customer"]).id,
                    lines=ctx.line_inputs(spec["lines"]), customer_po=spec.get("customer_po", ""))
    if spec.get("name"):
        ctx.register("order", spec["name"], order)


def confirm_order(uow, ctx, spec):
    from sim.sales.service import confirm_order as service

    service(uow, actor=ACTOR, order_id=ctx.entity("order", spec["order"]).id)


def request_approval(uow, ctx, spec):
    from sim.sales.service import request_approval as service

    service(uow, actor=ACTOR, order_id=ctx.entity("order", spec["order"]).id, message=spec["message"])


def ship(uow, ctx, spec):
    from sim.sales.models import OrderLine
    from sim.stock.models import Carrier, Product
    from sim.stock.service import ship_delivery

    order = ctx.entity("order", spec["order"])
    quantities = {}
    for line in uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)):
        rest = line.quantity - line.quantity_delivered
        quantities[line.id] = min(rest, uow.session.get(Product, line.product_id).stock_on_hand)
    carrier_id = uow.session.scalars(select(Carrier.id).order_by(Carrier.id)).first()
    ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities=quantities, carrier_id=carrier_id)


def invoice(uow, ctx, spec):
    from sim.billing.models import Invoice
    from sim.billing.service import invoice_delivery
    from sim.stock.models import Delivery

    order = ctx.entity("order", spec["order"])
    invoiced = set(uow.session.scalars(select(Invoice.delivery_id).where(Invoice.order_id == order.id)))
    delivery = next(d for d in uow.session.scalars(select(Delivery).where(Delivery.order_id == order.id)
                                                   .order_by(Delivery.id)) if d.id not in invoiced)
    inv = invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
    if spec.get("name"):
        ctx.register("invoice", spec["name"], inv)


def record_payment(uow, ctx, spec):
    from sim.receivables.service import record_payment as service

    inv = ctx.entity("invoice", spec["invoice"])
    amount = str(spec.get("amount", inv.amount_due))
    service(uow, actor=ACTOR, customer_id=inv.customer_id, method=spec.get("method", "transfer"), amount=amount,
            allocations={inv.id: amount}, reference=spec.get("reference", ""))


def log_call(uow, ctx, spec):
    """A phone call, noted in the CRM (recovery ladder: the phone reminder)."""
    from sim.crm.service import log_call as service

    service(uow, actor=ACTOR, customer_id=ctx.entity("customer", spec["customer"]).id, note=spec["note"],
            subject=spec.get("subject", "Appel"))


# ----- claims (sim/crm/claims.py) ----------------------------------------

def _claim(ctx, spec):
    return ctx.entity("claim", spec["claim"])


def analyse_claim(uow, ctx, spec):
    from sim.crm.claims import analyse

    analyse(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, analysis=spec["analysis"])


def propose_solution(uow, ctx, spec):
    from sim.crm.claims import propose_solution as service

    service(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, solution=spec["solution"], note=spec["note"],
            amount=str(spec.get("amount", "")), pct=str(spec.get("pct", "")))


def escalate_claim(uow, ctx, spec):
    from sim.crm.claims import escalate

    escalate(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, message=spec["message"])


def alert_colleague(uow, ctx, spec):
    from sim.crm.claims import alert_colleague as service

    service(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, colleague=spec["colleague"], message=spec["message"])


def claim_answer(uow, ctx, spec):
    from sim.crm.claims import record_answer

    record_answer(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, accepted=spec["accepted"],
                  note=spec.get("note", ""))


def close_claim(uow, ctx, spec):
    from sim.crm.claims import close

    close(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, resolution=spec["resolution"])


# ----- phone calls (sim/calls/service.py) ---------------------------------

def answer_call(uow, ctx, spec):
    """The answer to the call a ``phone_call`` event made: ``say`` is recorded (read by espeak-ng in the
    call's language, as a candidate's voice would be), or ``summary`` is typed (no microphone)."""
    from sim.calls.service import answer
    from sim.calls.voice import synthesise, wav_seconds
    from sim.crm.models import Interaction

    call = uow.session.scalars(select(Interaction).where(
        Interaction.event_key == spec["call"], Interaction.channel == "phone",
        Interaction.direction == "in")).first()
    if call is None:
        raise LookupError(f"aucun appel de l'événement « {spec['call']} »")
    if spec.get("say"):
        voice = synthesise(spec["say"], call.language)
        answer(uow, actor=ACTOR, call_id=call.id, mode="recording", recording=voice, mime="audio/wav",
               duration_s=max(wav_seconds(voice), 1), summary=spec.get("summary", ""))
    else:
        answer(uow, actor=ACTOR, call_id=call.id, mode="summary", summary=spec["summary"])


# What each action takes, as JSON Schema fields (the linter checks scripts
# with them, at file:line:col), which fields name scenario entities (REFS) and
# which names an action gives to what it creates (DEFINES).
_TEXT = {"type": "string", "minLength": 1}
_LINES = {"type": "array", "minItems": 1, "items": {
    "type": "object", "properties": {"product": {"type": "string"}, "quantity": {"type": ["number", "string"]}},
    "required": ["product", "quantity"], "additionalProperties": False}}
FIELDS: dict[str, tuple[dict, list[str]]] = {
    "view_customer": ({"customer": {"type": "string"}}, ["customer"]),
    "send_message": ({"to": {"type": "object", "properties": {
        "customer": {"type": "string"}, "supplier": {"type": "string"},
        "role": {"enum": ["management", "accounting", "logistics", "quality"]}}, "additionalProperties": False,
        "minProperties": 1, "maxProperties": 1},
        "language": {"enum": ["fr", "en"]}, "subject": {**_TEXT, "maxLength": 200},
        "body": {**_TEXT, "maxLength": 20_000}}, ["to", "subject", "body"]),
    "read_messages": ({}, []),
    "create_quote": ({"customer": {"type": "string"}, "lines": _LINES, "name": {"type": "string"}},
                     ["customer", "lines"]),
    "create_order": ({"customer": {"type": "string"}, "lines": _LINES, "name": {"type": "string"},
                      "customer_po": {"type": "string", "maxLength": 60}}, ["customer", "lines"]),
    "confirm_order": ({"order": {"type": "string"}}, ["order"]),
    "request_approval": ({"order": {"type": "string"}, "message": {**_TEXT, "maxLength": 4000}},
                         ["order", "message"]),
    "ship": ({"order": {"type": "string"}}, ["order"]),
    "invoice": ({"order": {"type": "string"}, "name": {"type": "string"}}, ["order"]),
    "record_payment": ({"invoice": {"type": "string"}, "amount": {"type": ["number", "string"]},
                        "method": {"enum": ["transfer", "cheque", "card", "bill", "direct_debit"]},
                        "reference": {"type": "string", "maxLength": 60}}, ["invoice"]),
    "log_call": ({"customer": {"type": "string"}, "note": {**_TEXT, "maxLength": 4000},
                  "subject": {**_TEXT, "maxLength": 200}}, ["customer", "note"]),
    "analyse_claim": ({"claim": {"type": "string"}, "analysis": {**_TEXT, "maxLength": 4000}}, ["claim", "analysis"]),
    "propose_solution": ({"claim": {"type": "string"},
                          "solution": {"enum": ["credit_note", "discount", "replacement", "free_shipping", "return"]},
                          "amount": {"type": ["number", "string"]}, "pct": {"type": ["number", "string"]},
                          "note": {**_TEXT, "maxLength": 4000}}, ["claim", "solution", "note"]),
    "escalate_claim": ({"claim": {"type": "string"}, "message": {**_TEXT, "maxLength": 4000}}, ["claim", "message"]),
    "alert_colleague": ({"claim": {"type": "string"},
                         "colleague": {"enum": ["logistics", "accounting", "quality", "sales_rep"]},
                         "message": {**_TEXT, "maxLength": 4000}}, ["claim", "colleague", "message"]),
    "claim_answer": ({"claim": {"type": "string"}, "accepted": {"type": "boolean"},
                      "note": {"type": "string", "maxLength": 4000}}, ["claim", "accepted"]),
    "close_claim": ({"claim": {"type": "string"}, "resolution": {**_TEXT, "maxLength": 4000}}, ["claim", "resolution"]),
    "answer_call": ({"call": {"type": "string", "description": "l'identifiant de l'événement phone_call"},
                     "say": {**_TEXT, "maxLength": 4000}, "summary": {**_TEXT, "maxLength": 4000}},
                    ["call"]),
}
REFS = {"customer": "customer", "to.customer": "customer", "to.supplier": "supplier", "lines[].product": "product",
        "order": "order", "invoice": "invoice", "claim": "claim"}
DEFINES = {"create_quote": "quote", "create_order": "order", "invoice": "invoice"}


def action_schema(do: str) -> dict:
    from sim.scenario.schema import DATETIME, DELAY

    properties, required = FIELDS[do]
    return {"type": "object", "properties": {
        "do": {"type": "string"}, "at": DATETIME,
        "after": {"type": "object", "properties": {"event": {"type": "string"}, "delay": DELAY},
                  "required": ["event"], "additionalProperties": False}, **properties},
        "required": ["do", *required], "additionalProperties": False,
        "oneOf": [{"required": ["at"]}, {"required": ["after"]}]}


ACTIONS = {f.__name__: f for f in (view_customer, send_message, read_messages, create_quote, create_order,
                                   confirm_order, request_approval, ship, invoice, record_payment, log_call,
                                   analyse_claim, propose_solution, escalate_claim, alert_colleague, claim_answer,
                                   close_claim, answer_call)}


def perform(uow, spec: dict) -> None:
    ACTIONS[spec["do"]](uow, EventContext(uow, actor=ACTOR), {k: v for k, v in spec.items()
                                                             if k not in ("do", "at", "after")})
