"""A carrier with a known rate grid, for worked figures (set-up, not a business action)."""
from __future__ import annotations

from decimal import Decimal as D

from sim.db import UnitOfWork
from sim.shipping.models import CarrierRate, CarrierService
from sim.stock.models import Carrier

# zone -> (base, per kg, per parcel) for the band 30–100 kg and for 0–30 kg
GRID = {"FR": (D("20.00"), D("0.30"), D("1.00")), "EU": (D("40.00"), D("0.50"), D("2.00")),
        "WORLD": (D("90.00"), D("1.20"), D("0.00"))}


def a_priced_service(workspace_id: int, *, mode: str = "road", name: str = "Transports Grille Test",
                     zones=("FR", "EU", "WORLD")) -> CarrierService:
    with UnitOfWork(workspace_id) as uow:
        carrier = Carrier(workspace_id=workspace_id, name=name, mode="messagerie", email="exploitation@grille.test",
                          price_per_kg=D("0.50"), min_charge=D("10.00"))
        uow.session.add(carrier)
        uow.session.flush()
        service = CarrierService(workspace_id=workspace_id, carrier_id=carrier.id, code=mode.upper()[:6],
                                 name=f"Service {mode}", transport_mode=mode, transit_days=2)
        uow.session.add(service)
        uow.session.flush()
        for zone in zones:
            base, per_kg, per_parcel = GRID[zone]
            for low, high in ((0, 30), (30, 100), (100, 30000)):
                uow.session.add(CarrierRate(workspace_id=workspace_id, service_id=service.id, zone=zone,
                                            weight_from_kg=D(low), weight_to_kg=D(high), base_price=base,
                                            price_per_kg=per_kg, price_per_parcel=per_parcel))
        uow.commit()
        return service


def a_shipped_delivery(workspace_id: int, *, country="FR", vat_number="", qty="10", price="20.00", rule="",
                       place=""):
    """A confirmed order of one product, shipped whole: (customer, product, order, delivery)."""
    from sim.sales.service import LineInput, confirm_order, create_order
    from sim.stock.service import ship_delivery
    from sqlalchemy import select
    from sim.sales.models import OrderLine
    from tests.factories import ACTOR, a_carrier, make_customer, make_product

    customer = make_customer(workspace_id, country=country, vat_number=vat_number, credit_limit="90000.00")
    product = make_product(workspace_id, price=price, stock="100")
    with UnitOfWork(workspace_id) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, qty)],
                             incoterm=rule, incoterm_place=place)
        confirm_order(uow, actor=ACTOR, order_id=order.id)
        line = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                           OrderLine.product_id.is_not(None))).one()
        delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: qty},
                                 carrier_id=a_carrier(workspace_id).id)
        uow.commit()
    return customer, product, order, delivery


def a_carrier_protest(workspace_id: int):
    """A delivery received with 3 damaged units, protested: the protest."""
    from sqlalchemy import select

    from sim.clock import sim_date
    from sim.shipping.service import record_receipt, send_protest
    from sim.stock.models import DeliveryLine
    from tests.factories import ACTOR

    _, _, _, delivery = a_shipped_delivery(workspace_id)
    with UnitOfWork(workspace_id) as uow:
        line = uow.session.scalars(select(DeliveryLine).where(DeliveryLine.delivery_id == delivery.id)).one()
        record_receipt(uow, actor=ACTOR, delivery_id=delivery.id, received_date=sim_date(uow),
                       received_by="M. Garnier", reserves="3 cartons écrasés", damaged={line.id: "3"})
        protest = send_protest(uow, actor=ACTOR, delivery_id=delivery.id, facts="Cartons écrasés à la livraison.")
        uow.commit()
        return protest
