"""The scenario format as JSON Schema (``advsim scenario schema`` prints it).

The linter validates the whole file against ``scenario_schema()`` then each
event against its kind's schema (``event_schema(kind)``), so that an error in
an event names the fields of that kind only.
"""
from __future__ import annotations

from sim.scenario.events import registry

ID = {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$", "maxLength": 80}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
DATETIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$"}
DELAY = {"type": "string", "pattern": r"^\s*(\d+\s*[smhdw]\s*)+$"}
AMOUNT = {"type": ["number", "string"], "pattern": r"^-?\d+([.,]\d{1,2})?$"}
LINES = {"type": "array", "minItems": 1, "items": {
    "type": "object", "properties": {"product": {"type": "string"}, "quantity": {"type": ["number", "string"]}},
    "required": ["product", "quantity"], "additionalProperties": False}}

from sim.scenario.events._common import INCOTERMS, TRANSPORT_TERMS  # noqa: E402

TRIGGER = {
    "at": DATETIME,
    "after": {"type": "object", "properties": {"event": {"type": "string"}, "delay": DELAY},
              "required": ["event"], "additionalProperties": False},
    "when": {"type": "object", "description": "se déclenche quand une entrée du journal correspond",
             "properties": {"journal": {"type": "string", "pattern": r"^[a-z_]+(\.[a-z_*]+)?$"},
                            "customer": {"type": "string"}, "supplier": {"type": "string"},
                            "order": {"type": "string"}, "invoice": {"type": "string"},
                            "delay": DELAY},
             "required": ["journal"], "additionalProperties": False},
    "manual": {"const": True, "description": "déclenché par le formateur depuis la console de la session"},
}
EVENT_COMMON = {"id": ID, "kind": {"type": "string"}, **TRIGGER,
                "note": {"type": "string", "description": "pour le formateur, jamais montré au candidat"}}

CUSTOMER = {"type": "object", "properties": {
    "name": {"type": "string", "minLength": 1}, "kind": {"enum": ["b2b", "b2c"]},
    "country": {"type": "string", "pattern": "^[A-Z]{2}$"}, "language": {"enum": ["fr", "en"]},
    "city": {"type": "string"}, "email": {"type": "string"}, "siren": {"type": "string"},
    "vat_number": {"type": "string"}, "credit_limit": AMOUNT,
    "payment_terms": {"type": "string", "pattern": "^(comptant|\\d{1,3}_(net|fdm))$"},
    "risk_rating": {"enum": ["A", "B", "C", "D"]}, "in_litigation": {"type": "boolean"},
    "incoterm": {"enum": list(INCOTERMS)}, "incoterm_place": {"type": "string", "maxLength": 80},
    "payment_method": {"enum": ["transfer", "cheque", "card", "bill", "direct_debit"],
                       "description": "mode de règlement habituel (bill : lettre de change relevé, LCR)"},
    "credit_report": {"type": "object", "description": "rapport de solvabilité simulé, lu quand le candidat le consulte",
                      "properties": {"score": {"type": "integer", "minimum": 0, "maximum": 100},
                                     "incidents": {"type": "array", "items": {"type": "string", "minLength": 1}},
                                     "recommended_limit": AMOUNT, "agency": {"type": "string", "maxLength": 60},
                                     "as_of": DATE, "comment": {"type": "string"}},
                      "required": ["score", "recommended_limit"], "additionalProperties": False},
    "contact": {"type": "object", "properties": {"first_name": {"type": "string"}, "last_name": {"type": "string"},
                                                 "email": {"type": "string"}, "job_title": {"type": "string"}},
                "required": ["first_name", "last_name"], "additionalProperties": False},
    "delivery_addresses": {"type": "array", "description": "adresses de livraison (L1, L2… dans l'ordre) ; "
                                                           "default: true pour celle des nouveaux devis et commandes",
                           "items": {"type": "object", "properties": {
                               "label": {"type": "string"}, "recipient": {"type": "string"},
                               "address": {"type": "string"}, "postcode": {"type": "string"},
                               "city": {"type": "string"}, "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                               "instructions": {"type": "string"}, "default": {"type": "boolean"}},
                               "required": ["label", "address", "postcode", "city"], "additionalProperties": False}}},
    "required": ["name"], "additionalProperties": False}

COMPANY = {"type": "object", "properties": {
    "seed": {"type": "integer", "minimum": 0},
    "size": {"enum": ["small", "default", "large"]},
    "delegation": {"type": "object", "description": "la délégation du candidat (paramètres de l'entreprise)",
                   "properties": {"max_discount_pct": AMOUNT, "max_credit_overrun_pct": AMOUNT,
                                  "max_payment_plan_months": {"type": "integer", "minimum": 0, "maximum": 24},
                                  "max_gesture_pct": AMOUNT},
                   "additionalProperties": False},
    "vat_on_debits": {"type": "boolean", "description": "option pour le paiement de la TVA d'après les débits "
                                                         "(mention portée sur les factures)"},
    "customers": {"type": "object", "patternProperties": {"^[a-z][a-z0-9_]*$": CUSTOMER},
                  "additionalProperties": False},
    "suppliers": {"type": "object", "patternProperties": {"^[a-z][a-z0-9_]*$": {
        "type": "object", "properties": {"name": {"type": "string"}, "country": {"type": "string"},
                                         "language": {"enum": ["fr", "en"]}, "email": {"type": "string"},
                                         "lead_time_days": {"type": "integer", "minimum": 0}},
        "required": ["name"], "additionalProperties": False}}, "additionalProperties": False},
    "products": {"type": "object", "patternProperties": {"^[a-z][a-z0-9_]*$": {
        "type": "object", "properties": {"name": {"type": "string"}, "reference": {"type": "string"},
                                         "category": {"type": "string"}, "price": AMOUNT, "cost": AMOUNT,
                                         "vat": AMOUNT, "stock": {"type": ["number", "string"]},
                                         "supplier": {"type": "string"},
                                         "lead_time_days": {"type": "integer", "minimum": 0}},
        "required": ["name", "price"], "additionalProperties": False}}, "additionalProperties": False},
    "orders": {"type": "object", "patternProperties": {"^[a-z][a-z0-9_]*$": {
        "type": "object", "properties": {"customer": {"type": "string"}, "lines": LINES, "date": DATE,
                                         "customer_po": {"type": "string"},
                                         "status": {"enum": ["draft", "confirmed"]}, **TRANSPORT_TERMS},
        "required": ["customer", "lines"], "additionalProperties": False}}, "additionalProperties": False},
    # shipping (sim/shipping): named carriers (with their services and rates), past shipments
    "carriers": {"type": "object", "patternProperties": {"^[a-z][a-z0-9_]*$": {
        "type": "object", "properties": {"name": {"type": "string", "minLength": 1},
                                         "mode": {"enum": ["messagerie", "express", "affrètement", "international"]},
                                         "email": {"type": "string"}, "price_per_kg": AMOUNT, "min_charge": AMOUNT},
        "required": ["name"], "additionalProperties": False}}, "additionalProperties": False},
    "deliveries": {"type": "object", "patternProperties": {"^[a-z][a-z0-9_]*$": {
        "type": "object", "description": "une commande de la société expédiée en totalité avant le début",
        "properties": {"order": {"type": "string"}, "carrier": {"type": "string"}, "date": DATE},
        "required": ["order"], "additionalProperties": False}}, "additionalProperties": False},
    "purchase_orders": {"type": "object", "patternProperties": {"^[a-z][a-z0-9_]*$": {
        "type": "object", "properties": {"supplier": {"type": "string"}, "lines": LINES, "date": DATE,
                                         "expected": DATE},
        "required": ["supplier", "lines", "expected"], "additionalProperties": False}},
        "additionalProperties": False},
    "recovery_procedure": {"type": "array", "minItems": 1, "description": "la procédure de relance de l'entreprise",
                           "items": {"type": "object", "properties": {
                               "level": {"enum": ["courtesy", "first", "phone", "second", "formal_notice",
                                                  "escalated"]},
                               "offset_days": {"type": "integer", "minimum": -60, "maximum": 365},
                               "channel": {"enum": ["email", "phone", "letter", "registered", "litigation"]}},
                               "required": ["level", "offset_days"], "additionalProperties": False}},
    "invoices": {"type": "object", "patternProperties": {"^[a-z][a-z0-9_]*$": {
        "type": "object", "properties": {"customer": {"type": "string"}, "lines": LINES, "date": DATE,
                                         "customer_po": {"type": "string", "maxLength": 40},
                                         "paid": {"oneOf": [AMOUNT, {"type": "object", "properties": {
                                             "amount": AMOUNT, "date": DATE,
                                             "method": {"enum": ["transfer", "cheque", "card", "bill",
                                                                 "direct_debit"]},
                                             "reference": {"type": "string", "maxLength": 60}},
                                             "required": ["amount"], "additionalProperties": False}]},
                                         "disputed": {"type": "object", "properties": {
                                             "reason": {"type": "string", "minLength": 1, "maxLength": 300},
                                             "withhold_payment": {"type": "boolean"}},
                                             "required": ["reason"], "additionalProperties": False}},
        "required": ["customer", "lines", "date"], "additionalProperties": False}}, "additionalProperties": False},
}, "required": ["seed"], "additionalProperties": False}

# ----- expectations (sim/evaluation/engine.py scores them; README "Expectations and scoring")
JOURNAL_KINDS = {"oneOf": [{"type": "string", "pattern": r"^[a-z_]+(\.[a-z_*]+)?$"},
                           {"type": "array", "minItems": 1,
                            "items": {"type": "string", "pattern": r"^[a-z_]+(\.[a-z_*]+)?$"}}]}
WHERE = {"type": "object", "description": "filtres sur les refs et le contenu de l'entrée (noms du scénario "
                                          "résolus en clés métier ; actor, role)",
         "additionalProperties": {"type": ["string", "number", "boolean"]}}
PATTERN = {"type": "object", "properties": {"journal": JOURNAL_KINDS, "where": WHERE},
           "required": ["journal"], "additionalProperties": False}
ANCHOR = {"type": "object", "properties": {"event": {"type": "string"}, "journal": JOURNAL_KINDS, "where": WHERE,
                                           "at": DATETIME},
          "minProperties": 1, "additionalProperties": False}
POINTS = {"type": ["number", "string"]}
PARTLY_RULE = {"type": "object", "properties": {
    "points": POINTS,
    "if": {"oneOf": [{"enum": ["late", "incomplete"]},
                     {"type": "array", "minItems": 1, "items": {"enum": ["late", "incomplete"]}}]},
    "where": {**WHERE, "description": "avec « journal » : le crédit partiel d'une entrée qui répond à ce "
                                      "« where »-ci (il remplace celui de l'attente) sans répondre à celui de l'attente"}},
    "required": ["points"], "anyOf": [{"required": ["if"]}, {"required": ["where"]}], "additionalProperties": False}
PARTY = {"type": "object", "properties": {"customer": {"type": "string"}, "supplier": {"type": "string"},
                                          "role": {"enum": ["management", "accounting"]}},
         "minProperties": 1, "maxProperties": 1, "additionalProperties": False}
MENTION = {"type": "object", "properties": {
    "order": {"type": "string"}, "invoice": {"type": "string"}, "quote": {"type": "string"},
    "purchase_order": {"type": "string"}, "date": DATE, "amount": AMOUNT,
    "text": {"oneOf": [{"type": "string", "minLength": 1},
                       {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}]}},
    "minProperties": 1, "maxProperties": 1, "additionalProperties": False}
STATUS_LIST = {"oneOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": {"type": "string"}}]}
STATE = {"type": "object", "properties": {
    "invoice": {"type": "string"}, "order": {"type": "string"}, "product": {"type": "string"},
    "customer": {"type": "string"},
    "credit_note": {"type": "object", "properties": {"customer": {"type": "string"}, "invoice": {"type": "string"}},
                    "minProperties": 1, "maxProperties": 1, "additionalProperties": False},
    "status": STATUS_LIST, "amount_due_at_most": AMOUNT, "stock_at_least": AMOUNT, "stock_at_most": AMOUNT,
    "reminder_level_at_least": {"enum": ["courtesy", "first", "phone", "second", "formal_notice", "escalated"]},
    "in_litigation": {"type": "boolean"}, "total_at_most": AMOUNT, "total_at_least": AMOUNT},
    "minProperties": 2, "additionalProperties": False}


def _one_or_more(values) -> dict:
    """One of ``values`` (a list in its order, else a set's or a mapping's keys sorted),
    or a list of them: any of them will do."""
    values = list(values) if isinstance(values, (list, tuple)) else sorted(values)
    return {"oneOf": [{"enum": values}, {"type": "array", "minItems": 1, "items": {"enum": values}}]}


SUPPORT = {"type": "object", "description": "un support de communication publié (sim/communication)", "properties": {
    "kind": _one_or_more(["offer", "newsletter", "invitation", "social_post"]),
    "channel": _one_or_more(["email", "website", "social", "leaflet"]),
    "request": {"type": "string"},
    "segment": {"type": "object", "properties": {
        "status": _one_or_more(["customer", "prospect"]), "kind": _one_or_more(["b2b", "b2c"]),
        "country": {"type": "string"}, "language": _one_or_more(["fr", "en"]),
        "exclude_litigation": {"type": "boolean"},
        "inactive_months_at_least": {"type": "integer", "minimum": 1, "maximum": 60},
        "recipients_at_least": {"type": "integer", "minimum": 1}},
        "minProperties": 1, "additionalProperties": False},
    "within_limits": {"type": "boolean"},
    "language": {"enum": ["fr", "en"]},
    "mentions": {"type": "array", "minItems": 1, "items": MENTION}},
    "minProperties": 1, "additionalProperties": False}


def _dashboard_rule() -> dict:
    from sim.dashboards.pivot import CHARTS, DIMENSIONS, MEASURES, SORTS

    month = {"type": "string", "pattern": r"^\d{4}-\d{2}$"}
    panel = {"type": "object", "description": "un graphique du tableau de bord envoyé : indicateur, axe, "
                                              "répartition, période, tri, type de graphique (une liste : l'un d'eux)",
             "properties": {"measure": _one_or_more(MEASURES), "rows": _one_or_more(DIMENSIONS),
                            "columns": _one_or_more(DIMENSIONS), "from_month": month, "to_month": month,
                            "sort": _one_or_more(SORTS), "chart": _one_or_more(CHARTS)},
             "required": ["measure", "rows"], "additionalProperties": False}
    return {"type": "object", "properties": {"panel": panel,
                                             "commentary_min_words": {"type": "integer", "minimum": 1}},
            "minProperties": 1, "additionalProperties": False}


DASHBOARD = _dashboard_rule()
EXPECTATION = {"type": "object", "properties": {
    "id": ID, "criterion": {"type": "string", "pattern": r"^[a-z-]+/CP\d+/\d+$"},
    "description": {"type": "string", "minLength": 1}, "points": POINTS, "essential": {"type": "boolean"},
    "journal": JOURNAL_KINDS, "where": WHERE,
    "sequence": {"type": "array", "minItems": 2, "items": PATTERN},
    "state": STATE,
    "message": {"type": "object", "properties": {"to": PARTY, "language": {"enum": ["fr", "en"]},
                                                 "mentions": {"type": "array", "minItems": 1, "items": MENTION}},
                "required": ["to"], "additionalProperties": False},
    "support": SUPPORT,
    "dashboard": DASHBOARD,
    "judge": {"const": "evaluator"},
    "evidence": {"type": "array", "minItems": 1, "items": PATTERN},
    "before": ANCHOR, "after": ANCHOR,
    "within": {"type": "object", "properties": {"delay": DELAY, "of": ANCHOR}, "required": ["delay", "of"],
               "additionalProperties": False},
    "count": {"type": "object", "properties": {"min": {"type": "integer", "minimum": 1},
                                               "max": {"type": "integer", "minimum": 1}},
              "minProperties": 1, "additionalProperties": False},
    "never": {"type": "array", "minItems": 1, "items": PATTERN},
    "partly": {"oneOf": [PARTLY_RULE, {"type": "array", "minItems": 1, "items": PARTLY_RULE}]}},
    "required": ["id", "criterion", "description", "points"], "additionalProperties": False}
SCORING_RULE = {"type": "object", "properties": {"essential": {"enum": ["all", "none"]},
                                                 "min_pct": {"type": "number", "minimum": 0, "maximum": 100}},
                "additionalProperties": False}
SCORING = {"type": "object", "description": "règle de synthèse par CP : default, puis CP1..CP8",
           "properties": {"default": SCORING_RULE}, "patternProperties": {"^CP[1-9][0-9]*$": SCORING_RULE},
           "additionalProperties": False}


def event_schema(kind: str) -> dict:
    module = registry()[kind]
    schema = {"type": "object", "properties": {**EVENT_COMMON, **module.PROPERTIES},
              "required": ["id", "kind", *module.REQUIRED], "additionalProperties": False,
              "oneOf": [{"required": ["at"]}, {"required": ["after"]}, {"required": ["when"]},
                        {"required": ["manual"]}]}
    if getattr(module, "ONE_OF", None):  # exactly one of these fields (carrier_incident: order or delivery)
        schema["allOf"] = [{"oneOf": [{"required": fields} for fields in module.ONE_OF]}]
    return schema


def scenario_schema(with_events: bool = True) -> dict:
    event = {"type": "object", "properties": {**EVENT_COMMON, "kind": {"enum": sorted(registry())}},
             "required": ["id", "kind"]}
    if with_events:  # for editors: each kind's own fields
        event["allOf"] = [{"if": {"properties": {"kind": {"const": k}}}, "then": event_schema(k)}
                          for k in sorted(registry())]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://advsim.local/scenario.schema.json",
        "title": "Scénario advsim",
        "type": "object",
        "properties": {
            "id": ID, "title": {"type": "string", "minLength": 1},
            "referential": {"enum": ["assistant-commercial", "conseiller-commercial"]},
            "language": {"enum": ["fr", "en"]},
            "start": DATETIME, "duration_days": {"type": "integer", "minimum": 1, "maximum": 90},
            "speed": {"type": "integer", "minimum": 1, "maximum": 3600,
                      "description": "secondes simulées par seconde réelle"},
            "briefing": {"type": "string", "minLength": 1, "description": "Markdown, montré au candidat"},
            "company": COMPANY,
            "timeline": {"type": "array", "items": event},
            "expectations": {"type": "array", "items": EXPECTATION},
            "scoring": SCORING,
            "notes": {"type": "string", "description": "pour les évaluateurs"},
        },
        "required": ["id", "title", "referential", "start", "duration_days", "briefing", "company", "timeline"],
        "additionalProperties": False,
    }
