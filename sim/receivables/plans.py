"""Payment plans (échéanciers, receivables-recovery.md §8) and the solvency check.

A plan covers open invoices of one customer; its instalments (dates,
amounts) add up to what those invoices owe. Within the candidate's
delegation (``Company.max_payment_plan_months``: from the day it is agreed to
the last instalment) it is agreed at once (``payment_plan.agreed``); beyond, it
waits for management's decision (``payment_plan.approval_requested``, then
``decide_plan`` — the trainer on the approvals page, or the scenario event
``management_decision`` with ``payment_plan: latest``), as a blocked order does.

Each instalment is followed like an invoice: payments on the covered
invoices received since the plan was agreed settle the instalments in order;
an instalment past its date and not fully paid is late, and puts the covered
invoices back on the ladder at the formal notice (acceleration clause).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from sim.clock import sim_date
from sim.company.models import Company
from sim.crm.models import Customer
from sim.errors import SimError, ValidationFailed
from sim.formatting import eur, fr_date
from sim.journal import service as journal
from sim.parsing import read_amount, read_id, read_text
from sim.receivables.aging import ZERO
from sim.receivables.models import (
    CreditReport, Payment, PaymentAllocation, PaymentPlan, PaymentPlanInstalment, PaymentPlanInvoice,
    PaymentPlanStatus,
)

DECIDERS = ("trainer", "admin", "scenario")
MAX_INSTALMENTS = 24


class PlanNotAllowed(SimError):
    status_code = 403


def months_between(start: date, end: date) -> int:
    """Months a plan runs, rounded up: 2 Nov → 31 Jan is 3 months, 2 Nov → 2 Feb also 3."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + (1 if end.day > start.day else 0)


@dataclass
class InstalmentState:
    instalment: PaymentPlanInstalment
    paid: Decimal

    @property
    def rest(self) -> Decimal:
        return self.instalment.amount - self.paid


@dataclass
class PlanState:
    plan: PaymentPlan
    invoice_ids: list[int]
    instalments: list[InstalmentState] = field(default_factory=list)
    today: date = date.min

    @property
    def paid(self) -> Decimal:
        return sum((i.paid for i in self.instalments), ZERO)

    @property
    def late(self) -> list[InstalmentState]:
        """Instalments past their date and not fully paid (only a running plan has any)."""
        if self.plan.status != PaymentPlanStatus.ACTIVE:
            return []
        return [i for i in self.instalments if i.instalment.due_date < self.today and i.rest > 0]

    def status_of(self, i: InstalmentState) -> str:
        if i.rest <= 0:
            return "Payée"
        if i.instalment.due_date < self.today:
            return "En retard"
        return "Payée partiellement" if i.paid > 0 else "À venir"


def plan_states(uow, *, customer_ids=None) -> list[PlanState]:
    today = sim_date(uow)
    query = select(PaymentPlan).order_by(PaymentPlan.created_on, PaymentPlan.id)
    if customer_ids is not None:
        query = query.where(PaymentPlan.customer_id.in_(list(customer_ids) or [0]))
    plans = list(uow.session.scalars(query))
    if not plans:
        return []
    ids = [p.id for p in plans]
    links: dict[int, list[int]] = {}
    for plan_id, invoice_id in uow.session.execute(select(PaymentPlanInvoice.plan_id, PaymentPlanInvoice.invoice_id)
                                                   .where(PaymentPlanInvoice.plan_id.in_(ids))):
        links.setdefault(plan_id, []).append(invoice_id)
    instalments: dict[int, list[PaymentPlanInstalment]] = {}
    for row in uow.session.scalars(select(PaymentPlanInstalment).where(PaymentPlanInstalment.plan_id.in_(ids))
                                   .order_by(PaymentPlanInstalment.position)):
        instalments.setdefault(row.plan_id, []).append(row)
    out = []
    for plan in plans:
        covered = links.get(plan.id, [])
        received = uow.session.scalar(
            select(func.coalesce(func.sum(PaymentAllocation.amount), 0))
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(PaymentAllocation.invoice_id.in_(covered or [0]), Payment.rejected.is_(False),
                   Payment.received_on >= plan.created_on)) or 0
        left = Decimal(received)
        state = PlanState(plan, covered, today=today)
        for inst in instalments.get(plan.id, []):
            paid = min(inst.amount, left)
            left -= paid
            state.instalments.append(InstalmentState(inst, paid))
        out.append(state)
    return out


def _plan_number(uow, customer: Customer) -> str:
    count = uow.session.scalar(select(func.count(PaymentPlan.id)).where(PaymentPlan.customer_id == customer.id)) or 0
    return f"ECH-{customer.code}-{count + 1}"


def propose_plan(uow, *, actor: str, customer_id: int, invoice_ids, instalments: list[tuple],
                 note: str = "", penalties_waived: bool = False, form_token: str | None = None) -> PaymentPlan:
    """Agree a payment plan: ``instalments`` are (date, amount) pairs, as typed.

    The amounts add up to what the chosen invoices owe; the dates run after
    today, in order. Beyond the delegation's months the plan waits for
    management (a message to « Direction commerciale » with the candidate's note)."""
    from sim.inbox.service import send
    from sim.receivables.recovery import _read_date, invoice_states
    from sim.workspace.forms import claim

    claim(uow, form_token, "payment_plan.agreed")
    customer = uow.get(Customer, customer_id)
    company = uow.session.scalars(select(Company)).one()
    today = sim_date(uow)
    errors: dict[str, str] = {}
    note = read_text(note, "note", errors, label="Note", max_length=2000, multiline=True) or ""
    ids = [read_id(i) for i in (invoice_ids or [])]
    states = invoice_states(uow, customer_id=customer.id, invoice_ids=[i for i in ids if i]) if ids else []
    if not ids or None in ids or len(states) != len(set(ids)):
        errors["invoices"] = "Cochez les factures ouvertes du client que l'échéancier couvre."
    for s in states:
        if s.plan is not None:
            errors["invoices"] = f"La facture {s.invoice.number} est déjà dans l'échéancier {s.plan.number}."
    parsed: list[tuple[date, Decimal]] = []
    for n, (raw_date, raw_amount) in enumerate(instalments, start=1):
        if not str(raw_date or "").strip() and not str(raw_amount or "").strip():
            continue
        when = _read_date(raw_date, f"date-{n}", errors)
        amount = read_amount(raw_amount, f"amount-{n}", errors)
        if when is None and f"date-{n}" not in errors:
            errors[f"date-{n}"] = "Date de l'échéance ?"
        if amount is not None and amount <= 0:
            errors[f"amount-{n}"] = "Montant positif."
        if when is not None and when <= today:
            errors[f"date-{n}"] = "Une échéance se fixe après aujourd'hui."
        if when is not None and parsed and parsed[-1][0] is not None and when <= parsed[-1][0]:
            errors[f"date-{n}"] = "Les échéances se suivent dans le temps."
        parsed.append((when, amount))
    if not parsed:
        errors["instalments"] = "Saisissez au moins deux échéances (date et montant)."
    elif len(parsed) > MAX_INSTALMENTS:
        errors["instalments"] = f"{MAX_INSTALMENTS} échéances au plus."
    owed = sum((s.invoice.amount_due for s in states), ZERO)
    if not errors:
        total = sum((a for _, a in parsed), ZERO)
        if total != owed:
            errors["instalments"] = (f"Les échéances totalisent {eur(total)} ; les factures choisies doivent "
                                     f"{eur(owed)}.")
    if errors:
        raise ValidationFailed(errors)
    months = months_between(today, parsed[-1][0])
    within = months <= company.max_payment_plan_months
    plan = PaymentPlan(workspace_id=uow.workspace_id, number=_plan_number(uow, customer), customer_id=customer.id,
                       status=PaymentPlanStatus.ACTIVE if within else PaymentPlanStatus.PENDING, created_on=today,
                       months=months, total=owed, penalties_waived=bool(penalties_waived), note=note)
    uow.session.add(plan)
    uow.session.flush()
    for s in states:
        uow.session.add(PaymentPlanInvoice(workspace_id=uow.workspace_id, plan_id=plan.id, invoice_id=s.invoice.id,
                                           amount=s.invoice.amount_due))
    for position, (when, amount) in enumerate(parsed, start=1):
        uow.session.add(PaymentPlanInstalment(workspace_id=uow.workspace_id, plan_id=plan.id, position=position,
                                              due_date=when, amount=amount))
    payload = {"months": months, "max_months": company.max_payment_plan_months, "total": owed,
               "invoices": [s.invoice.number for s in states], "penalties_waived": plan.penalties_waived,
               "instalments": [{"date": d, "amount": a} for d, a in parsed], "note": note}
    refs = {"payment_plan": plan.number, "customer": customer.code}
    if within:
        journal.append(uow, kind="payment_plan.agreed", actor=actor, refs=refs, payload=payload)
    else:
        body = (f"Bonjour,\n\n{customer.name} ({customer.code}) demande un échéancier de {months} mois pour "
                f"{eur(owed)} (factures {', '.join(s.invoice.number for s in states)}), au-delà de ma délégation "
                f"({company.max_payment_plan_months} mois) :\n"
                + "\n".join(f"- {fr_date(d)} : {eur(a)}" for d, a in parsed)
                + ("\n\n" + note if note else "") + "\n\nMerci de me donner votre accord.")
        message = send(uow, actor=actor, to_role="management", customer_id=customer.id,
                       subject=f"Accord demandé : échéancier {plan.number} ({months} mois)", body=body, language="fr")
        journal.append(uow, kind="payment_plan.approval_requested", actor=actor,
                       refs={**refs, "message": message.reference}, payload=payload)
    return plan


def decide_plan(uow, *, actor: str, actor_role: str, plan_id: int, decision: str, comment: str = "",
                event_key: str = "") -> PaymentPlan:
    """Management decides on a plan beyond the delegation: approved (it runs) or
    refused (the ladder resumes); the answer lands in the candidate's inbox."""
    from sim.inbox.service import deliver
    from sim.sales.service import DECISIONS

    if actor_role not in DECIDERS:
        raise PlanNotAllowed("Seule la direction accorde un échéancier au-delà de votre délégation.")
    plan = uow.get(PaymentPlan, plan_id)
    if plan.status != PaymentPlanStatus.PENDING:
        raise SimError(f"L'échéancier {plan.number} n'attend aucune décision.")
    errors: dict[str, str] = {}
    if decision not in DECISIONS:
        errors["decision"] = "Décision : accord, accord sous conditions ou refus."
    comment = read_text(comment, "comment", errors, label="Commentaire", max_length=2000, multiline=True) or ""
    if decision in ("refused", "approved_with_conditions") and not comment and "comment" not in errors:
        errors["comment"] = "Donnez le motif du refus." if decision == "refused" else "Précisez les conditions."
    if errors:
        raise ValidationFailed(errors)
    plan.status = PaymentPlanStatus.REFUSED if decision == "refused" else PaymentPlanStatus.ACTIVE
    plan.decision_comment = comment
    customer = uow.session.get(Customer, plan.customer_id)
    refs = {"payment_plan": plan.number, "customer": customer.code}
    if event_key:
        refs["event"] = event_key
    journal.append(uow, kind="payment_plan.decided", actor=actor, refs=refs,
                   payload={"decision": decision, "comment": comment, "months": plan.months, "total": plan.total})
    company = uow.session.scalars(select(Company)).one()
    domain = company.email.split("@")[-1] if "@" in company.email else "entreprise.fr"
    verdict = {"approved": "accordé", "refused": "refusé", "approved_with_conditions": "accordé sous conditions"}
    deliver(uow, actor=actor, role="management", name="Direction commerciale", email=f"direction@{domain}",
            subject=f"Échéancier {plan.number} : {verdict[decision]}",
            body=f"Bonjour,\n\nL'échéancier {plan.number} de {customer.name} ({plan.months} mois, {eur(plan.total)}) "
                 f"est {verdict[decision]}." + (f"\n\n{comment}" if comment else "")
                 + ("\n\nReprenez la procédure de relance." if decision == "refused" else ""),
            language="fr", customer_id=customer.id, event_key=event_key)
    return plan


# ===== the solvency check (simulated credit report) ============================

_SCORES = {"A": 82, "B": 64, "C": 41, "D": 18}


def credit_report(uow, customer: Customer) -> CreditReport:
    """The customer's credit report: the scenario's, else one derived from the
    record (risk rating, rejected payments), kept so every reading agrees."""
    report = uow.session.scalars(select(CreditReport).where(CreditReport.customer_id == customer.id)
                                 .order_by(CreditReport.as_of.desc(), CreditReport.id.desc())).first()
    if report is not None:
        return report
    rejected = uow.session.scalars(select(Payment).where(Payment.customer_id == customer.id,
                                                         Payment.rejected.is_(True))).all()
    score = max(5, _SCORES.get(customer.risk_rating, 50) - 8 * len(rejected))
    factor = {"A": Decimal("1.2"), "B": Decimal("1.0"), "C": Decimal("0.6"), "D": Decimal("0.3")}
    return CreditReport(workspace_id=uow.workspace_id, customer_id=customer.id, as_of=sim_date(uow), score=score,
                        incidents="\n".join(f"Effet impayé de {eur(p.amount)} le {fr_date(p.received_on)}"
                                            for p in rejected),
                        recommended_limit=(customer.credit_limit * factor.get(customer.risk_rating, Decimal(1)))
                        .quantize(Decimal("1")).quantize(Decimal("0.01")),
                        comment="Rapport établi d'après les informations de votre fichier client.")


def consult_credit_report(uow, *, actor: str, customer_id: int) -> CreditReport:
    """The candidate consults the customer's solvency, journaled ``credit_report.consulted``
    with what the report says (score, incidents, recommended limit)."""
    customer = uow.get(Customer, customer_id)
    report = credit_report(uow, customer)
    if report.id is None:
        uow.session.add(report)
        uow.session.flush()
    journal.append(uow, kind="credit_report.consulted", actor=actor, refs={"customer": customer.code},
                   payload={"agency": report.agency, "as_of": report.as_of, "score": report.score,
                            "incidents": [l for l in report.incidents.splitlines() if l.strip()],
                            "recommended_limit": report.recommended_limit, "credit_limit": customer.credit_limit})
    return report
