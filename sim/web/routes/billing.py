"""Deliveries, invoices, credit notes, payments and the printed documents."""
from __future__ import annotations

from datetime import date

from fastapi import Depends, Request
from starlette.datastructures import FormData
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from sim.accounts.models import User
from sim.billing.models import CreditNote, EInvoiceStatus, Invoice, InvoiceLine, InvoiceStatus, invoice_is_open
from sim.billing.einvoice import STATUS_CODES, status_history, status_label
from sim.billing.service import invoice_delivery, issue_credit_note
from sim.clock import sim_date
from sim.crm.models import Customer, PaymentMethod
from sim.crm.service import customer_balance
from sim.db import UnitOfWork
from sim.errors import SimError, ValidationFailed
from sim.receivables.models import Payment, PaymentAllocation
from sim.receivables.service import record_payment
from sim.sales.models import OrderLine, SalesOrder
from sim.stock.models import Carrier, Delivery, DeliveryLine, Product
from sim.web.deps import actor, candidate_only, reading_uow, writing_uow, viewing_uow, candidate_or_inspector
from sim.web.forms import indexed, new_form_token
from sim.web.flash import flash
from sim.web.navigation import document_navigation
from sim.web.pdf import document_pdf
from sim.web.rendering import is_htmx, render
from sim.formatting import eur, fr_date
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell
from sim.web.routes.shipping import shipping_context

router = routes_router()


# ===== deliveries =======================================================

def _delivery_context(uow, delivery_id: int) -> dict:
    delivery = uow.get(Delivery, delivery_id)
    rows = uow.session.execute(
        select(DeliveryLine, OrderLine, Product).join(OrderLine, OrderLine.id == DeliveryLine.order_line_id)
        .join(Product, Product.id == DeliveryLine.product_id).where(DeliveryLine.delivery_id == delivery.id)
        .order_by(OrderLine.position)).all()
    return {"delivery": delivery, "rows": rows, "order": uow.session.get(SalesOrder, delivery.order_id),
            "customer": uow.session.get(Customer, delivery.customer_id),
            "carrier": uow.session.get(Carrier, delivery.carrier_id) if delivery.carrier_id else None,
            "invoice": uow.session.scalars(select(Invoice).where(Invoice.delivery_id == delivery.id)).first(),
            "form_token": new_form_token(), **document_navigation(uow, "delivery", delivery),
            **shipping_context(uow, delivery)}


@router.get("/deliveries")
def delivery_list(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    from sim.stock import lists
    from sim.stock.models import DeliveryStatus

    page = lists.list_deliveries(uow, lists.delivery_params(request.query_params))
    return render(request, "billing/delivery_list.html",
                  {"page": page, "statuses": [(s.value, s.label) for s in DeliveryStatus], "labels": DeliveryStatus,
                   **shell(uow, "deliveries")},
                  block="delivery_table" if is_htmx(request) else None)


@router.get("/deliveries/{delivery_id}")
def delivery_page(request: Request, delivery_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    return render(request, "billing/delivery_page.html", {**_delivery_context(uow, delivery_id), "error": "",
                                                          **shell(uow, "orders")})


@router.post("/deliveries/{delivery_id}/invoice")
def delivery_invoice(request: Request, delivery_id: int, user: User = Depends(candidate_only),
                           uow: UnitOfWork = Depends(writing_uow),
        form: FormData = Depends(form_data)):
    try:
        invoice = invoice_delivery(uow, actor=actor(user), delivery_id=delivery_id, form_token=form.get("form_token"))
        uow.commit()
        flash(request, f"Facture {invoice.number} émise, échéance le {fr_date(invoice.due_date)}.")
    except SimError as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return render(request, "billing/delivery_page.html",
                          {**_delivery_context(reader, delivery_id), "error": refused.message,
                           **shell(reader, "orders")}, status_code=refused.status_code)
    return RedirectResponse(f"/invoices/{invoice.id}", status_code=303)


# ===== invoices =========================================================

@router.get("/invoices")
def invoice_list(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    from sim.billing import lists

    page = lists.list_invoices(uow, lists.invoice_params(request.query_params))
    statuses = [(lists.OPEN, "Non réglées"), *((s.value, s.label) for s in InvoiceStatus)]
    return render(request, "billing/invoice_list.html",
                  {"page": page, "statuses": statuses, "labels": InvoiceStatus, "today": sim_date(uow),
                   **shell(uow, "invoices")},
                  block="invoice_table" if is_htmx(request) else None)


@router.get("/payments")
def payment_list(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    from sim.receivables import lists

    page = lists.list_payments(uow, lists.payment_params(request.query_params))
    methods = {m.value: m.label for m in PaymentMethod}
    return render(request, "billing/payment_list.html",
                  {"page": page, "statuses": [*methods.items(), (lists.REJECTED, "Impayés (rejetés)")],
                   "methods": methods, **shell(uow, "payments")},
                  block="payment_table" if is_htmx(request) else None)


def _invoice_context(uow, invoice_id: int) -> dict:
    from sim.sales.pricing import document_totals

    invoice = uow.get(Invoice, invoice_id)
    lines = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)
                                .order_by(InvoiceLine.position)).all()
    products = {p.id: p for p in uow.session.scalars(select(Product).where(
        Product.id.in_([l.product_id for l in lines])))}
    notes = uow.session.scalars(select(CreditNote).where(CreditNote.invoice_id == invoice.id)
                                .order_by(CreditNote.id)).all()
    payments = uow.session.execute(
        select(PaymentAllocation, Payment).join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(PaymentAllocation.invoice_id == invoice.id).order_by(Payment.received_on)).all()
    return {"invoice": invoice, "lines": lines, "products": products, "credit_notes": notes, "payments": payments,
            "customer": uow.session.get(Customer, invoice.customer_id),
            "order": uow.session.get(SalesOrder, invoice.order_id) if invoice.order_id else None,
            "totals": document_totals(lines, invoice.global_discount_pct), "today": sim_date(uow),
            "statuses": InvoiceStatus, "form_token": new_form_token(),
            "einvoice_history": status_history(uow, invoice), "einvoice_label": status_label,
            "einvoice_code": STATUS_CODES,
            **document_navigation(uow, "invoice", invoice)}


LINE_KINDS = {"freight": "transport", "insurance": "assurance", "penalty": "pénalités"}


@router.get("/credit-notes/{credit_note_id}")
def credit_note_page(request: Request, credit_note_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    from sim.billing.models import CreditNoteLine

    note = uow.get(CreditNote, credit_note_id)
    lines = uow.session.scalars(select(CreditNoteLine).where(CreditNoteLine.credit_note_id == note.id)
                                .order_by(CreditNoteLine.position)).all()
    return render(request, "billing/credit_note_page.html",
                  {"note": note, "lines": lines, "invoice": uow.get(Invoice, note.invoice_id),
                   "customer": uow.session.get(Customer, note.customer_id),
                   "einvoice_labels": {s.value: s.label for s in EInvoiceStatus}, "einvoice_codes": STATUS_CODES,
                   "line_kinds": LINE_KINDS,
                   **document_navigation(uow, "credit_note", note), **shell(uow, "invoices")})


@router.get("/payments/{payment_id}")
def payment_page(request: Request, payment_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    payment = uow.get(Payment, payment_id)
    allocations = uow.session.execute(
        select(PaymentAllocation, Invoice).join(Invoice, Invoice.id == PaymentAllocation.invoice_id)
        .where(PaymentAllocation.payment_id == payment.id).order_by(Invoice.number)).all()
    return render(request, "billing/payment_page.html",
                  {"payment": payment, "allocations": allocations,
                   "customer": uow.session.get(Customer, payment.customer_id),
                   **document_navigation(uow, "payment", payment), **shell(uow, "invoices")})


def _invoice_page(request, uow, invoice_id, *, errors=None, values=None, status_code=200):
    return render(request, "billing/invoice_page.html",
                  {**_invoice_context(uow, invoice_id), "errors": errors or {}, "values": values or {},
                   **shell(uow, "invoices")}, status_code=status_code)


@router.get("/invoices/{invoice_id}")
def invoice_page(request: Request, invoice_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    return _invoice_page(request, uow, invoice_id)


@router.post("/invoices/{invoice_id}/credit-notes")
def invoice_credit_note(request: Request, invoice_id: int, user: User = Depends(candidate_only),
                              uow: UnitOfWork = Depends(writing_uow),
        form: FormData = Depends(form_data)):
    quantities = indexed(form, "credit")
    reason = form.get("reason", "")
    try:
        note = issue_credit_note(uow, actor=actor(user), invoice_id=invoice_id, quantities=quantities,
                                 reason=reason, basis=form.get("basis", "quantity"), form_token=form.get("form_token"))
        uow.commit()
    except ValidationFailed as refused:
        errors = {k.replace("qty-", "credit-"): v for k, v in refused.errors.items()}
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _invoice_page(request, reader, invoice_id, errors=errors, status_code=422,
                                 values={f"credit-{k}": v for k, v in quantities.items()} | {"reason": reason})
    except SimError as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _invoice_page(request, reader, invoice_id, errors={"form": refused.message},
                                 status_code=refused.status_code)
    flash(request, f"Avoir {note.number} émis pour {eur(note.total_ttc)} TTC.")
    return RedirectResponse(f"/invoices/{invoice_id}#avoir-{note.id}", status_code=303)


@router.post("/invoices/{invoice_id}/credit-notes/amount")
def invoice_credit_note_by_amount(request: Request, invoice_id: int, user: User = Depends(candidate_only),
                                  uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    from sim.billing.service import issue_credit_note_by_amount

    values = {f"amount-{k}": form.get(k, "") for k in ("amount", "motive", "vat_rate", "reason")}
    try:
        note = issue_credit_note_by_amount(uow, actor=actor(user), invoice_id=invoice_id,
                                           amount=form.get("amount", ""), motive=form.get("motive", ""),
                                           vat_rate=form.get("vat_rate", ""), reason=form.get("reason", ""),
                                           form_token=form.get("form_token"))
        uow.commit()
    except ValidationFailed as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _invoice_page(request, reader, invoice_id, status_code=422, values=values,
                                 errors={f"amount-{k}": v for k, v in refused.errors.items()})
    except SimError as refused:
        uow.rollback()
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _invoice_page(request, reader, invoice_id, errors={"form": refused.message},
                                 status_code=refused.status_code)
    flash(request, f"Avoir {note.number} émis pour {eur(note.total_ttc)} TTC.")
    return RedirectResponse(f"/invoices/{invoice_id}#avoir-{note.id}", status_code=303)


# ===== payments =========================================================

def _payment_context(uow, customer_id: int) -> dict:
    customer = uow.get(Customer, customer_id)
    invoices = uow.session.scalars(select(Invoice).where(Invoice.customer_id == customer.id, invoice_is_open())
                                   .order_by(Invoice.due_date, Invoice.number)).all()
    from sim.receivables.service import open_credits

    return {"customer": customer, "invoices": invoices, "balance": customer_balance(uow, customer),
            "credits": open_credits(uow, customer.id),
            "methods": PaymentMethod, "today": sim_date(uow), "form_token": new_form_token()}


def _payment_page(request, uow, customer_id, *, errors=None, values=None, status_code=200):
    return render(request, "billing/payment_form.html",
                  {**_payment_context(uow, customer_id), "errors": errors or {}, "values": values or {},
                   **shell(uow, "customers")}, status_code=status_code)


@router.get("/customers/{customer_id}/payments/new")
def payment_new(request: Request, customer_id: int, uow: UnitOfWork = Depends(reading_uow)):
    return _payment_page(request, uow, customer_id)


@router.post("/customers/{customer_id}/payments")
def payment_create(request: Request, customer_id: int, user: User = Depends(candidate_only),
                         uow: UnitOfWork = Depends(writing_uow),
        form: FormData = Depends(form_data)):
    values = {k: form.get(k, "") for k in ("method", "amount", "reference", "received_on", "form_token")}
    allocations = indexed(form, "alloc")
    values |= {f"alloc-{k}": v for k, v in allocations.items()}
    try:
        received = date.fromisoformat(values["received_on"]) if values["received_on"] else None
    except ValueError:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _payment_page(request, reader, customer_id, errors={"received_on": "Date invalide."},
                                 values=values, status_code=422)
    try:
        payment = record_payment(uow, actor=actor(user), customer_id=customer_id, method=values["method"],
                                 amount=values["amount"], allocations=allocations, reference=values["reference"],
                                 received_on=received, form_token=values["form_token"])
        uow.commit()
        flash(request, f"Règlement {payment.number} de {eur(payment.amount)} enregistré"
              + (f" ; {eur(payment.unapplied)} restent au crédit du client." if payment.unapplied else "."))
    except ValidationFailed as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _payment_page(request, reader, customer_id, errors=refused.errors, values=values,
                                 status_code=422)
    except SimError as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _payment_page(request, reader, customer_id, errors={"form": refused.message}, values=values,
                                 status_code=refused.status_code)
    return RedirectResponse(f"/customers/{customer_id}", status_code=303)


def _credit_action(request, uow, user, customer_id: int, form: FormData, action: str):
    """Allocate a customer credit to an invoice, or refund it (one form each on the payment page)."""
    from sim.receivables.service import allocate_credit, refund_credit

    fields = ("source", "invoice", "amount") if action == "allocate" else ("source", "amount", "method", "reference")
    values = {f"{action}-{k}": form.get(k, "") for k in fields}
    try:
        if action == "allocate":
            allocate_credit(uow, actor=actor(user), customer_id=customer_id, source=form.get("source", ""),
                            invoice_id=form.get("invoice", ""), amount=form.get("amount", ""),
                            form_token=form.get("form_token"))
        else:
            refund_credit(uow, actor=actor(user), customer_id=customer_id, source=form.get("source", ""),
                          amount=form.get("amount", ""), method=form.get("method", ""),
                          reference=form.get("reference", ""), form_token=form.get("form_token"))
        uow.commit()
        flash(request, "Crédit imputé sur la facture." if action == "allocate" else "Remboursement enregistré.")
    except ValidationFailed as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _payment_page(request, reader, customer_id, values=values, status_code=422,
                                 errors={f"{action}-{k}": v for k, v in refused.errors.items()})
    except SimError as refused:
        uow.rollback()
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _payment_page(request, reader, customer_id, errors={"form": refused.message}, values=values,
                                 status_code=refused.status_code)
    return RedirectResponse(f"/customers/{customer_id}", status_code=303)


@router.post("/customers/{customer_id}/credits/allocate")
def credit_allocate(request: Request, customer_id: int, user: User = Depends(candidate_only),
                    uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _credit_action(request, uow, user, customer_id, form, "allocate")


@router.post("/customers/{customer_id}/credits/refund")
def credit_refund(request: Request, customer_id: int, user: User = Depends(candidate_only),
                  uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _credit_action(request, uow, user, customer_id, form, "refund")


# ===== printed documents ================================================

@router.get("/quotes/{quote_id}/pdf")
def quote_pdf(quote_id: int, user: User = Depends(candidate_or_inspector), uow: UnitOfWork = Depends(viewing_uow)):
    return document_pdf(uow, user, "quote", quote_id)


@router.get("/orders/{order_id}/acknowledgement.pdf")
def order_ack_pdf(order_id: int, user: User = Depends(candidate_or_inspector), uow: UnitOfWork = Depends(viewing_uow)):
    return document_pdf(uow, user, "order_ack", order_id)


@router.get("/deliveries/{delivery_id}/pdf")
def delivery_pdf(delivery_id: int, user: User = Depends(candidate_or_inspector), uow: UnitOfWork = Depends(viewing_uow)):
    return document_pdf(uow, user, "delivery_note", delivery_id)


@router.get("/invoices/{invoice_id}/pdf")
def invoice_pdf(invoice_id: int, user: User = Depends(candidate_or_inspector), uow: UnitOfWork = Depends(viewing_uow)):
    return document_pdf(uow, user, "invoice", invoice_id)


def _facturx(uow, user: User, kind: str, ref_id: int) -> Response:
    """Download the Factur-X file (PDF/A-3 with its EN 16931 XML embedded) of an
    invoice or a credit note, printed as it stands now; journaled as
    ``document.viewed`` once per version (the printed HTML and the XML), like a PDF."""
    from sim.documents.service import prepare_facturx, print_facturx, record_view

    prepared = prepare_facturx(uow, kind, ref_id)  # reads only
    uow.session.close()  # the connection goes back to the pool while it prints
    content = print_facturx(prepared)
    if not uow.inspecting:
        with uow.evidence():
            record_view(uow, actor=actor(user), rendered=prepared.viewed_as())
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{prepared.filename}"'})


@router.get("/invoices/{invoice_id}/facturx.pdf")
def invoice_facturx(invoice_id: int, user: User = Depends(candidate_or_inspector),
                    uow: UnitOfWork = Depends(viewing_uow)):
    return _facturx(uow, user, "invoice", invoice_id)


@router.get("/credit-notes/{credit_note_id}/facturx.pdf")
def credit_note_facturx(credit_note_id: int, user: User = Depends(candidate_or_inspector),
                        uow: UnitOfWork = Depends(viewing_uow)):
    return _facturx(uow, user, "credit_note", credit_note_id)


@router.get("/credit-notes/{credit_note_id}/pdf")
def credit_note_pdf(credit_note_id: int, user: User = Depends(candidate_or_inspector),
                    uow: UnitOfWork = Depends(viewing_uow)):
    return document_pdf(uow, user, "credit_note", credit_note_id)


@router.get("/customers/{customer_id}/statement.pdf")
def statement_pdf(customer_id: int, user: User = Depends(candidate_or_inspector), uow: UnitOfWork = Depends(viewing_uow)):
    return document_pdf(uow, user, "statement", customer_id)
