"""Customer claims (réclamations, CP3): received → analysed → solution proposed
(or escalated to management beyond the delegation) → accepted / refused by the
customer → closed.

Each step is one service call that checks the claim's status under the
workspace's write lock (a double click or two tabs do a step once; a step out of
order is refused with a French message) and journals in the same transaction:

- ``claim.received`` — by e-mail, phone, letter or a scenario event, with its
  answer deadline (``respond_by``, 2 working days by default);
- ``claim.analysed`` — the candidate's analysis (cause, responsibility);
- ``claim.solution_proposed`` — the solution and whether it is within the
  delegation (``within_delegation``) and on time (``on_time``): a credit note
  within ``Company.max_gesture_pct`` of the invoice excl. VAT (all gestures on the
  invoice together, as sim/billing/service.py counts them), a discount on the
  next order within ``Company.max_discount_pct``, a replacement, free shipping
  or a return; beyond the delegation the proposal is refused, and the claim is
  escalated instead;
- ``claim.escalated`` — an internal message to management asks for its agreement;
- ``claim.management_decided`` — management (the trainer or admin on the
  approvals page, or the scenario's ``management_decision`` event) answers an
  escalated claim: approved, approved with conditions or refused, with a comment
  that reaches the candidate's inbox (« Direction commerciale ») and the claim
  page. Approved, the candidate may propose the solution beyond the delegation
  (``within_delegation`` false, ``management_approved`` true); refused, only
  within it;
- ``claim.colleague_alerted`` — an internal message to logistics, accounting,
  quality or the customer's sales rep;
- ``claim.accepted`` / ``claim.refused`` — the customer's answer; an accepted
  credit note is issued then (``credit_note.issued``, a commercial gesture);
- ``claim.closed`` — with the resolution and the days it stayed open.

The internal messages go through ``sim.inbox.service.send``: they are also
``message.sent`` entries (``to_role`` logistics, quality, …), as evaluators expect.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from sim.billing.models import CreditNote, CreditNoteLine, Invoice
from sim.clock import sim_date
from sim.company.models import Company, SalesRep
from sim.company.numbering import next_number
from sim.crm.models import (ACTIVE_CLAIM_STATUSES, Claim, ClaimCategory, ClaimSolution, ClaimStatus, Customer,
                            Interaction)
from sim.errors import SimError, ValidationFailed
from sim.formatting import eur, fr_date, fr_number
from sim.journal import service as journal
from sim.parsing import read_text

RESPONSE_WORKING_DAYS = 2
CHANNELS = {"email": "Courriel", "phone": "Téléphone", "letter": "Courrier", "event": "Scénario"}
COLLEAGUES = {"logistics": "Logistique", "accounting": "Comptabilité", "quality": "Qualité",
              "sales_rep": "Commercial terrain"}
# Solutions that cost no money beyond the goods themselves: always within the delegation.
FREE_SOLUTIONS = (ClaimSolution.REPLACEMENT, ClaimSolution.FREE_SHIPPING, ClaimSolution.RETURN)
TEXT_MAX = 4000
ZERO = Decimal("0.00")


class ClaimStepRefused(SimError):
    """The claim is not at a step that allows this action."""


# ===== reading ==========================================================

@dataclass
class ClaimRow:
    claim: Claim
    customer: Customer
    age_days: int  # calendar days since it was received, at the sim date
    overdue: bool  # no solution proposed and the deadline passed

    @property
    def status_label(self) -> str:
        return ClaimStatus(self.claim.status).label

    @property
    def category_label(self) -> str:
        return ClaimCategory(self.claim.category).label if self.claim.category in ClaimCategory._value2member_map_ \
            else self.claim.category


def age_and_overdue(claim: Claim, today: date) -> tuple[int, bool]:
    end = claim.closed_on or today
    answered = claim.status not in (ClaimStatus.RECEIVED, ClaimStatus.ANALYSED)
    return (end - claim.opened_on).days, bool(claim.respond_by and not answered and today > claim.respond_by)


def claim_rows(uow, *, status: str = "active") -> list[ClaimRow]:
    """The claims list: ``active`` (not closed), ``closed`` or ``all``; the most urgent first
    (overdue, then by deadline), closed ones by date."""
    query = select(Claim, Customer).join(Customer, Customer.id == Claim.customer_id)
    if status == "active":
        query = query.where(Claim.status.in_(ACTIVE_CLAIM_STATUSES))
    elif status == "closed":
        query = query.where(Claim.status == ClaimStatus.CLOSED)
    today = sim_date(uow)
    rows = [ClaimRow(c, cu, *age_and_overdue(c, today)) for c, cu in uow.session.execute(query)]
    rows.sort(key=lambda r: (r.claim.status == ClaimStatus.CLOSED, not r.overdue,
                             r.claim.respond_by or date.max, r.claim.number))
    return rows


def active_count(uow) -> int:
    return uow.session.scalar(select(func.count(Claim.id)).where(Claim.status.in_(ACTIVE_CLAIM_STATUSES))) or 0


def get(uow, claim_id) -> Claim:
    return uow.get(Claim, claim_id)


def gesture_room(uow, claim: Claim) -> tuple[Decimal, Decimal] | None:
    """(ceiling, already granted) of commercial gestures on the claim's invoice, or None without an invoice."""
    from sim.billing.service import GESTURE

    if claim.invoice_id is None:
        return None
    invoice = uow.session.get(Invoice, claim.invoice_id)
    company = uow.session.scalars(select(Company)).one()
    granted = uow.session.scalar(
        select(func.coalesce(func.sum(CreditNoteLine.line_total_ht), 0))
        .join(CreditNote, CreditNote.id == CreditNoteLine.credit_note_id)
        .where(CreditNote.invoice_id == invoice.id, CreditNoteLine.description == GESTURE)) or ZERO
    ceiling = (invoice.total_ht * company.max_gesture_pct / 100).quantize(Decimal("0.01"))
    return ceiling, Decimal(granted)


def delegation(uow) -> Company:
    return uow.session.scalars(select(Company)).one()


# ===== the steps ========================================================

def _refs(uow, claim: Claim, customer: Customer | None = None) -> dict:
    from sim.sales.models import SalesOrder

    customer = customer or uow.session.get(Customer, claim.customer_id)
    refs = {"claim": claim.number, "customer": customer.code}
    if claim.invoice_id is not None:
        refs["invoice"] = uow.session.get(Invoice, claim.invoice_id).number
    if claim.order_id is not None:
        refs["order"] = uow.session.get(SalesOrder, claim.order_id).number
    if claim.event_key:
        refs["event"] = claim.event_key
    return refs


def _form(uow, form_token, action: str) -> None:
    from sim.workspace.forms import claim as claim_token

    claim_token(uow, form_token, action)


def _at(claim: Claim, allowed: tuple, action: str) -> None:
    if claim.status not in allowed:
        raise ClaimStepRefused(f"La réclamation {claim.number} est « {ClaimStatus(claim.status).label} » : "
                               f"{action} n'est pas possible à cette étape.")


def open_claim(uow, *, actor: str, customer_id: int, category: str, subject: str, description: str = "",
               channel: str = "email", invoice_id: int | None = None, order_id: int | None = None,
               message_id: int | None = None, event_key: str = "", language: str = "",
               respond_by: date | None = None, form_token: str | None = None) -> Claim:
    """A claim is recorded (``claim.received``); its answer is due in 2 working days unless ``respond_by`` says."""
    from sim.sales.models import SalesOrder
    from sim.sales.working_days import add_working_days

    _form(uow, form_token, "claim.received")
    errors: dict[str, str] = {}
    customer = uow.session.scalars(select(Customer).where(Customer.id == customer_id)).first() \
        if customer_id else None
    if customer is None:
        errors["customer"] = "Choisissez un client existant."
    if category not in ClaimCategory._value2member_map_:
        errors["category"] = "Choisissez le motif de la réclamation."
    if channel not in CHANNELS:
        errors["channel"] = "Choisissez comment la réclamation est arrivée."
    subject = read_text(subject, "subject", errors, label="Objet", max_length=200, required=True)
    description = read_text(description, "description", errors, label="Description", max_length=TEXT_MAX,
                            multiline=True)
    invoice = order = message = None
    if invoice_id is not None:
        invoice = uow.session.scalars(select(Invoice).where(Invoice.id == invoice_id)).first()
        if invoice is None or (customer is not None and invoice.customer_id != customer.id):
            errors["invoice"] = "Cette facture n'est pas une facture de ce client."
    if order_id is not None:
        order = uow.session.scalars(select(SalesOrder).where(SalesOrder.id == order_id)).first()
        if order is None or (customer is not None and order.customer_id != customer.id):
            errors["order"] = "Cette commande n'est pas une commande de ce client."
    if message_id is not None:
        message = uow.session.scalars(select(Interaction).where(Interaction.id == message_id)).first()
        if message is None or (customer is not None and message.customer_id not in (None, customer.id)):
            errors["message"] = "Ce message n'est pas un message de ce client."
    if language and language not in ("fr", "en"):
        errors["language"] = "Langue : fr ou en."
    if errors:
        raise ValidationFailed(errors)
    if order is None and invoice is not None and invoice.order_id is not None:
        order = uow.session.get(SalesOrder, invoice.order_id)
    today = sim_date(uow)
    claim = Claim(workspace_id=uow.workspace_id, number=next_number(uow, "claim", today), customer_id=customer.id,
                  order_id=order.id if order else None, invoice_id=invoice.id if invoice else None,
                  category=category, subject=subject, description=description or "",
                  language=language or (message.language if message else customer.language),
                  status=ClaimStatus.RECEIVED, opened_on=today, channel=channel,
                  message_id=message.id if message else None, event_key=(event_key or "")[:80],
                  respond_by=respond_by or add_working_days(today, RESPONSE_WORKING_DAYS))
    uow.add(claim)
    uow.session.flush()
    refs = _refs(uow, claim, customer)
    if message is not None:
        refs["message"] = message.reference
    journal.append(uow, kind="claim.received", actor=actor, refs=refs,
                   payload={"category": category, "subject": claim.subject, "description": claim.description,
                            "channel": channel, "language": claim.language, "respond_by": claim.respond_by})
    return claim


def analyse(uow, *, actor: str, claim_id: int, analysis: str, form_token: str | None = None) -> Claim:
    """The candidate notes the cause and who is responsible (``claim.analysed``)."""
    claim = get(uow, claim_id)
    _form(uow, form_token, "claim.analysed")
    _at(claim, (ClaimStatus.RECEIVED,), "l'analyse")
    errors: dict[str, str] = {}
    text = read_text(analysis, "analysis", errors, label="Analyse", max_length=TEXT_MAX, required=True,
                     multiline=True)
    if errors:
        raise ValidationFailed(errors)
    claim.analysis, claim.status = text, ClaimStatus.ANALYSED
    journal.append(uow, kind="claim.analysed", actor=actor, refs=_refs(uow, claim), payload={"analysis": text})
    return claim


def propose_solution(uow, *, actor: str, claim_id: int, solution: str, note: str, amount=None, pct=None,
                     form_token: str | None = None) -> Claim:
    """A solution within the delegation is proposed to the customer (``claim.solution_proposed``).

    Beyond it (a credit note over the gesture ceiling, a discount over the
    maximum discount) it is refused, and says to escalate to management."""
    from sim.parsing import read_amount, read_decimal

    claim = get(uow, claim_id)
    _form(uow, form_token, "claim.solution_proposed")
    if claim.status == ClaimStatus.RECEIVED:
        raise ClaimStepRefused(f"Analysez d'abord la réclamation {claim.number} (cause, responsabilité) "
                               "avant de proposer une solution.")
    _at(claim, (ClaimStatus.ANALYSED, ClaimStatus.REFUSED, ClaimStatus.ESCALATED), "une proposition")
    company = delegation(uow)
    # management agreed to go beyond the delegation on this escalated claim
    approved = claim.status == ClaimStatus.ESCALATED and claim.management_decision in APPROVALS
    beyond = False
    errors: dict[str, str] = {}
    if solution not in ClaimSolution._value2member_map_:
        errors["solution"] = "Choisissez la solution proposée."
    text = read_text(note, "note", errors, label="Proposition", max_length=TEXT_MAX, required=True, multiline=True)
    value, rate = ZERO, ZERO
    if solution == ClaimSolution.CREDIT_NOTE:
        room = gesture_room(uow, claim)
        value = read_amount(amount, "amount", errors)
        if room is None:
            errors["solution"] = "Un avoir se fait sur une facture : rattachez la facture à la réclamation."
        elif value is not None and value <= 0:
            errors["amount"] = "Le montant de l'avoir doit être positif."
        elif value is not None:
            ceiling, granted = room
            beyond = granted + value > ceiling
            if beyond and not approved:
                errors["amount"] = (f"Avoir supérieur à votre délégation ({fr_number(company.max_gesture_pct)} % de "
                                    f"la facture HT, soit {eur(ceiling)}"
                                    f"{f', dont {eur(granted)} déjà accordés' if granted else ''}) : transmettez la "
                                    "réclamation à la direction.")
    elif solution == ClaimSolution.DISCOUNT:
        rate = read_decimal(pct, "pct", errors, "Remise : un pourcentage.", places=2)
        if rate is not None and rate <= 0:
            errors["pct"] = "La remise doit être positive."
        elif rate is not None and rate > company.max_discount_pct and not approved:
            errors["pct"] = (f"Remise supérieure à votre délégation ({fr_number(company.max_discount_pct)} % au "
                             "plus) : transmettez la réclamation à la direction.")
    if solution == ClaimSolution.DISCOUNT and rate is not None and rate > company.max_discount_pct:
        beyond = True
    if errors:
        raise ValidationFailed(errors)
    today = sim_date(uow)
    claim.solution, claim.solution_note = solution, text
    claim.solution_amount, claim.solution_pct = value or ZERO, rate or ZERO
    claim.status = ClaimStatus.PROPOSED
    journal.append(uow, kind="claim.solution_proposed", actor=actor, refs=_refs(uow, claim),
                   payload={"solution": solution, "amount": claim.solution_amount, "pct": claim.solution_pct,
                            "note": text, "within_delegation": not beyond,
                            "on_time": claim.respond_by is None or today <= claim.respond_by,
                            "respond_by": claim.respond_by}
                   | ({"management_approved": True} if beyond else {}))
    return claim


def escalate(uow, *, actor: str, claim_id: int, message: str, form_token: str | None = None) -> Claim:
    """Beyond the delegation: management is asked by an internal message (``claim.escalated``)."""
    from sim.inbox.service import send

    claim = get(uow, claim_id)
    _form(uow, form_token, "claim.escalated")
    _at(claim, (ClaimStatus.RECEIVED, ClaimStatus.ANALYSED, ClaimStatus.REFUSED), "la transmission à la direction")
    errors: dict[str, str] = {}
    text = read_text(message, "message", errors, label="Message", max_length=TEXT_MAX, required=True, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    customer = uow.session.get(Customer, claim.customer_id)
    sent = send(uow, actor=actor, to_role="management", language="fr", body=text,
                subject=f"Réclamation {claim.number} ({customer.name}) : accord demandé")
    claim.status = ClaimStatus.ESCALATED
    claim.management_decision, claim.management_comment = "", ""  # a new request, a new decision
    journal.append(uow, kind="claim.escalated", actor=actor, refs={**_refs(uow, claim, customer),
                                                                     "message": sent.reference},
                   payload={"message": text})
    return claim


APPROVALS = ("approved", "approved_with_conditions")


class DecisionNotAllowed(SimError):
    status_code = 403


def awaiting_decision(uow) -> list[tuple[Claim, Customer]]:
    """The escalated claims management has not answered yet, oldest first (the approvals page)."""
    return list(uow.session.execute(
        select(Claim, Customer).join(Customer, Customer.id == Claim.customer_id)
        .where(Claim.status == ClaimStatus.ESCALATED, Claim.management_decision == "")
        .order_by(Claim.opened_on, Claim.id)).all())


def escalation_message(uow, claim: Claim) -> str:
    """What the candidate wrote to management when escalating (the last request)."""
    from sim.journal.models import JournalEntry

    for entry in uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "claim.escalated")
                                     .order_by(JournalEntry.id.desc())):
        if (entry.refs or {}).get("claim") == claim.number:
            return (entry.payload or {}).get("message", "")
    return ""


def decide(uow, *, actor: str, actor_role: str, claim_id: int, decision: str, comment: str = "",
           event_key: str = "") -> Claim:
    """Management answers an escalated claim (``claim.management_decided``): approved or
    approved with conditions lets the candidate propose the solution beyond the
    delegation; refused keeps them within it. The decision and its comment reach the
    candidate's inbox from « Direction commerciale » and show on the claim page.

    The trainer or admin, or the scenario — never a candidate; once per escalation."""
    from sim.inbox.service import deliver
    from sim.sales.service import DECIDERS, DECISIONS

    if actor_role not in DECIDERS:
        raise DecisionNotAllowed("Seule la direction décide d'une réclamation transmise au-delà de votre délégation.")
    claim = get(uow, claim_id)
    if claim.status != ClaimStatus.ESCALATED or claim.management_decision:
        raise ClaimStepRefused(f"La réclamation {claim.number} n'attend aucune décision de la direction.")
    errors: dict[str, str] = {}
    if decision not in DECISIONS:
        errors["decision"] = "Décision : accord, accord sous conditions ou refus."
    text = read_text(comment, "comment", errors, label="Commentaire", max_length=2000, multiline=True) or ""
    if decision in ("refused", "approved_with_conditions") and not text and "comment" not in errors:
        errors["comment"] = "Donnez le motif du refus." if decision == "refused" else "Précisez les conditions."
    if errors:
        raise ValidationFailed(errors)
    claim.management_decision, claim.management_comment = decision, text
    customer = uow.session.get(Customer, claim.customer_id)
    company = delegation(uow)
    domain = company.email.split("@")[-1] if "@" in company.email else "entreprise.fr"
    verdict = {"approved": "accordée", "refused": "refusée", "approved_with_conditions": "accordée sous conditions"}
    body = ["Bonjour,", "", f"Votre demande sur la réclamation {claim.number} ({customer.name} : {claim.subject}) "
                            f"est {verdict[decision]}."]
    if text:
        body += ["", ("Conditions : " if decision == "approved_with_conditions" else "Commentaire : ") + text]
    body += ["", "Vous pouvez proposer au client la solution au-delà de votre délégation." if decision in APPROVALS
             else "Proposez au client une solution dans votre délégation, ou clôturez la réclamation.",
             "", "La direction commerciale"]
    received = deliver(uow, actor=actor, role="management", name="Direction commerciale",
                       email=f"direction@{domain}", subject=f"Réclamation {claim.number} : "
                       f"{DECISIONS[decision].lower()} de la direction", body="\n".join(body), language="fr",
                       customer_id=customer.id, event_key=event_key)
    refs = {**_refs(uow, claim, customer), "message": received.reference}
    if event_key:
        refs["event"] = event_key
    journal.append(uow, kind="claim.management_decided", actor=actor, refs=refs,
                   payload={"decision": decision, "comment": text})
    return claim


def alert_colleague(uow, *, actor: str, claim_id: int, colleague: str, message: str,
                    form_token: str | None = None) -> Claim:
    """The colleague who must act (logistics for a damaged delivery, accounting for an invoice, quality,
    the sales rep) is told by an internal message (``claim.colleague_alerted``). At any step but closed."""
    from sim.inbox.service import send

    claim = get(uow, claim_id)
    _form(uow, form_token, "claim.colleague_alerted")
    _at(claim, ACTIVE_CLAIM_STATUSES, "une alerte")
    errors: dict[str, str] = {}
    if colleague not in COLLEAGUES:
        errors["colleague"] = "Choisissez le service à prévenir."
    text = read_text(message, "alert", errors, label="Message", max_length=TEXT_MAX, required=True, multiline=True)
    customer = uow.session.get(Customer, claim.customer_id)
    to_email = ""
    if colleague == "sales_rep":
        rep = uow.session.get(SalesRep, customer.sales_rep_id) if customer.sales_rep_id else None
        if rep is None or not rep.email:
            errors["colleague"] = "Ce client n'a pas de commercial attitré : prévenez un autre service."
        else:
            to_email = rep.email
    if errors:
        raise ValidationFailed(errors)
    sent = send(uow, actor=actor, to_role=colleague, language="fr", body=text, to_email=to_email,
                subject=f"Réclamation {claim.number} — {customer.name} : {claim.subject}"[:200])
    journal.append(uow, kind="claim.colleague_alerted", actor=actor,
                   refs={**_refs(uow, claim, customer), "message": sent.reference},
                   payload={"colleague": colleague, "text": text})
    return claim


def record_answer(uow, *, actor: str, claim_id: int, accepted: bool, note: str = "",
                  form_token: str | None = None) -> Claim:
    """The customer accepts (an accepted credit note is issued now) or refuses the proposal."""
    from sim.billing.service import GESTURE, issue_credit_note_by_amount

    claim = get(uow, claim_id)
    _form(uow, form_token, "claim.answered")
    _at(claim, (ClaimStatus.PROPOSED,), "la réponse du client")
    errors: dict[str, str] = {}
    text = read_text(note, "answer", errors, label="Réponse du client", max_length=TEXT_MAX, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    claim.customer_answer = text or ""
    payload = {"note": claim.customer_answer, "solution": claim.solution}
    if accepted:
        if claim.solution == ClaimSolution.CREDIT_NOTE:
            try:
                note_ = issue_credit_note_by_amount(uow, actor=actor, invoice_id=claim.invoice_id,
                                                    amount=claim.solution_amount, motive=GESTURE,
                                                    reason=f"Réclamation {claim.number}"[:200],
                                                    management_approved=claim.management_decision in APPROVALS)
            except ValidationFailed as refused:  # another gesture on the invoice meanwhile
                raise ValidationFailed({"answer": next(iter(refused.errors.values()))}) from refused
            claim.credit_note_id = note_.id
            payload["credit_note"] = note_.number
        claim.status = ClaimStatus.ACCEPTED
    else:
        claim.status = ClaimStatus.REFUSED
    if accepted:
        journal.append(uow, kind="claim.accepted", actor=actor, refs=_refs(uow, claim), payload=payload)
    else:
        journal.append(uow, kind="claim.refused", actor=actor, refs=_refs(uow, claim), payload=payload)
    return claim


def close(uow, *, actor: str, claim_id: int, resolution: str, form_token: str | None = None) -> Claim:
    """The claim is closed with its resolution (``claim.closed``): after the customer's answer."""
    claim = get(uow, claim_id)
    _form(uow, form_token, "claim.closed")
    _at(claim, (ClaimStatus.ACCEPTED, ClaimStatus.REFUSED, ClaimStatus.ESCALATED), "la clôture")
    errors: dict[str, str] = {}
    text = read_text(resolution, "resolution", errors, label="Résolution", max_length=TEXT_MAX, required=True,
                     multiline=True)
    if errors:
        raise ValidationFailed(errors)
    today = sim_date(uow)
    outcome = claim.status
    claim.resolution, claim.status, claim.closed_on = text, ClaimStatus.CLOSED, today
    journal.append(uow, kind="claim.closed", actor=actor, refs=_refs(uow, claim),
                   payload={"resolution": text, "outcome": outcome, "days_open": (today - claim.opened_on).days})
    return claim


def deadline_text(claim: Claim) -> str:
    return f"réponse due le {fr_date(claim.respond_by)}" if claim.respond_by else ""
