"""A supplier's quote for one post of the commercial action's budget arrives
(CP7): a stand builder, a printer, a travel agency, a caterer. The quote is
recorded (``sim.projects.service.receive_quote``: supplier, post, amount HT,
validity) for the candidate to accept into the project's budget — or not —,
and the supplier's e-mail, when the event has a ``message``, lands in the
inbox. ``name:`` names the quote for the candidate scripts (``accept_quote``);
without it the quote is registered under the event's id."""
from sim.projects.service import POSTS
from sim.scenario.events._common import MESSAGE

KIND = "supplier_quote"
TITLE = ("Devis d'un prestataire pour un poste du budget de l'action commerciale (stand, impression, "
         "déplacements, restauration…) : fournisseur, poste, montant HT, date de validité, libellé ; "
         "son courriel arrive dans la boîte (`message`) ; le candidat le retient ou non au budget")
PROPERTIES = {
    "name": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$",
             "description": "nom du devis pour les scripts (accept_quote: supplier_quote: …)"},
    "supplier": {"type": "string", "minLength": 1, "maxLength": 160, "description": "le prestataire"},
    "email": {"type": "string", "maxLength": 160, "description": "son adresse (courriel du devis)"},
    "post": {"enum": list(POSTS), "description": "le poste du budget"},
    "amount": {"type": ["number", "string"], "description": "montant HT, au centime"},
    "valid_until": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "date de validité"},
    "label": {"type": "string", "maxLength": 200, "description": "ce qui est chiffré"},
    "message": MESSAGE,
}
REQUIRED = ["supplier", "post", "amount"]
REFS = {}
DEFINES = {"name": "supplier_quote"}


def handle(ctx, spec):
    from sim.projects.service import receive_quote

    message = None
    if spec.get("message"):
        message = ctx.deliver({"role": "supplier", "name": spec["supplier"], "email": spec.get("email", "")},
                              spec["message"])
    quote = receive_quote(ctx.uow, event_key=ctx.event_key, supplier=spec["supplier"], post=spec["post"],
                          amount_ht=ctx.decimal(spec["amount"]), valid_until=spec.get("valid_until"),
                          label=spec.get("label", ""), message_id=message.id if message else None)
    ctx.register("supplier_quote", spec.get("name") or ctx.event_key, quote)
