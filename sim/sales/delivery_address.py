"""Where an order is delivered (CP1: the order is delivered to the address the customer asked for).

An order carries its delivery address as text, fixed when it is chosen: the
delivery note, the acknowledgement and the invoice's Factur-X "ship to" print
what was agreed, even if the customer's record changes afterwards. A new quote or
order takes the customer's default delivery address (an order made from a quote,
the quote's); empty means the billing address.
"""
from __future__ import annotations

from sqlalchemy import select

from sim.crm.models import Customer, DeliveryAddress
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.parsing import read_id
from sim.sales.errors import WrongStatus
from sim.sales.models import OrderStatus, Quote, QuoteStatus, SalesOrder

# Nothing has left the warehouse yet: the address can still change.
CHANGEABLE = (OrderStatus.DRAFT, OrderStatus.BLOCKED, OrderStatus.PENDING_APPROVAL, OrderStatus.CONFIRMED)
# Before the customer's answer: once accepted, the quote is what was agreed (the order carries it on).
QUOTE_CHANGEABLE = (QuoteStatus.DRAFT, QuoteStatus.SENT)


def address_text(address: DeliveryAddress) -> str:
    """The address as documents print it: label, recipient, street, town, country, instructions."""
    town = f"{address.postcode} {address.city}".strip()
    parts = [address.label, address.recipient, address.address, town,
             address.country if address.country and address.country != "FR" else "", address.instructions]
    return " — ".join(p.strip() for p in parts if p and p.strip())[:300]


def default_address_text(uow, customer: Customer) -> str:
    found = uow.session.scalars(select(DeliveryAddress).where(
        DeliveryAddress.customer_id == customer.id, DeliveryAddress.active, DeliveryAddress.is_default)).first()
    return address_text(found) if found is not None else ""


def _chosen_text(uow, customer: Customer, address_id) -> tuple[str, DeliveryAddress | None]:
    """The text of one of the customer's active addresses (``address_id``), or empty for the billing address."""
    if address_id in (None, ""):
        return "", None
    id_ = read_id(address_id)
    address = uow.session.get(DeliveryAddress, id_) if id_ else None
    if address is None or address.customer_id != customer.id or not address.active:
        raise ValidationFailed({"address_id": "Choisissez une adresse de livraison active de ce client."})
    return address_text(address), address


def _choose(uow, *, actor: str, document, kind: str, ref: str, address_id):
    customer = uow.session.get(Customer, document.customer_id)
    text, address = _chosen_text(uow, customer, address_id)
    if text == document.delivery_address:
        return document
    previous, document.delivery_address = document.delivery_address, text
    refs = {ref: document.number, "customer": customer.code}
    if address is not None:
        refs["address"] = f"{customer.code}-{address.key}"
    journal.append(uow, kind=kind, actor=actor, refs=refs,
                   payload={"address": text or "adresse de facturation", "previous": previous or "adresse de facturation",
                            "label": address.label if address is not None else ""})
    return document


def choose_delivery_address(uow, *, actor: str, order_id: int, address_id) -> SalesOrder:
    """Deliver the order to one of its customer's active addresses, or to the
    billing address (``address_id`` empty). Journaled ``order.delivery_address_chosen``."""
    order = uow.get(SalesOrder, order_id)
    if order.status not in CHANGEABLE:
        raise WrongStatus(f"La commande {order.number} est « {OrderStatus(order.status).label} » : "
                          "son adresse de livraison ne peut plus changer.")
    return _choose(uow, actor=actor, document=order, kind="order.delivery_address_chosen", ref="order",
                   address_id=address_id)


def choose_quote_delivery_address(uow, *, actor: str, quote_id: int, address_id) -> Quote:
    """Where the quoted goods would be delivered, while the quote is a draft or sent (the order it
    becomes takes it). Journaled ``quote.delivery_address_chosen``."""
    quote = uow.get(Quote, quote_id)
    if quote.status not in QUOTE_CHANGEABLE:
        raise WrongStatus(f"Le devis {quote.number} est « {QuoteStatus(quote.status).label} » : "
                          "son adresse de livraison ne peut plus changer.")
    return _choose(uow, actor=actor, document=quote, kind="quote.delivery_address_chosen", ref="quote",
                   address_id=address_id)
