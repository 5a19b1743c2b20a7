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


# ----- the recovery procedure (sim/receivables/recovery.py, plans.py) -----

def _invoice_ids(ctx, spec, customer=None) -> list[int]:
    """The named invoices, or by default every overdue invoice of the customer."""
    if spec.get("invoices"):
        return [ctx.entity("invoice", name).id for name in spec["invoices"]]
    from sim.receivables.recovery import invoice_states

    return [s.invoice.id for s in invoice_states(ctx.uow, customer_id=customer.id, include_not_due=False)
            if s.dispute is None]


def send_reminder(uow, ctx, spec):
    """A reminder email from the template (``subject``/``body`` replace it), recovery ladder."""
    from sim.crm.models import Customer
    from sim.receivables.recovery import email_template, invoice_states, send_reminder_email

    customer = ctx.entity("customer", spec["customer"])
    ids = _invoice_ids(ctx, spec, customer)
    template = email_template(uow, uow.get(Customer, customer.id), spec.get("level", "first"),
                              invoice_states(uow, customer_id=customer.id, invoice_ids=ids), spec.get("language", ""))
    send_reminder_email(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=ids, level=spec.get("level", "first"),
                        subject=spec.get("subject", template["subject"]), body=spec.get("body", template["body"]),
                        language=spec.get("language", template["language"]),
                        attach_invoices=spec.get("attach_invoices", False),
                        attach_statement=spec.get("attach_statement", False))


def reminder_call(uow, ctx, spec):
    """The phone reminder with the promise obtained (date, amount)."""
    from sim.receivables.recovery import log_reminder_call

    customer = ctx.entity("customer", spec["customer"])
    log_reminder_call(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=_invoice_ids(ctx, spec, customer),
                      note=spec["note"], promised_date=str(spec.get("promised_date", "")),
                      promised_amount=str(spec.get("promised_amount", "")))


def send_letter(uow, ctx, spec):
    """A 2nd reminder letter or the formal notice, as PDF with the penalties."""
    from sim.receivables.recovery import issue_letter

    customer = ctx.entity("customer", spec["customer"])
    issue_letter(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=_invoice_ids(ctx, spec, customer),
                 level=spec["level"], deadline_days=str(spec.get("deadline_days", 8)))


def invoice_penalties(uow, ctx, spec):
    from sim.receivables.recovery import issue_penalty_invoice

    customer = ctx.entity("customer", spec["customer"])
    issue_penalty_invoice(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=_invoice_ids(ctx, spec, customer))


def flag_dispute(uow, ctx, spec):
    from sim.receivables.recovery import clear_dispute, flag_dispute as flag

    invoice = ctx.entity("invoice", spec["invoice"])
    if spec.get("clear"):
        clear_dispute(uow, actor=ACTOR, invoice_id=invoice.id, resolution=spec["reason"])
    else:
        flag(uow, actor=ACTOR, invoice_id=invoice.id, reason=spec["reason"],
             withhold_payment=spec.get("withhold_payment", False))


def propose_plan(uow, ctx, spec):
    from sim.receivables.plans import propose_plan as service

    customer = ctx.entity("customer", spec["customer"])
    service(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=_invoice_ids(ctx, spec, customer),
            instalments=[(str(i["date"]), str(i["amount"])) for i in spec["instalments"]],
            note=spec.get("note", ""), penalties_waived=spec.get("penalties_waived", False))


def check_solvency(uow, ctx, spec):
    from sim.receivables.plans import consult_credit_report

    consult_credit_report(uow, actor=ACTOR, customer_id=ctx.entity("customer", spec["customer"]).id)


def to_litigation(uow, ctx, spec):
    from sim.receivables.recovery import transfer_to_litigation

    transfer_to_litigation(uow, actor=ACTOR, customer_id=ctx.entity("customer", spec["customer"]).id,
                           note=spec["note"])


# What each action takes, as JSON Schema fields (the linter checks scripts
# with them, at file:line:col), which fields name scenario entities (REFS) and
# which names an action gives to what it creates (DEFINES).
_TEXT = {"type": "string", "minLength": 1}
_INVOICES = {"type": "array", "minItems": 1, "items": {"type": "string"}}
DATE_FIELD = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_LINES = {"type": "array", "minItems": 1, "items": {
    "type": "object", "properties": {"product": {"type": "string"}, "quantity": {"type": ["number", "string"]}},
    "required": ["product", "quantity"], "additionalProperties": False}}
FIELDS: dict[str, tuple[dict, list[str]]] = {
    "view_customer": ({"customer": {"type": "string"}}, ["customer"]),
    "send_message": ({"to": {"type": "object", "properties": {
        "customer": {"type": "string"}, "supplier": {"type": "string"},
        "role": {"enum": ["management", "accounting"]}}, "additionalProperties": False,
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
    # the recovery procedure: "invoices" names the invoices an action covers (by default every
    # overdue, undisputed invoice of the customer)
    "send_reminder": ({"customer": {"type": "string"}, "invoices": _INVOICES,
                       "level": {"enum": ["courtesy", "first", "second"]}, "language": {"enum": ["fr", "en"]},
                       "subject": {**_TEXT, "maxLength": 200}, "body": {**_TEXT, "maxLength": 20_000},
                       "attach_invoices": {"type": "boolean"}, "attach_statement": {"type": "boolean"}},
                      ["customer"]),
    "reminder_call": ({"customer": {"type": "string"}, "invoices": _INVOICES, "note": {**_TEXT, "maxLength": 4000},
                       "promised_date": DATE_FIELD, "promised_amount": {"type": ["number", "string"]}},
                      ["customer", "note"]),
    "send_letter": ({"customer": {"type": "string"}, "invoices": _INVOICES,
                     "level": {"enum": ["second", "formal_notice"]},
                     "deadline_days": {"type": "integer", "minimum": 1, "maximum": 30}}, ["customer", "level"]),
    "invoice_penalties": ({"customer": {"type": "string"}, "invoices": _INVOICES}, ["customer"]),
    "flag_dispute": ({"invoice": {"type": "string"}, "reason": {**_TEXT, "maxLength": 300},
                      "withhold_payment": {"type": "boolean"}, "clear": {"type": "boolean"}}, ["invoice", "reason"]),
    "propose_plan": ({"customer": {"type": "string"}, "invoices": _INVOICES, "note": {"type": "string"},
                      "penalties_waived": {"type": "boolean"},
                      "instalments": {"type": "array", "minItems": 1, "items": {
                          "type": "object", "properties": {"date": DATE_FIELD, "amount": {"type": ["number", "string"]}},
                          "required": ["date", "amount"], "additionalProperties": False}}},
                     ["customer", "instalments"]),
    "check_solvency": ({"customer": {"type": "string"}}, ["customer"]),
    "to_litigation": ({"customer": {"type": "string"}, "note": {**_TEXT, "maxLength": 2000}}, ["customer", "note"]),
}
REFS = {"customer": "customer", "to.customer": "customer", "to.supplier": "supplier", "lines[].product": "product",
        "order": "order", "invoice": "invoice", "invoices[]": "invoice"}
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
                                   send_reminder, reminder_call, send_letter, invoice_penalties, flag_dispute,
                                   propose_plan, check_solvency, to_litigation)}


def perform(uow, spec: dict) -> None:
    ACTIONS[spec["do"]](uow, EventContext(uow, actor=ACTOR), {k: v for k, v in spec.items()
                                                             if k not in ("do", "at", "after")})
