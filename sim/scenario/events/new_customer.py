"""A new customer arrives with a large first order."""
from sim.scenario.events._common import LINES, MESSAGE, draft_order

KIND = "new_customer"
TITLE = "Nouveau client avec une première commande importante"
def _details() -> dict:
    """The customer's card, checked as the company's customers are (plus its address)."""
    from sim.scenario.schema import CUSTOMER

    return {**CUSTOMER, "properties": {**CUSTOMER["properties"], "address": {"type": "string"},
                                       "postcode": {"type": "string"}}}


PROPERTIES = {"customer": {"type": "string", "description": "nom de scénario du nouveau client"},
              "details": _details(), "lines": LINES, "customer_po": {"type": "string"},
              "name": {"type": "string"}, "message": MESSAGE,
              "attach_purchase_order": {"type": "boolean", "description": "joindre le bon de commande du client (PDF), oui par défaut"}}
REQUIRED = ["customer", "details", "lines", "message"]
REFS = {"lines[].product": "product"}
DEFINES = {"customer": "customer", "name": "order"}


def handle(ctx, spec):
    customer = _known_prospect(ctx, spec["customer"], spec["details"]) or ctx.create_customer(
        spec["customer"], spec["details"])
    order = draft_order(ctx, customer, spec)
    attachments = [ctx.document_of("customer_po", order.id)] if spec.get("attach_purchase_order", True) else []
    ctx.deliver({"customer": spec["customer"]}, spec["message"], attachments=attachments)


# What the customer's first order tells of it, set on a prospect's record where the record has nothing.
_FROM_ORDER = ("siren", "vat_number", "address", "postcode", "city", "country", "language", "email")


def _known_prospect(ctx, name: str, details: dict):
    """A prospect already in the CRM under that company name (met at the stand, say) places the order:
    its record is completed from the details (blank fields only; the terms and credit limit granted
    with the order set), journaled, and no second customer is created."""
    from decimal import Decimal

    from sqlalchemy import select

    from sim.crm.models import Customer, CustomerStatus
    from sim.crm.records import shown
    from sim.journal import service as journal
    from sim.scenario.engine import PLACEHOLDER_ADDRESS
    from sim.tradeshow.service import same_name

    found = next((c for c in ctx.uow.session.scalars(select(Customer).where(
        Customer.status == CustomerStatus.PROSPECT).order_by(Customer.id)) if same_name(c.name, details["name"])),
        None)
    if found is None:
        return None
    wanted = {f: str(details[f]) for f in _FROM_ORDER if details.get(f) and not getattr(found, f)}
    if not found.address and not details.get("address"):
        wanted["address"] = PLACEHOLDER_ADDRESS  # as a scenario's new customer without an address gets it
    if details.get("payment_terms"):
        wanted["payment_terms"] = details["payment_terms"]
    limit = Decimal(str(details["credit_limit"])).quantize(Decimal("0.01")) if "credit_limit" in details else None
    changes = {f: {"old": shown(getattr(found, f)), "new": v} for f, v in wanted.items() if getattr(found, f) != v}
    for f, v in wanted.items():
        setattr(found, f, v)
    refs = {"customer": found.code, "event": ctx.event_key}
    reason = "Coordonnées et conditions reçues avec la première commande du prospect"
    if limit is not None and limit != found.credit_limit:
        changes["credit_limit"] = {"old": shown(found.credit_limit), "new": shown(limit)}
        journal.append(ctx.uow, kind="customer.credit_limit_changed", actor=ctx.actor, refs=refs,
                       payload={"old": found.credit_limit, "new": limit, "reason": reason})
        found.credit_limit = limit
    if changes:
        ctx.uow.session.flush()
        journal.append(ctx.uow, kind="customer.updated", actor=ctx.actor, refs=refs,
                       payload={"changes": changes, "reason": reason})
    ctx.register("customer", name, found)
    return found
