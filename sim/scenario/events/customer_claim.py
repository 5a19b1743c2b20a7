"""A customer's claim (damaged delivery, late delivery, wrong item, invoice dispute,
quality) arrives by e-mail (the message lands in the inbox) and is recorded as a
claim, received, with its answer deadline — for the candidate to analyse, settle
within the delegation or escalate, and alert the right colleague."""
from sim.scenario.events._common import MESSAGE

KIND = "customer_claim"
TITLE = ("Réclamation d'un client (avarie, retard, erreur, facture contestée, qualité) reçue par courriel et "
         "enregistrée, avec son délai de réponse")
PROPERTIES = {"customer": {"type": "string"}, "invoice": {"type": "string"}, "order": {"type": "string"},
              "category": {"enum": ["delay", "damage", "error", "billing", "quality"]},
              "name": {"type": "string", "description": "nom de la réclamation pour les attentes (claim: …)"},
              "respond_within_days": {"type": "integer", "minimum": 1, "maximum": 30,
                                      "description": "jours ouvrés pour proposer une solution (2 par défaut)"},
              "message": MESSAGE}
REQUIRED = ["customer", "category", "message"]
REFS = {"customer": "customer", "invoice": "invoice", "order": "order"}
DEFINES = {"name": "claim"}


def handle(ctx, spec):
    from sim.clock import sim_date
    from sim.crm.claims import open_claim
    from sim.sales.working_days import add_working_days

    customer = ctx.entity("customer", spec["customer"])
    invoice = ctx.entity("invoice", spec["invoice"]) if spec.get("invoice") else None
    order = ctx.entity("order", spec["order"]) if spec.get("order") else None
    message = ctx.deliver({"customer": spec["customer"]}, spec["message"])
    due = add_working_days(sim_date(ctx.uow), spec.get("respond_within_days", 2))
    claim = open_claim(ctx.uow, actor=ctx.actor, customer_id=customer.id, category=spec["category"],
                       subject=spec["message"]["subject"][:200], description=spec["message"]["body"][:4000],
                       channel="email", invoice_id=invoice.id if invoice else None,
                       order_id=order.id if order else None, message_id=message.id, event_key=ctx.event_key,
                       language=message.language, respond_by=due)
    ctx.register("claim", spec.get("name") or ctx.event_key, claim)
