"""The candidate's mailbox: thread list, a thread with its reply form, the
compose page, sending and replying, attachments."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData

from sim.accounts.models import User
from sim.billing.models import Invoice
from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.documents import filing
from sim.documents.service import print_ahead
from sim.errors import SimError, ValidationFailed
from sim.inbox import service as inbox
from sim.sales.models import Quote, SalesOrder
from sim.stock.models import Carrier, Supplier
from sim.web.deps import actor, candidate_only, reading_uow, writing_uow, viewing_uow, candidate_or_inspector
from sim.parsing import read_id
from sim.web.forms import customer_key, new_form_token
from sim.web.rendering import is_htmx, render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell
from sim.writing.replies import REPLIES

router = routes_router()

# The list's folders: (key, label); "unread" is the inbox's unread threads.
BOXES = [("inbox", "Boîte de réception"), ("unread", "Non lus"), ("sent", "Envoyés"), ("all", "Tous")]
RECIPIENTS = [("customer", "Client"), ("supplier", "Fournisseur"), ("carrier", "Transporteur"),
              ("management", "Direction"), ("accounting", "Comptabilité"), ("logistics", "Logistique"),
              ("quality", "Qualité")]
RECENT_DOCUMENTS = 10
COMPOSE_FIELDS = ("to_role", "customer", "supplier", "carrier", "language", "subject", "body", "form_token")


# ===== the list ==========================================================

@router.get("/inbox")
def inbox_list(request: Request, box: str = "inbox", uow: UnitOfWork = Depends(viewing_uow)):
    from sim.inbox.lists import inbox_params, thread_page

    box = box if box in dict(BOXES) else "inbox"
    page = thread_page(uow, inbox_params(request.query_params), box="inbox" if box == "unread" else box,
                       unread_only=box == "unread")
    # the unread count of the "Non lus" tab is the shell's (one query for both)
    context = {"page": page, "summaries": page.rows, "total": page.total, "box": box, "boxes": BOXES,
               "role_label": inbox.role_label, **shell(uow, "inbox")}
    return render(request, "inbox/inbox.html", context, block="inbox_table" if is_htmx(request) else None)


# ===== compose ===========================================================

def _party(uow, model, raw: str):
    """A customer or supplier from 'C00042 — Name', 'C00042' or its id."""
    key = customer_key(raw)
    if not key:
        return None
    if key.isdigit():
        id_ = read_id(key)
        return uow.session.scalars(select(model).where(model.id == id_)).first() if id_ else None
    return uow.session.scalars(select(model).where(model.code == key)).first()


def customer_documents(uow, customer: Customer | None) -> list[tuple[str, str]]:
    """What can be attached for this customer: ("kind:id", label), its last
    quotes, order acknowledgements and invoices, most recent first, then its statement."""
    if customer is None:
        return []
    found = []
    for q in uow.session.scalars(select(Quote).where(Quote.customer_id == customer.id)
                                 .order_by(Quote.issue_date.desc(), Quote.id.desc()).limit(RECENT_DOCUMENTS)):
        found.append((q.issue_date, q.id, f"quote:{q.id}", f"Devis {q.number}", q.total_ht, "HT"))
    for o in uow.session.scalars(select(SalesOrder).where(SalesOrder.customer_id == customer.id)
                                 .order_by(SalesOrder.order_date.desc(), SalesOrder.id.desc())
                                 .limit(RECENT_DOCUMENTS)):
        found.append((o.order_date, o.id, f"order_ack:{o.id}", f"Accusé de réception {o.number}", o.total_ht, "HT"))
    for i in uow.session.scalars(select(Invoice).where(Invoice.customer_id == customer.id)
                                 .order_by(Invoice.issue_date.desc(), Invoice.id.desc()).limit(RECENT_DOCUMENTS)):
        found.append((i.issue_date, i.id, f"invoice:{i.id}", f"Facture {i.number}", i.total_ttc, "TTC"))
    found.sort(key=lambda d: (d[0], d[1]), reverse=True)
    from sim.formatting import eur, fr_date

    options = [(value, f"{label} du {fr_date(day)} — {eur(amount)} {basis}")
               for day, _, value, label, amount, basis in found[:RECENT_DOCUMENTS]]
    options.append((f"statement:{customer.id}", "Relevé de compte à ce jour"))
    return options


def _compose_context(uow, values: dict, attach: list[str]) -> dict:
    customer = _party(uow, Customer, values.get("customer", ""))
    return {
        "values": values, "attach": attach, "recipients": RECIPIENTS,
        "suppliers": uow.session.execute(select(Supplier.code, Supplier.name).order_by(Supplier.name)).all(),
        "carriers": uow.session.execute(select(Carrier.id, Carrier.name).order_by(Carrier.name)).all(),
        "customer": customer, "documents": customer_documents(uow, customer),
        "form_token": values.get("form_token") or new_form_token(), "replies": REPLIES,
    }


def _compose_page(request, uow, *, values, attach=(), errors=None, status_code=200):
    return render(request, "inbox/compose.html",
                  {**_compose_context(uow, values, list(attach)), "errors": errors or {}, **shell(uow, "inbox")},
                  status_code=status_code)


@router.get("/inbox/new")
def compose(request: Request, to: str = "", customer: str = "", supplier: str = "",
            uow: UnitOfWork = Depends(reading_uow)):
    found = _party(uow, Customer, customer)
    values = {"to_role": to if to in dict(RECIPIENTS) else ("customer" if found or not supplier else "supplier"),
              "customer": f"{found.code} — {found.name}" if found else ""}
    chosen = _party(uow, Supplier, supplier)
    if chosen:
        values["supplier"] = f"{chosen.code} — {chosen.name}"
    if is_htmx(request) and request.headers.get("HX-Target") == "compose-attachments":
        # The customer field changed: the documents that customer can be sent.
        return render(request, "inbox/compose.html",
                      {"documents": customer_documents(uow, found), "attach": [], "errors": {}, "customer": found},
                      block="compose_attachments")
    return _compose_page(request, uow, values=values)


def _attachments(form) -> list[tuple[str, int]]:
    chosen = []
    for raw in form.getlist("attach"):
        kind, _, ref = str(raw).partition(":")
        if kind:
            chosen.append((kind, read_id(ref) or 0))  # 0 names nothing: "n'existe pas dans votre espace"
    return chosen


@router.post("/inbox")
def send_message(request: Request, user: User = Depends(candidate_only), uow: UnitOfWork = Depends(writing_uow),
                 form: FormData = Depends(form_data)):
    print_ahead(uow, _attachments(form))  # WeasyPrint runs before the write lock is taken
    values = {k: str(form.get(k, "")) for k in COMPOSE_FIELDS}
    attach = [str(v) for v in form.getlist("attach")]
    role = values["to_role"]
    customer = _party(uow, Customer, values["customer"]) if role == "customer" else None
    supplier = _party(uow, Supplier, values["supplier"]) if role == "supplier" else None
    carrier = None
    if role == "carrier" and read_id(values["carrier"]):
        carrier = uow.session.scalars(select(Carrier).where(Carrier.id == read_id(values["carrier"]))).first()
    try:
        message = inbox.send(
            uow, actor=actor(user), to_role=role, subject=values["subject"], body=values["body"],
            language=values["language"], customer_id=customer.id if customer else None,
            supplier_id=supplier.id if supplier else None, to_email=carrier.email if carrier else "",
            attach=_attachments(form), form_token=values["form_token"])
        uow.commit()
    except ValidationFailed as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _compose_page(request, reader, values=values, attach=attach, errors=refused.errors,
                                 status_code=422)
    except SimError as refused:
        uow.rollback()
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _compose_page(request, reader, values=values, attach=attach, errors={"form": refused.message},
                                 status_code=refused.status_code)
    return RedirectResponse(f"/inbox/{message.id}#m-{message.id}", status_code=303)


# ===== a thread ==========================================================

def _thread_context(uow, message_id: int, *, just_read=(), messages=None) -> dict:
    """``messages``: the thread as the caller has just read it (``inbox.thread``), if it has."""
    messages = inbox.thread(uow, message_id) if messages is None else messages
    root = messages[0]
    # Replies answer the last message that came in (or the last one, in a thread the company began).
    target = next((m for m in reversed(messages) if m.direction == "in"), messages[-1])
    customer = uow.session.scalars(select(Customer).where(Customer.id == target.customer_id)).first() \
        if target.customer_id else None
    supplier = uow.session.scalars(select(Supplier).where(Supplier.id == target.supplier_id)).first() \
        if target.supplier_id else None
    return {
        "messages": messages, "root": root, "target": target, "focus": message_id, "just_read": set(just_read),
        "names": inbox.counterparts(uow, messages),
        "addresses": inbox.counterpart_addresses(uow, messages),
        "customer": customer, "supplier": supplier, "target_role": inbox.role_label(target.counterpart_role),
        "reply_subject": inbox.reply_subject(target.subject),
        "documents": customer_documents(uow, customer) if target.counterpart_role == "customer" else [],
        # the inbound attachments already filed (« Classer » on the others)
        "filed": filing.filed_in(uow, [a.id for m in messages if m.direction == "in" for a in m.attachments]),
        "filing_labels": filing.DOC_TYPES, "replies": REPLIES,
    }


def _thread_page(request, uow, message_id, *, just_read=(), values=None, attach=(), errors=None, status_code=200,
                 messages=None):
    context = _thread_context(uow, message_id, just_read=just_read, messages=messages)
    values = values or {"subject": context["reply_subject"], "language": context["target"].language}
    return render(request, "inbox/thread.html",
                  {**context, "values": values, "attach": list(attach), "errors": errors or {},
                   "form_token": values.get("form_token") or new_form_token(), **shell(uow, "inbox")},
                  status_code=status_code)


@router.get("/inbox/{message_id}")
def thread_page(request: Request, message_id: int, user: User = Depends(candidate_or_inspector),
                uow: UnitOfWork = Depends(viewing_uow)):
    # Opening the thread reads its unread messages (journaled: when the candidate
    # noticed the event). The write lock is only taken when there is something to
    # mark, briefly, in the page's own unit of work (one connection at a time).
    messages = inbox.thread(uow, message_id)
    unread = any(m.direction == "in" and not m.read for m in messages)
    just_read = []
    if unread and not uow.inspecting:  # a staff member reading it leaves the message unread
        with uow.evidence():
            just_read = inbox.mark_thread_read(uow, actor=actor(user), message_id=message_id)
        messages = None  # marked read: the page reads the thread again
    return _thread_page(request, uow, message_id, just_read=just_read, messages=messages)


@router.post("/inbox/{message_id}/reply")
def reply(request: Request, message_id: int, user: User = Depends(candidate_only),
          uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    print_ahead(uow, _attachments(form))  # WeasyPrint runs before the write lock is taken
    inbox.thread(uow, message_id)  # NotFound (404) for a message that is not in this mailbox
    values = {k: str(form.get(k, "")) for k in ("subject", "language", "body", "form_token")}
    attach = [str(v) for v in form.getlist("attach")]
    try:
        message = inbox.send(uow, actor=actor(user), to_role="", subject=values["subject"], body=values["body"],
                             language=values["language"], reply_to=message_id, attach=_attachments(form),
                             form_token=values["form_token"])
        uow.commit()
    except ValidationFailed as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _thread_page(request, reader, message_id, values=values, attach=attach, errors=refused.errors,
                                status_code=422)
    except SimError as refused:
        uow.rollback()
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _thread_page(request, reader, message_id, values=values, attach=attach,
                                errors={"form": refused.message}, status_code=refused.status_code)
    return RedirectResponse(f"/inbox/{message.id}#m-{message.id}", status_code=303)


@router.get("/inbox/{message_id}/attachments/{document_id}")
def attachment(message_id: int, document_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    document = inbox.attached_document(uow, message_id=message_id, document_id=document_id)
    # A PDF opens in the browser; anything else a scenario attached is downloaded, never rendered here.
    disposition = "inline" if document.mime_type == "application/pdf" else "attachment"
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in document.filename)
    return Response(document.content, media_type=document.mime_type or "application/octet-stream", headers={
        "Content-Disposition": f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(document.filename)}",
        "X-Content-Type-Options": "nosniff"})
