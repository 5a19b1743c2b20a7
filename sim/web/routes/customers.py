"""Customers: the list (search, filters, sort, pages), the account page with
its timeline and its log-a-call form, and the record forms (customer or
prospect, contacts, delivery addresses)."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from sim.accounts.models import User
from sim.crm import records
from sim.crm import service as crm
from sim.crm.timeline import customer_timeline
from sim.db import UnitOfWork
from sim.documents.filing import customer_folder
from sim.errors import SimError
from sim.web.forms import new_form_token
from sim.web.routes import form_data, router as routes_router
from sim.web.deps import actor, candidate_only, reading_uow, writing_uow, viewing_uow, candidate_or_inspector
from sim.web.rendering import is_htmx, render
from sim.web.shell import shell
from sim.web.forms import show_refusal as _refused

router = routes_router()
MAX_PAGE = 10_000  # beyond, an offset no list reaches (and no integer overflow)


@router.get("/customers")
def customer_list(request: Request, q: str = "", country: str = "", rep: str = "", overdue: str = "",
                  sort: str = "name", dir: str = "asc", page: int = 1,
                  uow: UnitOfWork = Depends(viewing_uow)):
    filters = crm.CustomerFilters(
        q=q[:100], country=country[:2].upper(), sales_rep_id=int(rep) if rep.isdigit() else None,
        overdue_only=overdue == "1", sort=sort if sort in crm.SORTABLE else "name",
        direction="desc" if dir == "desc" else "asc", page=min(max(1, page), MAX_PAGE),
    )
    context = {"page": crm.list_customers(uow, filters), "filters": filters, **crm.filter_choices(uow),
               **shell(uow, "customers")}
    return render(request, "crm/customer_list.html", context,
                  block="customer_table" if is_htmx(request) else None)


def _page_context(uow, customer_id: int, page: int = 1, *, errors=None, values=None) -> dict:
    from sim.communication.consents import consent_revision

    account = crm.customer_account(uow, customer_id)  # reads: no write lock held meanwhile
    return {"account": account, "timeline": customer_timeline(uow, customer_id, min(max(1, page), MAX_PAGE)),
            "addresses": records.delivery_addresses(uow, customer_id), "folder": customer_folder(uow, customer_id),
            "errors": errors or {},
            "values": values or {}, "form_token": new_form_token(),
            "consent_revision": consent_revision(account.customer), **shell(uow, "customers")}


@router.get("/customers/new")
def customer_new(request: Request, status: str = "", uow: UnitOfWork = Depends(reading_uow)):
    return _record_page(request, uow, None, values={"status": "prospect" if status == "prospect" else "customer"})


@router.post("/customers")
def customer_create(request: Request, user: User = Depends(candidate_only), uow: UnitOfWork = Depends(writing_uow),
                    form: FormData = Depends(form_data)):
    values = _strings(form)
    try:
        customer = records.create_record(uow, actor=actor(user), values=values, form_token=values.get("form_token"))
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _record_page(
            request, reader, None, errors=errors, values=values, status_code=status))
    return RedirectResponse(f"/customers/{customer.id}", status_code=303)


@router.get("/customers/{customer_id}")
def customer_page(request: Request, customer_id: int, page: int = 1, user: User = Depends(candidate_or_inspector),
                  uow: UnitOfWork = Depends(viewing_uow)):
    context = _page_context(uow, customer_id, page)
    if not uow.inspecting:  # a staff member reading the workspace leaves no trace in the candidate's journal
        with uow.evidence():  # the same unit of work, one connection: a short write, then the page renders
            crm.record_account_view(uow, actor=actor(user), account=context["account"])
    return render(request, "crm/customer_page.html", context)


@router.post("/customers/{customer_id}/interactions")
def customer_log(request: Request, customer_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    """Log a call, a meeting or a note from the customer page."""
    values = _strings(form)
    try:
        item = records.log_interaction(uow, actor=actor(user), customer_id=customer_id, values=values,
                                       form_token=values.get("form_token"))
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: render(
            request, "crm/customer_page.html", _page_context(reader, customer_id, errors=errors, values=values),
            status_code=status))
    return RedirectResponse(f"/customers/{customer_id}#{item.reference}", status_code=303)


@router.get("/customers/{customer_id}/edit")
def customer_edit(request: Request, customer_id: int, from_message: str = "", uow: UnitOfWork = Depends(reading_uow)):
    """The edit form; ``from_message``: opened from a message asking for the update (its id, carried by the form)."""
    return _record_page(request, uow, customer_id, from_message=from_message)


@router.post("/customers/{customer_id}/edit")
def customer_update(request: Request, customer_id: int, user: User = Depends(candidate_only),
                    uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = _strings(form)
    try:
        records.update_record(uow, actor=actor(user), customer_id=customer_id, values=values,
                              seen_revision=values.get("revision", ""), reason=values.get("reason", ""),
                              from_message=values.get("from_message") or None)
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _record_page(
            request, reader, customer_id, errors=errors, values=values, status_code=status,
            from_message=values.get("from_message", "")))
    return RedirectResponse(f"/customers/{customer_id}", status_code=303)


@router.get("/customers/{customer_id}/contacts/new")
def contact_new(request: Request, customer_id: int, uow: UnitOfWork = Depends(reading_uow)):
    return _sub_page(request, uow, customer_id, "contact", None)


@router.post("/customers/{customer_id}/contacts")
def contact_create(request: Request, customer_id: int, user: User = Depends(candidate_only),
                   uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _save_sub(request, uow, user, customer_id, "contact", None, _strings(form))


@router.get("/customers/{customer_id}/contacts/{contact_id}/edit")
def contact_edit(request: Request, customer_id: int, contact_id: int, uow: UnitOfWork = Depends(reading_uow)):
    return _sub_page(request, uow, customer_id, "contact", contact_id)


@router.post("/customers/{customer_id}/contacts/{contact_id}")
def contact_update(request: Request, customer_id: int, contact_id: int, user: User = Depends(candidate_only),
                   uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _save_sub(request, uow, user, customer_id, "contact", contact_id, _strings(form))


@router.get("/customers/{customer_id}/addresses/new")
def address_new(request: Request, customer_id: int, uow: UnitOfWork = Depends(reading_uow)):
    return _sub_page(request, uow, customer_id, "address", None)


@router.post("/customers/{customer_id}/addresses")
def address_create(request: Request, customer_id: int, user: User = Depends(candidate_only),
                   uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _save_sub(request, uow, user, customer_id, "address", None, _strings(form))


@router.get("/customers/{customer_id}/addresses/{address_id}/edit")
def address_edit(request: Request, customer_id: int, address_id: int, uow: UnitOfWork = Depends(reading_uow)):
    return _sub_page(request, uow, customer_id, "address", address_id)


@router.post("/customers/{customer_id}/addresses/{address_id}")
def address_update(request: Request, customer_id: int, address_id: int, user: User = Depends(candidate_only),
                   uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _save_sub(request, uow, user, customer_id, "address", address_id, _strings(form))


# ===== the record forms ==================================================

def _strings(form: FormData) -> dict[str, str]:
    """The form's text fields (a file sent in place of a field is no value)."""
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _record_page(request, uow, customer_id, *, errors=None, values=None, status_code=200, from_message=""):
    from sim.billing.terms import PAYMENT_TERMS
    from sim.crm.models import Customer, CustomerKind, CustomerStatus, PaymentMethod, RiskRating

    customer = uow.get(Customer, customer_id) if customer_id else None
    shown = dict(values or {})
    if customer is not None and values is None:
        shown = {f: records.shown(getattr(customer, f)) for f in records.CUSTOMER_FIELDS}
        shown["sales_rep"] = shown.pop("sales_rep_id")
        shown["credit_limit"] = shown["credit_limit"].replace(".", ",")  # as a French user types it
        shown["revision"] = records.revision(customer, records.CUSTOMER_FIELDS)
    terms = dict(PAYMENT_TERMS)
    if customer is not None and customer.payment_terms not in terms:
        from sim.billing.terms import terms_label
        terms[customer.payment_terms] = terms_label(customer.payment_terms)
    request_message = None
    if customer is not None and from_message:
        try:  # the message the update answers, shown above the form (a wrong one: said on saving)
            request_message = records.requesting_message(uow, customer, from_message)
        except SimError:
            request_message = None
    shown["from_message"] = str(request_message.id) if request_message else ""
    context = {"customer": customer, "values": shown, "errors": errors or {}, "form_token": new_form_token(),
               "request_message": request_message,
               "terms": terms, **{name: [(m.value, m.label) for m in labelled] for name, labelled in (
                   ("methods", PaymentMethod), ("kinds", CustomerKind), ("statuses", CustomerStatus),
                   ("ratings", RiskRating))}, **crm.filter_choices(uow),
               **shell(uow, "customers")}
    return render(request, "crm/customer_form.html", context, status_code=status_code)


_SUBS = {
    # what: (model, fields, template)
    "contact": ("Contact", records.CONTACT_FIELDS, "crm/contact_form.html"),
    "address": ("DeliveryAddress", records.ADDRESS_FIELDS, "crm/address_form.html"),
}


def _sub_page(request, uow, customer_id, what, item_id, *, errors=None, values=None, status_code=200):
    """The form for one of the customer's contacts or delivery addresses (new when ``item_id`` is None)."""
    from sim.crm import models

    customer = uow.get(models.Customer, customer_id)
    name, fields, template = _SUBS[what]
    item = records.item_of(uow, getattr(models, name), customer, item_id) if item_id else None
    shown = dict(values or {})
    if item is not None and values is None:
        shown = {f: records.shown(getattr(item, f)) for f in fields}
        shown["revision"] = records.revision(item, fields)
    elif values is None and what == "address":
        shown = {"country": customer.country, "active": "1", "recipient": customer.name}
    context = {"customer": customer, "item": item, "values": shown, "errors": errors or {},
               "form_token": new_form_token(), **shell(uow, "customers")}
    return render(request, template, context, status_code=status_code)


def _save_sub(request, uow, user, customer_id, what, item_id, values):
    save = records.save_contact if what == "contact" else records.save_delivery_address
    try:
        save(uow, actor=actor(user), customer_id=customer_id, values=values, item_id=item_id,
             seen_revision=values.get("revision", ""), form_token=values.get("form_token"))
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _sub_page(
            request, reader, customer_id, what, item_id, errors=errors, values=values, status_code=status))
    return RedirectResponse(f"/customers/{customer_id}#{'contacts' if what == 'contact' else 'adresses'}",
                            status_code=303)
