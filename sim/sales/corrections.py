"""Corrections of quotes and orders: edit or delete a draft, cancel or refuse with
a reason, modify a confirmed order before it ships.

Same rules as sim/sales/service.py: each function is one business action in the
caller's transaction (the caller commits), re-reads the document's status under
the workspace lock and refuses with ``WrongStatus`` (409) when it has moved on,
and writes its own journal entry. A deleted draft keeps its journal trail and
its number is never reused (the series only moves forward).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select

from sim.clock import sim_date
from sim.crm.models import Customer
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.parsing import read_text
from sim.sales import service as sales
from sim.sales.delivery_address import default_address_text
from sim.sales.errors import WrongStatus
from sim.sales.models import OrderLine, OrderStatus, Quote, QuoteLine, QuoteStatus, SalesOrder
from sim.workspace.forms import claim

REASON_MAX = 300
# Before anything ships an order can still change; blocked or waiting, it has reserved nothing.
MODIFIABLE = (OrderStatus.CONFIRMED, OrderStatus.BLOCKED)
CANCELLABLE = (OrderStatus.DRAFT, OrderStatus.BLOCKED, OrderStatus.PENDING_APPROVAL, OrderStatus.CONFIRMED)


def _quote_status(quote: Quote) -> str:
    return QuoteStatus(quote.status).label


def _order_status(order: SalesOrder) -> str:
    return OrderStatus(order.status).label


def _reason(raw: str, errors: dict[str, str], *, missing: str) -> str:
    reason = read_text(raw, "reason", errors, label="Motif", max_length=REASON_MAX) or ""
    if not reason.strip() and "reason" not in errors:
        errors["reason"] = missing
    return reason.strip()


def _editor_fields(uow, customer: Customer, lines, global_discount_pct, incoterm, incoterm_place,
                   errors: dict[str, str], transport_mode: str = "", service_id=None, duties=""):
    """The checked fields and the priced lines, freight and insurance included
    when the Incoterm puts them on the seller; the transport terms last."""
    company = sales._company(uow)
    global_discount = sales._global_discount(global_discount_pct, company, errors)
    rule, place = sales._incoterm(customer, incoterm, incoterm_place, errors)
    priced: list[dict] = []
    try:
        priced = sales._priced_lines(uow, company, customer, lines)
    except ValidationFailed as failed:
        errors.update(failed.errors)
    terms = sales._transport(uow, customer, rule, place, transport_mode, service_id, priced, global_discount, errors,
                             duties)
    return global_discount, rule, place, priced + terms.lines, terms


def duties_of(uow, document, lines=None) -> str:
    """The import duties a quote's or an order's lines carry (DDP), as the editor's field holds them
    ("" for none): saving the document prices them again with its other terms. ``lines``: the
    document's lines when the caller has them already."""
    from sim.shipping.freight import DUTIES

    if lines is None:
        lines = (_lines_of(uow, QuoteLine, "quote_id", document.id) if isinstance(document, Quote)
                 else _lines_of(uow, OrderLine, "order_id", document.id))
    amount = sum((line.line_total_ht for line in lines if line.line_kind == DUTIES), Decimal(0))
    return f"{amount:.2f}" if amount else ""


def _lines_of(uow, model, parent_field, parent_id) -> list:
    return uow.session.scalars(select(model).where(getattr(model, parent_field) == parent_id)
                               .order_by(model.position)).all()


def _stored_lines_payload(uow, lines) -> list[dict]:
    return sales._lines_payload(uow, [{k: getattr(line, k) for k in (
        "product_id", "quantity", "unit_price", "discount_pct", "vat_rate", "line_total_ht")} for line in lines
        if line.product_id is not None])


# ===== quotes ===========================================================

def update_quote(uow, *, actor: str, quote_id: int, customer_id: int, lines: list, global_discount_pct="0",
                 incoterm: str = "", incoterm_place: str = "", notes: str = "", transport_mode: str = "",
                 service_id=None, form_token: str | None = None, duties="") -> Quote:
    """Rewrite a draft quote (customer, lines, discounts, Incoterm, notes): ``quote.updated``."""
    claim(uow, form_token, "quote.updated")
    quote = uow.get(Quote, quote_id)
    if quote.status != QuoteStatus.DRAFT:
        raise WrongStatus(f"Le devis {quote.number} est « {_quote_status(quote)} » : seul un brouillon se modifie.")
    customer = uow.get(Customer, customer_id)
    errors: dict[str, str] = {}
    global_discount, rule, place, priced, terms = _editor_fields(uow, customer, lines, global_discount_pct,
                                                                 incoterm, incoterm_place, errors, transport_mode,
                                                                 service_id, duties)
    notes = read_text(notes, "notes", errors, label="Notes", max_length=2000, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    uow.session.execute(delete(QuoteLine).where(QuoteLine.quote_id == quote.id))
    if customer.id != quote.customer_id:  # another customer: their default delivery address
        quote.delivery_address = default_address_text(uow, customer)
    quote.customer_id, quote.payment_terms = customer.id, customer.payment_terms
    quote.incoterm, quote.incoterm_place, quote.global_discount_pct = rule, place, global_discount
    quote.transport_mode, quote.service_id = terms.mode, terms.service_id
    quote.notes = (notes or "").strip()[:2000]
    sales._apply_totals(quote, priced)
    uow.session.add_all([QuoteLine(workspace_id=uow.workspace_id, quote_id=quote.id, **line) for line in priced])
    journal.append(uow, kind="quote.updated", actor=actor, refs={"quote": quote.number, "customer": customer.code},
                   payload={"lines": sales._lines_payload(uow, priced), "global_discount_pct": global_discount,
                            "total_ht": quote.total_ht, "total_vat": quote.total_vat, "total_ttc": quote.total_ttc,
                            "incoterm": rule, "incoterm_place": place})
    return quote


def delete_quote(uow, *, actor: str, quote_id: int) -> str:
    """Delete a draft quote (never sent, so nobody outside knows it); its number is not reused."""
    quote = uow.get(Quote, quote_id)
    if quote.status != QuoteStatus.DRAFT:
        raise WrongStatus(f"Le devis {quote.number} est « {_quote_status(quote)} » : seul un brouillon se supprime "
                          "(annulez-le plutôt).")
    customer = uow.session.get(Customer, quote.customer_id)
    lines = _lines_of(uow, QuoteLine, "quote_id", quote.id)
    journal.append(uow, kind="quote.deleted", actor=actor, refs={"quote": quote.number, "customer": customer.code},
                   payload={"lines": _stored_lines_payload(uow, lines), "total_ttc": quote.total_ttc})
    uow.session.execute(delete(QuoteLine).where(QuoteLine.quote_id == quote.id))
    uow.session.delete(quote)
    uow.session.flush()
    return quote.number


def cancel_quote(uow, *, actor: str, quote_id: int, reason: str) -> Quote:
    """Withdraw a draft or sent quote, with the reason (our decision, not the customer's)."""
    quote = uow.get(Quote, quote_id)
    if quote.status not in (QuoteStatus.DRAFT, QuoteStatus.SENT):
        raise WrongStatus(f"Le devis {quote.number} est « {_quote_status(quote)} » : il ne peut plus être annulé.")
    errors: dict[str, str] = {}
    reason = _reason(reason, errors, missing="Indiquez le motif de l'annulation.")
    if errors:
        raise ValidationFailed(errors)
    previous = quote.status
    quote.status, quote.status_reason = QuoteStatus.CANCELLED, reason
    customer = uow.session.get(Customer, quote.customer_id)
    journal.append(uow, kind="quote.cancelled", actor=actor, refs={"quote": quote.number, "customer": customer.code},
                   payload={"reason": reason, "previous_status": previous, "total_ttc": quote.total_ttc})
    return quote


# ===== orders ===========================================================

def update_order(uow, *, actor: str, order_id: int, customer_id: int, lines: list, customer_po: str = "",
                 global_discount_pct="0", incoterm: str = "", incoterm_place: str = "", transport_mode: str = "",
                 service_id=None, form_token: str | None = None, duties="") -> SalesOrder:
    """Rewrite a draft order before it is confirmed: ``order.updated``."""
    claim(uow, form_token, "order.updated")
    order = uow.get(SalesOrder, order_id)
    if order.status != OrderStatus.DRAFT:
        raise WrongStatus(f"La commande {order.number} est « {_order_status(order)} » : seul un brouillon se "
                          "modifie librement.")
    customer = uow.get(Customer, customer_id)
    errors: dict[str, str] = {}
    global_discount, rule, place, priced, terms = _editor_fields(uow, customer, lines, global_discount_pct,
                                                                 incoterm, incoterm_place, errors, transport_mode,
                                                                 service_id, duties)
    customer_po = read_text(customer_po, "customer_po", errors, label="Référence client", max_length=40)
    if errors:
        raise ValidationFailed(errors)
    uow.session.execute(delete(OrderLine).where(OrderLine.order_id == order.id))
    order.customer_id, order.payment_terms = customer.id, customer.payment_terms
    order.incoterm, order.incoterm_place, order.global_discount_pct = rule, place, global_discount
    order.transport_mode, order.service_id = terms.mode, terms.service_id
    order.customer_po = (customer_po or "").strip()[:40]
    sales._apply_totals(order, priced)
    uow.session.add_all([OrderLine(workspace_id=uow.workspace_id, order_id=order.id, **line) for line in priced])
    journal.append(uow, kind="order.updated", actor=actor, refs={"order": order.number, "customer": customer.code},
                   payload={"lines": sales._lines_payload(uow, priced), "customer_po": order.customer_po,
                            "global_discount_pct": global_discount, "total_ht": order.total_ht,
                            "total_ttc": order.total_ttc})
    return order


def delete_order(uow, *, actor: str, order_id: int) -> str:
    """Delete a draft order (a typing mistake, a duplicate); its number is not reused.

    An order that came from a quote frees the quote: it can give an order again."""
    order = uow.get(SalesOrder, order_id)
    if order.status != OrderStatus.DRAFT:
        raise WrongStatus(f"La commande {order.number} est « {_order_status(order)} » : seul un brouillon se "
                          "supprime (annulez-la plutôt).")
    customer = uow.session.get(Customer, order.customer_id)
    quote = uow.session.get(Quote, order.quote_id) if order.quote_id else None
    lines = _lines_of(uow, OrderLine, "order_id", order.id)
    journal.append(uow, kind="order.deleted", actor=actor,
                   refs={"order": order.number, "customer": customer.code, **({"quote": quote.number} if quote else {})},
                   payload={"lines": _stored_lines_payload(uow, lines), "customer_po": order.customer_po,
                            "total_ttc": order.total_ttc})
    uow.session.execute(delete(OrderLine).where(OrderLine.order_id == order.id))
    uow.session.delete(order)
    uow.session.flush()
    return order.number


def cancel_order(uow, *, actor: str, order_id: int, reason: str) -> SalesOrder:
    """Cancel an order that has shipped nothing, with the reason; what it reserved is released."""
    order = uow.get(SalesOrder, order_id)
    if order.status not in CANCELLABLE:
        raise WrongStatus(f"La commande {order.number} est « {_order_status(order)} » : elle ne peut plus être "
                          "annulée (une livraison est partie : faites un avoir).")
    errors: dict[str, str] = {}
    reason = _reason(reason, errors, missing="Indiquez le motif de l'annulation.")
    if errors:
        raise ValidationFailed(errors)
    previous = order.status
    released = sales.release_reservations(uow, order)
    order.status, order.cancel_reason = OrderStatus.CANCELLED, reason
    customer = uow.session.get(Customer, order.customer_id)
    journal.append(uow, kind="order.cancelled", actor=actor, refs={"order": order.number, "customer": customer.code},
                   payload={"reason": reason, "previous_status": previous, "released": released,
                            "total_ttc": order.total_ttc})
    return order


def modify_order(uow, *, actor: str, order_id: int, lines: list, promised_date: date | str | None = None,
                 customer_po: str | None = None, form_token: str | None = None) -> SalesOrder:
    """Change a confirmed (or blocked) order before it ships: lines, quantities, promised date.

    The stock and credit checks run again on the new lines: the reservations are
    released and taken again, and a modification that goes over the credit limit
    (or a customer now in litigation) blocks the order again. The acknowledgement
    is printed from the new lines (a new version of the PDF to send the customer).
    """
    claim(uow, form_token, "order.modified")
    order = uow.get(SalesOrder, order_id)
    if order.status not in MODIFIABLE:
        raise WrongStatus(f"La commande {order.number} est « {_order_status(order)} » : "
                          + ("elle attend la réponse de la direction." if order.status == OrderStatus.PENDING_APPROVAL
                             else "elle ne peut plus être modifiée."))
    customer = uow.session.get(Customer, order.customer_id)
    company = sales._company(uow)
    errors: dict[str, str] = {}
    priced: list[dict] = []
    try:
        priced = sales._priced_lines(uow, company, customer, lines)
    except ValidationFailed as failed:
        errors.update(failed.errors)
    stored = _lines_of(uow, OrderLine, "order_id", order.id)
    # the freight follows the new weight, with the order's own Incoterm, mode and service; the duties stay
    priced += sales._transport(uow, customer, order.incoterm, order.incoterm_place, order.transport_mode,
                               order.service_id, priced, order.global_discount_pct, errors,
                               duties_of(uow, order, stored)).lines
    wanted_date = _promised(promised_date, sim_date(uow), errors)
    if customer_po is not None:
        customer_po = read_text(customer_po, "customer_po", errors, label="Référence client", max_length=40)
    if errors:
        raise ValidationFailed(errors)
    old_lines = _stored_lines_payload(uow, stored)
    old = {"total_ttc": order.total_ttc, "promised_date": order.promised_date, "status": order.status}
    released = sales.release_reservations(uow, order)
    uow.session.execute(delete(OrderLine).where(OrderLine.order_id == order.id))
    uow.session.flush()
    sales._apply_totals(order, priced)
    if customer_po is not None:
        order.customer_po = customer_po.strip()[:40]
    uow.session.add_all([OrderLine(workspace_id=uow.workspace_id, order_id=order.id, **line) for line in priced])
    uow.session.flush()
    credit = sales.credit_check(uow, customer, order.total_ttc)
    stock = sales._stock_check(uow, order)
    reason_code, reason = sales.block_reason(customer, credit, order)
    refs = {"order": order.number, "customer": customer.code}
    if reason:
        order.status, order.blocked_reason, order.promised_date = OrderStatus.BLOCKED, reason, None
    else:
        sales._confirm(uow, order, stock, actor=actor)
        if wanted_date is not None:
            order.promised_date = max(wanted_date, order.promised_date) if _short(stock) else wanted_date
    journal.append(uow, kind="order.modified", actor=actor, refs=refs,
                   payload={"old_lines": old_lines, "new_lines": sales._lines_payload(uow, priced),
                            "old_total_ttc": old["total_ttc"], "new_total_ttc": order.total_ttc,
                            "old_promised_date": old["promised_date"], "new_promised_date": order.promised_date,
                            "previous_status": old["status"], "status": order.status, "released": released,
                            "stock": stock})
    if reason:
        journal.append(uow, kind="order.blocked", actor=actor, refs=refs,
                       payload={"reason_code": reason_code, "reason": reason, "outstanding": credit.outstanding,
                                "order_total": order.total_ttc, "credit_limit": credit.credit_limit,
                                "allowed": credit.allowed, "stock": stock})
    return order


def _short(stock: list[dict]) -> bool:
    return any(line["short"] > 0 for line in stock)


def _promised(raw, today: date, errors: dict[str, str]) -> date | None:
    """The date the candidate promises (optional): not in the past. Short lines cannot
    be promised before the supplier's lead time (the later date is kept)."""
    if raw in (None, ""):
        return None
    value = raw if isinstance(raw, date) else _read_date(str(raw).strip()[:10])
    if value is None:
        errors["promised_date"] = "Date de livraison : jj/mm/aaaa attendu."
    elif value < today:
        errors["promised_date"] = f"La date promise ne peut pas être passée (aujourd'hui : {today:%d/%m/%Y})."
    elif (value - today).days > 366:
        errors["promised_date"] = "La date promise est à plus d'un an : vérifiez l'année."
    else:
        return value
    return None


def _read_date(text: str) -> date | None:
    """ISO (what a date field sends) or French dd/mm/yyyy."""
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None
