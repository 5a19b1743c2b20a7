"""Purchasing and orders at risk: purchase orders (list, entry, page, sending,
ARC, reminders, new dates, receipts, PDFs), reorder proposals, the « à risque »
page and, per order, re-promising, informing the customer, proposing a substitute."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData

from sim.accounts.models import User
from sim.db import UnitOfWork
from sim.errors import SimError, ValidationFailed
from sim.formatting import fr_date
from sim.parsing import read_id
from sim.purchasing import lists, promises, reorder, service as purchasing
from sim.purchasing.documents import render_pdf
from sim.purchasing.risk import order_outlook, order_outlooks
from sim.sales.models import OrderLine, OrderStatus
from sim.stock.models import Product, PurchaseOrderStatus, Supplier
from sim.web.deps import actor, candidate_only, reading_uow, viewing_uow, writing_uow
from sim.web.flash import flash
from sim.web.forms import indexed, new_form_token
from sim.web.rendering import is_htmx, render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell

router = routes_router()
EDITOR_ROWS = 5
_LINE = ("product", "qty")


def _refused(uow, page):
    """A refused action: roll back (the write lock goes), then render ``page(reader)``."""
    uow.rollback()
    with UnitOfWork(uow.workspace_id, write=False) as reader:
        return page(reader)


def _pdf(filename: str, content: bytes) -> Response:
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


# ===== the list ==========================================================

@router.get("/purchase-orders")
def purchase_order_list(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    page = lists.list_purchase_orders(uow, lists.purchase_order_params(request.query_params))
    return render(request, "purchasing/purchase_order_list.html",
                  {"page": page, "statuses": [(s.value, s.label) for s in PurchaseOrderStatus],
                   "labels": PurchaseOrderStatus, **shell(uow, "purchase-orders")},
                  block="po_table" if is_htmx(request) else None)


# ===== entry =============================================================

def _suppliers(uow):
    return list(uow.session.scalars(select(Supplier).order_by(Supplier.name)))


def _form_page(request, uow, *, values: dict, rows: list[dict], errors=None, status_code=200):
    products = uow.session.execute(select(Product.reference, Product.name).where(Product.active.is_(True))
                                   .order_by(Product.reference)).all()
    while len(rows) < EDITOR_ROWS:
        rows.append({"n": len(rows), "product": "", "qty": ""})
    return render(request, "purchasing/purchase_order_form.html",
                  {"values": values, "rows": rows, "errors": errors or {}, "suppliers": _suppliers(uow),
                   "products": products, "form_token": values.get("form_token") or new_form_token(),
                   **shell(uow, "purchase-orders")}, status_code=status_code)


@router.get("/purchase-orders/new")
def purchase_order_new(request: Request, supplier: str = "", product: str = "", qty: str = "",
                       uow: UnitOfWork = Depends(reading_uow)):
    """The entry form; ``?supplier=ID`` fills in that supplier's reorder proposals
    (``&product=REF&qty=N`` one line)."""
    values, rows = {"supplier": "", "requested_date": "", "notes": ""}, []
    chosen = uow.session.scalars(select(Supplier).where(Supplier.id == read_id(supplier))).first() \
        if read_id(supplier) else None
    if chosen is not None:
        values["supplier"] = str(chosen.id)
        from datetime import timedelta

        from sim.clock import sim_date
        from sim.sales.working_days import next_working_day

        values["requested_date"] = next_working_day(sim_date(uow) + timedelta(days=chosen.lead_time_days)).isoformat()
        if product:
            rows = [{"n": 0, "product": product[:40], "qty": qty[:12]}]
        else:
            rows = [{"n": i, "product": p.product.reference, "qty": f"{p.quantity:.0f}"}
                    for i, p in enumerate(reorder.proposals(uow, supplier_id=chosen.id))]
    return _form_page(request, uow, values=values, rows=rows)


def _rows(form) -> list[dict]:
    rows: dict[int, dict] = {}
    for key, value in form.multi_items():
        name, _, n = key.partition("-")
        if name in _LINE and n.isdigit() and len(n) <= 3 and isinstance(value, str):
            rows.setdefault(int(n), {"n": int(n)})[name] = value.strip()
    return [rows[n] for n in sorted(rows)]


@router.post("/purchase-orders")
def purchase_order_create(request: Request, user: User = Depends(candidate_only),
                          uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = {k: str(form.get(k, "")) for k in ("supplier", "requested_date", "notes", "form_token")}
    rows = _rows(form)
    filled = [r for r in rows if r.get("product") or r.get("qty")]
    try:
        po = purchasing.create_purchase_order(
            uow, actor=actor(user), supplier_id=read_id(values["supplier"]),
            lines=[purchasing.POLineInput(r.get("product", ""), r.get("qty", "")) for r in filled],
            requested_date=values["requested_date"], notes=values["notes"], form_token=values["form_token"])
        uow.commit()
    except ValidationFailed as refused:
        errors = {}
        for key, message in refused.errors.items():
            head, _, rest = key.partition("-")
            if head == "lines" and rest:
                i, _, field = rest.partition("-")
                if i.isdigit() and int(i) < len(filled):
                    key = f"{'qty' if field == 'quantity' else field}-{filled[int(i)]['n']}"
            errors[key] = message
        return _refused(uow, lambda reader: _form_page(request, reader, values=values, rows=rows, errors=errors,
                                                       status_code=422))
    except SimError as refused:
        message, status = refused.message, refused.status_code
        return _refused(uow, lambda reader: _form_page(request, reader, values=values, rows=rows,
                                                       errors={"form": message}, status_code=status))
    flash(request, f"Commande fournisseur {po.number} enregistrée (brouillon) : vérifiez-la, puis envoyez-la.")
    return RedirectResponse(f"/purchase-orders/{po.id}", status_code=303)


# ===== one purchase order =================================================

def _po_page(request, uow, purchase_order_id, *, errors=None, error="", values=None, status_code=200):
    context = purchasing.purchase_order_page(uow, purchase_order_id)
    po, supplier = context["po"], context["supplier"]
    subject, body = purchasing.default_message(uow, po, supplier)
    return render(request, "purchasing/purchase_order_page.html",
                  {**context, "statuses": PurchaseOrderStatus, "errors": errors or {}, "error": error,
                   "values": {"subject": subject, "body": body, **(values or {})}, "form_token": new_form_token(),
                   **shell(uow, "purchase-orders")}, status_code=status_code)


@router.get("/purchase-orders/{purchase_order_id}")
def purchase_order_page(request: Request, purchase_order_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    return _po_page(request, uow, purchase_order_id)


@router.get("/purchase-orders/{purchase_order_id}/pdf")
def purchase_order_pdf(purchase_order_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    return _pdf(*render_pdf(uow, "purchase_order", purchase_order_id))


@router.get("/goods-receipts/{receipt_id}/pdf")
def goods_receipt_pdf(receipt_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    return _pdf(*render_pdf(uow, "goods_receipt", receipt_id))


def _po_action(request, uow, purchase_order_id, form, run, done: str, fields: tuple[str, ...] = ()):
    values = {k: str(form.get(k, "")) for k in fields}
    try:
        po = run()
        uow.commit()
    except ValidationFailed as refused:
        errors = dict(refused.errors)
        return _refused(uow, lambda reader: _po_page(request, reader, purchase_order_id, errors=errors,
                                                     error=errors.get("form", ""), values=values, status_code=422))
    except SimError as refused:
        message, status = refused.message, refused.status_code
        return _refused(uow, lambda reader: _po_page(request, reader, purchase_order_id, error=message,
                                                     values=values, status_code=status))
    flash(request, done.format(po=po))
    return RedirectResponse(f"/purchase-orders/{purchase_order_id}", status_code=303)


@router.post("/purchase-orders/{purchase_order_id}/send")
def purchase_order_send(request: Request, purchase_order_id: int, user: User = Depends(candidate_only),
                        uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    purchasing.print_ahead(uow, purchase_order_id)  # WeasyPrint runs before the write lock is taken
    return _po_action(request, uow, purchase_order_id, form, lambda: purchasing.send_purchase_order(
        uow, actor=actor(user), purchase_order_id=purchase_order_id, subject=str(form.get("subject", "")),
        body=str(form.get("body", "")), form_token=form.get("form_token")),
        "Commande {po.number} envoyée au fournisseur (PDF joint au courriel).", ("subject", "body"))


@router.post("/purchase-orders/{purchase_order_id}/acknowledgement")
def purchase_order_ack(request: Request, purchase_order_id: int, user: User = Depends(candidate_only),
                       uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _po_action(request, uow, purchase_order_id, form, lambda: purchasing.record_acknowledgement(
        uow, actor=actor(user), purchase_order_id=purchase_order_id, confirmed_date=str(form.get("confirmed_date", "")),
        note=str(form.get("note", "")), form_token=form.get("form_token")),
        "Accusé de réception enregistré : livraison confirmée le {po.confirmed_date:%d/%m/%Y}.",
        ("confirmed_date", "note"))


@router.post("/purchase-orders/{purchase_order_id}/reminder")
def purchase_order_remind(request: Request, purchase_order_id: int, user: User = Depends(candidate_only),
                          uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _po_action(request, uow, purchase_order_id, form, lambda: purchasing.remind_supplier(
        uow, actor=actor(user), purchase_order_id=purchase_order_id, subject=str(form.get("reminder_subject", "")),
        body=str(form.get("reminder_body", "")), form_token=form.get("form_token")),
        "Relance envoyée au fournisseur pour la commande {po.number}.", ("reminder_subject", "reminder_body"))


@router.post("/purchase-orders/{purchase_order_id}/new-date")
def purchase_order_new_date(request: Request, purchase_order_id: int, user: User = Depends(candidate_only),
                            uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _po_action(request, uow, purchase_order_id, form, lambda: purchasing.agree_new_date(
        uow, actor=actor(user), purchase_order_id=purchase_order_id, new_date=str(form.get("new_date", "")),
        reason=str(form.get("reason", "")), form_token=form.get("form_token")),
        "Nouvelle date enregistrée : livraison attendue le {po.confirmed_date:%d/%m/%Y}.", ("new_date", "reason"))


@router.post("/purchase-orders/{purchase_order_id}/receipts")
def purchase_order_receive(request: Request, purchase_order_id: int, user: User = Depends(candidate_only),
                           uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    received, refused, gaps = indexed(form, "received"), indexed(form, "refused"), indexed(form, "discrepancy")
    values = {f"received-{k}": v for k, v in received.items()} | {f"refused-{k}": v for k, v in refused.items()} \
        | {f"discrepancy-{k}": v for k, v in gaps.items()} \
        | {k: str(form.get(k, "")) for k in ("supplier_note", "note")}
    try:
        receipt = purchasing.receive_goods(uow, actor=actor(user), purchase_order_id=purchase_order_id,
                                           received=received, refused=refused, discrepancies=gaps,
                                           supplier_note=values["supplier_note"], note=values["note"],
                                           form_token=form.get("form_token"))
        uow.commit()
    except ValidationFailed as failed:
        errors = dict(failed.errors)
        return _refused(uow, lambda reader: _po_page(request, reader, purchase_order_id, errors=errors,
                                                     values=values, status_code=422))
    except SimError as failed:
        message, status = failed.message, failed.status_code
        return _refused(uow, lambda reader: _po_page(request, reader, purchase_order_id, error=message,
                                                     values=values, status_code=status))
    flash(request, f"Réception {receipt.number} enregistrée : le stock est à jour.")
    return RedirectResponse(f"/purchase-orders/{purchase_order_id}#receptions", status_code=303)


# ===== reorder proposals ==================================================

@router.get("/reorder-proposals")
def reorder_proposals(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    found = reorder.proposals(uow)
    by_supplier: dict[int, list] = {}
    for p in found:
        by_supplier.setdefault(p.supplier.id, []).append(p)
    return render(request, "purchasing/reorder_proposals.html",
                  {"groups": list(by_supplier.values()), "consumption_days": reorder.CONSUMPTION_DAYS,
                   "review_days": reorder.REVIEW_DAYS, **shell(uow, "reorder")})


# ===== orders at risk =====================================================

@router.get("/orders-at-risk")
def orders_at_risk(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    return render(request, "purchasing/orders_at_risk.html",
                  {"risks": order_outlooks(uow), **shell(uow, "at-risk")})


def _risk_page(request, uow, order_id, *, errors=None, error="", values=None, status_code=200):
    risk = order_outlook(uow, order_id)
    language, subject, body = promises.draft_message(uow, risk)
    lines = list(uow.session.execute(select(OrderLine, Product).join(Product, Product.id == OrderLine.product_id)
                                     .where(OrderLine.order_id == order_id).order_by(OrderLine.position)))
    substitutes = list(uow.session.execute(
        select(Product.reference, Product.name, Product.stock_on_hand - Product.stock_reserved)
        .where(Product.active.is_(True), Product.category.in_({p.category for _, p in lines}),
               Product.id.not_in([p.id for _, p in lines]), Product.stock_on_hand > Product.stock_reserved)
        .order_by(Product.reference).limit(50))) if lines else []
    defaults = {"new_date": risk.achievable.isoformat() if risk.achievable else "",
                "reason": "Retard de livraison du fournisseur", "language": language, "subject": subject,
                "body": body, "sub_subject": subject.replace("nouvelle date de livraison", "produit de remplacement")
                .replace("new delivery date", "alternative product"), "sub_body": ""}
    return render(request, "purchasing/order_risk.html",
                  {"risk": risk, "order": risk.order, "customer": risk.customer, "lines": lines,
                   "substitutes": substitutes, "statuses": OrderStatus, "errors": errors or {}, "error": error,
                   "values": {**defaults, **(values or {})}, "form_token": new_form_token(),
                   "promisable": risk.order.status in promises.PROMISABLE, **shell(uow, "at-risk")},
                  status_code=status_code)


@router.get("/orders/{order_id}/risk")
def order_risk(request: Request, order_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    return _risk_page(request, uow, order_id)


def _risk_action(request, uow, order_id, form, run, done, fields, rename=None):
    values = {k: str(form.get(k, "")) for k in fields}
    try:
        result = run()
        uow.commit()
    except ValidationFailed as refused:
        errors = {(rename or {}).get(k, k): v for k, v in refused.errors.items()}
        return _refused(uow, lambda reader: _risk_page(request, reader, order_id, errors=errors, values=values,
                                                       status_code=422))
    except SimError as refused:
        message, status = refused.message, refused.status_code
        return _refused(uow, lambda reader: _risk_page(request, reader, order_id, error=message,
                                                       values=values, status_code=status))
    flash(request, done(result))
    return RedirectResponse(f"/orders/{order_id}/risk", status_code=303)


@router.post("/orders/{order_id}/repromise")
def order_repromise(request: Request, order_id: int, user: User = Depends(candidate_only),
                    uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _risk_action(request, uow, order_id, form, lambda: promises.repromise(
        uow, actor=actor(user), order_id=order_id, new_date=str(form.get("new_date", "")),
        reason=str(form.get("reason", "")), form_token=form.get("form_token")),
        lambda order: f"Nouvelle date promise au client : {fr_date(order.promised_date)}.", ("new_date", "reason"))


@router.post("/orders/{order_id}/inform")
def order_inform(request: Request, order_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _risk_action(request, uow, order_id, form, lambda: promises.inform_customer(
        uow, actor=actor(user), order_id=order_id, subject=str(form.get("subject", "")),
        body=str(form.get("body", "")), language=str(form.get("language", "")), form_token=form.get("form_token")),
        lambda message: f"Courriel envoyé au client ({message.reference}).", ("subject", "body", "language"))


@router.post("/orders/{order_id}/substitute")
def order_substitute(request: Request, order_id: int, user: User = Depends(candidate_only),
                     uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _risk_action(request, uow, order_id, form, lambda: promises.propose_substitute(
        uow, actor=actor(user), order_id=order_id, order_line_id=read_id(form.get("line")),
        product=str(form.get("product", "")), subject=str(form.get("sub_subject", "")),
        body=str(form.get("sub_body", "")), language=str(form.get("language", "")),
        form_token=form.get("form_token")),
        lambda message: f"Produit de remplacement proposé au client ({message.reference}).",
        ("line", "product", "sub_subject", "sub_body", "language"), {"subject": "sub_subject", "body": "sub_body"})
