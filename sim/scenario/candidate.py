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
    attach = [(a["kind"], ctx.entity(_ATTACH_OF[a["kind"]], a["of"]).id) for a in spec.get("attach") or []]
    if any(kind == "carrier_protest" for kind, _ in attach):  # a protest is named by its delivery
        from sim.shipping.service import protest_of

        attach = [(k, protest_of(uow, i).id if k == "carrier_protest" else i) for k, i in attach]
    send(uow, actor=ACTOR, to_role=role, subject=spec["subject"], body=spec["body"],
         language=spec.get("language", customer.language if customer else "fr"),
         customer_id=customer.id if customer else None, supplier_id=supplier.id if supplier else None,
         attach=attach)


# a document the script attaches → the kind of scenario entity it is printed from
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


def create_quote(uow, ctx, spec):
    from sim.sales.service import create_quote as service

    quote = service(uow, actor=ACTOR, customer_id=ctx.entity("customer", spec["customer"]).id,
                    lines=ctx.line_inputs(spec["lines"]), incoterm=spec.get("incoterm", ""),
                    incoterm_place=spec.get("incoterm_place", ""), transport_mode=spec.get("transport_mode", ""))
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
    for line in uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                            OrderLine.product_id.is_not(None))):
        rest = line.quantity - line.quantity_delivered
        quantities[line.id] = min(rest, uow.session.get(Product, line.product_id).stock_on_hand)
    carrier_id = (ctx.entity("carrier", spec["carrier"]).id if spec.get("carrier")
                  else uow.session.scalars(select(Carrier.id).order_by(Carrier.id)).first())
    delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities=quantities, carrier_id=carrier_id)
    if spec.get("name"):
        ctx.register("delivery", spec["name"], delivery)


# ===== shipping (sim/shipping/service.py) ==================================

def book_carrier(uow, ctx, spec):
    """Book the pickup: the named carrier's service of that mode (its first one), on the
    date given or the next working day."""
    from sim.clock import sim_date
    from sim.sales.working_days import add_working_days
    from sim.shipping.models import CarrierService
    from sim.shipping.service import book_carrier as service

    delivery = ctx.entity("delivery", spec["delivery"])
    query = select(CarrierService.id).where(CarrierService.carrier_id == ctx.entity("carrier", spec["carrier"]).id)
    if spec.get("mode"):
        query = query.where(CarrierService.transport_mode == spec["mode"])
    service(uow, actor=ACTOR, delivery_id=delivery.id, service_id=uow.session.scalars(query.order_by(
        CarrierService.id)).first(), pickup_date=spec.get("pickup_date") or add_working_days(sim_date(uow), 1),
        parcels=str(spec.get("parcels", "")))


def _delivery_lines(uow, ctx, delivery, items) -> dict:
    from sim.stock.models import DeliveryLine

    by_product = {dl.product_id: dl.id for dl in uow.session.scalars(select(DeliveryLine).where(
        DeliveryLine.delivery_id == delivery.id))}
    return {by_product[ctx.entity("product", i["product"]).id]: str(i["quantity"]) for i in items or []}


def record_receipt(uow, ctx, spec):
    """The customer's receipt: who signed, the proof, the reserves and the lines damaged."""
    from sim.clock import sim_date
    from sim.shipping.service import record_receipt as service

    delivery = ctx.entity("delivery", spec["delivery"])
    service(uow, actor=ACTOR, delivery_id=delivery.id, received_date=spec.get("received_date") or sim_date(uow),
            received_by=spec["received_by"], proof=spec.get("proof", ""), reserves=spec.get("reserves", ""),
            damaged=_delivery_lines(uow, ctx, delivery, spec.get("damaged")))


def send_protest(uow, ctx, spec):
    from sim.shipping.service import send_protest as service

    service(uow, actor=ACTOR, delivery_id=ctx.entity("delivery", spec["delivery"]).id, facts=spec["facts"])


def ship_replacement(uow, ctx, spec):
    from sim.shipping.service import ship_replacement as service

    replacement = service(uow, actor=ACTOR, delivery_id=ctx.entity("delivery", spec["delivery"]).id)
    if spec.get("name"):
        ctx.register("delivery", spec["name"], replacement)


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


def view_product(uow, ctx, spec):
    """The product page: stock on hand, reserved, available, incoming (journaled ``product.position_viewed``)."""
    from sim.purchasing.service import record_position_view
    from sim.stock.availability import position

    record_position_view(uow, actor=ACTOR, pos=position(uow, ctx.entity("product", spec["product"]).id))


def _purchase_order(ctx, spec):
    from sim.scenario.events._purchasing import purchase_order

    return purchase_order(ctx, spec)


def create_purchase_order(uow, ctx, spec):
    """A purchase order entered and (unless ``send: false``) sent to the supplier as PDF."""
    from sim.purchasing import service

    po = service.create_purchase_order(
        uow, actor=ACTOR, supplier_id=ctx.entity("supplier", spec["supplier"]).id,
        lines=[service.POLineInput(ctx.entity("product", l["product"]).id, str(l["quantity"])) for l in spec["lines"]],
        requested_date=str(spec["date"]), notes=spec.get("notes", ""))
    if spec.get("send", True):
        service.send_purchase_order(uow, actor=ACTOR, purchase_order_id=po.id)
    if spec.get("name"):
        ctx.register("purchase_order", spec["name"], po)


def remind_supplier(uow, ctx, spec):
    from sim.purchasing.service import remind_supplier as service

    service(uow, actor=ACTOR, purchase_order_id=_purchase_order(ctx, spec).id, body=spec["body"],
            subject=spec.get("subject", ""))


def agree_new_date(uow, ctx, spec):
    from sim.purchasing.service import agree_new_date as service

    service(uow, actor=ACTOR, purchase_order_id=_purchase_order(ctx, spec).id, new_date=str(spec["date"]),
            reason=spec["reason"])


def receive_goods(uow, ctx, spec):
    """Book a receipt: the quantities counted per product (a product not listed: nothing came)."""
    from sim.purchasing.service import receive_goods as service
    from sim.stock.models import PurchaseOrderLine

    po = _purchase_order(ctx, spec)
    by_product = {line.product_id: line.id for line in uow.session.scalars(
        select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == po.id))}
    counted = {by_product[ctx.entity("product", l["product"]).id]: str(l["quantity"]) for l in spec["lines"]}
    refused = {by_product[ctx.entity("product", l["product"]).id]: str(l["quantity"])
               for l in spec.get("damaged") or []}
    service(uow, actor=ACTOR, purchase_order_id=po.id, received=counted, refused=refused,
            supplier_note=spec.get("supplier_note", ""), note=spec.get("note", ""))


def repromise(uow, ctx, spec):
    """Promise the customer a new date: the one given, else the achievable date the ERP computes."""
    from sim.purchasing.promises import repromise as service
    from sim.purchasing.risk import order_outlook

    order = ctx.entity("order", spec["order"])
    day = spec.get("date") or order_outlook(uow, order.id).achievable
    service(uow, actor=ACTOR, order_id=order.id, new_date=str(day), reason=spec["reason"])


def propose_substitute(uow, ctx, spec):
    from sim.purchasing.promises import propose_substitute as service
    from sim.sales.models import OrderLine

    order = ctx.entity("order", spec["order"])
    product = ctx.entity("product", spec["product"])
    line = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                       OrderLine.product_id == product.id)).first()
    from sim.crm.models import Customer

    customer_language = uow.session.get(Customer, order.customer_id).language
    service(uow, actor=ACTOR, order_id=order.id, order_line_id=line.id if line else None,
            product=ctx.entity("product", spec["substitute"]).id, subject=spec["subject"], body=spec["body"],
            language=spec.get("language", customer_language))


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


def create_dashboard(uow, ctx, spec):
    from sim.dashboards.service import create_dashboard as service

    dashboard = service(uow, actor=ACTOR, title=spec["title"], objective=spec.get("objective", ""))
    ctx.register("dashboard", spec["name"], dashboard)


def add_panel(uow, ctx, spec):
    """A pivot on the dashboard: the builder's fields (sim/dashboards/pivot.py, ``read_spec``)."""
    from sim.dashboards.service import add_panel as service

    values = {k: str(v) for k, v in spec.items() if k not in ("dashboard", "filters")}
    values |= {k: str(v) for k, v in (spec.get("filters") or {}).items()}
    service(uow, actor=ACTOR, dashboard_id=ctx.entity("dashboard", spec["dashboard"]).id, values=values)


def comment_dashboard(uow, ctx, spec):
    from sim.dashboards.service import comment

    comment(uow, actor=ACTOR, dashboard_id=ctx.entity("dashboard", spec["dashboard"]).id, text=spec["text"])


def refresh_dashboard(uow, ctx, spec):
    from sim.dashboards.service import refresh

    refresh(uow, actor=ACTOR, dashboard_id=ctx.entity("dashboard", spec["dashboard"]).id)


def send_dashboard(uow, ctx, spec):
    from sim.dashboards.service import send

    send(uow, actor=ACTOR, dashboard_id=ctx.entity("dashboard", spec["dashboard"]).id, subject=spec["subject"],
         body=spec["body"])


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
_DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_PO = {"purchase_order": {"type": "string"}, "supplier": {"type": "string"}}
from sim.scenario.events._common import TRANSPORT_TERMS as _TRANSPORT_TERMS  # noqa: E402
_INVOICES = {"type": "array", "minItems": 1, "items": {"type": "string"}}
DATE_FIELD = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_LINES = {"type": "array", "minItems": 1, "items": {
    "type": "object", "properties": {"product": {"type": "string"}, "quantity": {"type": ["number", "string"]}},
    "required": ["product", "quantity"], "additionalProperties": False}}
_MONTH = {"type": "string", "pattern": r"^\d{4}-\d{2}$"}


def _panel_fields() -> dict:
    from sim.dashboards.pivot import CHARTS, COMPARES, DIMENSIONS, KINDS, MEASURES, SORTS

    return {"measure": {"enum": sorted(MEASURES)}, "rows": {"enum": sorted(DIMENSIONS)},
            "columns": {"enum": sorted(DIMENSIONS)}, "from_month": _MONTH, "to_month": _MONTH,
            "sort": {"enum": sorted(SORTS)}, "compare": {"enum": sorted(c for c in COMPARES if c)},
            "chart": {"enum": sorted(CHARTS)}, "title": {"type": "string", "maxLength": 160},
            "filters": {"type": "object", "properties": {
                "category": {"type": "string"}, "country": {"type": "string"}, "region": {"type": "string"},
                "sales_rep": {"type": "string"}, "kind": {"enum": sorted(KINDS)}, "customer": {"type": "string"}},
                "additionalProperties": False}}


_PANEL = _panel_fields()
FIELDS: dict[str, tuple[dict, list[str]]] = {
    "view_customer": ({"customer": {"type": "string"}}, ["customer"]),
    "send_message": ({"to": {"type": "object", "properties": {
        "customer": {"type": "string"}, "supplier": {"type": "string"},
        "role": {"enum": ["management", "accounting", "logistics", "quality"]}}, "additionalProperties": False,
        "minProperties": 1, "maxProperties": 1},
        "language": {"enum": ["fr", "en"]}, "subject": {**_TEXT, "maxLength": 200},
        "body": {**_TEXT, "maxLength": 20_000},
        "attach": {"type": "array", "items": {"type": "object", "properties": {
            "kind": {"enum": sorted(_ATTACH_OF)}, "of": {"type": "string"}},
            "required": ["kind", "of"], "additionalProperties": False}}}, ["to", "subject", "body"]),
    "read_messages": ({}, []),
    "create_quote": ({"customer": {"type": "string"}, "lines": _LINES, "name": {"type": "string"},
                      **_TRANSPORT_TERMS}, ["customer", "lines"]),
    "create_order": ({"customer": {"type": "string"}, "lines": _LINES, "name": {"type": "string"},
                      "customer_po": {"type": "string", "maxLength": 60}}, ["customer", "lines"]),
    "confirm_order": ({"order": {"type": "string"}}, ["order"]),
    "request_approval": ({"order": {"type": "string"}, "message": {**_TEXT, "maxLength": 4000}},
                         ["order", "message"]),
    "ship": ({"order": {"type": "string"}, "name": {"type": "string"}, "carrier": {"type": "string"}}, ["order"]),
    "book_carrier": ({"delivery": {"type": "string"}, "carrier": {"type": "string"},
                      "mode": _TRANSPORT_TERMS["transport_mode"], "pickup_date": {"type": "string",
                                                                                   "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                      "parcels": {"type": "integer", "minimum": 1}}, ["delivery", "carrier"]),
    "record_receipt": ({"delivery": {"type": "string"}, "received_by": {**_TEXT, "maxLength": 120},
                        "received_date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                        "proof": {"type": "string", "maxLength": 200}, "reserves": {"type": "string", "maxLength": 2000},
                        "damaged": _LINES}, ["delivery", "received_by"]),
    "send_protest": ({"delivery": {"type": "string"}, "facts": {**_TEXT, "maxLength": 4000}}, ["delivery", "facts"]),
    "ship_replacement": ({"delivery": {"type": "string"}, "name": {"type": "string"}}, ["delivery"]),
    "invoice": ({"order": {"type": "string"}, "name": {"type": "string"}}, ["order"]),
    "record_payment": ({"invoice": {"type": "string"}, "amount": {"type": ["number", "string"]},
                        "method": {"enum": ["transfer", "cheque", "card", "bill", "direct_debit"]},
                        "reference": {"type": "string", "maxLength": 60}}, ["invoice"]),
    "log_call": ({"customer": {"type": "string"}, "note": {**_TEXT, "maxLength": 4000},
                  "subject": {**_TEXT, "maxLength": 200}}, ["customer", "note"]),
    # purchasing and orders at risk (sim/purchasing)
    "view_product": ({"product": {"type": "string"}}, ["product"]),
    "create_purchase_order": ({"supplier": {"type": "string"}, "lines": _LINES, "date": _DAY,
                               "name": {"type": "string"}, "send": {"type": "boolean"},
                               "notes": {"type": "string", "maxLength": 2000}}, ["supplier", "lines", "date"]),
    "remind_supplier": ({**_PO, "subject": {**_TEXT, "maxLength": 200}, "body": {**_TEXT, "maxLength": 20_000}},
                        ["body"]),
    "agree_new_date": ({**_PO, "date": _DAY, "reason": {**_TEXT, "maxLength": 300}}, ["date", "reason"]),
    "receive_goods": ({**_PO, "lines": _LINES, "damaged": _LINES, "supplier_note": {"type": "string", "maxLength": 40},
                       "note": {"type": "string", "maxLength": 2000}}, ["lines"]),
    "repromise": ({"order": {"type": "string"}, "date": _DAY, "reason": {**_TEXT, "maxLength": 300}},
                  ["order", "reason"]),
    "propose_substitute": ({"order": {"type": "string"}, "product": {"type": "string"},
                            "substitute": {"type": "string"}, "language": {"enum": ["fr", "en"]},
                            "subject": {**_TEXT, "maxLength": 200}, "body": {**_TEXT, "maxLength": 20_000}},
                           ["order", "product", "substitute", "subject", "body"]),
    # communication supports (sim/communication)
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
    # dashboards (sim/dashboards)
    "create_dashboard": ({"name": {"type": "string"}, "title": {**_TEXT, "maxLength": 160},
                          "objective": {"type": "string", "maxLength": 2000}}, ["name", "title"]),
    "add_panel": ({"dashboard": {"type": "string"}, **_PANEL}, ["dashboard", "measure", "rows"]),
    "comment_dashboard": ({"dashboard": {"type": "string"}, "text": {**_TEXT, "maxLength": 8000}},
                          ["dashboard", "text"]),
    "refresh_dashboard": ({"dashboard": {"type": "string"}}, ["dashboard"]),
    "send_dashboard": ({"dashboard": {"type": "string"}, "subject": {**_TEXT, "maxLength": 200},
                        "body": {**_TEXT, "maxLength": 20_000}}, ["dashboard", "subject", "body"]),
    # claims and phone calls (sim/crm/claims.py, sim/calls)
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
        "order": "order", "invoice": "invoice", "product": "product", "substitute": "product",
        "supplier": "supplier", "purchase_order": "purchase_order", "damaged[].product": "product",
        "support": "support", "delivery": "delivery", "carrier": "carrier",
        "invoices[]": "invoice", "dashboard": "dashboard", "claim": "claim"}
DEFINES = {"create_quote": "quote", "create_order": "order", "invoice": "invoice",
           "create_purchase_order": "purchase_order", "write_support": "support", "ship": "delivery",
           "ship_replacement": "delivery", "create_dashboard": "dashboard"}


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
                                   view_product, create_purchase_order, remind_supplier, agree_new_date,
                                   receive_goods, repromise, propose_substitute,
                                   write_support, publish_support,
                                   book_carrier, record_receipt, send_protest, ship_replacement,
                                   send_reminder, reminder_call, send_letter, invoice_penalties, flag_dispute,
                                   propose_plan, check_solvency, to_litigation,
                                   create_dashboard, add_panel, comment_dashboard, refresh_dashboard,
                                   send_dashboard,
                                   analyse_claim, propose_solution, escalate_claim, alert_colleague, claim_answer,
                                   close_claim, answer_call)}


def _merge_areas() -> None:
    """Adds the actions of the modules under ``sim.scenario.actions`` (one per business area)."""
    import importlib
    import pkgutil

    from sim.scenario import actions

    for info in sorted(pkgutil.iter_modules(actions.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        area = importlib.import_module(f"sim.scenario.actions.{info.name}")
        for function in area.ACTIONS:
            if function.__name__ in ACTIONS:
                raise RuntimeError(f"candidate action {function.__name__} defined twice")
            ACTIONS[function.__name__] = function
        FIELDS.update(area.FIELDS)
        REFS.update(getattr(area, "REFS", {}))
        DEFINES.update(getattr(area, "DEFINES", {}))


_merge_areas()


def perform(uow, spec: dict) -> None:
    ACTIONS[spec["do"]](uow, EventContext(uow, actor=ACTOR), {k: v for k, v in spec.items()
                                                             if k not in ("do", "at", "after")})
