"""The recovery procedure (relances) and its actions (CP4, receivables-recovery.md §2-3).

- The company's procedure is data: ``RecoveryStep`` rows a scenario sets
  (``set_procedure``), or ``DEFAULT_PROCEDURE``; each step is a reminder level,
  a channel and a day relative to the due date (negative: before it).
- ``invoice_states`` tells, per open invoice, the steps done (``Reminder``
  rows), the next one and its date, and why reminders are paused: a dispute
  (``InvoiceDispute``, or an open claim on the invoice), a payment plan
  running on time, a customer in credit for at least what is late, a customer
  already in litigation.
- ``todo`` is the list of the reminders due today (sim date), one item per
  customer and step; a promise not kept and a late instalment are shown.
- Each step is a candidate action, journaled ``reminder.sent`` with its
  document: ``send_reminder_email`` (a French or English template the
  candidate adapts, sent through the messaging), ``log_reminder_call`` (the
  promise obtained and its date), ``issue_letter`` (2nd reminder letter or
  formal notice as PDF, with late penalties and the 40 € indemnity computed to
  the day: sim/receivables/penalties.py), ``issue_penalty_invoice`` (no VAT),
  ``transfer_to_litigation`` (new orders blocked, management alerted).
"""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Row, delete, func, literal, select

from sim.billing.models import Invoice, InvoiceLine, InvoiceStatus, invoice_is_open
from sim.clock import sim_date
from sim.company.service import company_of
from sim.crm.models import ACTIVE_CLAIM_STATUSES, Claim, Customer, CustomerKind
from sim.db import among
from sim.errors import SimError, ValidationFailed
from sim.formatting import eur, fr_date
from sim.journal import service as journal
from sim.parsing import read_amount, read_id, read_text
from sim.receivables import penalties as pen
from sim.receivables.aging import ZERO, _credits, bucket_of
from sim.receivables.models import (
    InvoiceDispute, Payment, PaymentAllocation, PaymentPlan, PaymentPlanStatus,
    RecoveryChannel, RecoveryStep, Reminder, ReminderDetail, ReminderLevel,
)

LEVELS = [level.value for level in ReminderLevel]


@dataclass(frozen=True)
class Step:
    level: str
    offset_days: int
    channel: str

    @property
    def label(self) -> str:
        return ReminderLevel(self.level).label

    @property
    def channel_label(self) -> str:
        return RecoveryChannel(self.channel).label

    @property
    def when(self) -> str:
        if self.offset_days == 0:
            return "à l'échéance"
        return f"J{self.offset_days:+d}"


# The usual SME ladder (receivables-recovery.md §2), the seed's own.
DEFAULT_PROCEDURE = (
    Step("courtesy", -5, "email"), Step("first", 5, "email"), Step("phone", 12, "phone"),
    Step("second", 25, "letter"), Step("formal_notice", 38, "registered"), Step("escalated", 52, "litigation"),
)
CHANNELS_OF = {"courtesy": ("email",), "first": ("email", "letter"), "phone": ("phone",),
               "second": ("email", "letter"), "formal_notice": ("registered", "letter"),
               "escalated": ("litigation",)}


class RecoveryRefused(SimError):
    status_code = 409


# ===== the procedure =====================================================

def procedure(uow) -> list[Step]:
    """The company's ladder, read once a unit of work (``set_procedure`` replaces it there too)."""
    key = ("recovery_steps", uow.session.info.get("workspace_id"))
    steps = uow.session.info.get(key)
    if steps is None:
        rows = uow.session.execute(select(RecoveryStep.level, RecoveryStep.offset_days, RecoveryStep.channel)
                                   .order_by(RecoveryStep.position, RecoveryStep.id)).all()
        steps = uow.session.info[key] = [Step(*r) for r in rows] or list(DEFAULT_PROCEDURE)
    return list(steps)


def set_procedure(uow, *, actor: str, steps: list[dict]) -> list[Step]:
    """Replace the company's procedure (a scenario's ``company.recovery_procedure``),
    journaled ``recovery.procedure_set``. Steps in the order of the ladder."""
    errors: dict[str, str] = {}
    parsed: list[Step] = []
    for i, spec in enumerate(steps):
        level, channel = spec.get("level"), spec.get("channel")
        if level not in LEVELS:
            errors[f"steps-{i}-level"] = f"Étape inconnue : {level!r}."
            continue
        channel = channel or CHANNELS_OF[level][0]
        if channel not in CHANNELS_OF[level]:
            errors[f"steps-{i}-channel"] = f"Canal {channel!r} impossible pour « {ReminderLevel(level).label} »."
            continue
        parsed.append(Step(level, int(spec.get("offset_days", 0)), channel))
    levels = [s.level for s in parsed]
    if len(set(levels)) != len(levels):
        errors["steps"] = "Chaque étape une seule fois."
    if [s.offset_days for s in parsed] != sorted(s.offset_days for s in parsed):
        errors["steps"] = "Les étapes vont de la plus tôt à la plus tardive."
    if errors:
        raise ValidationFailed(errors)
    uow.session.execute(delete(RecoveryStep).where(RecoveryStep.workspace_id == uow.workspace_id))
    for position, step in enumerate(parsed):
        uow.session.add(RecoveryStep(workspace_id=uow.workspace_id, position=position, level=step.level,
                                     offset_days=step.offset_days, channel=step.channel))
    uow.session.info[("recovery_steps", uow.session.info.get("workspace_id"))] = list(parsed)
    journal.append(uow, kind="recovery.procedure_set", actor=actor,
                   payload={"steps": [{"level": s.level, "offset_days": s.offset_days, "channel": s.channel}
                                      for s in parsed]})
    return parsed


# ===== the state of each open invoice =======================================

# What the ladder, the lists and the actions read of an invoice, its customer and its steps done:
# light rows, not ORM objects (300 to 1 500 invoices at the large size, each list page reads them).
INVOICE_COLUMNS = (Invoice.id, Invoice.number, Invoice.customer_id, Invoice.issue_date, Invoice.due_date,
                   Invoice.total_ttc, Invoice.amount_due)
CUSTOMER_COLUMNS = (Customer.id, Customer.code, Customer.name, Customer.kind, Customer.language,
                    Customer.in_litigation)
_Customer = namedtuple("_Customer", [c.key for c in CUSTOMER_COLUMNS])  # read with the invoices
REMINDER_COLUMNS = (Reminder.invoice_id, Reminder.level, Reminder.sent_on)


@dataclass
class InvoiceState:
    invoice: Row  # INVOICE_COLUMNS
    customer: _Customer  # CUSTOMER_COLUMNS
    days_late: int
    done: list[Row]  # REMINDER_COLUMNS, oldest first
    next_step: Step | None
    next_on: date | None
    paused: str = ""  # why no reminder is due ("" = the ladder runs)
    dispute: InvoiceDispute | None = None
    promise: ReminderDetail | None = None  # the latest call's promise (a candidate's call)
    promise_broken: bool = False
    plan: PaymentPlan | None = None
    credit: Decimal = ZERO  # the customer's, held (netted before any reminder)

    @property
    def bucket(self) -> str:
        return bucket_of(self.days_late)

    @property
    def last(self) -> Row | None:
        return self.done[-1] if self.done else None

    @property
    def due_today(self) -> bool:
        return not self.paused and self.next_on is not None and self.next_on <= self._today

    _today: date = field(default=date.min, repr=False)


def _open_disputes(uow, invoice_ids) -> dict[int, InvoiceDispute]:
    """invoice id → its open dispute, of these invoices."""
    return {d.invoice_id: d for d in uow.session.scalars(
        select(InvoiceDispute).where(InvoiceDispute.invoice_id.in_(invoice_ids), InvoiceDispute.closed_on.is_(None))
        .order_by(InvoiceDispute.id))}


def _paused_by(uow) -> tuple[dict[int, InvoiceDispute], set[int]]:
    """The open disputes (invoice id → dispute) and the invoices an open claim is about: a few
    in a workspace, found in one statement (the disputes read in full only when there are some)."""
    found = uow.session.execute(
        select(InvoiceDispute.invoice_id, literal("dispute")).where(InvoiceDispute.closed_on.is_(None))
        .union_all(select(Claim.invoice_id, literal("claim")).where(
            Claim.invoice_id.is_not(None), Claim.status.in_(ACTIVE_CLAIM_STATUSES)))).all()
    disputed = [invoice_id for invoice_id, kind in found if kind == "dispute"]
    return (_open_disputes(uow, disputed) if disputed else {},
            {invoice_id for invoice_id, kind in found if kind == "claim"})


def customer_credit(uow, customer_id: int) -> Decimal:
    return _credits(uow, [customer_id]).get(customer_id, ZERO)


def invoice_states(uow, *, customer_id: int | None = None, invoice_ids=None, include_not_due: bool = True,
                   due_by: date | None = None, steps: list[Step] | None = None,
                   plans: list | None = None) -> list[InvoiceState]:
    """Every open invoice (of a customer, or these) with its place on the ladder;
    only the overdue ones without ``include_not_due``, only those due by
    ``due_by`` with it (both in SQL: 1 500 open invoices at the large size). ``steps`` and
    ``plans`` (the plan states of the customer, or of every customer): when the caller has them."""
    from sim.receivables.plans import plan_states

    today = sim_date(uow)
    steps = procedure(uow) if steps is None else steps
    conditions = [invoice_is_open(), Invoice.status != InvoiceStatus.CREDITED]
    if customer_id is not None:
        conditions.append(Invoice.customer_id == customer_id)
    if invoice_ids is not None:
        conditions.append(Invoice.id.in_(list(invoice_ids) or [0]))
    if not include_not_due:
        conditions.append(Invoice.due_date < today)
    if due_by is not None:
        conditions.append(Invoice.due_date <= due_by)
    # the invoices with their customers, then their steps done and promises by id (db.among: one parameter)
    invoices, customers = [], {}
    for row in uow.session.execute(select(*INVOICE_COLUMNS, *(c.label(f"c_{c.key}") for c in CUSTOMER_COLUMNS))
                                   .join(Customer, Customer.id == Invoice.customer_id).where(*conditions)
                                   .order_by(Invoice.due_date, Invoice.number)):
        invoices.append(row)
        if row.customer_id not in customers:
            customers[row.customer_id] = _Customer(*row[len(INVOICE_COLUMNS):])
    reminders: dict[int, list[Row]] = {}
    promises: dict[int, ReminderDetail] = {}
    disputes: dict[int, InvoiceDispute] = {}
    claimed: set[int] = set()
    if invoices:
        ids = [i.id for i in invoices]
        for r in uow.session.execute(select(*REMINDER_COLUMNS).where(among(uow.session, Reminder.invoice_id, ids))
                                     .order_by(Reminder.sent_on, Reminder.id)):
            reminders.setdefault(r.invoice_id, []).append(r)
        for d in uow.session.scalars(select(ReminderDetail).where(among(uow.session, ReminderDetail.invoice_id, ids),
                                                                  ReminderDetail.promised_payment_date.is_not(None))
                                     .order_by(ReminderDetail.sent_on, ReminderDetail.id)):
            promises[d.invoice_id] = d  # the latest
        disputes, claimed = _paused_by(uow)
    # the customer's plans, or every plan (a few in a workspace; not hundreds of customer ids as parameters)
    if plans is None:  # the caller's (a recovery file shows them too), or read here
        plans = plan_states(uow, customer_ids=[customer_id] if customer_id is not None else None)
    planned = {}
    for ps in plans:
        if ps.plan.status in (PaymentPlanStatus.ACTIVE, PaymentPlanStatus.PENDING):
            for inv_id in ps.invoice_ids:
                planned[inv_id] = ps
    # credits netted before a reminder: a customer whose credit covers what is late is not chased
    overdue_by_customer: dict[int, Decimal] = {}
    for inv in invoices:
        if inv.due_date < today:
            overdue_by_customer[inv.customer_id] = overdue_by_customer.get(inv.customer_id, ZERO) + inv.amount_due
    credits = _credits(uow, list(customers)) if customers else {}  # one query, not one per customer
    states = []
    # the first step of an invoice with none done yet (most of them): before or after its due date
    first = {False: steps[0] if steps else None, True: next((s for s in steps if s.offset_days >= 0), None)}
    for inv in invoices:
        days = (today - inv.due_date).days
        done = reminders.get(inv.id, [])
        levels = {r.level for r in done}
        customer = customers[inv.customer_id]
        plan_state = planned.get(inv.id)
        # a reminder before the due date is pointless once it has passed
        next_step = first[days > 0] if not done else next(
            (s for s in steps if s.level not in levels and not (s.offset_days < 0 and days > 0)), None)
        # a missed instalment resumes the ladder at the formal notice (receivables-recovery.md §8)
        if plan_state is not None and plan_state.late and "formal_notice" not in levels:
            next_step = next((s for s in steps if s.level == "formal_notice"), next_step)
        # a step whose moment has passed while a later one is done is skipped
        if next_step is not None and done:
            later = [s for s in steps if s.level in levels]
            if later and steps.index(later[-1]) > steps.index(next_step) and not (plan_state and plan_state.late):
                rest = steps[steps.index(later[-1]) + 1:]
                next_step = rest[0] if rest else None
        next_on = inv.due_date + timedelta(days=next_step.offset_days) if next_step else None
        state = InvoiceState(inv, customer, days, done, next_step, next_on, dispute=disputes.get(inv.id),
                             plan=plan_state.plan if plan_state else None, credit=credits.get(inv.customer_id, ZERO))
        state._today = today
        promise = promises.get(inv.id)
        if promise is not None:
            state.promise = promise
            state.promise_broken = promise.promise_broken or promise.promised_payment_date < today
        if state.dispute is not None:
            state.paused = ("Paiement suspendu par le client jusqu'au règlement du litige"
                            if state.dispute.withhold_payment else "Facture contestée : relances suspendues")
        elif inv.id in claimed:
            state.paused = "Réclamation ouverte sur la facture : relances suspendues"
        elif customer.in_litigation and "escalated" in levels:
            state.paused = "Transmis au contentieux"
        elif plan_state is not None and plan_state.plan.status == PaymentPlanStatus.PENDING:
            state.paused = "Échéancier en attente d'accord de la direction"
        elif plan_state is not None and not plan_state.late:
            state.paused = f"Échéancier {plan_state.plan.number} en cours"
        elif state.credit >= overdue_by_customer.get(inv.customer_id, ZERO) > 0:
            state.paused = (f"Client créditeur ({eur(state.credit)}) : imputez son crédit, "
                            "ne le relancez pas")
        elif next_step is None:
            state.paused = "Procédure terminée"
        states.append(state)
    return states


def chased_states(uow, *, customer_id: int | None = None, steps: list[Step] | None = None) -> list[InvoiceState]:
    """The states of the open invoices that are overdue or may have a reminder
    due today: what the overdue list and today's reminders read (a step falls
    due its offset after the invoice's due date: no invoice due later can have
    one today). At the large size, 300 of the 1 500 open invoices."""
    steps = procedure(uow) if steps is None else steps
    earliest = min([step.offset_days for step in steps] + [1])
    return invoice_states(uow, customer_id=customer_id, due_by=sim_date(uow) - timedelta(days=earliest), steps=steps)


# ===== today's reminders ==================================================

@dataclass
class TodoItem:
    customer: _Customer  # CUSTOMER_COLUMNS
    step: Step
    states: list[InvoiceState]
    due_on: date
    credit: Decimal
    notes: list[str] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return sum((s.invoice.amount_due for s in self.states), ZERO)

    @property
    def amount_to_claim(self) -> Decimal:
        """Net of the credit the customer holds, set against what is late first."""
        return max(ZERO, self.amount - self.credit)


def todo(uow, *, customer_id: int | None = None, states: list[InvoiceState] | None = None,
         steps: list[Step] | None = None) -> list[TodoItem]:
    """The reminders due today or before (not done yet), one item per customer and step, oldest first;
    from ``states`` (and ``steps``) when the caller already has them (every open invoice of ``customer_id``)."""
    items: dict[tuple[int, str], TodoItem] = {}
    steps = procedure(uow) if steps is None else steps
    if not steps:
        return []
    if states is None:
        states = chased_states(uow, customer_id=customer_id, steps=steps)
    for state in states:
        if not state.due_today:
            continue
        cid = state.customer.id
        item = items.setdefault((cid, state.next_step.level), TodoItem(
            state.customer, state.next_step, [], state.next_on, state.credit))
        item.states.append(state)
        item.due_on = min(item.due_on, state.next_on)
        if state.promise_broken and state.promise is not None:
            item.notes.append(f"Promesse non tenue : règlement promis le {fr_date(state.promise.promised_payment_date)}"
                              f" ({state.invoice.number})")
        if state.plan is not None:
            item.notes.append(f"Échéance impayée de l'échéancier {state.plan.number} : reprise à la mise en demeure")
        credit_note = f"Crédit client de {eur(state.credit)} à imputer d'abord"
        if state.credit > 0 and credit_note not in item.notes:  # once an item, not once an invoice
            item.notes.append(credit_note)
    order = {s.level: i for i, s in enumerate(steps)}
    return sorted(items.values(), key=lambda i: (i.due_on, i.customer.name, order.get(i.step.level, 99)))


# ===== shared pieces of the actions ===========================================

def _reminder_number(uow, customer: Customer) -> str:
    """REL-C00042-3: the customer's third recovery action (a key stable across copies)."""
    count = uow.session.scalar(select(func.count(func.distinct(ReminderDetail.number))).where(
        ReminderDetail.customer_id == customer.id)) or 0
    return f"REL-{customer.code}-{count + 1}"


def _chosen(uow, customer: Customer, invoice_ids, errors: dict[str, str], *, overdue: bool = True,
            key: str = "invoices", level: str = "") -> list[InvoiceState]:
    """The invoices the action covers: open invoices of the customer, not paused by a dispute."""
    ids = [read_id(i) for i in (invoice_ids or [])]
    if not ids or any(i is None for i in ids):
        errors[key] = "Cochez au moins une facture ouverte du client."
        return []
    states = invoice_states(uow, customer_id=customer.id, invoice_ids=ids)
    if len(states) != len(set(ids)):
        errors[key] = "Cochez des factures ouvertes de ce client."
        return []
    today = sim_date(uow)
    for s in states:
        if s.dispute is not None or s.paused.startswith("Réclamation"):
            errors[key] = f"La facture {s.invoice.number} est contestée : ses relances sont suspendues."
        elif overdue and s.invoice.due_date >= today:
            errors[key] = f"La facture {s.invoice.number} n'est pas encore échue."
        elif level and any(r.level == level and r.sent_on == today for r in s.done):
            # checked under the workspace's write lock: two tabs (or a double click) do it once
            errors[key] = (f"{ReminderLevel(level).label} déjà faite aujourd'hui sur la facture "
                           f"{s.invoice.number}.")
    return states


def _record(uow, customer: Customer, states: list[InvoiceState], *, number: str, level: str, channel: str,
            text: str, promised: date | None = None, promised_amount: Decimal | None = None,
            claims: dict[str, pen.InvoicePenalty] | None = None, deadline_days: int = 0) -> list[ReminderDetail]:
    """One ``Reminder`` per invoice (the step done, as the evaluator and the timeline read it)
    and its ``ReminderDetail`` (the action's key, promise, penalties, document)."""
    today = sim_date(uow)
    reminders = []
    for s in states:
        reminder = Reminder(workspace_id=uow.workspace_id, customer_id=customer.id, invoice_id=s.invoice.id,
                            level=level, channel=channel if channel != "registered" else "letter", sent_on=today,
                            text=text, promised_payment_date=promised)
        uow.session.add(reminder)
        reminders.append(reminder)
    uow.session.flush()
    rows = []
    for s, reminder in zip(states, reminders):
        claim = (claims or {}).get(s.invoice.number)
        row = ReminderDetail(workspace_id=uow.workspace_id, reminder_id=reminder.id, customer_id=customer.id,
                             invoice_id=s.invoice.id, number=number, level=level, channel=channel, sent_on=today,
                             deadline_days=deadline_days, promised_payment_date=promised,
                             promised_amount=promised_amount,
                             penalties=claim.penalties if claim else ZERO, indemnity=claim.indemnity if claim else ZERO)
        uow.session.add(row)
        rows.append(row)
    uow.session.flush()
    return rows


def _reminder_entry(uow, *, actor: str, customer: Customer, number: str, level: str, channel: str,
                    states: list[InvoiceState], extra: dict | None = None, document: str = "") -> None:
    refs = {"customer": customer.code, "reminder": number}
    if len(states) == 1:
        refs["invoice"] = states[0].invoice.number
    journal.append(uow, kind="reminder.sent", actor=actor, refs=refs, payload={
        "level": level, "channel": channel,
        "invoices": [{"invoice": s.invoice.number, "amount_due": s.invoice.amount_due,
                      "due_date": s.invoice.due_date, "days_late": max(0, s.days_late)} for s in states],
        "amount_due": sum((s.invoice.amount_due for s in states), ZERO),
        "credit": customer_credit(uow, customer.id), "document": document, **(extra or {})})


# ===== penalties of a customer's invoices ====================================

def penalties_for(uow, invoices: list, as_of: date | None = None, *, b2b: bool | None = None) -> list[pen.InvoicePenalty]:
    """Late penalties and indemnity of each invoice (an Invoice or a light row of INVOICE_COLUMNS) at
    ``as_of`` (B2B customers only; ``b2b``: whether the invoices' customer is, when the caller knows)."""
    as_of = as_of or sim_date(uow)
    company = company_of(uow)
    paid: dict[int, list[tuple[date, Decimal]]] = {}
    ids = [i.id for i in invoices]
    if ids:
        for invoice_id, received, amount in uow.session.execute(
                select(PaymentAllocation.invoice_id, Payment.received_on, PaymentAllocation.amount)
                .join(Payment, Payment.id == PaymentAllocation.payment_id)
                .where(PaymentAllocation.invoice_id.in_(ids), Payment.rejected.is_(False),
                       Payment.received_on <= as_of)):
            paid.setdefault(invoice_id, []).append((received, amount))
    kinds = {} if b2b is not None else dict(uow.session.execute(select(Customer.id, Customer.kind).where(
        Customer.id.in_({i.customer_id for i in invoices} or {0}))).all())
    out = []
    for inv in invoices:
        late = [(d, a) for d, a in paid.get(inv.id, []) if d > inv.due_date]
        out.append(pen.invoice_penalty(number=inv.number, due_date=inv.due_date, total_ttc=inv.total_ttc,
                                       open_amount=inv.amount_due, paid_late=late, as_of=as_of,
                                       cgv_rate=company.penalty_rate,
                                       b2b=b2b if b2b is not None else kinds[inv.customer_id] == CustomerKind.B2B))
    return out


# ===== templates the candidate adapts =========================================

def email_template(uow, customer: Customer, level: str, states: list[InvoiceState], language: str = "",
                   credit: Decimal | None = None) -> dict:
    """The subject and body proposed for a reminder email, in the customer's language
    (``credit``: the customer's, when the caller has read it)."""
    company = company_of(uow)
    language = language or customer.language
    credit = customer_credit(uow, customer.id) if credit is None else credit
    amount = max(ZERO, sum((s.invoice.amount_due for s in states), ZERO) - credit)
    if language == "en":
        lines = "\n".join(f"- invoice {s.invoice.number} dated {s.invoice.issue_date:%d/%m/%Y}, due "
                          f"{s.invoice.due_date:%d/%m/%Y}: EUR {s.invoice.amount_due:,.2f} outstanding"
                          for s in states)
        subject, opening = {
            "courtesy": ("Upcoming due date", "This is a friendly reminder that the following invoice(s) will "
                                              "fall due shortly:"),
            "first": ("Payment reminder", "According to our records, the following invoice(s) remain unpaid:"),
            "second": ("Second payment reminder", "Despite our previous reminder, the following invoice(s) are "
                                                  "still unpaid:"),
        }.get(level, ("Payment reminder", "The following invoice(s) remain unpaid:"))
        body = (f"Dear Sir or Madam,\n\n{opening}\n{lines}\n\n"
                + (f"After deduction of your credit of EUR {credit:,.2f}, the amount due is EUR {amount:,.2f}.\n\n"
                   if credit else f"Total due: EUR {amount:,.2f}.\n\n")
                + f"Please arrange payment by bank transfer to IBAN {company.iban} (BIC {company.bic}), "
                  "or let us know the date of payment.\n"
                + ("Under our terms of sale, late-payment interest and a fixed recovery fee of EUR 40 per invoice "
                   "are due.\n" if level == "second" else "")
                + "If payment has already been made, please disregard this message.\n\n"
                  f"Kind regards,\nAccounts receivable — {company.name}")
        return {"subject": f"{subject} — " + ", ".join(s.invoice.number for s in states), "body": body,
                "language": "en"}
    lines = "\n".join(f"- facture {s.invoice.number} du {fr_date(s.invoice.issue_date)}, échue le "
                      f"{fr_date(s.invoice.due_date)} : reste dû {eur(s.invoice.amount_due)}" for s in states)
    subject, opening = {
        "courtesy": ("Rappel d'échéance", "Nous nous permettons de vous rappeler l'échéance prochaine de :"),
        "first": ("Relance", "Sauf erreur de notre part, les factures suivantes restent impayées à ce jour :"),
        "second": ("Deuxième relance", "Malgré notre précédente relance, les factures suivantes restent impayées :"),
    }.get(level, ("Relance", "Les factures suivantes restent impayées :"))
    if level == "courtesy":
        lines = lines.replace("échue le", "à échéance du")
    body = (f"Bonjour,\n\n{opening}\n{lines}\n\n"
            + (f"Déduction faite de votre crédit de {eur(credit)}, le montant dû est de {eur(amount)}.\n\n"
               if credit else f"Montant total dû : {eur(amount)}.\n\n")
            + f"Merci de procéder au règlement par virement (IBAN {company.iban}, BIC {company.bic}) "
              "ou de nous indiquer la date prévue de votre paiement.\n"
            + ("Nous vous rappelons que des pénalités de retard et l'indemnité forfaitaire de 40 € par facture "
               "sont dues de plein droit (C. com. L441-10).\n" if level == "second" else "")
            + "Si votre règlement a été émis entre-temps, merci de ne pas tenir compte de ce message.\n\n"
              f"Cordialement,\nService administration des ventes — {company.name}")
    return {"subject": f"{subject} — " + ", ".join(s.invoice.number for s in states), "body": body, "language": "fr"}


# ===== the actions ==========================================================

def send_reminder_email(uow, *, actor: str, customer_id: int, invoice_ids, level: str, subject: str, body: str,
                        language: str = "", attach_invoices: bool = False, attach_statement: bool = False,
                        form_token: str | None = None) -> list[ReminderDetail]:
    """A reminder by email (courtesy, 1st or 2nd reminder): sent through the
    messaging (``message.sent``) and recorded on each invoice (``reminder.sent``)."""
    from sim.inbox.service import send
    from sim.workspace.forms import claim

    claim(uow, form_token, "reminder.sent")
    customer = uow.get(Customer, customer_id)
    errors: dict[str, str] = {}
    if level not in ("courtesy", "first", "second"):
        errors["level"] = "Relance par courriel : rappel de courtoisie, 1re ou 2e relance."
    states = _chosen(uow, customer, invoice_ids, errors, overdue=level != "courtesy", level=level)
    if errors:
        raise ValidationFailed(errors)
    attach = [("invoice", s.invoice.id) for s in states] if attach_invoices else []
    if attach_statement:
        attach.append(("statement", customer.id))
    message = send(uow, actor=actor, to_role="customer", customer_id=customer.id, subject=subject, body=body,
                   language=language or customer.language, attach=attach)
    number = _reminder_number(uow, customer)
    rows = _record(uow, customer, states, number=number, level=level, channel="email", text=message.body)
    _reminder_entry(uow, actor=actor, customer=customer, number=number, level=level, channel="email", states=states,
                    extra={"message": message.reference})
    return rows


def log_reminder_call(uow, *, actor: str, customer_id: int, invoice_ids, note: str, promised_date=None,
                      promised_amount=None, form_token: str | None = None) -> list[ReminderDetail]:
    """The phone reminder: the call is noted in the CRM (``call.logged``) with
    the reason given and the promise obtained (date, amount), ``reminder.sent``."""
    from sim.crm.service import log_call
    from sim.workspace.forms import claim

    claim(uow, form_token, "reminder.sent")
    customer = uow.get(Customer, customer_id)
    errors: dict[str, str] = {}
    note = read_text(note, "note", errors, label="Compte rendu de l'appel", max_length=4000, required=True,
                     multiline=True)
    promised = _read_date(promised_date, "promised_date", errors)
    amount = read_amount(promised_amount, "promised_amount", errors) if str(promised_amount or "").strip() else None
    today = sim_date(uow)
    if promised is not None and promised < today:
        errors["promised_date"] = "Une promesse de règlement se date d'aujourd'hui ou plus tard."
    if amount is not None and amount <= 0:
        errors["promised_amount"] = "Le montant promis doit être positif."
    if amount is not None and promised is None and "promised_date" not in errors:
        errors["promised_date"] = "Notez la date promise avec le montant."
    states = _chosen(uow, customer, invoice_ids, errors)
    if errors:
        raise ValidationFailed(errors)
    subject = "Relance téléphonique — " + ", ".join(s.invoice.number for s in states)
    text = note + (f"\nPromesse : {eur(amount) + ' ' if amount else ''}le {fr_date(promised)}." if promised else "")
    call = log_call(uow, actor=actor, customer_id=customer.id, note=text, subject=subject)
    number = _reminder_number(uow, customer)
    rows = _record(uow, customer, states, number=number, level="phone", channel="phone", text=text,
                   promised=promised, promised_amount=amount)
    _reminder_entry(uow, actor=actor, customer=customer, number=number, level="phone", channel="phone",
                    states=states, extra={"call": call.reference, "promised_date": promised,
                                          "promised_amount": amount})
    return rows


def _read_date(raw, key: str, errors: dict[str, str]) -> date | None:
    if isinstance(raw, date):
        return raw
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[key] = "Date invalide (jj/mm/aaaa)."
        return None


LETTER_KINDS = {"second": "reminder_letter", "formal_notice": "formal_notice"}


def issue_letter(uow, *, actor: str, customer_id: int, invoice_ids, level: str, deadline_days=8,
                 form_token: str | None = None) -> list[ReminderDetail]:
    """A 2nd reminder letter or the formal notice (mise en demeure, by registered
    letter with acknowledgement of receipt) as PDF: the invoices, late
    penalties to the day and the 40 € indemnity per invoice (B2B), a deadline.
    The PDF is kept with the workspace (``document.generated``) and filed in
    the customer's folder; ``reminder.sent`` carries the figures."""
    from sim.documents.service import keep, render
    from sim.workspace.forms import claim

    claim(uow, form_token, "reminder.sent")
    customer = uow.get(Customer, customer_id)
    errors: dict[str, str] = {}
    if level not in LETTER_KINDS:
        errors["level"] = "Courrier : 2e relance ou mise en demeure."
    try:
        deadline = int(str(deadline_days).strip() or 8)
        if not 1 <= deadline <= 30:
            raise ValueError
    except ValueError:
        errors["deadline_days"] = "Délai de paiement : de 1 à 30 jours."
        deadline = 8
    states = _chosen(uow, customer, invoice_ids, errors, level=level)
    if errors:
        raise ValidationFailed(errors)
    claims = {c.number: c for c in penalties_for(uow, [s.invoice for s in states])}
    number = _reminder_number(uow, customer)
    channel = "registered" if level == "formal_notice" else "letter"
    text = (f"{ReminderLevel(level).label} : " + ", ".join(s.invoice.number for s in states)
            + f", pénalités {eur(sum((c.penalties for c in claims.values()), ZERO))}"
            + f", indemnités {eur(sum((c.indemnity for c in claims.values()), ZERO))}, délai {deadline} jours.")
    rows = _record(uow, customer, states, number=number, level=level, channel=channel, text=text, claims=claims,
                   deadline_days=deadline)
    kind = LETTER_KINDS[level]
    document = keep(uow, actor=actor, rendered=render(uow, kind, rows[0].id), ref_id=rows[0].id)
    for row in rows:
        row.document_id = document.id
    total_pen = sum((c.penalties for c in claims.values()), ZERO)
    total_ind = sum((c.indemnity for c in claims.values()), ZERO)
    _reminder_entry(uow, actor=actor, customer=customer, number=number, level=level, channel=channel, states=states,
                    document=document.filename,
                    extra={"penalties": total_pen, "indemnity": total_ind, "deadline_days": deadline,
                           "rate": next(iter(claims.values())).rate if claims else ZERO,
                           "claims": [{"invoice": c.number, "days": c.days, "rate": c.rate,
                                       "penalties": c.penalties, "indemnity": c.indemnity} for c in claims.values()]})
    return rows


def letter_context(uow, detail_id: int) -> dict:
    """What a reminder letter / formal notice prints (documents/recovery_letter.html);
    ``detail_id`` is the first ``ReminderDetail`` of the action."""
    first = uow.get(ReminderDetail, detail_id)
    rows = uow.session.scalars(select(ReminderDetail).where(ReminderDetail.number == first.number,
                                                            ReminderDetail.customer_id == first.customer_id)
                               .order_by(ReminderDetail.id)).all()
    invoices = [uow.session.get(Invoice, r.invoice_id) for r in rows]
    claims = penalties_for(uow, invoices, as_of=first.sent_on)
    deadline = first.deadline_days or 8
    # what each invoice owed when the letter was sent: today's amount plus what was paid since
    owed = []
    for inv, claim in zip(invoices, claims):
        owed.append((inv, claim))
    principal = sum((c.open_amount for c in claims), ZERO)
    return {"reminder": first, "invoices": owed, "principal": principal,
            "penalties": sum((c.penalties for c in claims), ZERO),
            "indemnity": sum((c.indemnity for c in claims), ZERO),
            "total": principal + sum((c.claim for c in claims), ZERO),
            "deadline": first.sent_on + timedelta(days=deadline), "deadline_days": deadline,
            "previous": _previous(uow, first, invoices),
            "floor": pen.floor_rate(min(i.due_date for i in invoices)), "legal_rate": pen.legal_rate(
                min(i.due_date for i in invoices))}


def _previous(uow, first: ReminderDetail, invoices: list[Invoice]) -> list:
    """The earlier steps on these invoices, one per day and step (its label and date)."""
    from types import SimpleNamespace

    seen, out = set(), []
    for r in uow.session.scalars(select(Reminder).where(
            Reminder.customer_id == first.customer_id, Reminder.invoice_id.in_([i.id for i in invoices]),
            Reminder.id < first.reminder_id).order_by(Reminder.sent_on, Reminder.id)):
        key = f"{r.level}-{r.sent_on}"
        if key not in seen:
            seen.add(key)
            out.append(SimpleNamespace(label=ReminderLevel(r.level).label.lower().replace("1re", "première")
                                       .replace("2e", "deuxième"), sent_on=r.sent_on))
    return out


PENALTY_MENTION = ("Pénalités de retard et indemnité forfaitaire pour frais de recouvrement : "
                   "hors champ de la TVA (indemnités sans contrepartie, C. com. L441-10 II, D441-5)")


def is_penalty_invoice(invoice: Invoice) -> bool:
    return invoice.vat_mention == PENALTY_MENTION


def issue_penalty_invoice(uow, *, actor: str, customer_id: int, invoice_ids,
                          form_token: str | None = None) -> Invoice:
    """An invoice of the late penalties and the 40 € indemnities of the chosen
    invoices (B2B), without VAT, numbered in the invoice series, payable on receipt."""
    from sim.company.numbering import next_number
    from sim.workspace.forms import claim

    claim(uow, form_token, "penalty_invoice.issued")
    customer = uow.get(Customer, customer_id)
    errors: dict[str, str] = {}
    if customer.kind != CustomerKind.B2B:
        errors["invoices"] = "Pénalités et indemnité forfaitaire : entre professionnels seulement (L441-10)."
    ids = [read_id(i) for i in (invoice_ids or [])]
    invoices = [] if not ids or None in ids else list(uow.session.scalars(
        select(Invoice).where(Invoice.id.in_(ids), Invoice.customer_id == customer.id)))
    if not invoices or len(invoices) != len(set(ids)):
        errors.setdefault("invoices", "Cochez des factures de ce client.")
    claims = penalties_for(uow, invoices) if not errors else []
    claims = [c for c in claims if c.claim > 0]
    if not errors and not claims:
        errors["invoices"] = "Aucune de ces factures n'est en retard : pas de pénalités."
    already = set(uow.session.scalars(select(InvoiceLine.description).join(Invoice, Invoice.id == InvoiceLine.invoice_id)
                                      .where(Invoice.customer_id == customer.id,
                                             Invoice.vat_mention == PENALTY_MENTION)))
    for c in claims:
        if any(c.number in d for d in already):
            errors["invoices"] = f"Les pénalités de la facture {c.number} ont déjà été facturées."
    if errors:
        raise ValidationFailed(errors)
    today = sim_date(uow)
    number = next_number(uow, "invoice", today)
    total = sum((c.claim for c in claims), ZERO)
    invoice = Invoice(workspace_id=uow.workspace_id, number=number, customer_id=customer.id, issue_date=today,
                      due_date=today, payment_terms="comptant", vat_mention=PENALTY_MENTION, total_ht=total,
                      total_vat=ZERO, total_ttc=total, amount_due=total,
                      notes="Facture de pénalités de retard et d'indemnités forfaitaires de recouvrement.")
    uow.session.add(invoice)
    uow.session.flush()
    position = 0
    lines = []
    for c in claims:
        for description, amount in (
                (f"Pénalités de retard — facture {c.number} échue le {fr_date(c.due_date)} : "
                 + " ; ".join(f"{eur(p.amount)} × {c.rate} % × {p.days} j / 365" for p in c.periods), c.penalties),
                (f"Indemnité forfaitaire pour frais de recouvrement (D441-5) — facture {c.number}", c.indemnity)):
            if amount <= 0:
                continue
            position += 1
            uow.session.add(InvoiceLine(workspace_id=uow.workspace_id, invoice_id=invoice.id, product_id=None,
                                        description=description[:200], quantity=Decimal("1.000"), unit_price=amount,
                                        vat_rate=ZERO, line_total_ht=amount, position=position,
                                        line_kind="penalty"))
            lines.append({"description": description[:200], "amount": amount})
    journal.append(uow, kind="penalty_invoice.issued", actor=actor,
                   refs={"invoice": invoice.number, "customer": customer.code},
                   payload={"total": total, "penalties": sum((c.penalties for c in claims), ZERO),
                            "indemnity": sum((c.indemnity for c in claims), ZERO),
                            "invoices": [{"invoice": c.number, "days": c.days, "rate": c.rate,
                                          "penalties": c.penalties, "indemnity": c.indemnity} for c in claims],
                            "lines": lines})
    return invoice


def flag_dispute(uow, *, actor: str, invoice_id: int, reason: str, withhold_payment: bool = False,
                 form_token: str | None = None) -> InvoiceDispute:
    """The customer contests the invoice (or withholds payment until a dispute
    is settled): its reminders pause, ``invoice.dispute_flagged``."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "invoice.dispute_flagged")
    invoice = uow.get(Invoice, invoice_id)
    errors: dict[str, str] = {}
    reason = read_text(reason, "reason", errors, label="Motif de la contestation", max_length=300, required=True)
    if invoice.amount_due <= 0:
        errors["reason"] = f"La facture {invoice.number} est réglée : rien à suspendre."
    if _open_disputes(uow, [invoice.id]):
        errors["reason"] = f"La facture {invoice.number} est déjà signalée comme contestée."
    if errors:
        raise ValidationFailed(errors)
    dispute = InvoiceDispute(workspace_id=uow.workspace_id, invoice_id=invoice.id, customer_id=invoice.customer_id,
                             reason=reason, withhold_payment=bool(withhold_payment), opened_on=sim_date(uow))
    uow.session.add(dispute)
    uow.session.flush()
    customer = uow.session.get(Customer, invoice.customer_id)
    journal.append(uow, kind="invoice.dispute_flagged", actor=actor,
                   refs={"invoice": invoice.number, "customer": customer.code},
                   payload={"reason": reason, "withhold_payment": dispute.withhold_payment,
                            "amount_due": invoice.amount_due})
    return dispute


def clear_dispute(uow, *, actor: str, invoice_id: int, resolution: str,
                  form_token: str | None = None) -> InvoiceDispute:
    """The dispute is settled: reminders on the invoice resume, ``invoice.dispute_cleared``."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "invoice.dispute_cleared")
    invoice = uow.get(Invoice, invoice_id)
    errors: dict[str, str] = {}
    resolution = read_text(resolution, "resolution", errors, label="Issue du litige", max_length=300, required=True)
    dispute = _open_disputes(uow, [invoice.id]).get(invoice.id)
    if dispute is None:
        errors["resolution"] = f"La facture {invoice.number} n'est pas contestée."
    if errors:
        raise ValidationFailed(errors)
    dispute.closed_on = sim_date(uow)
    dispute.resolution = resolution
    customer = uow.session.get(Customer, invoice.customer_id)
    journal.append(uow, kind="invoice.dispute_cleared", actor=actor,
                   refs={"invoice": invoice.number, "customer": customer.code},
                   payload={"resolution": resolution, "amount_due": invoice.amount_due})
    return dispute


def break_promise(uow, *, actor: str, invoice_id: int, event_key: str = "") -> ReminderDetail:
    """The promised payment did not come (scenario event ``promise_broken``):
    the promise is marked broken, ``promise.broken``; the ladder resumes."""
    invoice = uow.get(Invoice, invoice_id)
    promise = uow.session.scalars(select(ReminderDetail).where(ReminderDetail.invoice_id == invoice.id,
                                                               ReminderDetail.promised_payment_date.is_not(None))
                                  .order_by(ReminderDetail.sent_on.desc(), ReminderDetail.id.desc())).first()
    if promise is None:
        raise RecoveryRefused(f"Aucune promesse de règlement notée sur la facture {invoice.number}.")
    promise.promise_broken = True
    customer = uow.session.get(Customer, invoice.customer_id)
    refs = {"invoice": invoice.number, "customer": customer.code, "reminder": promise.number}
    if event_key:
        refs["event"] = event_key
    journal.append(uow, kind="promise.broken", actor=actor, refs=refs,
                   payload={"promised_date": promise.promised_payment_date, "promised_amount": promise.promised_amount,
                            "amount_due": invoice.amount_due})
    return promise


def transfer_to_litigation(uow, *, actor: str, customer_id: int, note: str,
                           form_token: str | None = None) -> Customer:
    """The last step: the customer's overdue invoices go to the litigation
    department. The customer is flagged ``in_litigation`` (a new order of
    theirs is blocked until management approves it: sim/sales/service.py),
    management is alerted by a message, ``customer.litigation_transferred``."""
    from sim.inbox.service import send
    from sim.workspace.forms import claim

    claim(uow, form_token, "customer.litigation_transferred")
    customer = uow.get(Customer, customer_id)
    errors: dict[str, str] = {}
    note = read_text(note, "litigation_note", errors, label="Note pour la direction", max_length=2000, required=True,
                     multiline=True)
    if customer.in_litigation:
        errors["litigation_note"] = f"{customer.name} est déjà au contentieux."
    states = [s for s in invoice_states(uow, customer_id=customer.id, include_not_due=False)
              if s.dispute is None]
    if not states and "litigation_note" not in errors:
        errors["litigation_note"] = "Aucune facture échue non contestée : rien à transmettre au contentieux."
    if errors:
        raise ValidationFailed(errors)
    claims = penalties_for(uow, [s.invoice for s in states])
    total = sum((s.invoice.amount_due for s in states), ZERO)
    customer.in_litigation = True
    number = _reminder_number(uow, customer)
    _record(uow, customer, states, number=number, level="escalated", channel="litigation", text=note,
            claims={c.number: c for c in claims})
    body = (f"Bonjour,\n\nJe transmets au contentieux le dossier de {customer.name} ({customer.code}) :\n"
            + "\n".join(f"- facture {s.invoice.number}, échue le {fr_date(s.invoice.due_date)}, reste dû "
                        f"{eur(s.invoice.amount_due)} ({s.days_late} jours de retard)" for s in states)
            + f"\n\nTotal dû : {eur(total)} ; pénalités et indemnités à ce jour : "
              f"{eur(sum((c.claim for c in claims), ZERO))}.\n"
              "Les nouvelles commandes du client sont bloquées jusqu'à votre accord.\n\n" + note)
    message = send(uow, actor=actor, to_role="management", customer_id=customer.id,
                   subject=f"Contentieux : {customer.name} ({eur(total)} échus)", body=body, language="fr")
    _reminder_entry(uow, actor=actor, customer=customer, number=number, level="escalated", channel="litigation",
                    states=states, extra={"message": message.reference})
    journal.append(uow, kind="customer.litigation_transferred", actor=actor,
                   refs={"customer": customer.code, "message": message.reference},
                   payload={"amount_due": total, "invoices": [s.invoice.number for s in states], "note": note})
    return customer
