"""Pieces the event modules share: message fields and sender resolution."""
from __future__ import annotations

MESSAGE = {
    "type": "object",
    "description": "Le courriel que reçoit le candidat.",
    "properties": {
        "subject": {"type": "string", "minLength": 1, "maxLength": 200},
        "body": {"type": "string", "minLength": 1},
        "language": {"enum": ["fr", "en"]},
    },
    "required": ["subject", "body"],
    "additionalProperties": False,
}

PARTY = {
    "type": "object",
    "description": "Qui écrit : un client ou fournisseur du scénario, un transporteur, la direction, la comptabilité.",
    "properties": {
        "customer": {"type": "string"},
        "supplier": {"type": "string"},
        "carrier": {"type": "string"},
        "role": {"enum": ["customer", "supplier", "carrier", "management", "accounting", "bank"]},
        "name": {"type": "string"},
        "email": {"type": "string"},
    },
    "additionalProperties": False,
}

LINES = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "properties": {"product": {"type": "string"}, "quantity": {"type": ["number", "string"]}},
        "required": ["product", "quantity"],
        "additionalProperties": False,
    },
}


def draft_order(ctx, customer, spec: dict):
    """The customer's order entered as a draft (the candidate checks and confirms
    it), named for later events when the scenario gives it a ``name``."""
    from sim.sales.service import create_order

    order = create_order(ctx.uow, actor=ctx.actor, customer_id=customer.id, lines=ctx.line_inputs(spec["lines"]),
                         customer_po=spec.get("customer_po", ""))
    if spec.get("name"):
        ctx.register("order", spec["name"], order)
    return order
