"""Candidate-script actions: the recovery procedure (CP4): reminders, calls, letters, penalties, disputes, plans, litigation."""
from __future__ import annotations

from sim.scenario.actions import ACTOR
from sim.scenario.actions._fields import DATE_FIELD, INVOICES, TEXT


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


FIELDS = {
    "send_reminder": ({"customer": {"type": "string"}, "invoices": INVOICES,
                       "level": {"enum": ["courtesy", "first", "second"]}, "language": {"enum": ["fr", "en"]},
                       "subject": {**TEXT, "maxLength": 200}, "body": {**TEXT, "maxLength": 20_000},
                       "attach_invoices": {"type": "boolean"}, "attach_statement": {"type": "boolean"}},
                      ["customer"]),
    "reminder_call": ({"customer": {"type": "string"}, "invoices": INVOICES, "note": {**TEXT, "maxLength": 4000},
                       "promised_date": DATE_FIELD, "promised_amount": {"type": ["number", "string"]}},
                      ["customer", "note"]),
    "send_letter": ({"customer": {"type": "string"}, "invoices": INVOICES,
                     "level": {"enum": ["second", "formal_notice"]},
                     "deadline_days": {"type": "integer", "minimum": 1, "maximum": 30}}, ["customer", "level"]),
    "invoice_penalties": ({"customer": {"type": "string"}, "invoices": INVOICES}, ["customer"]),
    "flag_dispute": ({"invoice": {"type": "string"}, "reason": {**TEXT, "maxLength": 300},
                      "withhold_payment": {"type": "boolean"}, "clear": {"type": "boolean"}}, ["invoice", "reason"]),
    "propose_plan": ({"customer": {"type": "string"}, "invoices": INVOICES, "note": {"type": "string"},
                      "penalties_waived": {"type": "boolean"},
                      "instalments": {"type": "array", "minItems": 1, "items": {
                          "type": "object", "properties": {"date": DATE_FIELD, "amount": {"type": ["number", "string"]}},
                          "required": ["date", "amount"], "additionalProperties": False}}},
                     ["customer", "instalments"]),
    "check_solvency": ({"customer": {"type": "string"}}, ["customer"]),
    "to_litigation": ({"customer": {"type": "string"}, "note": {**TEXT, "maxLength": 2000}}, ["customer", "note"]),
}
ACTIONS = (send_reminder, reminder_call, send_letter, invoice_penalties, flag_dispute, propose_plan,
           check_solvency, to_litigation)
