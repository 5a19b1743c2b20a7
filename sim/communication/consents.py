"""A customer's GDPR consents, purpose by purpose, as the candidate records them.

A customer gives or withdraws a consent (a form at a trade show, an e-mail
asking to be unsubscribed, a call), or objects to any marketing (RGPD art.
21): the candidate records it on the customer page, says where it comes from,
and the next emailing follows it. Journaled ``customer.consents_changed`` with
each change ``{old, new}`` (dates) and the source. The record's general
consent line (``gdpr_consent``…) follows: consented while any purpose is.
"""
from __future__ import annotations

from sim.clock import sim_date
from sim.communication.models import Purpose
from sim.communication.segments import CONSENT_COLUMN
from sim.crm.models import Customer
from sim.crm.records import RecordMoved, revision
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.parsing import read_text

FIELDS = (*CONSENT_COLUMN.values(), "marketing_objection_on")
LABELS = {"consent_offers_on": "offers", "consent_newsletter_on": "newsletter", "consent_events_on": "events",
          "marketing_objection_on": "objection"}


def consent_revision(customer: Customer) -> str:
    return revision(customer, FIELDS)


def record_consents(uow, *, actor: str, customer_id: int, given: set[str], objected: bool, source: str,
                    seen_revision: str = "") -> dict:
    """Set the consents to ``given`` (purposes: offers, newsletter, events) and the objection; a new
    consent or objection is dated today (sim date), a withdrawn one is cleared. Returns the changes."""
    customer = uow.get(Customer, customer_id)
    errors: dict[str, str] = {}
    unknown = set(given) - {p.value for p in Purpose}
    if unknown:
        errors["consent_form"] = "Finalité inconnue."
    why = read_text(source, "consent_source", errors, label="Origine", max_length=200)
    if errors:
        raise ValidationFailed(errors)
    today = sim_date(uow)
    wanted = {column: (getattr(customer, column) or today) if purpose.value in given else None
              for purpose, column in CONSENT_COLUMN.items()}
    wanted["marketing_objection_on"] = (customer.marketing_objection_on or today) if objected else None
    changes = {column: {"old": _day(getattr(customer, column)), "new": _day(value)}
               for column, value in wanted.items() if getattr(customer, column) != value}
    if not changes:
        return {}  # the same form twice: nothing to change, nothing journaled
    if seen_revision != consent_revision(customer):
        raise RecordMoved()
    if not why:
        raise ValidationFailed({"consent_source": "Origine : obligatoire (formulaire signé, courriel du client du…, "
                                                  "appel…) — la preuve du consentement."})
    for column, value in wanted.items():
        setattr(customer, column, value)
    dates = [d for d in (customer.consent_offers_on, customer.consent_newsletter_on, customer.consent_events_on) if d]
    customer.gdpr_consent = bool(dates)
    customer.gdpr_consent_date = min(dates) if dates else None
    customer.gdpr_purpose = ", ".join(p.label for p, c in CONSENT_COLUMN.items() if getattr(customer, c)).capitalize()
    uow.session.flush()
    journal.append(uow, kind="customer.consents_changed", actor=actor, refs={"customer": customer.code},
                   payload={"changes": {LABELS[c]: v for c, v in changes.items()}, "source": why})
    return changes


def _day(value) -> str:
    return value.isoformat() if value else ""
