"""JSON-schema pieces the actions' fields share (the linter checks scripts with them, at file:line:col)."""
from sim.scenario.events._common import TRANSPORT_TERMS  # quotes take the events' transport terms

__all__ = ["TRANSPORT_TERMS", "TEXT", "DAY", "DATE_FIELD", "MONTH", "PO", "INVOICES", "LINES"]

TEXT = {"type": "string", "minLength": 1}
DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
DATE_FIELD = DAY
MONTH = {"type": "string", "pattern": r"^\d{4}-\d{2}$"}
PO = {"purchase_order": {"type": "string"}, "supplier": {"type": "string"}}
INVOICES = {"type": "array", "minItems": 1, "items": {"type": "string"}}
LINES = {"type": "array", "minItems": 1, "items": {
    "type": "object", "properties": {"product": {"type": "string"}, "quantity": {"type": ["number", "string"]}},
    "required": ["product", "quantity"], "additionalProperties": False}}
