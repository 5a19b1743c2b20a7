"""What the candidate does for a customer order at risk: re-promise a date,
inform the customer, propose a substitute product (domain/supply-chain.md §6).

Splitting the delivery is the order's own shipping form (a partial shipment
leaves a backorder, ``sim.stock.service.ship_delivery``).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from sim.clock import sim_date
from sim.crm.models import Customer
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.parsing import read_text
from sim.purchasing.risk import OrderOutlook, order_outlook
from sim.purchasing.service import _product, read_day
from sim.sales.errors import WrongStatus
from sim.sales.models import OrderLine, OrderStatus, SalesOrder
from sim.stock.models import Product

PROMISABLE = (OrderStatus.CONFIRMED, OrderStatus.PARTIAL)
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def en_date(day: date) -> str:
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def repromise(uow, *, actor: str, order_id: int, new_date, reason: str, form_token: str | None = None) -> SalesOrder:
    """A new delivery date promised to the customer; journaled ``order.repromised``
    with the previous date and the achievable one the ERP computed. A date before
    the achievable one is refused: it would be a promise the stock cannot keep."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "order.repromised")
    order = uow.get(SalesOrder, order_id)
    if order.status not in PROMISABLE:
        raise WrongStatus(f"La commande {order.number} est « {OrderStatus(order.status).label} » : "
                          "il n'y a pas de date à promettre.")
    errors: dict[str, str] = {}
    day = read_day(new_date, "new_date", errors, sim_date(uow), label="Nouvelle date promise")
    reason = read_text(reason, "reason", errors, label="Motif", max_length=300, required=True)
    achievable = order_outlook(uow, order.id).achievable
    if day is not None and achievable is not None and day < achievable:
        errors["new_date"] = (f"Au plus tôt le {achievable:%d/%m/%Y} : c'est la date que le stock et les commandes "
                              "fournisseur permettent de tenir.")
    if day is not None and day == order.promised_date and "new_date" not in errors:
        errors["new_date"] = f"C'est déjà la date promise ({day:%d/%m/%Y})."
    if errors:
        raise ValidationFailed(errors)
    previous = order.promised_date
    order.promised_date = day
    customer = uow.session.get(Customer, order.customer_id)
    journal.append(uow, kind="order.repromised", actor=actor, refs={"order": order.number, "customer": customer.code},
                   payload={"previous_date": previous, "new_date": day, "achievable_date": achievable,
                            "reason": reason})
    return order


def draft_message(uow, risk: OrderOutlook, new_date: date | None = None) -> tuple[str, str, str]:
    """(language, subject, body) of a first draft to the customer, in their
    language: the order, the items waiting, the cause, the new date, the options."""
    order, customer = risk.order, risk.customer
    day = new_date or risk.achievable or order.promised_date
    waiting = [l for l in risk.lines if l.need > 0]
    products = {p.id: p for p in uow.session.scalars(select(Product).where(Product.id.in_([l.product_id for l in waiting])))} \
        if waiting else {}
    ref = f"{order.number}" + (f" (your ref. {order.customer_po})" if order.customer_po and customer.language == "en"
                               else f" (votre réf. {order.customer_po})" if order.customer_po else "")
    if customer.language == "en":
        items = "\n".join(f"- {products[l.product_id].name_en or l.name}: {l.need:.0f} to come" for l in waiting)
        body = (f"Dear Sir or Madam,\n\nWe are sorry to inform you that our supplier has delayed the delivery of "
                f"goods for your order {ref}:\n{items}\n\n"
                + (f"The new delivery date we can confirm is {en_date(day)}.\n" if day else "")
                + "If it helps you, we can ship the items in stock now and the rest on that date, or propose an "
                  "equivalent product.\nPlease let us know which option you prefer.\n\n"
                  "We apologise for the inconvenience.\n\nBest regards,\nSales administration")
        return "en", f"Your order {order.customer_po or order.number} — new delivery date", body
    items = "\n".join(f"- {l.name} : {l.need:.0f} à venir" for l in waiting)
    body = (f"Bonjour,\n\nNotre fournisseur a décalé la livraison de marchandises destinées à votre commande {ref} :\n"
            f"{items}\n\n"
            + (f"La nouvelle date de livraison que nous pouvons vous confirmer est le {day:%d/%m/%Y}.\n" if day else "")
            + "Si cela vous arrange, nous pouvons livrer dès maintenant ce qui est en stock et le reliquat à cette date, "
              "ou vous proposer un produit équivalent.\nMerci de nous indiquer l'option qui vous convient.\n\n"
              "Nous vous prions de nous excuser pour ce contretemps.\n\nCordialement,\nService administration des ventes")
    return "fr", f"Votre commande {order.customer_po or order.number} — nouvelle date de livraison", body


def inform_customer(uow, *, actor: str, order_id: int, subject: str, body: str, language: str,
                    form_token: str | None = None):
    """The message to the customer about their order (journaled ``message.sent``,
    the order named in its refs through the subject's text)."""
    from sim.inbox.service import send

    order = uow.get(SalesOrder, order_id)
    return send(uow, actor=actor, to_role="customer", customer_id=order.customer_id, subject=subject, body=body,
                language=language, form_token=form_token)


def propose_substitute(uow, *, actor: str, order_id: int, order_line_id: int | None, product: str | int,
                       subject: str, body: str, language: str, form_token: str | None = None):
    """Offer the customer another product for a line that waits (by email);
    journaled ``message.sent`` and ``order.substitute_proposed``. The order
    changes only if the customer accepts (the candidate then modifies it)."""
    from sim.inbox.service import send

    order = uow.get(SalesOrder, order_id)
    if order.status not in PROMISABLE:
        raise WrongStatus(f"La commande {order.number} est « {OrderStatus(order.status).label} » : "
                          "plus de produit à remplacer.")
    errors: dict[str, str] = {}
    line = uow.session.scalars(select(OrderLine).where(OrderLine.id == order_line_id,
                                                       OrderLine.order_id == order.id)).first() \
        if order_line_id else None
    if line is None:
        errors["line"] = "Choisissez la ligne de la commande à remplacer."
    substitute = _product(uow, product)
    if substitute is None:
        errors["product"] = "Produit de remplacement inconnu : choisissez-le dans la liste."
    elif line is not None and substitute.id == line.product_id:
        errors["product"] = "C'est le produit de la ligne : proposez-en un autre."
    if errors:
        raise ValidationFailed(errors)
    message = send(uow, actor=actor, to_role="customer", customer_id=order.customer_id, subject=subject, body=body,
                   language=language, form_token=form_token)
    original = uow.session.get(Product, line.product_id)
    customer = uow.session.get(Customer, order.customer_id)
    journal.append(uow, kind="order.substitute_proposed", actor=actor,
                   refs={"order": order.number, "customer": customer.code, "product": substitute.reference,
                         "message": message.reference},
                   payload={"replaces": original.reference, "quantity": line.quantity - line.quantity_delivered,
                            "available": substitute.stock_available, "price_ht": substitute.price_ht})
    return message
