"""Receivables (Recouvrement): the aged balance and DSO, today's reminders, the
overdue list, and a customer's recovery file with the procedure's actions
(sim/receivables/recovery.py, plans.py)."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData

from sim.accounts.models import User
from sim.crm.models import Customer, CustomerKind
from sim.db import NotFound, UnitOfWork
from sim.errors import SimError
from sim.formatting import eur
from sim.journal.models import JournalEntry
from sim.listing import page_of, read_params
from sim.receivables import aging, plans, recovery
from sim.receivables.models import (
    CreditReport, PaymentPlanStatus, RecoveryChannel, Reminder, ReminderDetail, ReminderLevel,
)
from sim.web.deps import actor, candidate_only, candidate_or_inspector, viewing_uow, writing_uow
from sim.web.flash import flash
from sim.web.forms import new_form_token, show_refusal
from sim.web.rendering import is_htmx, render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell

router = routes_router()


# ===== the company's receivables ===========================================

@router.get("/receivables")
def receivables_page(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    """The aged balance: the company's total over every customer with a balance,
    the customers by page (the most overdue first), searched by name or code; the
    tab's count of today's reminders comes after (/receivables/todo/count)."""
    balance, page = aging.aged_page(uow, read_params(request.query_params, sortable=("overdue",),
                                                     default_sort="overdue"))
    return render(request, "receivables/aged_balance.html",
                  {"balance": balance, "page": page, "buckets": aging.BUCKETS,
                   "labels": aging.BUCKET_LABELS, "todo_count": None, "tab": "balance",
                   **shell(uow, "receivables")},
                  block="aged_table" if is_htmx(request) else None)


@router.get("/receivables/todo/count")
def receivables_todo_count(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    """The tab's count of today's reminders, which the aged balance fetches once it shows: the
    ladder of every chased invoice (400 at the large size) is dearer than the balance itself."""
    return render(request, "receivables/_tabs.html", {"todo_count": len(recovery.todo(uow))}, block="todo_count")


@router.get("/receivables/todo")
def receivables_todo(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    """Today's reminders, the oldest first, by page (the count and amount are every item's)."""
    items = recovery.todo(uow)
    return render(request, "receivables/todo.html",
                  {"page": page_of(items, read_params(request.query_params, sortable=(), default_sort="")),
                   "total": sum((i.amount for i in items), aging.ZERO), "todo_count": len(items), "tab": "todo",
                   **shell(uow, "receivables")},
                  block="todo_table" if is_htmx(request) else None)


OVERDUE_STATES = {"": "Toutes", "due": "Relance à faire", "paused": "Relances suspendues",
                  "disputed": "Contestées", "plan": "En échéancier", "litigation": "Au contentieux",
                  "promise": "Promesse non tenue"}


@router.get("/receivables/overdue")
def receivables_overdue(request: Request, bucket: str = "", state: str = "",
                        uow: UnitOfWork = Depends(viewing_uow)):
    """The overdue invoices, the latest first, filtered (search, age, situation) and by page;
    the count and the amount due are the filtered rows' own, every page."""
    params = read_params(request.query_params, sortable=(), default_sort="")
    q = params.q
    bucket = bucket if bucket in aging.BUCKETS[1:] else ""
    state = state if state in OVERDUE_STATES else ""
    states = recovery.chased_states(uow)  # the overdue invoices, and those with a reminder due: one read for both
    rows = [r for r in states if r.days_late > 0]
    if q:
        needle = q.lower()
        rows = [r for r in rows if needle in r.invoice.number.lower() or needle in r.customer.name.lower()
                or needle in r.customer.code.lower()]
    if bucket:
        rows = [r for r in rows if r.bucket == bucket]
    tests = {"due": lambda r: r.due_today, "paused": lambda r: bool(r.paused),
             "disputed": lambda r: r.dispute is not None, "plan": lambda r: r.plan is not None,
             "litigation": lambda r: r.customer.in_litigation, "promise": lambda r: r.promise_broken}
    if state:
        rows = [r for r in rows if tests[state](r)]
    rows.sort(key=lambda r: (-r.days_late, r.customer.name, r.invoice.number))
    filters = urlencode({k: v for k, v in (("bucket", bucket), ("state", state)) if v})
    return render(request, "receivables/overdue.html",
                  {"page": page_of(rows, params), "q": q, "bucket": bucket, "state": state,
                   "states": OVERDUE_STATES, "action": "/receivables/overdue" + (f"?{filters}" if filters else ""),
                   "buckets": aging.BUCKETS[1:], "labels": aging.BUCKET_LABELS, "levels": ReminderLevel,
                   "total": sum((r.invoice.amount_due for r in rows), aging.ZERO),
                   "todo_count": len(recovery.todo(uow, states=states)), "tab": "overdue",
                   **shell(uow, "receivables")},
                  block="overdue_table" if is_htmx(request) else None)


# ===== a customer's recovery file ==========================================

def _consulted(uow, customer: Customer) -> bool:
    refs = uow.session.scalars(select(JournalEntry.refs).where(JournalEntry.kind == "credit_report.consulted"))
    return any((r or {}).get("customer") == customer.code for r in refs)


def _file_context(uow, customer_id: int, *, compose: str = "", lang: str = "", errors=None, values=None) -> dict:
    customer = uow.get(Customer, customer_id)
    frame = shell(uow, "receivables")  # first: the company it reads serves the letters' templates too
    steps = recovery.procedure(uow)
    plan_states = plans.plan_states(uow, customer_ids=[customer.id])
    states = recovery.invoice_states(uow, customer_id=customer.id, steps=steps, plans=plan_states)
    items = recovery.todo(uow, customer_id=customer.id, states=states, steps=steps)
    credit = states[0].credit if states else recovery.customer_credit(uow, customer.id)
    compose = compose if compose in ("courtesy", "first", "second") else ""
    if not compose:
        due_email = next((i for i in items if i.step.channel == "email"), None)
        compose = due_email.step.level if due_email else "first"
    picked = next((i.states for i in items if i.step.level == compose), None) or \
        [s for s in states if s.days_late > 0 and not s.dispute] or states[:1]
    template = recovery.email_template(uow, customer, compose, picked, lang if lang in ("fr", "en") else "",
                                       credit=credit)
    actions = _actions(uow, customer)
    report = uow.session.scalars(select(CreditReport).where(CreditReport.customer_id == customer.id)
                                 .order_by(CreditReport.as_of.desc(), CreditReport.id.desc())).first()
    return {"customer": customer, "states": states, "items": items, "steps": steps,
            "balance": aging.balance_of(uow, customer, [s.invoice for s in states], credit), "buckets": aging.BUCKETS,
            "labels": aging.BUCKET_LABELS, "compose": compose, "template": template,
            "picked": {s.invoice.id for s in picked}, "actions": actions, "levels": ReminderLevel,
            "channels": RecoveryChannel, "channel_codes": {c.value for c in RecoveryChannel},
            "claims": {c.number: c for c in recovery.penalties_for(uow, [s.invoice for s in states],
                                                                   b2b=customer.kind == CustomerKind.B2B)},
            "plans": plan_states, "plan_status": PaymentPlanStatus,
            "report": report if report is not None and _consulted(uow, customer) else None,
            "credit": credit,  # the company: the shell's (frame)
            "errors": errors or {}, "values": values or {}, "form_token": new_form_token(),
            **frame}


def _actions(uow, customer: Customer) -> list[dict]:
    """The steps done, newest first: one line per action of the candidate (its
    invoices, penalties, letter), one per seeded reminder."""
    actions: dict[str, dict] = {}
    for r, d in uow.session.execute(select(Reminder, ReminderDetail)  # the step and, for a candidate's, its detail
                                    .outerjoin(ReminderDetail, ReminderDetail.reminder_id == Reminder.id)
                                    .where(Reminder.customer_id == customer.id)
                                    .order_by(Reminder.sent_on.desc(), Reminder.id.desc())):
        key = d.number if d else f"seed-{r.id}"
        line = actions.setdefault(key, {"number": d.number if d else "", "level": r.level,
                                        "channel": d.channel if d else r.channel, "sent_on": r.sent_on,
                                        "count": 0, "penalties": aging.ZERO, "indemnity": aging.ZERO,
                                        "document_id": d.document_id if d else None, "text": r.text})
        line["count"] += 1
        if d:
            line["penalties"] += d.penalties
            line["indemnity"] += d.indemnity
    return list(actions.values())


@router.get("/customers/{customer_id}/recovery")
def recovery_page(request: Request, customer_id: int, compose: str = "", lang: str = "",
                  uow: UnitOfWork = Depends(viewing_uow)):
    return render(request, "receivables/customer_recovery.html",
                  _file_context(uow, customer_id, compose=compose[:20], lang=lang[:2]))


@router.get("/customers/{customer_id}/recovery/documents/{document_id}")
def recovery_document(customer_id: int, document_id: int, user: User = Depends(candidate_or_inspector),
                      uow: UnitOfWork = Depends(viewing_uow)):
    """A letter as it was sent (the stored PDF of a reminder letter or formal notice)."""
    from sim.documents.models import Document

    customer = uow.get(Customer, customer_id)
    document = uow.get(Document, document_id)
    linked = uow.session.scalar(select(ReminderDetail.id).where(ReminderDetail.customer_id == customer.id,
                                                                ReminderDetail.document_id == document.id).limit(1))
    if linked is None:
        raise NotFound(f"document {document_id}")
    return Response(document.content, media_type=document.mime_type,
                    headers={"Content-Disposition": f'inline; filename="{document.filename}"'})


def _act(request, uow, customer_id: int, values: dict, action, done, anchor: str):
    try:
        message = action()
        uow.commit()
    except SimError as refused:
        return show_refusal(uow, refused, lambda reader, errors, status: render(
            request, "receivables/customer_recovery.html",
            _file_context(reader, customer_id, compose=values.get("level", ""), errors=errors, values=values),
            status_code=status))
    flash(request, done(message) if callable(done) else done)
    return RedirectResponse(f"/customers/{customer_id}/recovery#{anchor}", status_code=303)


def _values(form: FormData) -> dict:
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    values["invoices"] = [v for v in form.getlist("invoices") if isinstance(v, str)]
    return values


@router.post("/customers/{customer_id}/recovery/email")
def recovery_email(request: Request, customer_id: int, user: User = Depends(candidate_only),
                   uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _values(form)
    return _act(request, uow, customer_id, v, lambda: recovery.send_reminder_email(
        uow, actor=actor(user), customer_id=customer_id, invoice_ids=v["invoices"], level=v.get("level", ""),
        subject=v.get("subject", ""), body=v.get("body", ""), language=v.get("language", ""),
        attach_invoices=v.get("attach_invoices") == "1", attach_statement=v.get("attach_statement") == "1",
        form_token=v.get("form_token")), lambda rows: f"Relance {rows[0].number} envoyée par courriel.", "historique")


@router.post("/customers/{customer_id}/recovery/call")
def recovery_call(request: Request, customer_id: int, user: User = Depends(candidate_only),
                  uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _values(form)
    return _act(request, uow, customer_id, v, lambda: recovery.log_reminder_call(
        uow, actor=actor(user), customer_id=customer_id, invoice_ids=v["invoices"], note=v.get("note", ""),
        promised_date=v.get("promised_date", ""), promised_amount=v.get("promised_amount", ""),
        form_token=v.get("form_token")), lambda rows: f"Appel de relance noté ({rows[0].number}).", "historique")


@router.post("/customers/{customer_id}/recovery/letter")
def recovery_letter(request: Request, customer_id: int, user: User = Depends(candidate_only),
                    uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _values(form)
    return _act(request, uow, customer_id, v, lambda: recovery.issue_letter(
        uow, actor=actor(user), customer_id=customer_id, invoice_ids=v["invoices"], level=v.get("level", ""),
        deadline_days=v.get("deadline_days", "8"), form_token=v.get("form_token")),
        lambda rows: (f"{ReminderLevel(rows[0].level).label} {rows[0].number} imprimée : pénalités "
                      f"{eur(sum((r.penalties for r in rows), aging.ZERO))}, indemnités "
                      f"{eur(sum((r.indemnity for r in rows), aging.ZERO))}."), "historique")


@router.post("/customers/{customer_id}/recovery/penalty-invoice")
def recovery_penalty_invoice(request: Request, customer_id: int, user: User = Depends(candidate_only),
                             uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _values(form)
    return _act(request, uow, customer_id, v, lambda: recovery.issue_penalty_invoice(
        uow, actor=actor(user), customer_id=customer_id, invoice_ids=v["invoices"], form_token=v.get("form_token")),
        lambda inv: f"Facture de pénalités {inv.number} émise ({eur(inv.total_ttc)}, sans TVA).", "factures")


@router.post("/customers/{customer_id}/recovery/dispute")
def recovery_dispute(request: Request, customer_id: int, user: User = Depends(candidate_only),
                     uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    from sim.billing.models import Invoice
    from sim.parsing import read_id

    v = _values(form)

    def act():
        invoice_id = read_id(v.get("invoice", ""))
        invoice = uow.session.scalars(select(Invoice).where(Invoice.id == invoice_id,
                                                            Invoice.customer_id == customer_id)).first() \
            if invoice_id else None
        if invoice is None:
            from sim.errors import ValidationFailed
            raise ValidationFailed({"dispute-invoice": "Choisissez une facture de ce client."})
        if v.get("action") not in ("flag", "clear"):
            from sim.errors import ValidationFailed
            raise ValidationFailed({"dispute-invoice": "Action inconnue."})
        if v.get("action") == "clear":
            return recovery.clear_dispute(uow, actor=actor(user), invoice_id=invoice.id,
                                          resolution=v.get("resolution", ""), form_token=v.get("form_token"))
        return recovery.flag_dispute(uow, actor=actor(user), invoice_id=invoice.id, reason=v.get("reason", ""),
                                     withhold_payment=v.get("withhold_payment") == "1", form_token=v.get("form_token"))
    return _act(request, uow, customer_id, v, act,
                lambda d: "Contestation levée : les relances reprennent." if d.closed_on
                else "Facture signalée contestée : ses relances sont suspendues.", "factures")


@router.post("/customers/{customer_id}/recovery/payment-plan")
def recovery_payment_plan(request: Request, customer_id: int, user: User = Depends(candidate_only),
                          uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _values(form)
    instalments = [(v.get(f"date-{n}", ""), v.get(f"amount-{n}", "")) for n in range(1, 13)]
    return _act(request, uow, customer_id, v, lambda: plans.propose_plan(
        uow, actor=actor(user), customer_id=customer_id, invoice_ids=v["invoices"], instalments=instalments,
        note=v.get("note", ""), penalties_waived=v.get("penalties_waived") == "1", form_token=v.get("form_token")),
        lambda p: (f"Échéancier {p.number} accordé ({p.months} mois)." if p.status == PaymentPlanStatus.ACTIVE
                   else f"Échéancier {p.number} : {p.months} mois dépassent votre délégation, accord de la "
                        "direction demandé."), "echeanciers")


@router.post("/customers/{customer_id}/recovery/credit-report")
def recovery_credit_report(request: Request, customer_id: int, user: User = Depends(candidate_only),
                           uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _act(request, uow, customer_id, {}, lambda: plans.consult_credit_report(
        uow, actor=actor(user), customer_id=customer_id), "Rapport de solvabilité consulté.", "solvabilite")


@router.post("/customers/{customer_id}/recovery/litigation")
def recovery_litigation(request: Request, customer_id: int, user: User = Depends(candidate_only),
                        uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _values(form)
    return _act(request, uow, customer_id, v, lambda: recovery.transfer_to_litigation(
        uow, actor=actor(user), customer_id=customer_id, note=v.get("litigation_note", ""),
        form_token=v.get("form_token")),
        "Dossier transmis au contentieux : commandes du client bloquées, direction alertée.", "contentieux")
