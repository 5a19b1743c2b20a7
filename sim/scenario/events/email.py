"""An inbound email from a customer, supplier, carrier, management or accounting."""
from sim.scenario.events._common import MESSAGE, PARTY

KIND = "email"
TITLE = "Courriel entrant (client, fournisseur, transporteur, direction, comptabilité), en français ou en anglais"
PROPERTIES = {"from": PARTY, "message": MESSAGE,
              "attach": {"type": "array", "items": {
                  "type": "object", "properties": {"document": {"enum": ["quote", "order_ack", "invoice", "statement"]},
                                                   "of": {"type": "string"}},
                  "required": ["document", "of"], "additionalProperties": False}}}
REQUIRED = ["from", "message"]
# A carrier is named as the generated company knows it (or any name, with an email):
# it is looked up by name when the event fires, not checked by the linter.
REFS = {"from.customer": "customer", "from.supplier": "supplier"}


def handle(ctx, spec):
    attachments = [ctx.document(a["document"], a["of"]) for a in spec.get("attach", [])]
    ctx.deliver(spec["from"], spec["message"], attachments=attachments)
