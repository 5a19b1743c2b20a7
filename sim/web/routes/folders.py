"""Folders: a customer's and an order's filed documents, one filed document with
its versions (correct its filing, pass it on to a colleague), and filing an
attachment of the inbox (« Classer »). Rules in sim/documents/filing.py."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData

from sim.accounts.models import User
from sim.crm.models import Customer, Interaction
from sim.db import UnitOfWork
from sim.documents import filing
from sim.documents.models import Document
from sim.errors import SimError
from sim.inbox import service as inbox
from sim.sales.models import SalesOrder
from sim.web.deps import actor, candidate_only, reading_uow, writing_uow
from sim.web.forms import new_form_token
from sim.web.rendering import render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell
from sim.web.forms import show_refusal as _refused

router = routes_router()
FIELDS = ("folder", "doc_type", "number", "note", "to", "form_token")


def _values(form: FormData) -> dict[str, str]:
    return {k: str(form.get(k, "")) for k in FIELDS}


# ===== the folders =======================================================

@router.get("/customers/{customer_id}/folder")
def customer_folder(request: Request, customer_id: int, user: User = Depends(candidate_only),
                    uow: UnitOfWork = Depends(reading_uow)):
    customer = uow.get(Customer, customer_id)
    return render(request, "filing/folder.html", {
        "customer": customer, "order": None, "entries": filing.customer_folder(uow, customer.id),
        **shell(uow, "customers")})


@router.get("/orders/{order_id}/folder")
def order_folder(request: Request, order_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(reading_uow)):
    order = uow.get(SalesOrder, order_id)
    customer = uow.session.get(Customer, order.customer_id)
    return render(request, "filing/folder.html", {
        "customer": customer, "order": order, "entries": filing.order_folder(uow, order.id),
        **shell(uow, "orders")})


# ===== one filed document ================================================

def _filed_page(request, uow, filed_id: int, *, values=None, errors=None, status_code=200):
    filed = filing.get(uow, filed_id)
    history = filing.versions(uow, filed.series)
    current = history[0]
    customer = uow.session.get(Customer, current.customer_id)
    names = dict(uow.session.execute(select(Document.id, Document.filename).where(
        Document.id.in_({v.document_id for v in history}))).all())
    orders = dict(uow.session.execute(select(SalesOrder.id, SalesOrder.number).where(
        SalesOrder.id.in_({v.order_id for v in history if v.order_id}))).all())
    messages = dict(uow.session.execute(select(Interaction.id, Interaction.reference).where(
        Interaction.id.in_({v.message_id for v in history if v.message_id}))).all())
    types = filing.GENERATED_TYPES if current.source == "generated" else filing.INBOUND_TYPES
    return render(request, "filing/filed.html", {
        "filed": filed, "current": current, "history": history, "customer": customer, "names": names,
        "orders": orders, "messages": messages, "folders": filing.customer_folders(uow, customer.id),
        "types": types, "labels": filing.DOC_TYPES, "colleagues": filing.COLLEAGUES,
        "values": values or {}, "errors": errors or {}, "pass_token": new_form_token(), "refile_token": new_form_token(),
        **shell(uow, "customers")},
        status_code=status_code)


@router.get("/filed/{filed_id}")
def filed_page(request: Request, filed_id: int, user: User = Depends(candidate_only),
               uow: UnitOfWork = Depends(reading_uow)):
    return _filed_page(request, uow, filed_id)


@router.get("/filed/{filed_id}/file")
def filed_file(filed_id: int, user: User = Depends(candidate_only), uow: UnitOfWork = Depends(reading_uow)):
    """This version's file, exactly as it was filed."""
    filed = filing.get(uow, filed_id)
    document = uow.session.scalars(select(Document).where(Document.id == filed.document_id)).one()
    disposition = "inline" if document.mime_type == "application/pdf" else "attachment"
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in document.filename)
    return Response(document.content, media_type=document.mime_type or "application/octet-stream", headers={
        "Content-Disposition": f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(document.filename)}",
        "X-Content-Type-Options": "nosniff"})


@router.post("/filed/{filed_id}/refile")
def filed_refile(request: Request, filed_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = _values(form)
    try:
        filed = filing.refile(uow, actor=actor(user), filed_id=filed_id, folder=values["folder"],
                              doc_type=values["doc_type"], note=values["note"], form_token=values["form_token"])
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _filed_page(
            request, reader, filed_id, values=values | {"action": "refile"}, errors=errors, status_code=status))
    return RedirectResponse(f"/filed/{filed.id}", status_code=303)


@router.post("/filed/{filed_id}/pass-on")
def filed_pass_on(request: Request, filed_id: int, user: User = Depends(candidate_only),
                  uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = _values(form)
    try:
        message = filing.pass_on(uow, actor=actor(user), filed_id=filed_id, to=values["to"], note=values["note"],
                                 form_token=values["form_token"])
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _filed_page(
            request, reader, filed_id, values=values | {"action": "pass_on"}, errors=errors, status_code=status))
    return RedirectResponse(f"/inbox/{message.id}#m-{message.id}", status_code=303)


# ===== « Classer » an attachment of the inbox ============================

def _classify_page(request, uow, message_id: int, document_id: int, *, values=None, errors=None, status_code=200):
    document = inbox.attached_document(uow, message_id=message_id, document_id=document_id)  # 404 otherwise
    message = uow.session.scalars(select(Interaction).where(Interaction.id == message_id)).one()
    choices = filing.folder_choices(uow, message)
    earlier = [f for f in uow.session.scalars(select(filing.FiledDocument).where(
        filing.FiledDocument.document_id == document.id).order_by(filing.FiledDocument.id.desc()))]
    default_type = "customer_po" if document.kind == "customer_po" else ""
    values = values or {"folder": choices[0].value if len(choices) == 1 else "", "doc_type": default_type}
    return render(request, "filing/classify.html", {
        "message": message, "document": document, "choices": choices, "types": filing.INBOUND_TYPES,
        "earlier": earlier, "labels": filing.DOC_TYPES, "values": values, "errors": errors or {},
        "form_token": new_form_token(), "counterpart": inbox.counterparts(uow, [message])[message.id],
        **shell(uow, "inbox")}, status_code=status_code)


@router.get("/inbox/{message_id}/attachments/{document_id}/filing")
def classify_form(request: Request, message_id: int, document_id: int, user: User = Depends(candidate_only),
                  uow: UnitOfWork = Depends(reading_uow)):
    return _classify_page(request, uow, message_id, document_id)


@router.post("/inbox/{message_id}/attachments/{document_id}/filing")
def classify(request: Request, message_id: int, document_id: int, user: User = Depends(candidate_only),
             uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = _values(form)
    try:
        filed = filing.file_attachment(uow, actor=actor(user), message_id=message_id, document_id=document_id,
                                       folder=values["folder"], doc_type=values["doc_type"], number=values["number"],
                                       note=values["note"], form_token=values["form_token"])
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _classify_page(
            request, reader, message_id, document_id, values=values, errors=errors, status_code=status))
    target = f"/orders/{filed.order_id}/folder" if filed.order_id else f"/customers/{filed.customer_id}/folder"
    return RedirectResponse(f"{target}#f-{filed.id}", status_code=303)
