"""Quotes and orders: the line editor, the document pages and their actions."""
from __future__ import annotations

from fastapi import Depends, Request
from starlette.datastructures import FormData
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from sim.accounts.models import User
from sim.crm.models import Customer
from sim.crm import records
from sim.db import UnitOfWork
from sim.errors import SimError, ValidationFailed
from sim.clock import sim_date
from sim.sales import lists, service as sales
from sim.sales.models import OrderLine, OrderStatus, Quote, QuoteLine, QuoteStatus, SalesOrder
from sim.stock.models import Carrier, Delivery, Product
from sim.billing.models import Invoice
from sim.documents.filing import order_folder
from sim.documents.service import order_revision
from sim.web.flash import flash
from sim.web.deps import actor, candidate_only, reading_uow, writing_uow, viewing_uow
from sim.parsing import read_id
from sim.web.forms import customer_from, customer_key, editor_rows, errors_by_row, line_inputs, new_form_token, row_input
from sim.web.rendering import is_htmx, render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell

router = routes_router()
EDITOR_ROWS = 4


def _editor(request: Request, uow, kind: str, *, values: dict, rows: list[dict], errors: dict | None = None,
            status_code: int = 200, document=None):
    customer = customer_from(uow, values.get("customer", ""))
    lines = [row_input(r) for r in rows]
    live = sales.preview(uow, customer_id=customer.id if customer else None, lines=lines,
                         global_discount_pct=values.get("global_discount", "0") or "0",
                         incoterm=values.get("incoterm", ""), incoterm_place=values.get("incoterm_place", ""),
                         transport_mode=values.get("transport_mode", ""), service_id=values.get("service") or None,
                         duties=values.get("duties", ""))
    from sim.billing.vat import vat_mention, vat_regime

    mention = vat_mention(vat_regime(customer.country, customer.vat_number, customer.kind)) if customer else ""
    from sim.shipping.service import service_choices

    context = {"kind": kind, "values": values, "rows": rows, "errors": errors or {}, "preview": live,
               "vat_mention": mention, "services": service_choices(uow),
               "customer": customer, "form_token": values.get("form_token") or new_form_token(),
               **_editing(kind, document),
               **shell(uow, "quotes" if kind == "quote" else "orders")}
    return render(request, "sales/editor.html", context, status_code=status_code)


def _editing(kind: str, document) -> dict:
    """What the editor shows and where it posts: a new document, a draft being
    rewritten ("edit") or a confirmed order being modified ("modify")."""
    if document is None:
        return {"mode": "new", "document": None, "action": "/quotes" if kind == "quote" else "/orders",
                "heading": "Nouveau devis" if kind == "quote" else "Saisie d'une commande client"}
    mode = "edit" if document.status == "draft" else "modify"
    heading = (f"Modifier le devis {document.number}" if kind == "quote"
               else f"Modifier la commande {document.number}" if mode == "edit"
               else f"Modifier la commande confirmée {document.number}")
    return {"mode": mode, "document": document, "heading": heading,
            "action": f"/{'quotes' if kind == 'quote' else 'orders'}/{document.id}/edit"}


def _rows_of(uow, lines) -> list[dict]:
    """A document's lines as editor rows (reference — name, French quantity), then one empty row."""
    from sim.formatting import number, qty

    lines = [line for line in lines if line.product_id is not None]  # freight is priced again on save
    products = {p.id: p for p in uow.session.scalars(select(Product).where(
        Product.id.in_([line.product_id for line in lines])))}
    rows = [{"n": i, "product": f"{products[line.product_id].reference} — {products[line.product_id].name}",
             "qty": qty(line.quantity), "discount": number(line.discount_pct, 2) if line.discount_pct else ""}
            for i, line in enumerate(lines)]
    return rows + [{"n": len(rows)}]


def _values_of(uow, document, kind: str) -> dict:
    from sim.formatting import number
    from sim.sales.corrections import duties_of

    customer = uow.session.get(Customer, document.customer_id)
    values = {"customer": f"{customer.code} — {customer.name}",
              "global_discount": number(document.global_discount_pct, 2) if document.global_discount_pct else "",
              "incoterm": document.incoterm, "incoterm_place": document.incoterm_place,
              "transport_mode": document.transport_mode,
              "service": str(document.service_id) if document.service_id else "",
              "duties": duties_of(uow, document)}
    if kind == "quote":
        values["notes"] = document.notes
    else:
        values["customer_po"] = document.customer_po
        values["promised_date"] = document.promised_date.isoformat() if document.promised_date else ""
    return values


def _refused_page(request, uow, refused: SimError, page):
    """A refusal of a page action: the page again with the message, after releasing the write lock."""
    uow.rollback()
    with UnitOfWork(uow.workspace_id, write=False) as reader:
        message = "; ".join(refused.errors.values()) if isinstance(refused, ValidationFailed) else refused.message
        return page(reader, message, refused.status_code)


# ===== quotes ===========================================================

@router.get("/quotes")
def quote_list(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    page = lists.list_quotes(uow, lists.quote_params(request.query_params))
    return render(request, "sales/quote_list.html",
                  {"page": page, "statuses": [(s.value, s.label) for s in QuoteStatus], "labels": QuoteStatus,
                   "today": sim_date(uow), **shell(uow, "quotes")},
                  block="quote_table" if is_htmx(request) else None)


@router.get("/quotes/new")
def quote_new(request: Request, customer: str = "", uow: UnitOfWork = Depends(reading_uow)):
    found = customer_from(uow, customer)
    values = {"customer": f"{found.code} — {found.name}" if found else "",
              # the customer's usual Incoterm® 2020, proposed
              "incoterm": found.incoterm if found else "", "incoterm_place": found.incoterm_place if found else ""}
    return _editor(request, uow, "quote", values=values, rows=[{"n": i} for i in range(EDITOR_ROWS)])


@router.post("/quotes/preview")
def quote_preview(request: Request, uow: UnitOfWork = Depends(reading_uow),
        form: FormData = Depends(form_data)):
    """The editor's live totals (htmx): prices, line totals, VAT per rate — nothing written."""
    customer = customer_from(uow, form.get("customer", ""))
    lines, numbers = line_inputs(form)
    live = sales.preview(uow, customer_id=customer.id if customer else None, lines=lines,
                         global_discount_pct=form.get("global_discount", "0") or "0",
                         incoterm=form.get("incoterm", ""), incoterm_place=form.get("incoterm_place", ""),
                         transport_mode=form.get("transport_mode", ""), service_id=form.get("service") or None,
                         duties=form.get("duties", ""))
    return render(request, "sales/editor.html",
                  {"preview": live, "numbers": numbers, "customer": customer,
                   "errors": errors_by_row(live.errors, numbers)}, block="editor_totals")


@router.get("/quotes/product-suggestions")
def quote_product_suggestions(request: Request, n: int = 0, uow: UnitOfWork = Depends(reading_uow)):
    """Products matching the words typed in line N (htmx), with their available stock."""
    from sim.stock.search import search_products

    n = max(0, min(n, 999))
    found = search_products(uow, request.query_params.get(f"product-{n}", ""))
    return render(request, "sales/editor.html", {"suggestions": found, "n": n}, block="product_suggestions")


@router.get("/quotes/customer-suggestions")
def quote_customer_suggestions(request: Request, uow: UnitOfWork = Depends(reading_uow)):
    """Customers matching the words typed in the editor's customer field (htmx):
    the editor no longer lists every customer of the company in the page."""
    from sim.crm.search import search_customers

    typed = request.query_params.get("customer", "")
    found = [] if customer_key(typed) and " — " in typed else search_customers(uow, typed)
    return render(request, "sales/editor.html", {"customer_suggestions": found}, block="customer_suggestions")


@router.get("/quotes/editor-row")
def quote_editor_row(request: Request, n: int = 0, uow: UnitOfWork = Depends(reading_uow)):
    """One more empty line in the editor (htmx)."""
    return render(request, "sales/editor.html", {"row": {"n": max(0, min(n, 999))}, "errors": {}},
                  block="editor_row")


def _submit_editor(request: Request, form, uow: UnitOfWork, user: User, kind: str, document_id: int | None = None):
    values = {k: form.get(k, "") for k in ("customer", "global_discount", "incoterm", "incoterm_place", "notes",
                                              "customer_po", "promised_date", "form_token", "transport_mode",
                                              "service", "duties")}
    rows = editor_rows(form) or [{"n": i} for i in range(EDITOR_ROWS)]
    customer = customer_from(uow, values["customer"])
    lines, numbers = line_inputs(form)
    document = None
    try:
        if document_id is not None:
            document = uow.get(Quote if kind == "quote" else SalesOrder, document_id)
            return _save_edit(request, uow, user, kind, document, customer, lines, values)
        if customer is None:
            raise ValidationFailed({"customer": "Choisissez un client existant (code ou nom dans la liste)."})
        if kind == "quote":
            document = sales.create_quote(uow, actor=actor(user), customer_id=customer.id, lines=lines,
                                          global_discount_pct=values["global_discount"] or "0",
                                          incoterm=values["incoterm"], incoterm_place=values["incoterm_place"],
                                          transport_mode=values["transport_mode"], service_id=values["service"] or None,
                                          notes=values["notes"], form_token=values["form_token"],
                                          duties=values["duties"])
            uow.commit()
            flash(request, f"Devis {document.number} enregistré (brouillon).")
            return RedirectResponse(f"/quotes/{document.id}", status_code=303)
        document = sales.create_order(uow, actor=actor(user), customer_id=customer.id, lines=lines,
                                      customer_po=values["customer_po"],
                                      global_discount_pct=values["global_discount"] or "0",
                                      incoterm=values["incoterm"], incoterm_place=values["incoterm_place"],
                                      transport_mode=values["transport_mode"], service_id=values["service"] or None,
                                      form_token=values["form_token"], duties=values["duties"])
        uow.commit()
        flash(request, f"Commande {document.number} enregistrée (brouillon) : confirmez-la pour réserver le stock.")
        return RedirectResponse(f"/orders/{document.id}", status_code=303)
    except ValidationFailed as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            again = reader.get(type(document), document.id) if document is not None else None
            return _editor(request, reader, kind, values=values, rows=rows, document=again,
                           errors=errors_by_row(refused.errors, numbers), status_code=422)
    except SimError as refused:  # the document moved on (sent, confirmed, shipped...) meanwhile
        if document_id is None:
            raise
        uow.rollback()
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            if kind == "quote":
                return _quote_page_with(request, reader, document_id, refused.message, refused.status_code)
            return _order_page(request, reader, document_id, error=refused.message, status_code=refused.status_code)


def _save_edit(request: Request, uow, user: User, kind: str, document, customer, lines, values: dict):
    from sim.sales import corrections

    if kind == "quote" or document.status == OrderStatus.DRAFT:
        if customer is None:
            raise ValidationFailed({"customer": "Choisissez un client existant (code ou nom dans la liste)."})
        common = {"actor": actor(user), "customer_id": customer.id, "lines": lines,
                  "global_discount_pct": values["global_discount"] or "0", "incoterm": values["incoterm"],
                  "incoterm_place": values["incoterm_place"], "form_token": values["form_token"],
                  "transport_mode": values["transport_mode"], "service_id": values["service"] or None,
                  "duties": values["duties"]}
        if kind == "quote":
            corrections.update_quote(uow, quote_id=document.id, notes=values["notes"], **common)
        else:
            corrections.update_order(uow, order_id=document.id, customer_po=values["customer_po"], **common)
    else:  # a confirmed or blocked order: its lines, quantities and promised date; the rest stays
        corrections.modify_order(uow, actor=actor(user), order_id=document.id, lines=lines,
                                 promised_date=values["promised_date"], customer_po=values["customer_po"],
                                 form_token=values["form_token"])
    uow.commit()
    if kind == "quote":
        flash(request, f"Devis {document.number} modifié.")
    elif document.status in (OrderStatus.BLOCKED, OrderStatus.PENDING_APPROVAL):
        flash(request, f"Commande {document.number} modifiée ; elle reste bloquée : {document.blocked_reason}")
    else:
        flash(request, f"Commande {document.number} modifiée.")
    return RedirectResponse(f"/{'quotes' if kind == 'quote' else 'orders'}/{document.id}", status_code=303)


@router.post("/quotes")
def quote_create(request: Request, user: User = Depends(candidate_only), uow: UnitOfWork = Depends(writing_uow),
        form: FormData = Depends(form_data)):
    return _submit_editor(request, form, uow, user, "quote")


def _quote_context(uow, quote_id: int) -> dict:
    quote = uow.get(Quote, quote_id)
    lines = uow.session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote.id)
                                .order_by(QuoteLine.position)).all()
    products = {p.id: p for p in uow.session.scalars(select(Product).where(
        Product.id.in_([l.product_id for l in lines])))}
    orders = uow.session.scalars(select(SalesOrder).where(SalesOrder.quote_id == quote.id)
                                 .order_by(SalesOrder.id)).all()  # one query for the page and its chain bar
    from sim.web.navigation import document_navigation

    customer = uow.session.get(Customer, quote.customer_id)
    return {"quote": quote, "lines": lines, "products": products, "order": orders[0] if orders else None,
            **document_navigation(uow, "quote", quote, quote.status_on(sim_date(uow)), orders=list(orders)),
            "customer": customer, **_totals_of(lines, quote), **_addresses(uow, quote, customer)}


def _totals_of(lines, document) -> dict:
    from sim.sales.pricing import document_totals

    return {"totals": document_totals(lines, document.global_discount_pct)}


@router.get("/quotes/{quote_id}")
def quote_page(request: Request, quote_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    return _quote_page_with(request, uow, quote_id, "", 200)


def _quote_page_with(request, uow, quote_id, error, status_code, values=None, errors=None):
    return render(request, "sales/quote_page.html",
                  {**_quote_context(uow, quote_id), "error": error, "statuses": QuoteStatus, "values": values or {},
                   "errors": errors or {}, **shell(uow, "quotes")}, status_code=status_code)


def _choose_address(request: Request, uow: UnitOfWork, form, user: User, *, choose, what: str, path: str, page):
    """A quote's or an order's delivery address chosen (``choose``: the service); ``page(reader, error,
    status, values, errors)`` renders the document again when it is refused."""
    address_id = form.get("address_id", "")
    try:
        document = choose(uow, actor=actor(user), address_id=address_id)
        uow.commit()
        flash(request, f"Adresse de livraison {what} {document.number} : "
                       f"{document.delivery_address or 'adresse de facturation'}.")
    except ValidationFailed as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return page(reader, "", 422, {"address_id": address_id}, refused.errors)
    except SimError as refused:
        return _refused_page(request, uow, refused, lambda reader, message, code: page(reader, message, code, {}, {}))
    return RedirectResponse(path, status_code=303)


@router.post("/quotes/{quote_id}/delivery-address")
def quote_delivery_address(request: Request, quote_id: int, user: User = Depends(candidate_only),
                           uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    from sim.sales.delivery_address import choose_quote_delivery_address

    return _choose_address(
        request, uow, form, user, what="du devis", path=f"/quotes/{quote_id}",
        choose=lambda uow, **kw: choose_quote_delivery_address(uow, quote_id=quote_id, **kw),
        page=lambda reader, error, code, values, errors: _quote_page_with(
            request, reader, quote_id, error, code, values=values, errors=errors))


def _quote_action(request: Request, form, quote_id: int, user: User, uow: UnitOfWork, action):
    from sim.sales import corrections

    try:
        if action is sales.order_from_quote:
            order = action(uow, actor=actor(user), quote_id=quote_id, customer_po=form.get("customer_po", ""))
            uow.commit()
            flash(request, f"Commande {order.number} créée depuis le devis : confirmez-la pour réserver le stock.")
            return RedirectResponse(f"/orders/{order.id}", status_code=303)
        if action is corrections.delete_quote:
            number = action(uow, actor=actor(user), quote_id=quote_id)
            uow.commit()
            flash(request, f"Brouillon de devis {number} supprimé.")
            return RedirectResponse("/quotes", status_code=303)
        if action in (sales.refuse_quote, corrections.cancel_quote):
            quote = action(uow, actor=actor(user), quote_id=quote_id, reason=form.get("reason", ""))
        else:
            quote = action(uow, actor=actor(user), quote_id=quote_id)
        uow.commit()
        done = {sales.send_quote: "marqué comme envoyé", sales.accept_quote: "accepté par le client",
                sales.refuse_quote: "refusé par le client", corrections.cancel_quote: "annulé"}[action]
        flash(request, f"Devis {quote.number} {done}.")
    except SimError as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            message = "; ".join(refused.errors.values()) if isinstance(refused, ValidationFailed) else refused.message
            return _quote_page_with(request, reader, quote_id, message, refused.status_code,
                                    values={"reason": form.get("reason", "")})
    return RedirectResponse(f"/quotes/{quote_id}", status_code=303)


@router.post("/quotes/{quote_id}/send")
def quote_send(request: Request, quote_id: int, user: User = Depends(candidate_only),
                     uow: UnitOfWork = Depends(writing_uow),
        form: FormData = Depends(form_data)):
    return _quote_action(request, form, quote_id, user, uow, sales.send_quote)


@router.post("/quotes/{quote_id}/accept")
def quote_accept(request: Request, quote_id: int, user: User = Depends(candidate_only),
                       uow: UnitOfWork = Depends(writing_uow),
        form: FormData = Depends(form_data)):
    return _quote_action(request, form, quote_id, user, uow, sales.accept_quote)


@router.post("/quotes/{quote_id}/refuse")
def quote_refuse(request: Request, quote_id: int, user: User = Depends(candidate_only),
                       uow: UnitOfWork = Depends(writing_uow),
        form: FormData = Depends(form_data)):
    return _quote_action(request, form, quote_id, user, uow, sales.refuse_quote)


@router.get("/quotes/{quote_id}/edit")
def quote_edit(request: Request, quote_id: int, uow: UnitOfWork = Depends(reading_uow)):
    quote = uow.get(Quote, quote_id)
    if quote.status != QuoteStatus.DRAFT:
        return RedirectResponse(f"/quotes/{quote_id}", status_code=303)
    lines = uow.session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote.id)
                                .order_by(QuoteLine.position)).all()
    return _editor(request, uow, "quote", values=_values_of(uow, quote, "quote"), rows=_rows_of(uow, lines),
                   document=quote)


@router.post("/quotes/{quote_id}/edit")
def quote_save(request: Request, quote_id: int, user: User = Depends(candidate_only),
               uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _submit_editor(request, form, uow, user, "quote", document_id=quote_id)


@router.post("/quotes/{quote_id}/delete")
def quote_delete(request: Request, quote_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    from sim.sales.corrections import delete_quote

    return _quote_action(request, form, quote_id, user, uow, delete_quote)


@router.post("/quotes/{quote_id}/cancel")
def quote_cancel(request: Request, quote_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    from sim.sales.corrections import cancel_quote

    return _quote_action(request, form, quote_id, user, uow, cancel_quote)


@router.post("/quotes/{quote_id}/order")
def quote_to_order(request: Request, quote_id: int, user: User = Depends(candidate_only),
                         uow: UnitOfWork = Depends(writing_uow),
        form: FormData = Depends(form_data)):
    return _quote_action(request, form, quote_id, user, uow, sales.order_from_quote)


# ===== orders ===========================================================

@router.get("/orders")
def order_list(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    page = lists.list_orders(uow, lists.order_params(request.query_params))
    return render(request, "sales/order_list.html",
                  {"page": page, "statuses": [(s.value, s.label) for s in OrderStatus], "labels": OrderStatus,
                   **shell(uow, "orders")},
                  block="order_table" if is_htmx(request) else None)


@router.get("/orders/new")
def order_new(request: Request, customer: str = "", uow: UnitOfWork = Depends(reading_uow)):
    found = customer_from(uow, customer)
    values = {"customer": f"{found.code} — {found.name}" if found else "",
              # the customer's usual Incoterm® 2020, proposed
              "incoterm": found.incoterm if found else "", "incoterm_place": found.incoterm_place if found else ""}
    return _editor(request, uow, "order", values=values, rows=[{"n": i} for i in range(EDITOR_ROWS)])


@router.post("/orders")
def order_create(request: Request, user: User = Depends(candidate_only), uow: UnitOfWork = Depends(writing_uow),
        form: FormData = Depends(form_data)):
    return _submit_editor(request, form, uow, user, "order")


def order_context(uow, order_id: int) -> dict:
    from sim.shipping.incoterms import ddp_duties_warning

    order = uow.get(SalesOrder, order_id)
    lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)
                                .order_by(OrderLine.position)).all()
    products = {p.id: p for p in uow.session.scalars(select(Product).where(
        Product.id.in_([l.product_id for l in lines])))}
    customer = uow.session.get(Customer, order.customer_id)
    deliveries = uow.session.scalars(select(Delivery).where(Delivery.order_id == order.id).order_by(Delivery.id)).all()
    invoices = uow.session.scalars(select(Invoice).where(Invoice.order_id == order.id).order_by(Invoice.id)).all()
    invoiced = {i.delivery_id for i in invoices}
    carriers = uow.session.scalars(select(Carrier).order_by(Carrier.name)).all()
    from sim.crm.service import customer_balance
    from sim.web.navigation import document_navigation

    return {"order": order, "lines": lines, "products": products, "customer": customer, "deliveries": deliveries,
            "invoices": invoices, "invoiced": invoiced, "carriers": carriers,
            "balance": customer_balance(uow, customer), "statuses": OrderStatus,
            "approvals": sales.approval_history(uow, order), "decisions": sales.DECISIONS,
            "revision": order_revision(uow, order), "folder": order_folder(uow, order.id),
            "form_token": new_form_token(), **_totals_of(lines, order), "risk": _risk(uow, order, lines),
            **_addresses(uow, order, customer),
            "duties_warning": ddp_duties_warning(order.incoterm, customer.country, lines),
            **document_navigation(uow, "order", order, deliveries=list(deliveries), invoices=list(invoices))}


def _addresses(uow, document, customer) -> dict:
    """The customer's delivery addresses, and the one the quote or order is delivered to (by its printed text)."""
    from sim.sales.delivery_address import address_text

    addresses = records.delivery_addresses(uow, customer.id)
    current = next((a.id for a in addresses
                    if document.delivery_address and address_text(a) == document.delivery_address), None)
    return {"addresses": addresses, "current_address_id": current}


def _risk(uow, order, lines):
    """The order's outlook when it waits for stock (sim/purchasing/risk.py), else None."""
    if order.status not in (OrderStatus.CONFIRMED, OrderStatus.PARTIAL):
        return None
    from sim.purchasing.risk import order_outlook

    found = order_outlook(uow, order.id, order=order,
                          product_ids=[l.product_id for l in lines if l.product_id is not None])
    return found if found.lines else None


def _order_page(request, uow, order_id, *, errors=None, error="", values=None, status_code=200):
    return render(request, "sales/order_page.html",
                  {**order_context(uow, order_id), "errors": errors or {}, "error": error, "values": values or {},
                   **shell(uow, "orders")}, status_code=status_code)


@router.get("/orders/{order_id}")
def order_page(request: Request, order_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    return _order_page(request, uow, order_id)


@router.post("/orders/{order_id}/confirm")
def order_confirm(request: Request, order_id: int, user: User = Depends(candidate_only),
                  uow: UnitOfWork = Depends(writing_uow)):
    try:
        order = sales.confirm_order(uow, actor=actor(user), order_id=order_id)
        uow.commit()
        flash(request, f"Commande {order.number} confirmée." if order.status == OrderStatus.CONFIRMED
              else f"Commande {order.number} bloquée : {order.blocked_reason}")
    except SimError as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _order_page(request, reader, order_id, error=refused.message, status_code=refused.status_code)
    return RedirectResponse(f"/orders/{order_id}", status_code=303)


@router.post("/orders/{order_id}/approval-request")
def order_approval_request(request: Request, order_id: int, user: User = Depends(candidate_only),
                                 uow: UnitOfWork = Depends(writing_uow),
        form: FormData = Depends(form_data)):
    message = form.get("message", "")
    try:
        order = sales.request_approval(uow, actor=actor(user), order_id=order_id, message=message)
        uow.commit()
        flash(request, f"Demande d'accord envoyée à votre responsable pour la commande {order.number}.")
    except ValidationFailed as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _order_page(request, reader, order_id, errors=refused.errors, values={"message": message},
                               status_code=422)
    except SimError as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _order_page(request, reader, order_id, error=refused.message, status_code=refused.status_code)
    return RedirectResponse(f"/orders/{order_id}", status_code=303)


@router.post("/orders/{order_id}/delivery-address")
def order_delivery_address(request: Request, order_id: int, user: User = Depends(candidate_only),
                           uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    from sim.sales.delivery_address import choose_delivery_address

    return _choose_address(
        request, uow, form, user, what="de la commande", path=f"/orders/{order_id}",
        choose=lambda uow, **kw: choose_delivery_address(uow, order_id=order_id, **kw),
        page=lambda reader, error, code, values, errors: _order_page(
            request, reader, order_id, error=error, status_code=code, values=values, errors=errors))


@router.post("/orders/{order_id}/deliveries")
def order_ship(request: Request, order_id: int, user: User = Depends(candidate_only),
                     uow: UnitOfWork = Depends(writing_uow),
        form: FormData = Depends(form_data)):
    from sim.stock.service import ship_delivery
    from sim.web.forms import indexed

    carrier = form.get("carrier", "")
    quantities = indexed(form, "ship")
    try:
        delivery = ship_delivery(uow, actor=actor(user), order_id=order_id, quantities=quantities,
                                 carrier_id=read_id(carrier),
                                 form_token=form.get("form_token"))
        uow.commit()
        flash(request, f"Livraison {delivery.number} expédiée.")
    except ValidationFailed as refused:
        errors = {k.replace("qty-", "ship-"): v for k, v in refused.errors.items()}
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _order_page(request, reader, order_id, errors=errors,
                               values={f"ship-{k}": v for k, v in quantities.items()} | {"carrier": carrier},
                               status_code=422)
    except SimError as refused:
        uow.rollback()  # refused: release the write lock before rendering
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _order_page(request, reader, order_id, error=refused.message, status_code=refused.status_code)
    return RedirectResponse(f"/deliveries/{delivery.id}", status_code=303)


@router.get("/orders/{order_id}/edit")
def order_edit(request: Request, order_id: int, uow: UnitOfWork = Depends(reading_uow)):
    from sim.sales.corrections import MODIFIABLE

    order = uow.get(SalesOrder, order_id)
    if order.status not in (OrderStatus.DRAFT, *MODIFIABLE):
        return RedirectResponse(f"/orders/{order_id}", status_code=303)
    lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)
                                .order_by(OrderLine.position)).all()
    return _editor(request, uow, "order", values=_values_of(uow, order, "order"), rows=_rows_of(uow, lines),
                   document=order)


@router.post("/orders/{order_id}/edit")
def order_save(request: Request, order_id: int, user: User = Depends(candidate_only),
               uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _submit_editor(request, form, uow, user, "order", document_id=order_id)


@router.post("/orders/{order_id}/delete")
def order_delete(request: Request, order_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow)):
    from sim.sales.corrections import delete_order

    try:
        number = delete_order(uow, actor=actor(user), order_id=order_id)
        uow.commit()
        flash(request, f"Brouillon de commande {number} supprimé.")
    except SimError as refused:
        return _refused_page(request, uow, refused, lambda reader, message, code: _order_page(
            request, reader, order_id, error=message, status_code=code))
    return RedirectResponse("/orders", status_code=303)


@router.post("/orders/{order_id}/cancel")
def order_cancel(request: Request, order_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    from sim.sales.corrections import cancel_order

    reason = form.get("reason", "")
    try:
        order = cancel_order(uow, actor=actor(user), order_id=order_id, reason=reason)
        uow.commit()
        flash(request, f"Commande {order.number} annulée.")
    except ValidationFailed as refused:
        uow.rollback()
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _order_page(request, reader, order_id, errors=refused.errors, values={"reason": reason},
                               status_code=422)
    except SimError as refused:
        return _refused_page(request, uow, refused, lambda reader, message, code: _order_page(
            request, reader, order_id, error=message, status_code=code))
    return RedirectResponse(f"/orders/{order_id}", status_code=303)
