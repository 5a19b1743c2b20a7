"""Quotes and sales orders (CP1: follow the order process, apply the CGV).

Each public function is one business action: it validates, changes the rows
and writes its journal entry in the caller's transaction (the caller commits,
see sim/db.py). A refusal raises before anything is written, so a failed
action changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from sim.billing.vat import vat_rate_for, vat_regime
from sim.clock import sim_date
from sim.company.models import Company
from sim.company.numbering import next_number
from sim.crm.models import Customer
from sim.crm.service import customer_balance
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.formatting import eur
from sim.formatting import fr_number
from sim.parsing import read_decimal, read_id, read_quantity, read_text
from sim.sales.delivery_address import default_address_text
from sim.sales.errors import ApprovalNotAllowed, WrongStatus
from sim.sales.models import OrderLine, OrderStatus, Quote, QuoteLine, QuoteStatus, SalesOrder
from sim.sales.pricing import ZERO, document_totals, line_net
from sim.sales.working_days import add_working_days
from sim.stock.models import Product
from sim.workspace.forms import claim

QUOTE_VALIDITY_DAYS = 30
MANAGER_ROLES = ("trainer", "admin")  # they play the sales manager in the simulation
INCOTERMS = ("EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF")


# ===== input ============================================================

@dataclass
class LineInput:
    """One line as the form sends it: text, parsed and checked here."""

    product_id: str | int | None  # an id, or a reference typed in the line editor
    quantity: str | Decimal
    discount_pct: str | Decimal = "0"


def _find_product(uow, key) -> Product | None:
    """A product by id, or by reference as the line editor's search sends it
    ("EMB-0042" or "EMB-0042 — Carton double cannelure")."""
    if key in (None, ""):
        return None
    text = str(key).strip()
    if text.isdigit():
        id_ = read_id(text)
        return uow.session.scalars(select(Product).where(Product.id == id_)).first() if id_ else None
    reference = text.split(" — ")[0].strip().upper()
    if len(reference) > 40 or "\x00" in reference:
        return None
    found = uow.session.scalars(select(Product).where(Product.reference == reference)).first()
    if found is None:
        # words of the name ("film 23"): taken only when they name one product, never a guess
        from sim.stock.search import search_products

        matches = search_products(uow, text, limit=2)
        found = matches[0] if len(matches) == 1 else None
    return found


def _decimal(raw, field: str, errors: dict[str, str], *, label: str) -> Decimal | None:
    return read_decimal(raw, field, errors, f"{label} : nombre attendu.", places=2)


def _priced_lines(uow, company: Company, customer: Customer, lines: list[LineInput],
                  prefix: str = "lines") -> list[dict]:
    """Check every line and price it from the catalogue; collect all errors at once.

    The VAT rate is the product's, or 0 for an intra-EU B2B sale or an export."""
    regime = vat_regime(customer.country, customer.vat_number, customer.kind)
    errors: dict[str, str] = {}
    priced: list[dict] = []
    if not lines:
        errors[prefix] = "Ajoutez au moins une ligne."
    for index, line in enumerate(lines):
        key = f"{prefix}-{index}"
        product = None
        product = _find_product(uow, line.product_id)
        if line.product_id in (None, ""):
            errors[f"{key}-product"] = "Choisissez un produit du catalogue."
        elif product is None or not product.active:
            from sim.stock.search import search_products

            several = product is None and len(search_products(uow, str(line.product_id), limit=2)) > 1
            errors[f"{key}-product"] = ("Plusieurs produits correspondent : choisissez-en un dans la liste."
                                        if several else "Produit inconnu dans votre catalogue.")
        quantity = read_quantity(line.quantity, f"{key}-quantity", errors, unit=product.unit if product else "kg")
        if quantity is not None and quantity <= 0:
            errors[f"{key}-quantity"] = "La quantité doit être strictement positive."
        discount = _decimal(line.discount_pct or "0", f"{key}-discount", errors, label="Remise")
        if discount is not None:
            if discount < 0 or discount >= 100:
                errors[f"{key}-discount"] = "La remise est un pourcentage entre 0 et 100."
            elif discount > company.max_discount_pct:
                errors[f"{key}-discount"] = (f"Remise supérieure à votre délégation "
                                             f"({fr_number(company.max_discount_pct)} % au plus) : "
                                             "demandez l'accord de votre responsable.")
        if product is not None and quantity is not None and discount is not None and f"{key}-quantity" not in errors \
                and f"{key}-discount" not in errors:
            priced.append({
                "product_id": product.id, "description": product.name, "quantity": quantity,
                "unit_price": product.price_ht, "discount_pct": discount.quantize(Decimal("0.01")),
                "vat_rate": vat_rate_for(regime, product.vat_rate),
                "line_total_ht": line_net(quantity, product.price_ht, discount), "position": index + 1,
            })
    if errors:
        raise ValidationFailed(errors)
    return priced


def _global_discount(raw, company: Company, errors: dict[str, str]) -> Decimal:
    value = _decimal(raw or "0", "global_discount", errors, label="Remise globale")
    if value is None:
        return ZERO
    if value < 0 or value >= 100:
        errors["global_discount"] = "La remise globale est un pourcentage entre 0 et 100."
    elif value > company.max_discount_pct:
        errors["global_discount"] = (f"Remise supérieure à votre délégation "
                                     f"({fr_number(company.max_discount_pct)} % au plus).")
    return value.quantize(Decimal("0.01"))


def _incoterm(customer: Customer, rule: str, place: str, errors: dict[str, str]) -> tuple[str, str]:
    rule = (rule or "").strip().upper()
    place = read_text(place, "incoterm_place", errors, label="Lieu convenu", max_length=80) or ""
    if rule and rule not in INCOTERMS:
        errors["incoterm"] = "Incoterm inconnu (Incoterms® 2020 : EXW, FCA, CPT, CIP, DAP, DPU, DDP, FAS, FOB, CFR, CIF)."
    if rule and not place and "incoterm_place" not in errors:
        errors["incoterm_place"] = "Un Incoterm s'écrit avec son lieu convenu (ex. « DAP Dublin »)."
    return rule, place[:80]


def _company(uow) -> Company:
    return uow.session.scalars(select(Company)).one()


def _apply_totals(document, lines: list[dict]) -> None:
    from types import SimpleNamespace

    totals = document_totals([SimpleNamespace(**line) for line in lines], document.global_discount_pct)
    document.total_ht, document.total_vat, document.total_ttc = totals.total_ht, totals.total_vat, totals.total_ttc


def _lines_payload(uow, lines: list[dict]) -> list[dict]:
    """The goods lines as the journal keeps them: by product reference, never a database id
    (freight and insurance lines are journaled apart: ``_transport_payload``)."""
    goods = [line for line in lines if line.get("product_id") is not None]
    references = _references(uow, [line["product_id"] for line in goods])
    return [{"product": references[line["product_id"]],
             **{k: line[k] for k in ("quantity", "unit_price", "discount_pct", "vat_rate", "line_total_ht")}}
            for line in goods]


def _transport(uow, customer: Customer, rule: str, place: str, transport_mode: str, service_id, priced: list[dict],
               global_discount: Decimal, errors: dict[str, str]):
    """The transport terms checked against the rule, and the freight and insurance
    lines the rule puts on the seller (sim/shipping/freight.py)."""
    from sim.shipping.freight import transport_terms

    return transport_terms(uow, customer, incoterm=rule, place=place, mode=transport_mode, service_id=service_id,
                           goods=priced, global_discount_pct=global_discount, errors=errors)


def _transport_payload(lines: list[dict], transport_mode: str) -> dict:
    """Freight and insurance on the document, for the journal (0.00 when the buyer pays them)."""
    freight = sum((l["line_total_ht"] for l in lines if l.get("line_kind") == "freight"), ZERO)
    insurance = sum((l["line_total_ht"] for l in lines if l.get("line_kind") == "insurance"), ZERO)
    return {"freight": freight, "insurance": insurance, "freight_included": bool(freight),
            "transport_mode": transport_mode}


def _references(uow, product_ids) -> dict[int, str]:
    return dict(uow.session.execute(select(Product.id, Product.reference).where(Product.id.in_(set(product_ids)))).all())


# ===== quotes ===========================================================

def create_quote(uow, *, actor: str, customer_id: int, lines: list[LineInput], global_discount_pct="0",
                 incoterm: str = "", incoterm_place: str = "", notes: str = "", transport_mode: str = "",
                 service_id=None, form_token: str | None = None) -> Quote:
    """A draft quote priced from the catalogue, with the customer's payment terms."""
    claim(uow, form_token, "quote.created")  # first: a resubmitted form is refused as such (409)
    customer = uow.get(Customer, customer_id)
    company = _company(uow)
    errors: dict[str, str] = {}
    global_discount = _global_discount(global_discount_pct, company, errors)
    rule, place = _incoterm(customer, incoterm, incoterm_place, errors)
    notes = read_text(notes, "notes", errors, label="Notes", max_length=2000, multiline=True)
    try:
        priced = _priced_lines(uow, company, customer, lines)
    except ValidationFailed as failed:
        priced = []
        errors.update(failed.errors)
    terms = _transport(uow, customer, rule, place, transport_mode, service_id, priced, global_discount, errors)
    if errors:
        raise ValidationFailed(errors)
    priced += terms.lines
    today = sim_date(uow)
    quote = Quote(workspace_id=uow.workspace_id, number=next_number(uow, "quote", today), customer_id=customer.id,
                  issue_date=today, valid_until=today + timedelta(days=QUOTE_VALIDITY_DAYS),
                  payment_terms=customer.payment_terms, incoterm=rule, incoterm_place=place,
                  transport_mode=terms.mode, service_id=terms.service_id,
                  global_discount_pct=global_discount, notes=notes.strip()[:2000],
                  delivery_address=default_address_text(uow, customer))
    _apply_totals(quote, priced)
    uow.session.add(quote)
    uow.session.flush()
    uow.session.add_all([QuoteLine(workspace_id=uow.workspace_id, quote_id=quote.id, **line) for line in priced])
    journal.append(uow, kind="quote.created", actor=actor,
                   refs={"quote": quote.number, "customer": customer.code},
                   payload={"lines": _lines_payload(uow, priced), "global_discount_pct": global_discount,
                            "total_ht": quote.total_ht, "total_vat": quote.total_vat, "total_ttc": quote.total_ttc,
                            "valid_until": quote.valid_until, "payment_terms": quote.payment_terms,
                            "incoterm": rule, "incoterm_place": place,
                            **_transport_payload(priced, terms.mode)})
    return quote


def _set_quote_status(uow, *, actor: str, quote_id: int, allowed: tuple[str, ...], status: str, kind: str) -> Quote:
    quote = uow.get(Quote, quote_id)
    if quote.status not in allowed:
        raise WrongStatus(f"Le devis {quote.number} est « {QuoteStatus(quote.status).label} » : action impossible.")
    if status == QuoteStatus.ACCEPTED and quote.valid_until < sim_date(uow):
        raise WrongStatus(f"Le devis {quote.number} a expiré le {quote.valid_until:%d/%m/%Y} : "
                          "établissez un nouveau devis.")
    quote.status = status
    customer = uow.session.get(Customer, quote.customer_id)
    journal.append(uow, kind=kind, actor=actor, refs={"quote": quote.number, "customer": customer.code},
                   payload={"total_ttc": quote.total_ttc})
    return quote


def send_quote(uow, *, actor: str, quote_id: int) -> Quote:
    return _set_quote_status(uow, actor=actor, quote_id=quote_id, allowed=(QuoteStatus.DRAFT,),
                             status=QuoteStatus.SENT, kind="quote.sent")


def accept_quote(uow, *, actor: str, quote_id: int) -> Quote:
    return _set_quote_status(uow, actor=actor, quote_id=quote_id, allowed=(QuoteStatus.SENT,),
                             status=QuoteStatus.ACCEPTED, kind="quote.accepted")


def refuse_quote(uow, *, actor: str, quote_id: int, reason: str = "") -> Quote:
    """The customer said no: the reason (price, delay, competitor...) is kept and journaled."""
    quote = uow.get(Quote, quote_id)
    if quote.status != QuoteStatus.SENT:
        raise WrongStatus(f"Le devis {quote.number} est « {QuoteStatus(quote.status).label} » : action impossible.")
    errors: dict[str, str] = {}
    reason = read_text(reason, "reason", errors, label="Motif", max_length=300) or ""
    if not reason.strip() and not errors:
        errors["reason"] = "Indiquez le motif du refus du client (prix, délai, concurrent…)."
    if errors:
        raise ValidationFailed(errors)
    quote.status, quote.status_reason = QuoteStatus.REFUSED, reason.strip()
    customer = uow.session.get(Customer, quote.customer_id)
    journal.append(uow, kind="quote.refused", actor=actor, refs={"quote": quote.number, "customer": customer.code},
                   payload={"total_ttc": quote.total_ttc, "reason": quote.status_reason})
    return quote


# ===== orders ===========================================================

def _new_order(uow, *, actor: str, customer: Customer, priced: list[dict], global_discount: Decimal,
               customer_po: str, quote: Quote | None, incoterm: str, incoterm_place: str,
               transport_mode: str = "", service_id: int | None = None) -> SalesOrder:
    today = sim_date(uow)
    order = SalesOrder(workspace_id=uow.workspace_id, number=next_number(uow, "order", today),
                       customer_id=customer.id, quote_id=quote.id if quote else None,
                       customer_po=customer_po.strip()[:40], order_date=today, payment_terms=customer.payment_terms,
                       incoterm=incoterm, incoterm_place=incoterm_place, global_discount_pct=global_discount,
                       transport_mode=transport_mode, service_id=service_id, status=OrderStatus.DRAFT,
                       delivery_address=quote.delivery_address if quote and quote.delivery_address
                       else default_address_text(uow, customer))
    _apply_totals(order, priced)
    uow.session.add(order)
    uow.session.flush()
    uow.session.add_all([OrderLine(workspace_id=uow.workspace_id, order_id=order.id, **line) for line in priced])
    journal.append(uow, kind="order.created", actor=actor,
                   refs={"order": order.number, "customer": customer.code,
                         **({"quote": quote.number} if quote else {})},
                   payload={"lines": _lines_payload(uow, priced), "customer_po": order.customer_po,
                            "total_ht": order.total_ht, "total_ttc": order.total_ttc,
                            "incoterm": incoterm, "incoterm_place": incoterm_place,
                            **_transport_payload(priced, transport_mode)})
    return order


def create_order(uow, *, actor: str, customer_id: int, lines: list[LineInput], customer_po: str = "",
                 global_discount_pct="0", incoterm: str = "", incoterm_place: str = "", transport_mode: str = "",
                 service_id=None, form_token: str | None = None) -> SalesOrder:
    """An order entered directly, e.g. from a customer's purchase order."""
    claim(uow, form_token, "order.created")  # first: a resubmitted form is refused as such (409)
    customer = uow.get(Customer, customer_id)
    company = _company(uow)
    errors: dict[str, str] = {}
    global_discount = _global_discount(global_discount_pct, company, errors)
    rule, place = _incoterm(customer, incoterm, incoterm_place, errors)
    customer_po = read_text(customer_po, "customer_po", errors, label="Référence client", max_length=40)
    try:
        priced = _priced_lines(uow, company, customer, lines)
    except ValidationFailed as failed:
        priced = []
        errors.update(failed.errors)
    terms = _transport(uow, customer, rule, place, transport_mode, service_id, priced, global_discount, errors)
    if errors:
        raise ValidationFailed(errors)
    order = _new_order(uow, actor=actor, customer=customer, priced=priced + terms.lines,
                       global_discount=global_discount, customer_po=customer_po, quote=None, incoterm=rule,
                       incoterm_place=place, transport_mode=terms.mode, service_id=terms.service_id)
    return order


def order_from_quote(uow, *, actor: str, quote_id: int, customer_po: str = "") -> SalesOrder:
    """The accepted quote becomes an order with the quote's prices and discounts."""
    quote = uow.get(Quote, quote_id)
    if quote.status != QuoteStatus.ACCEPTED:
        raise WrongStatus(f"Le devis {quote.number} n'est pas accepté : pas de commande sans accord du client.")
    if uow.session.scalar(select(SalesOrder.id).where(SalesOrder.quote_id == quote.id)) is not None:
        raise WrongStatus(f"Le devis {quote.number} a déjà donné lieu à une commande.")
    errors: dict[str, str] = {}
    customer_po = read_text(customer_po, "customer_po", errors, label="Référence client", max_length=40)
    if errors:
        raise ValidationFailed(errors)
    customer = uow.session.get(Customer, quote.customer_id)
    lines = uow.session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote.id)
                                .order_by(QuoteLine.position)).all()
    priced = [{k: getattr(line, k) for k in ("product_id", "description", "quantity", "unit_price", "discount_pct",
                                             "vat_rate", "line_total_ht", "position", "line_kind")}
              for line in lines]  # freight and insurance lines come with the goods, at the quoted price
    order = _new_order(uow, actor=actor, customer=customer, priced=priced, global_discount=quote.global_discount_pct,
                       customer_po=customer_po, quote=quote, incoterm=quote.incoterm,
                       incoterm_place=quote.incoterm_place, transport_mode=quote.transport_mode,
                       service_id=quote.service_id)
    return order


@dataclass
class CreditCheck:
    outstanding: Decimal  # invoiced, unpaid, net of the customer's credits
    order_total: Decimal
    credit_limit: Decimal
    allowed: Decimal  # the limit plus the candidate's delegated overrun
    open_orders: Decimal = ZERO  # confirmed orders not invoiced yet (delivered or not), incl. VAT

    @property
    def exposure(self) -> Decimal:
        return self.outstanding + self.open_orders + self.order_total

    @property
    def passes(self) -> bool:
        return self.exposure <= self.allowed


def credit_check(uow, customer: Customer, order_total: Decimal) -> CreditCheck:
    """Exposure — outstanding + confirmed orders not invoiced + this order —
    against the credit limit and the delegation (domain/receivables-recovery.md §1)."""
    company = _company(uow)
    balance = customer_balance(uow, customer)
    allowed = (customer.credit_limit * (100 + company.max_credit_overrun_pct) / 100).quantize(Decimal("0.01"))
    return CreditCheck(balance.outstanding, order_total, customer.credit_limit, allowed,
                       balance.orders_not_delivered + balance.delivered_not_invoiced)


def _stock_check(uow, order: SalesOrder) -> list[dict]:
    lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                        OrderLine.product_id.is_not(None))
                                .order_by(OrderLine.position)).all()
    result = []
    for line in lines:
        product = uow.session.get(Product, line.product_id)
        available = product.stock_available
        result.append({"product": product.reference, "quantity": line.quantity, "available": available,
                       "short": max(ZERO, line.quantity - max(available, ZERO))})
    return result


def _reserve(uow, order: SalesOrder) -> None:
    """Reserve on-hand units for each line (kept on the line, so that shipping
    another order never takes them); what is missing stays a backorder."""
    for line in uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                            OrderLine.product_id.is_not(None))
                                    .order_by(OrderLine.position)):
        product = uow.session.get(Product, line.product_id)
        units = min(line.quantity - line.quantity_reserved, max(product.stock_available, ZERO))
        line.quantity_reserved += units
        product.stock_reserved += units


def release_reservations(uow, order: SalesOrder) -> list[dict]:
    """Give back what confirming reserved for the order (it is cancelled or its
    lines change); what it released, per product reference."""
    released = []
    for line in uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                            OrderLine.product_id.is_not(None))
                                    .order_by(OrderLine.position)):
        product = uow.session.get(Product, line.product_id)
        # an inventory adjustment may have cut the reservations below what the order took
        quantity = min(line.quantity_reserved, product.stock_reserved)
        product.stock_reserved -= quantity
        line.quantity_reserved = ZERO
        if quantity:
            released.append({"product": product.reference, "quantity": quantity})
    return released


def _promised_date(uow, order: SalesOrder, stock: list[dict]) -> date:
    """Two working days to prepare and ship if stock covers every line, else
    when the open purchase orders bring what is short (after the orders already
    waiting for them), else after the supplier's lead time
    (domain/supply-chain.md §1, "Promising a date"; sim/purchasing/risk.py);
    never a weekend or a French public holiday."""
    from sim.purchasing.risk import achievable_for_new_lines

    today = sim_date(uow)
    if all(line["short"] == 0 for line in stock):
        return add_working_days(today, 2)
    lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                        OrderLine.product_id.is_not(None))).all()  # not freight
    return achievable_for_new_lines(uow, [(l.product_id, l.quantity - l.quantity_delivered - l.quantity_reserved)
                                          for l in lines], order_id=order.id)


def confirm_order(uow, *, actor: str, order_id: int) -> SalesOrder:
    """Confirm an order after checking stock per line and the customer's credit.

    Over the limit (beyond the candidate's delegation), or for a customer in
    litigation, the order is *blocked* with its reason: only a manager's
    approval releases it. The block is committed and journaled: it is the
    evidence that the candidate checked before promising.
    """
    order = uow.get(SalesOrder, order_id)
    if order.status != OrderStatus.DRAFT:
        raise WrongStatus(f"La commande {order.number} est « {OrderStatus(order.status).label} » : "
                          "elle ne peut plus être confirmée.")
    customer = uow.session.get(Customer, order.customer_id)
    from sim.crm.records import check_prospect_can_order

    check_prospect_can_order(uow, customer)  # before anything is written: a refusal changes nothing
    credit = credit_check(uow, customer, order.total_ttc)
    stock = _stock_check(uow, order)
    refs = {"order": order.number, "customer": customer.code}
    figures = {"outstanding": credit.outstanding, "open_orders": credit.open_orders, "order_total": order.total_ttc,
               "credit_limit": credit.credit_limit, "allowed": credit.allowed, "stock": stock}
    reason_code, reason = block_reason(customer, credit, order)
    if reason:
        order.status, order.blocked_reason = OrderStatus.BLOCKED, reason
        journal.append(uow, kind="order.blocked", actor=actor, refs=refs,
                       payload={"reason_code": reason_code, "reason": reason, **figures})
        return order
    _confirm(uow, order, stock, actor=actor)
    journal.append(uow, kind="order.confirmed", actor=actor, refs=refs,
                   payload={**figures, "promised_date": order.promised_date})
    return order


def block_reason(customer: Customer, credit: CreditCheck, order: SalesOrder) -> tuple[str, str]:
    """Why the order needs management's approval ("litigation", "credit_limit"), or ("", "")."""
    if customer.in_litigation:
        return "litigation", "Client en litige : toute nouvelle commande doit être validée par la direction."
    if not credit.passes:
        return "credit_limit", (f"Plafond d'encours dépassé : encours {eur(credit.outstanding)} + commandes en cours "
                                f"{eur(credit.open_orders)} + commande {eur(order.total_ttc)} > plafond "
                                f"{eur(credit.credit_limit)} (délégation jusqu'à {eur(credit.allowed)}).")
    return "", ""


def _confirm(uow, order: SalesOrder, stock: list[dict], *, actor: str) -> None:
    from sim.crm.records import convert_prospect

    order.status, order.blocked_reason = OrderStatus.CONFIRMED, ""
    order.promised_date = _promised_date(uow, order, stock)
    _reserve(uow, order)
    convert_prospect(uow, actor=actor, customer=uow.session.get(Customer, order.customer_id),
                     order_number=order.number)


def request_approval(uow, *, actor: str, order_id: int, message: str) -> SalesOrder:
    """Ask management to release a blocked order, with the candidate's argument:
    the order waits for the decision ("en attente d'accord")."""
    order = uow.get(SalesOrder, order_id)
    if order.status != OrderStatus.BLOCKED:
        if order.status == OrderStatus.PENDING_APPROVAL:
            raise WrongStatus(f"La commande {order.number} attend déjà la réponse de la direction.")
        raise WrongStatus(f"La commande {order.number} n'est pas bloquée.")
    errors: dict[str, str] = {}
    message = read_text(message, "message", errors, label="Message", max_length=4000, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    if not message:
        raise ValidationFailed({"message": "Expliquez votre demande à la direction."})
    customer = uow.session.get(Customer, order.customer_id)
    order.status = OrderStatus.PENDING_APPROVAL
    journal.append(uow, kind="order.approval_requested", actor=actor,
                   refs={"order": order.number, "customer": customer.code},
                   payload={"message": message.strip()[:4000], "reason": order.blocked_reason})
    return order


DECISIONS = {"approved": "Accord", "refused": "Refus", "approved_with_conditions": "Accord sous conditions"}
DECIDERS = MANAGER_ROLES + ("scenario",)  # the trainer or admin, or the scenario's management_decision event


def decide_approval(uow, *, actor: str, actor_role: str, order_id: int, decision: str,
                    comment: str = "", event_key: str = "") -> SalesOrder:
    """Management decides on a blocked order: approved or approved with conditions
    confirms it (stock reserved, date promised); refused sends it back to blocked
    (the candidate may ask again with new arguments, or cancel it). The decision
    and its comment reach the candidate's inbox from "Direction commerciale".

    A candidate can never decide (on their own order or any)."""
    if actor_role not in DECIDERS:
        raise ApprovalNotAllowed("Seul un responsable peut débloquer une commande au-delà de votre délégation.")
    order = uow.get(SalesOrder, order_id)
    if order.status not in (OrderStatus.BLOCKED, OrderStatus.PENDING_APPROVAL):
        raise WrongStatus(f"La commande {order.number} est « {OrderStatus(order.status).label} » : "
                          "il n'y a plus rien à décider.")
    errors: dict[str, str] = {}
    if decision not in DECISIONS:
        errors["decision"] = "Décision : accord, accord sous conditions ou refus."
    comment = read_text(comment, "comment", errors, label="Commentaire", max_length=2000, multiline=True) or ""
    if decision in ("refused", "approved_with_conditions") and not comment.strip() and "comment" not in errors:
        errors["comment"] = ("Donnez le motif du refus." if decision == "refused"
                             else "Précisez les conditions de l'accord.")
    if errors:
        raise ValidationFailed(errors)
    comment = comment.strip()[:2000]
    customer = uow.session.get(Customer, order.customer_id)
    refs = {"order": order.number, "customer": customer.code}
    stock: list[dict] = []
    if decision == "refused":
        order.status = OrderStatus.BLOCKED
    else:
        stock = _stock_check(uow, order)
        _confirm(uow, order, stock, actor=actor)
    journal.append(uow, kind="order.approval_decided", actor=actor, refs=refs,
                   payload={"decision": decision, "comment": comment, "promised_date": order.promised_date,
                            "stock": stock})
    if decision != "refused":  # the release itself, as the evaluator's rules know it
        journal.append(uow, kind="order.approved", actor=actor, refs=refs,
                       payload={"comment": comment, "promised_date": order.promised_date, "stock": stock})
    _tell_the_candidate(uow, actor=actor, order=order, customer=customer, decision=decision, comment=comment,
                        event_key=event_key)
    return order


def _tell_the_candidate(uow, *, actor: str, order: SalesOrder, customer: Customer, decision: str,
                        comment: str, event_key: str = "") -> None:
    from sim.inbox.service import deliver

    company = _company(uow)
    domain = company.email.split("@")[-1] if "@" in company.email else "entreprise.fr"
    verdict = {"approved": "accordée", "refused": "refusée",
               "approved_with_conditions": "accordée sous conditions"}[decision]
    body = ["Bonjour,", "",
            f"Votre demande de déblocage de la commande {order.number} ({customer.name}, "
            f"{eur(order.total_ttc)} TTC) est {verdict}."]
    if comment:
        body += ["", ("Conditions : " if decision == "approved_with_conditions" else "Commentaire : ") + comment]
    if decision == "refused":
        body += ["", "La commande reste bloquée : vous pouvez refaire une demande avec de nouveaux arguments, "
                     "ou l'annuler en prévenant le client."]
    else:
        body += ["", f"La commande est confirmée ; livraison promise le {order.promised_date:%d/%m/%Y}."]
    body += ["", "La direction commerciale"]
    deliver(uow, actor=actor, role="management", name="Direction commerciale", email=f"direction@{domain}",
            subject=f"Commande {order.number} : {DECISIONS[decision].lower()} de la direction",
            body="\n".join(body), event_key=event_key)


def approve_order(uow, *, actor: str, actor_role: str, order_id: int, comment: str = "") -> SalesOrder:
    """A manager releases a blocked order (an unconditional approval)."""
    return decide_approval(uow, actor=actor, actor_role=actor_role, order_id=order_id, decision="approved",
                           comment=comment)


def approval_history(uow, order: SalesOrder) -> list:
    """The requests and decisions on this order, oldest first (the order page shows them)."""
    from sim.journal.models import JournalEntry

    entries = uow.session.scalars(select(JournalEntry).where(
        JournalEntry.kind.in_(("order.approval_requested", "order.approval_decided")))
        .order_by(JournalEntry.seq)).all()
    return [e for e in entries if (e.refs or {}).get("order") == order.number]


# ===== live preview (line editor) =======================================

@dataclass
class Preview:
    lines: list[dict | None]  # priced line, or None where the line has an error
    errors: dict[str, str]
    totals: object  # sim.sales.pricing.Totals
    # per line: the product's available stock (None: no product found), shown next to the line
    available: list = field(default_factory=list)
    # the freight and insurance lines the Incoterm adds (sim/shipping/freight.py), in the totals
    transport: list = field(default_factory=list)


def preview(uow, *, customer_id: int | None, lines: list[LineInput], global_discount_pct="0", incoterm: str = "",
            incoterm_place: str = "", transport_mode: str = "", service_id=None) -> Preview:
    """Price the lines being typed, without writing anything: the editor shows
    line totals, VAT per rate and the total as the candidate types."""
    from types import SimpleNamespace

    company = _company(uow)
    customer = None
    if customer_id:
        customer = uow.session.scalars(select(Customer).where(Customer.id == customer_id)).first()
    customer = customer or SimpleNamespace(country="FR", vat_number="", kind="b2b")
    errors: dict[str, str] = {}
    priced: list[dict | None] = []
    available: list = []
    for index, line in enumerate(lines):
        product = _find_product(uow, line.product_id)
        available.append(product.stock_available if product is not None and product.active else None)
        if line.product_id in (None, "") and str(line.quantity).strip() in ("", "1"):
            priced.append(None)  # an empty row, not an error yet
            continue
        try:
            [one] = _priced_lines(uow, company, customer, [line], prefix=f"lines-{index}-x")
            one["position"] = index + 1
            priced.append(one)
        except ValidationFailed as failed:
            errors.update({k.replace(f"lines-{index}-x-0", f"lines-{index}"): v for k, v in failed.errors.items()})
            priced.append(None)
    discount = _global_discount(global_discount_pct, company, errors)
    from types import SimpleNamespace as NS

    transport: list[dict] = []
    if customer_id and incoterm:
        rule = (incoterm or "").strip().upper()
        if rule in INCOTERMS:
            transport = _transport(uow, customer, rule, (incoterm_place or "")[:80], transport_mode, service_id,
                                   [p for p in priced if p], discount, errors).lines
    totals = document_totals([NS(**p) for p in [*priced, *transport] if p], discount)
    return Preview(priced, errors, totals, available, transport)
