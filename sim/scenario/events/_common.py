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
