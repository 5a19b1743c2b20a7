"""The journal read as French sentences (the staff journal page).

Each kind's sentence is its catalogue title, then what it names (its refs,
with French labels) and its main figures (money and the short texts a reader
needs: reason, subject, comment, status). A kind the catalogue does not know
(an entry written by an older version) still reads: its name stands for the
title. The raw entry stays one click away on the page.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sim.formatting import eur
from sim.journal.catalogue import KINDS

REF_LABELS = {
    "customer": "client", "supplier": "fournisseur", "carrier": "transporteur", "contact": "contact",
    "quote": "devis", "order": "commande", "order_ack": "accusé de réception", "delivery": "livraison",
    "delivery_note": "bon de livraison", "invoice": "facture", "credit_note": "avoir", "payment": "règlement",
    "statement": "relevé", "customer_po": "bon de commande client", "purchase_order": "commande fournisseur",
    "product": "produit", "message": "message", "thread": "fil", "event": "événement", "session": "session",
    "scenario": "scénario", "document": "document", "claim": "réclamation", "reminder": "relance",
    "expectation": "attendu", "receipt": "réception", "criterion": "critère", "cp": "compétence", "address": "adresse",
    "support": "support", "dashboard": "tableau de bord",
    "protest": "protestation", "replacement": "livraison de remplacement", "proforma": "pro forma",
    "order_proforma": "pro forma", "packing_list": "liste de colisage", "carrier_protest": "lettre de protestation",
    "payment_plan": "échéancier", "call": "appel", "reminder_letter": "lettre de relance",
    "formal_notice": "mise en demeure",
}
_TEXTS = ("reason", "subject", "comment", "status", "decision", "channel", "language", "to", "note", "reach",
          "solution", "colleague", "resolution", "address")
_TEXT_LABELS = {"reason": "motif", "subject": "objet", "comment": "commentaire", "status": "statut",
                "decision": "décision", "channel": "canal", "language": "langue", "to": "à", "note": "note",
                "reach": "portée", "solution": "solution", "colleague": "service", "resolution": "résolution",
                "address": "livraison"}
_MONEY_LABELS = {"total_ht": "HT", "total_ttc": "TTC", "total_vat": "TVA", "amount": "montant",
                 "outstanding": "encours", "overdue": "échu", "credit_limit": "plafond", "exposure": "risque",
                 "order_total": "commande", "allowed": "autorisé", "unapplied": "non affecté",
                 "penalties": "pénalités", "indemnity": "indemnité", "total": "total", "recommended_limit": "limite conseillée"}


def _money(value) -> str | None:
    try:
        return eur(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _short(value, limit: int = 80) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def sentence(kind: str, refs: dict | None, payload: dict | None) -> str:
    """One line saying what the entry records, in French."""
    known = KINDS.get(kind)
    title = known.title if known else kind
    refs, payload = refs or {}, payload or {}
    named = [f"{REF_LABELS.get(key, key.replace('_', ' '))} {_short(value, 40)}"
             for key, value in refs.items() if value not in (None, "")]
    figures = []
    types = known.payload if known else {}
    for key, value in payload.items():
        if value in (None, "", [], {}):
            continue
        if types.get(key, "").startswith("money") and (shown := _money(value)):
            figures.append(f"{_MONEY_LABELS.get(key, key.replace('_', ' '))} {shown}")
        elif key in _TEXTS and isinstance(value, (str, int)):
            figures.append(f"{_TEXT_LABELS[key]} : « {_short(value)} »")
        if len(figures) == 4:
            break
    text = title
    if named:
        text += " — " + ", ".join(named)
    if figures:
        text += " (" + " ; ".join(figures) + ")"
    return text
