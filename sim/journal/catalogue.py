"""Every kind of journal entry: its version, its refs and its payload fields.

The journal is what the evaluator scores, so its entries have a fixed shape.
Refs name things by business key (document numbers, product references,
customer and supplier codes, payment and message numbers, the scenario's event
keys): two candidates' copies of one scenario differ in database ids, never in
these. ``advsim journal kinds`` prints this catalogue; the scenario linter
checks ``when: {journal: KIND}`` against it; a test validates every entry the
services write.

Field types: ``text``, ``key`` (a business key), ``money``/``decimal``
(exact decimals, written as strings), ``date``, ``datetime``, ``int``,
``bool``, ``list``, ``dict``; a trailing ``?`` admits null.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

DOCUMENT_REFS = ("quote", "order_ack", "delivery_note", "invoice", "credit_note", "statement", "customer_po",
                 "proforma", "order_proforma", "packing_list", "carrier_protest",
                 "reminder_letter", "formal_notice")


@dataclass(frozen=True)
class Kind:
    name: str
    title: str  # what happened, in French, for the trainers' and evaluators' pages
    refs: tuple[str, ...] = ()  # always there
    optional_refs: tuple[str, ...] = ()
    payload: dict[str, str] = field(default_factory=dict)  # field -> type
    optional: tuple[str, ...] = ()  # payload fields that may be absent
    version: int = 1


def _kinds(*kinds: Kind) -> dict[str, Kind]:
    return {kind.name: kind for kind in kinds}


_DOC = ("customer",)
_FIGURES = {"outstanding": "money", "order_total": "money", "credit_limit": "money", "allowed": "money",
            "stock": "list"}
_TOTALS = {"total_ht": "money", "total_vat": "money", "total_ttc": "money"}
_MESSAGE_REFS = ("customer", "supplier", "thread", "event")
# freight, insurance and (DDP) import duties lines a quote or an order carries (sim/shipping/freight.py)
_TRANSPORT = {"freight": "money", "insurance": "money", "freight_included": "bool", "transport_mode": "text",
              "duties": "money"}  # duties: the import duties and taxes the seller pays under DDP

KINDS: dict[str, Kind] = _kinds(
    # --- the company -----------------------------------------------------
    Kind("workspace.seeded", "Entreprise générée",
         payload={"name": "text", "seed": "int", "counts": "dict", "sim_date": "date"}),
    # --- copies of a prepared workspace (sim/workspace/copy.py) -----------
    Kind("workspace.copied", "Espace copié d'un modèle préparé", optional_refs=("scenario",),
         payload={"name": "text", "seed": "int?", "entries": "int", "template_head": "text"}),
    Kind("company.delegation_set", "Délégation du candidat fixée",
         payload={"max_discount_pct": "decimal", "max_credit_overrun_pct": "decimal",
                  "max_payment_plan_months": "int", "max_gesture_pct": "decimal"}, optional=("max_gesture_pct",)),
    Kind("company.vat_on_debits_set", "Option pour la TVA d'après les débits fixée", payload={"opted": "bool"}),
    Kind("customer.created", "Client créé", refs=("customer",),
         payload={"name": "text", "kind": "text", "country": "text", "language": "text", "payment_terms": "text",
                  "credit_limit": "money", "risk_rating": "text", "in_litigation": "bool",
                  # the record form's (sim/crm/records.py): a prospect or a customer, identifiers, billing address
                  "status": "text", "siren": "text", "siret": "text", "vat_number": "text", "address": "text"},
         optional=("status", "siren", "siret", "vat_number", "address")),
    Kind("customer.account_viewed", "Compte client consulté", refs=("customer",),
         payload={"outstanding": "money", "overdue": "money", "credit_limit": "money", "exposure": "money"},
         optional=("exposure",)),
    Kind("call.logged", "Appel noté", refs=("call", "customer"),
         payload={"direction": "text", "subject": "text", "note": "text", "contact": "text"},
         optional=("contact",)),
    # --- phone calls with oral evidence (sim/calls/service.py) -------------------
    # voice: "espeak-ng" (read from the scenario's text) or "recording" (a file the trainer supplied)
    Kind("call.received", "Appel d'un client reçu", refs=("call", "customer"), optional_refs=("event",),
         payload={"subject": "text", "language": "text", "text": "text", "voice": "text", "voice_file": "text",
                  "callback": "text"}),
    Kind("call.listened", "Appel écouté", refs=("call", "customer"), optional_refs=("event",),
         payload={"received_at": "datetime"}),
    # mode: "recording" (the candidate's voice, with recording and duration_s) or "summary" (typed, no microphone)
    Kind("call.answered", "Réponse orale à un appel", refs=("call", "customer", "message"), optional_refs=("event",),
         payload={"mode": "text", "summary": "text", "language": "text", "answered_after_s": "int",
                  "recording": "text", "duration_s": "int", "detected_language": "text?", "flagged_words": "list",
                  "grammar_flags": "list"},
         optional=("recording", "duration_s", "detected_language", "flagged_words", "grammar_flags")),
    # --- claims (sim/crm/claims.py): received → analysed → proposed / escalated → accepted / refused → closed
    Kind("claim.received", "Réclamation reçue", refs=("claim", "customer"),
         optional_refs=("invoice", "order", "message", "event"),
         payload={"category": "text", "subject": "text", "description": "text", "channel": "text",
                  "language": "text", "respond_by": "date?"}),
    Kind("claim.analysed", "Réclamation analysée", refs=("claim", "customer"), optional_refs=("invoice", "order", "event"),
         payload={"analysis": "text"}),
    Kind("claim.solution_proposed", "Solution proposée au client", refs=("claim", "customer"),
         optional_refs=("invoice", "order", "event"),
         payload={"solution": "text", "amount": "money", "pct": "decimal", "note": "text",
                  "within_delegation": "bool", "on_time": "bool", "respond_by": "date?",
                  "management_approved": "bool"}, optional=("management_approved",)),
    Kind("claim.escalated", "Réclamation transmise à la direction", refs=("claim", "customer", "message"),
         optional_refs=("invoice", "order", "event"), payload={"message": "text"}),
    # management's answer to an escalated claim: approved / approved_with_conditions / refused (sim/crm/claims.decide)
    Kind("claim.management_decided", "Décision de la direction sur une réclamation",
         refs=("claim", "customer", "message"), optional_refs=("invoice", "order", "event"),
         payload={"decision": "text", "comment": "text"}),
    Kind("claim.colleague_alerted", "Collègue alerté d'une réclamation", refs=("claim", "customer", "message"),
         optional_refs=("invoice", "order", "event"), payload={"colleague": "text", "text": "text"}),
    Kind("claim.accepted", "Solution acceptée par le client", refs=("claim", "customer"),
         optional_refs=("invoice", "order", "event"),
         payload={"note": "text", "solution": "text", "credit_note": "key"}, optional=("credit_note",)),
    Kind("claim.refused", "Solution refusée par le client", refs=("claim", "customer"),
         optional_refs=("invoice", "order", "event"), payload={"note": "text", "solution": "text"}),
    Kind("claim.closed", "Réclamation clôturée", refs=("claim", "customer"), optional_refs=("invoice", "order", "event"),
         payload={"resolution": "text", "outcome": "text", "days_open": "int"}),
    # --- customer records (sim/crm/records.py) ------------------------------
    # changes: {field: {"old": text, "new": text}}; reason: who asked and why
    # (required when terms, method, credit limit, risk rating or litigation change)
    # message / event: the request the update answers (opened from that message), its number and the
    # scenario event that delivered it — "le fichier client est mis à jour après la demande"
    Kind("customer.updated", "Fiche client modifiée", refs=("customer",), optional_refs=("message", "event"),
         payload={"changes": "dict", "reason": "text"}),
    Kind("customer.credit_limit_changed", "Plafond d'encours modifié", refs=("customer",),
         optional_refs=("message", "event"), payload={"old": "money", "new": "money", "reason": "text"}),
    Kind("contact.added", "Contact ajouté", refs=("customer",),
         payload={"name": "text", "job_title": "text", "email": "text", "phone": "text", "is_primary": "bool"}),
    Kind("contact.updated", "Contact modifié", refs=("customer",), payload={"name": "text", "changes": "dict"}),
    Kind("delivery_address.added", "Adresse de livraison ajoutée", refs=("customer", "address"),
         payload={"label": "text", "address": "text", "is_default": "bool"}),
    Kind("delivery_address.updated", "Adresse de livraison modifiée", refs=("customer", "address"),
         payload={"changes": "dict"}),
    Kind("meeting.logged", "Rendez-vous noté", refs=("message", "customer"),
         payload={"direction": "text", "subject": "text", "text": "text", "contact": "text"}, optional=("contact",)),
    Kind("note.logged", "Note ajoutée à la fiche client", refs=("message", "customer"),
         payload={"subject": "text", "text": "text", "contact": "text"}, optional=("contact",)),
    Kind("supplier.created", "Fournisseur créé", refs=("supplier",),
         payload={"name": "text", "country": "text", "lead_time_days": "int"}),
    Kind("supplier.prices_raised", "Hausse de tarif fournisseur", refs=("supplier",),
         payload={"percent": "decimal", "effective": "text?", "products": "list"}),
    Kind("product.created", "Produit créé", refs=("product",), optional_refs=("supplier",),
         payload={"name": "text", "price_ht": "money", "vat_rate": "decimal", "unit": "text",
                  "lead_time_days": "int"}),
    Kind("stock.received", "Entrée en stock", refs=("product",),
         payload={"quantity": "decimal", "reason": "text", "stock_on_hand": "decimal"}),
    Kind("stock.adjusted", "Écart d'inventaire", refs=("product",),
         payload={"quantity": "decimal", "reason": "text", "stock_on_hand": "decimal"}),
    # --- quotes and orders -----------------------------------------------
    Kind("quote.created", "Devis établi", refs=("quote", "customer"),
         payload={"lines": "list", "global_discount_pct": "decimal", **_TOTALS, "valid_until": "date",
                  "payment_terms": "text", "incoterm": "text", "incoterm_place": "text", **_TRANSPORT},
         optional=tuple(_TRANSPORT)),
    Kind("quote.sent", "Devis envoyé", refs=("quote", "customer"), payload={"total_ttc": "money"}),
    Kind("quote.accepted", "Devis accepté par le client", refs=("quote", "customer"), payload={"total_ttc": "money"}),
    Kind("quote.refused", "Devis refusé par le client", refs=("quote", "customer"),
         payload={"total_ttc": "money", "reason": "text"}, version=2),
    Kind("order.created", "Commande saisie", refs=("order", "customer"), optional_refs=("quote",),
         payload={"lines": "list", "customer_po": "text", "total_ht": "money", "total_ttc": "money",
                  "incoterm": "text", "incoterm_place": "text", **_TRANSPORT},
         optional=("incoterm", "incoterm_place", *_TRANSPORT)),
    Kind("order.blocked", "Commande bloquée", refs=("order", "customer"),
         payload={"reason_code": "text", "reason": "text", **_FIGURES, "open_orders": "money"},
         optional=("open_orders",)),
    Kind("order.confirmed", "Commande confirmée", refs=("order", "customer"),
         payload={**_FIGURES, "open_orders": "money", "promised_date": "date"}, optional=("open_orders",)),
    Kind("order.approval_requested", "Accord de la direction demandé", refs=("order", "customer"),
         payload={"message": "text", "reason": "text"}),
    Kind("order.approved", "Commande débloquée par la direction", refs=("order", "customer"),
         payload={"comment": "text", "promised_date": "date", "stock": "list"}),
    # --- corrections and management decisions (sim/sales/corrections.py) ---
    Kind("quote.updated", "Devis brouillon modifié", refs=("quote", "customer"),
         payload={"lines": "list", "global_discount_pct": "decimal", **_TOTALS, "incoterm": "text",
                  "incoterm_place": "text"}),
    Kind("quote.deleted", "Devis brouillon supprimé", refs=("quote", "customer"),
         payload={"lines": "list", "total_ttc": "money"}),
    Kind("quote.cancelled", "Devis annulé", refs=("quote", "customer"),
         payload={"reason": "text", "previous_status": "text", "total_ttc": "money"}),
    Kind("order.updated", "Commande brouillon modifiée", refs=("order", "customer"),
         payload={"lines": "list", "customer_po": "text", "global_discount_pct": "decimal", "total_ht": "money",
                  "total_ttc": "money"}),
    Kind("order.deleted", "Commande brouillon supprimée", refs=("order", "customer"), optional_refs=("quote",),
         payload={"lines": "list", "customer_po": "text", "total_ttc": "money"}),
    Kind("order.cancelled", "Commande annulée", refs=("order", "customer"),
         payload={"reason": "text", "previous_status": "text", "released": "list", "total_ttc": "money"}),
    Kind("order.delivery_address_chosen", "Adresse de livraison de la commande choisie",
         refs=("order", "customer"), optional_refs=("address",),
         payload={"address": "text", "previous": "text", "label": "text"}, optional=("label",)),
    Kind("quote.delivery_address_chosen", "Adresse de livraison du devis choisie",
         refs=("quote", "customer"), optional_refs=("address",),
         payload={"address": "text", "previous": "text", "label": "text"}, optional=("label",)),
    Kind("order.modified", "Commande confirmée modifiée avant expédition", refs=("order", "customer"),
         payload={"old_lines": "list", "new_lines": "list", "old_total_ttc": "money", "new_total_ttc": "money",
                  "old_promised_date": "date?", "new_promised_date": "date?", "previous_status": "text",
                  "status": "text", "released": "list", "stock": "list"}),
    Kind("order.approval_decided", "Décision de la direction sur une commande bloquée", refs=("order", "customer"),
         payload={"decision": "text", "comment": "text", "promised_date": "date?", "stock": "list"}),
    # --- deliveries and purchasing ------------------------------------------
    Kind("delivery.shipped", "Livraison expédiée", refs=("delivery", "order", "customer"),
         payload={"lines": "list", "backorder": "list", "carrier": "text", "tracking_number": "text",
                  "ship_date": "date", "promised_date": "date?", "late": "bool"}),
    Kind("delivery.incident", "Incident transporteur", refs=("delivery", "order", "customer"),
         payload={"incident": "text", "new_date": "date?", "lines": "list"}, optional=("lines",)),
    Kind("purchase_order.created", "Commande fournisseur saisie (brouillon)", refs=("purchase_order", "supplier"),
         payload={"lines": "list", "requested_date": "date", "total_ht": "money"}),
    # --- shipping (sim/shipping/service.py) -----------------------------------
    Kind("delivery.booked", "Enlèvement réservé chez le transporteur", refs=("delivery", "order", "customer"),
         payload={"carrier": "text", "service": "text", "transport_mode": "text", "pickup_date": "date",
                  "parcels": "int", "weight_kg": "decimal", "freight_cost": "money", "tracking_number": "text"}),
    Kind("delivery.tracked", "Suivi transporteur d'une livraison", refs=("delivery", "order", "customer"),
         payload={"event": "text", "event_date": "date", "location": "text", "note": "text", "lines": "list"}),
    Kind("delivery.received", "Réception client enregistrée (preuve de livraison, réserves)",
         refs=("delivery", "order", "customer"),
         payload={"received_date": "date", "received_by": "text", "proof_of_delivery": "text", "reserves": "text",
                  "with_reserves": "bool", "lines": "list", "protest_deadline": "date?", "transport_proof": "bool"}),
    Kind("carrier.protest_sent", "Protestation motivée envoyée au transporteur (C. com. L133-3)",
         refs=("delivery", "order", "customer", "protest"),
         payload={"carrier": "text", "sent_date": "date", "received_date": "date", "deadline": "date",
                  "on_time": "bool", "lines": "list", "claimed_amount": "money", "facts": "text"}),
    Kind("delivery.replacement_shipped", "Remplacement expédié (marchandise endommagée ou perdue)",
         refs=("delivery", "replacement", "order", "customer"),
         payload={"lines": "list", "carrier": "text", "tracking_number": "text", "ship_date": "date"}),
    Kind("purchase_order.sent", "Commande fournisseur passée", refs=("purchase_order", "supplier"),
         optional_refs=("message",),
         payload={"requested_date": "date", "total_ht": "money", "filename": "text", "sha256": "text"},
         optional=("filename", "sha256")),
    Kind("purchase_order.acknowledged", "Accusé de réception fournisseur (ARC) enregistré",
         refs=("purchase_order", "supplier"),
         payload={"requested_date": "date", "confirmed_date": "date", "days_late": "int", "note": "text"}),
    Kind("purchase_order.reminded", "Fournisseur relancé", refs=("purchase_order", "supplier", "message"),
         payload={"expected_date": "date", "acknowledged": "bool", "reminder": "int"}),
    Kind("purchase_order.rescheduled", "Nouvelle date négociée avec le fournisseur",
         refs=("purchase_order", "supplier"),
         payload={"previous_date": "date", "new_date": "date", "reason": "text", "days_late": "int"}),
    Kind("purchase_order.received", "Réception fournisseur enregistrée",
         refs=("purchase_order", "supplier", "receipt"),
         payload={"lines": "list", "complete": "bool", "remaining": "list", "allocated": "list", "note": "text",
                  "receipt_date": "date"}),
    Kind("order.repromised", "Nouvelle date promise au client", refs=("order", "customer"),
         payload={"previous_date": "date?", "new_date": "date", "achievable_date": "date?", "reason": "text"}),
    Kind("order.substitute_proposed", "Produit de remplacement proposé au client",
         refs=("order", "customer", "product", "message"),
         payload={"replaces": "text", "quantity": "decimal", "available": "decimal", "price_ht": "money"}),
    Kind("product.position_viewed", "Position de stock consultée (disponible, à recevoir)", refs=("product",),
         payload={"on_hand": "decimal", "reserved": "decimal", "available": "decimal", "incoming": "decimal"}),
    Kind("purchase_order.delayed", "Retard fournisseur annoncé", refs=("purchase_order", "supplier"),
         payload={"previous_date": "date", "new_date": "date", "reason": "text", "days_late": "int"}),
    # --- billing and payments ----------------------------------------------
    Kind("invoice.issued", "Facture émise", refs=("invoice", "delivery", "order", "customer"),
         payload={"issue_date": "date", "due_date": "date", "payment_terms": "text", **_TOTALS,
                  "vat_by_rate": "dict", "lines": "list"}),
    Kind("credit_note.issued", "Avoir émis", refs=("credit_note", "invoice", "customer"),
         payload={"reason": "text", **_TOTALS, "invoice_amount_due": "money", "customer_credit": "money",
                  "basis": "text", "motive": "text", "lines": "list"},
         optional=("basis", "motive", "lines")),  # basis: quantity | return | amount
    # the e-invoicing platform's status of an invoice (sim/billing/einvoice.py); code: the reform's (200, 202, 210, 212)
    Kind("invoice.einvoice_status", "Statut de facture électronique transmis par la plateforme",
         refs=("invoice", "customer"), optional_refs=("event",),
         payload={"status": "text", "code": "text", "previous": "text", "reason": "text"}),
    Kind("credit_note.einvoice_status", "Statut d'avoir électronique transmis par la plateforme",
         refs=("credit_note", "invoice", "customer"), optional_refs=("event",),
         payload={"status": "text", "code": "text", "previous": "text", "reason": "text"}),
    Kind("payment.recorded", "Règlement enregistré", refs=("payment", "customer"),
         payload={"amount": "money", "method": "text", "received_on": "date", "reference": "text",
                  "allocations": "list", "excess": "money"}, optional=("excess",)),  # excess: left as a credit
    # --- customer credits (credit notes' and payments' unapplied parts) ------
    Kind("credit.allocated", "Crédit client imputé sur une facture", refs=("customer", "invoice"),
         optional_refs=("credit_note", "payment"),
         payload={"amount": "money", "credit_left": "money", "invoice_amount_due": "money"}),
    Kind("credit.refunded", "Crédit client remboursé", refs=("customer",), optional_refs=("credit_note", "payment"),
         payload={"amount": "money", "method": "text", "reference": "text", "credit_left": "money"}),
    Kind("payment.rejected", "Règlement rejeté par la banque", refs=("invoice", "customer"),
         optional_refs=("payment",), payload={"reason": "text", "amount": "money?", "amount_due": "money"}),
    Kind("payment.not_received", "Règlement attendu non reçu", refs=("invoice", "event"),
         payload={"due_date": "date", "amount_due": "money"}),
    # --- recovery (sim/receivables/recovery.py, plans.py): "reminder" is REL-<customer>-<n>, one action ---
    Kind("recovery.procedure_set", "Procédure de relance de l'entreprise fixée", payload={"steps": "list"}),
    Kind("reminder.sent", "Relance faite", refs=("customer", "reminder"), optional_refs=("invoice",),
         payload={"level": "text", "channel": "text", "invoices": "list", "amount_due": "money", "credit": "money",
                  "document": "text", "message": "text", "call": "text", "promised_date": "date?",
                  "promised_amount": "money?", "penalties": "money", "indemnity": "money", "deadline_days": "int",
                  "rate": "decimal", "claims": "list"},
         optional=("message", "call", "promised_date", "promised_amount", "penalties", "indemnity",
                   "deadline_days", "rate", "claims")),
    Kind("promise.broken", "Promesse de règlement non tenue", refs=("invoice", "customer", "reminder"),
         optional_refs=("event",),
         payload={"promised_date": "date", "promised_amount": "money?", "amount_due": "money"}),
    Kind("penalty_invoice.issued", "Facture de pénalités de retard émise (sans TVA)", refs=("invoice", "customer"),
         payload={"total": "money", "penalties": "money", "indemnity": "money", "invoices": "list", "lines": "list"}),
    Kind("invoice.dispute_flagged", "Facture signalée contestée : relances suspendues", refs=("invoice", "customer"),
         optional_refs=("event",),
         payload={"reason": "text", "withhold_payment": "bool", "amount_due": "money"}),
    Kind("invoice.dispute_cleared", "Contestation de facture levée : relances reprises", refs=("invoice", "customer"),
         payload={"resolution": "text", "amount_due": "money"}),
    Kind("customer.litigation_transferred", "Client transmis au contentieux (commandes bloquées, direction alertée)",
         refs=("customer", "message"), payload={"amount_due": "money", "invoices": "list", "note": "text"}),
    Kind("payment_plan.agreed", "Échéancier accordé dans la délégation", refs=("payment_plan", "customer"),
         payload={"months": "int", "max_months": "int", "total": "money", "invoices": "list",
                  "penalties_waived": "bool", "instalments": "list", "note": "text"}),
    Kind("payment_plan.approval_requested", "Échéancier au-delà de la délégation : accord de la direction demandé",
         refs=("payment_plan", "customer", "message"),
         payload={"months": "int", "max_months": "int", "total": "money", "invoices": "list",
                  "penalties_waived": "bool", "instalments": "list", "note": "text"}),
    Kind("payment_plan.decided", "Décision de la direction sur un échéancier", refs=("payment_plan", "customer"),
         optional_refs=("event",),
         payload={"decision": "text", "comment": "text", "months": "int", "total": "money"}),
    Kind("credit_report.consulted", "Solvabilité du client consultée (rapport de crédit)", refs=("customer",),
         payload={"agency": "text", "as_of": "date", "score": "int", "incidents": "list",
                  "recommended_limit": "money", "credit_limit": "money"}),
    # --- documents and messages --------------------------------------------
    Kind("document.generated", "Document imprimé et conservé", refs=_DOC, optional_refs=DOCUMENT_REFS,
         payload={"document": "text", "filename": "text", "sha256": "text", "bytes": "int"}),
    Kind("document.viewed", "Document ouvert (PDF)", refs=_DOC, optional_refs=DOCUMENT_REFS,
         payload={"document": "text", "filename": "text", "version": "text"}),
    # --- folders (sim/documents/filing.py): "document" is the document's number ---
    Kind("document.filed", "Document classé dans un dossier", refs=("document", "customer"),
         optional_refs=("order", "message"),
         payload={"doc_type": "text", "version": "int", "filename": "text", "folder": "text", "source": "text",
                  "note": "text", "sha256": "text", "corrects_version": "int"}, optional=("corrects_version",)),
    Kind("document.passed_on", "Document transmis à un collègue", refs=("document", "customer", "message"),
         optional_refs=("order",),
         payload={"doc_type": "text", "version": "int", "filename": "text", "to_role": "text", "to": "text",
                  "note": "text"}),
    Kind("message.received", "Courriel reçu", refs=("message",), optional_refs=_MESSAGE_REFS,
         payload={"role": "text", "language": "text", "subject": "text", "from": "text", "name": "text",
                  "attachments": "list"}),
    Kind("message.read", "Courriel lu", refs=("message",), optional_refs=_MESSAGE_REFS,
         payload={"subject": "text", "received_at": "datetime", "role": "text"}),
    # detected_language (lingua, fr/en or null), language_confidence, mixed_languages and the words the
    # spelling aid flagged and the grammar aid's flags (French, Grammalecte: [{text, rule, message}])
    # (sim/writing): the machine flags, the evaluator judges
    Kind("message.sent", "Courriel envoyé", refs=("message",), optional_refs=(*_MESSAGE_REFS, "reply_to"),
         payload={"to_role": "text", "to": "text", "language": "text", "subject": "text", "text": "text",
                  "attachments": "list", "detected_language": "text?", "language_confidence": "decimal",
                  "mixed_languages": "bool", "flagged_words": "list", "grammar_flags": "list"},
         optional=("detected_language", "language_confidence", "mixed_languages", "flagged_words",
                   "grammar_flags")),
    # --- live exam sessions: the clock and the candidate (sim/exam) ----------
    Kind("session.started", "Épreuve commencée", refs=("session",),
         payload={"title": "text", "speed": "int", "mode": "text"}),
    Kind("session.paused", "Épreuve mise en pause", refs=("session",)),
    Kind("session.resumed", "Épreuve reprise", refs=("session",)),
    Kind("session.speed_changed", "Vitesse de l'horloge changée", refs=("session",),
         payload={"previous": "int", "speed": "int"}),
    Kind("session.jumped", "Horloge avancée à l'événement suivant", refs=("session",),
         payload={"previous": "datetime", "to": "datetime"}),
    Kind("session.ended", "Épreuve terminée : journal scellé", refs=("session",),
         payload={"entries": "int", "reason": "text"}),
    Kind("session.event_released", "Événement déclenché par le formateur", refs=("session",),
         payload={"event": "text"}),
    Kind("candidate.held", "Candidat mis en pause", refs=("session",), payload={"reason": "text"}),
    Kind("candidate.released", "Candidat repris", refs=("session",)),
    Kind("candidate.extra_time", "Temps supplémentaire accordé", refs=("session",),
         payload={"minutes": "int", "total_minutes": "int", "reason": "text"}),
    # --- scenario events ----------------------------------------------------
    Kind("scenario.installed", "Scénario installé", refs=("scenario",),
         payload={"title": "text", "start": "datetime", "events": "int"}),
    Kind("scenario.event_fired", "Événement du scénario", refs=("event",),
         payload={"kind": "text", "due_at": "datetime?"}),
    Kind("scenario.event_failed", "Événement du scénario en échec", refs=("event",),
         payload={"kind": "text", "error": "text"}),
    Kind("management.request_received", "Demande de la direction", refs=("event",),
         payload={"subject": "text", "due": "text", "objective": "text"}, optional=("objective",)),
    Kind("communication.requested", "Support de communication demandé par la direction", refs=("event",),
         payload={"subject": "text", "objective": "text", "target": "text", "channels": "list", "due": "text"}),
    # --- communication supports (sim/communication/service.py, consents.py) ---
    Kind("customer.consents_changed", "Consentements RGPD du client modifiés", refs=("customer",),
         payload={"changes": "dict", "source": "text"}),
    Kind("support.drafted", "Support de communication commencé", refs=("support",), optional_refs=("event",),
         payload={"kind": "text", "channel": "text", "title": "text"}),
    Kind("support.saved", "Support de communication enregistré", refs=("support",), optional_refs=("event",),
         payload={"kind": "text", "channel": "text", "title": "text", "changed": "list", "revision": "int"}),
    Kind("support.published", "Support de communication publié", refs=("support",), optional_refs=("event",),
         payload={"kind": "text", "channel": "text", "title": "text", "objective": "text", "text": "text",
                  "filters": "dict", "purpose": "text", "matched": "int", "recipients": "int", "excluded": "dict",
                  "reach": "int", "advice_not_met": "list", "within_limits": "bool", "language": "text",
                  "customers": "list", "flagged_words": "list"}, optional=("flagged_words",)),
    # --- dashboards (sim/dashboards/service.py) -------------------------------
    # a panel's spec: measure, rows, columns (or ""), from_month/to_month (YYYY-MM), sort, compare, chart, filters
    Kind("dashboard.created", "Tableau de bord créé", refs=("dashboard",),
         payload={"title": "text", "objective": "text"}),
    Kind("dashboard.panel_added", "Graphique ajouté au tableau de bord", refs=("dashboard",),
         payload={"panel": "int", "title": "text", "measure": "text", "rows": "text", "columns": "text",
                  "from_month": "text", "to_month": "text", "sort": "text", "compare": "text", "chart": "text",
                  "filters": "dict", "total": "decimal?", "rows_count": "int"}),
    Kind("dashboard.panel_removed", "Graphique retiré du tableau de bord", refs=("dashboard",),
         payload={"panel": "int", "title": "text"}),
    Kind("dashboard.commented", "Commentaire du tableau de bord rédigé", refs=("dashboard",),
         payload={"text": "text", "words": "int"}),
    Kind("dashboard.refreshed", "Tableau de bord actualisé", refs=("dashboard",),
         payload={"panels": "int", "totals": "list"}),
    Kind("dashboard.exported", "Tableau de bord exporté", refs=("dashboard",), payload={"format": "text"}),
    Kind("dashboard.sent", "Tableau de bord envoyé", refs=("dashboard", "message"),
         payload={"to_role": "text", "title": "text", "filename": "text", "commentary": "text", "panels": "list"}),
    Kind("trade_show.announced", "Salon annoncé", refs=("event",),
         payload={"name": "text", "date": "text", "place": "text", "budget": "text", "objectives": "list"}),
    # --- commercial action projects, CP7 (sim/projects/service.py) ------------------
    Kind("project.created", "Action commerciale créée", refs=("project",), optional_refs=("event",),
         payload={"kind": "text", "name": "text", "place": "text", "date": "date", "budget": "money",
                  "objectives": "list", "checklist": "list"}),
    Kind("project.objectives_edited", "Objectifs de l'action modifiés", refs=("project",),
         payload={"objectives": "list"}),
    Kind("project.checklist_item_added", "Élément ajouté à la check-list", refs=("project",),
         payload={"item": "int", "label": "text"}),
    Kind("project.checklist_item_edited", "Élément de la check-list modifié", refs=("project",),
         payload={"item": "int", "label": "text", "done": "bool"}),
    Kind("project.checklist_item_removed", "Élément retiré de la check-list", refs=("project",),
         payload={"item": "int", "label": "text"}),
    Kind("project.task_added", "Tâche planifiée", refs=("project",),
         payload={"task": "int", "title": "text", "owner": "text", "start": "date", "due": "date",
                  "status": "text", "depends_on": "list"}),
    Kind("project.task_edited", "Tâche replanifiée", refs=("project",),
         payload={"task": "int", "title": "text", "owner": "text", "start": "date", "due": "date",
                  "status": "text", "depends_on": "list"}),
    Kind("project.task_status_set", "Avancement d'une tâche noté", refs=("project",),
         payload={"task": "int", "title": "text", "status": "text", "late": "bool"}),
    Kind("project.quote_received", "Devis fournisseur reçu", refs=("event",),
         payload={"supplier": "text", "post": "text", "label": "text", "amount_ht": "money",
                  "valid_until": "date?"}),
    Kind("project.quote_accepted", "Devis fournisseur retenu au budget", refs=("project",), optional_refs=("event",),
         payload={"supplier": "text", "post": "text", "amount_ht": "money", "planned_total": "money",
                  "budget": "money", "over_budget": "bool"}),
    Kind("project.cost_added", "Ligne de budget ajoutée", refs=("project",),
         payload={"post": "text", "label": "text", "planned": "money", "actual": "money?",
                  "planned_total": "money", "budget": "money", "over_budget": "bool"}),
    Kind("project.cost_actual_set", "Dépense réelle notée", refs=("project",),
         payload={"post": "text", "label": "text", "actual": "money", "actual_total": "money"}),
    Kind("project.review_recorded", "Bilan de l'action enregistré", refs=("project",),
         payload={"leads": "int", "orders": "int", "cost": "money", "cost_per_lead": "money?", "notes": "text"}),
    Kind("project.sent", "Dossier de l'action (check-list, planning, budget) envoyé à la direction",
         refs=("project", "message"),
         payload={"to_role": "text", "filename": "text", "items": "int", "required_missing": "list",
                  "order_problems": "list", "tasks": "int", "undated_tasks": "list", "planned_total": "money",
                  "actual_total": "money", "budget": "money", "over_budget": "bool", "posts": "list",
                  "accepted_quotes": "list"}),
    # --- the evaluator's judgements (sim/evaluation/judgements.py): signed entries of the evaluator in the
    # candidate's journal, written after the seal too; the engine ignores them, verdicts.final() reads them.
    # An override names exactly one of expectation / criterion / cp; points only for an expectation.
    Kind("evaluation.judged", "Attente jugée par l'évaluateur", refs=("expectation",),
         payload={"criterion": "text", "status": "text", "points": "decimal", "max_points": "decimal",
                  "comment": "text"}),
    Kind("evaluation.overridden", "Verdict automatique corrigé par l'évaluateur",
         optional_refs=("expectation", "criterion", "cp"),
         payload={"previous": "text", "status": "text", "points": "decimal?", "comment": "text"}),
    Kind("evaluation.validated", "Verdict de la compétence validé par l'évaluateur", refs=("cp",),
         payload={"verdict": "text", "points": "decimal", "max_points": "decimal", "comment": "text"},
         optional=("comment",)),
    Kind("trade_show.visitors_arrived", "Visiteurs au stand", refs=("event",), payload={"visitors": "list"}),
    # --- the stand (sim/tradeshow, CP8): a visitor's arrival, welcome, questions and answers, contact form
    Kind("trade_show.visitor_arrived", "Visiteur arrivé au stand", refs=("visitor", "event"),
         payload={"name": "text", "company": "text", "language": "text", "need": "text", "facts": "list"}),
    Kind("trade_show.visitor_welcomed", "Visiteur accueilli", refs=("visitor",),
         payload={"language": "text", "live": "bool"}),
    Kind("trade_show.visitor_answered", "Réponse au visiteur", refs=("visitor",),
         payload={"text": "text", "question": "text", "fact": "text", "product": "text", "expected": "text",
                  "reliable": "bool?", "detected_language": "text?", "recording": "text", "duration_s": "int"},
         optional=("detected_language", "recording", "duration_s")),
    Kind("trade_show.visitor_line", "Réplique du visiteur (jouée par l'évaluateur)", refs=("visitor",),
         payload={"text": "text"}),
    Kind("trade_show.contact_saved", "Fiche contact du salon enregistrée", refs=("visitor", "customer"),
         payload={"company": "text", "name": "text", "job_title": "text", "email": "text", "phone": "text",
                  "language": "text", "need": "text", "products": "list", "documentation": "text",
                  "follow_up": "text", "follow_up_on": "date", "consent": "list", "retention_months": "int?",
                  # checked against the visitor's scripted profile (sim/tradeshow/service.py, ``mismatches``)
                  "mismatches": "list", "accurate": "bool", "consent_recorded": "bool"},
         optional=("mismatches", "accurate", "consent_recorded")),
    Kind("trade_show.handed_over", "Contact du salon passé au commercial", refs=("visitor", "customer", "message"),
         payload={"sales_rep": "text", "follow_up": "text", "follow_up_on": "date"}),
)

_ID_KEY = re.compile(r"(^id$|_id$|_ids$)")


def kind(name: str) -> Kind:
    return KINDS[name]


def matching(pattern: str) -> list[str]:
    """The kinds a ``when: {journal: PATTERN}`` trigger can match (``*`` wildcards)."""
    return [name for name in KINDS if fnmatch.fnmatchcase(name, pattern)]


def _type_ok(value, type_name: str) -> bool:
    if type_name.endswith("?"):
        if value is None:
            return True
        type_name = type_name[:-1]
    if type_name in ("text", "key"):
        return isinstance(value, str)
    if type_name in ("money", "decimal"):
        if not isinstance(value, str):
            return False
        try:
            return Decimal(value).is_finite()
        except InvalidOperation:
            return False
    if type_name == "date":
        return isinstance(value, str) and _parses(date.fromisoformat, value)
    if type_name == "datetime":
        return isinstance(value, str) and _parses(datetime.fromisoformat, value)
    if type_name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "bool":
        return isinstance(value, bool)
    if type_name == "list":
        return isinstance(value, list)
    if type_name == "dict":
        return isinstance(value, dict)
    raise ValueError(f"unknown field type {type_name!r}")


def _parses(parse, text: str) -> bool:
    try:
        parse(text)
        return True
    except ValueError:
        return False


def _database_ids(value, path: str = "") -> list[str]:
    """Paths of keys that look like database ids (``id``, ``…_id``), at any depth."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            where = f"{path}.{key}" if path else str(key)
            if _ID_KEY.search(str(key)):
                found.append(where)
            found += _database_ids(inner, where)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _database_ids(inner, f"{path}[{index}]")
    return found


def problems(kind_name: str, refs: dict, payload: dict, version: int = 1) -> list[str]:
    """What is wrong with an entry against the catalogue (empty: it conforms)."""
    spec = KINDS.get(kind_name)
    if spec is None:
        return [f"type inconnu du catalogue : {kind_name}"]
    found = []
    if version != spec.version:
        found.append(f"version {version}, le catalogue est en version {spec.version}")
    for name in spec.refs:
        if name not in refs:
            found.append(f"référence manquante : {name}")
    for name, value in refs.items():
        if name not in spec.refs and name not in spec.optional_refs:
            found.append(f"référence inattendue : {name}")
        elif not isinstance(value, str) or not value:
            found.append(f"la référence {name} doit être une clé métier (texte), pas {value!r}")
    for name, type_name in spec.payload.items():
        if name not in payload:
            if name not in spec.optional:
                found.append(f"champ manquant : {name}")
        elif not _type_ok(payload[name], type_name):
            found.append(f"champ {name} : {type_name} attendu, trouvé {payload[name]!r}")
    for name in payload:
        if name not in spec.payload:
            found.append(f"champ inattendu : {name}")
    found += [f"identifiant de base de données dans le contenu : {path}" for path in _database_ids(payload)]
    return found


def describe() -> str:
    """The catalogue as ``advsim journal kinds`` prints it."""
    lines = []
    for spec in KINDS.values():
        lines.append(f"{spec.name} (v{spec.version}) — {spec.title}")
        refs = [*spec.refs, *(f"{r}?" for r in spec.optional_refs)]
        lines.append(f"    refs : {', '.join(refs) if refs else '—'}")
        fields = [f"{name}{'?' if name in spec.optional else ''}: {type_name}"
                  for name, type_name in spec.payload.items()]
        lines.append(f"    contenu : {', '.join(fields) if fields else '—'}")
    return "\n".join(lines)
