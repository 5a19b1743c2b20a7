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

INCOTERMS = ("EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF")
# the Incoterm® 2020 of an order (rule and named place) and its transport mode (sim/shipping/incoterms.py)
TRANSPORT_TERMS = {"incoterm": {"enum": list(INCOTERMS)}, "incoterm_place": {"type": "string", "maxLength": 80},
                   "transport_mode": {"enum": ["road", "rail", "air", "sea", "inland_waterway", "multimodal"]}}

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
                         customer_po=spec.get("customer_po", ""),
                         incoterm=spec.get("incoterm", customer.incoterm),
                         incoterm_place=spec.get("incoterm_place", customer.incoterm_place if not spec.get(
                             "incoterm") else ""),
                         transport_mode=spec.get("transport_mode", ""))
    if spec.get("name"):
        ctx.register("order", spec["name"], order)
    return order
