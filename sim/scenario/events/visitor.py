"""A visitor comes to the stand (CP8): their profile, their need, and the facts of the
catalogue they will ask about (price, available stock, lead time of a product) — each
read from the catalogue when the visitor asks, so that the candidate's answer is checked."""
KIND = "visitor"
TITLE = ("Un visiteur se présente au stand (profil, langue, besoin) et pose des questions sur le catalogue "
         "(prix, disponibilité, délai d'un produit), vérifiées au moment où il les pose")
FACT = {"type": "object", "properties": {"ask": {"enum": ["price", "availability", "lead_time"]},
                                         "product": {"type": "string"}},
        "required": ["ask", "product"], "additionalProperties": False}
PROFILE = {"type": "object", "properties": {"role": {"type": "string", "minLength": 1, "maxLength": 120},
                                            "size": {"type": "string", "maxLength": 60},
                                            "sector": {"type": "string", "maxLength": 120}},
           "required": ["role"], "additionalProperties": False}
VISITOR = {"name": {"type": "string", "minLength": 1, "maxLength": 120},
           "company": {"type": "string", "minLength": 1, "maxLength": 160},
           "language": {"enum": ["fr", "en"]},
           "profile": {"oneOf": [{"type": "string", "minLength": 1, "maxLength": 120}, PROFILE]},
           "need": {"type": "string", "maxLength": 2000},
           "interest": {"type": "string", "maxLength": 2000},
           "facts": {"type": "array", "items": FACT, "maxItems": 10}}
PROPERTIES = dict(VISITOR)
REQUIRED = ["name", "company", "language", "profile"]
REFS = {"facts[].product": "product"}


def facts(ctx, spec) -> list[dict]:
    """The facts with the product's reference (the scenario names the product by its key)."""
    return [{"ask": f["ask"], "product": ctx.entity("product", f["product"]).reference}
            for f in spec.get("facts") or []]


def handle(ctx, spec):
    from sim.tradeshow.service import arrive

    arrive(ctx.uow, actor=ctx.actor, key=ctx.event_key, event_key=ctx.event_key,
           spec=spec | {"facts": facts(ctx, spec)})
