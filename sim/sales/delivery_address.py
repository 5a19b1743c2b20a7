"""Where an order is delivered (CP1: the order is delivered to the address the customer asked for).

An order carries its delivery address as text, fixed when it is chosen: the
delivery note, the acknowledgement and the invoice's Factur-X "ship to" print
what was agreed, even if the customer's record changes afterwards. A new order
takes the customer's default delivery address; empty means the billing address.
"""
from __future__ import annotations

from sqlalchemy import select

from sim.crm.models import Customer, DeliveryAddress
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.parsing import read_id
from sim.sales.errors import WrongStatus
from sim.sales.models import OrderStatus, SalesOrder

# Nothing has left the warehouse yet: the address can still change.
CHANGEABLE = (OrderStatus.DRAFT, OrderStatus.BLOCKED, OrderStatus.PENDING_APPROVAL, OrderStatus.CONFIRMED)


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


def choose_delivery_address(uow, *, actor: str, order_id: int, address_id) -> SalesOrder:
    """Deliver the order to one of its customer's active addresses, or to the
    billing address (``address_id`` empty). Journaled ``order.delivery_address_chosen``."""
    order = uow.get(SalesOrder, order_id)
    if order.status not in CHANGEABLE:
        raise WrongStatus(f"La commande {order.number} est « {OrderStatus(order.status).label} » : "
                          "son adresse de livraison ne peut plus changer.")
    customer = uow.session.get(Customer, order.customer_id)
    address = None
    if address_id not in (None, ""):
        id_ = read_id(address_id)
        address = uow.session.get(DeliveryAddress, id_) if id_ else None
        if address is None or address.customer_id != customer.id or not address.active:
            raise ValidationFailed({"address_id": "Choisissez une adresse de livraison active de ce client."})
    text = address_text(address) if address is not None else ""
    if text == order.delivery_address:
        return order
    previous, order.delivery_address = order.delivery_address, text
    refs = {"order": order.number, "customer": customer.code}
    if address is not None:
        refs["address"] = f"{customer.code}-{address.key}"
    journal.append(uow, kind="order.delivery_address_chosen", actor=actor, refs=refs,
                   payload={"address": text or "adresse de facturation", "previous": previous or "adresse de facturation"})
    return order
