"""Customer records: helpers shared by the tests (and the route-table tests)."""
from __future__ import annotations

from sqlalchemy import select

from sim.crm.models import Customer, DeliveryAddress
from sim.db import UnitOfWork

ACTOR = "candidate:crm"


def a_delivery_address(workspace_id: int, customer_id: int | None = None) -> DeliveryAddress:
    """A delivery address (the seed makes none), so that every kind of URL has an object to name."""
    from sim.crm.records import save_delivery_address

    with UnitOfWork(workspace_id) as uow:
        if customer_id is None:
            customer_id = uow.session.scalars(select(Customer.id).order_by(Customer.id).limit(1)).one()
        address = save_delivery_address(uow, actor=ACTOR, customer_id=customer_id, values={
            "label": "Entrepôt", "recipient": "Réception", "address": "3 rue des Docks", "postcode": "62300",
            "city": "Lens", "country": "FR", "active": "1", "is_default": "1"})
        uow.commit()
        return address
