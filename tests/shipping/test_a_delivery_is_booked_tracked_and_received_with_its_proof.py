"""A delivery is booked with a carrier's service (pickup date, parcels, weight, priced from
the grid for the customer's zone), tracked, and received with a proof of delivery; an
intra-EU delivery keeps the transport proof its VAT exemption needs (CGI 262 ter I)."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.clock import sim_date
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.sales.errors import WrongStatus
from sim.sales.working_days import add_working_days
from sim.shipping.models import TrackingEvent
from sim.shipping.service import book_carrier, record_receipt, record_tracking
from sim.stock.models import Delivery
from tests.factories import ACTOR, last_entry
from tests.shipping.helpers import a_priced_service, a_shipped_delivery


def _today(ws):
    with UnitOfWork(ws, write=False) as uow:
        return sim_date(uow)


def test_a_booking_prices_the_pickup_from_the_services_grid(workspace):
    ws = workspace.id
    service = a_priced_service(ws)
    customer, product, order, delivery = a_shipped_delivery(ws, country="DE", vat_number="DE123456789", qty="40")
    pickup = add_working_days(_today(ws), 1)

    with UnitOfWork(ws) as uow:
        booked = book_carrier(uow, actor=ACTOR, delivery_id=delivery.id, service_id=str(service.id),
                              pickup_date=pickup.isoformat())
        uow.commit()

    # EU, 40 kg, 2 parcels: 40.00 + 40 × 0.50 + 2 × 2.00
    assert (booked.parcels, booked.weight_kg, booked.freight_cost) == (2, D("40.000"), D("64.00"))
    assert booked.pickup_date == pickup and booked.service_id == service.id
    assert booked.tracking_number.startswith("TG")  # the new carrier's prefix (Transports Grille)
    entry = last_entry(ws, "delivery.booked")
    assert entry.refs == {"delivery": delivery.number, "order": order.number, "customer": customer.code}
    assert entry.payload["freight_cost"] == "64.00" and entry.payload["parcels"] == 2


def test_a_booking_is_refused_in_the_past_on_a_sunday_and_once_picked_up(workspace):
    ws = workspace.id
    service = a_priced_service(ws)
    _, _, _, delivery = a_shipped_delivery(ws)
    today = _today(ws)
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    for day, field in ((today - timedelta(days=1), "pickup_date"), (sunday, "pickup_date")):
        with UnitOfWork(ws) as uow:
            with pytest.raises(ValidationFailed) as refused:
                book_carrier(uow, actor=ACTOR, delivery_id=delivery.id, service_id=service.id,
                             pickup_date=day.isoformat())
        assert field in refused.value.errors
    with UnitOfWork(ws) as uow:
        record_tracking(uow, actor="scenario", delivery_id=delivery.id, kind="picked_up", location="Lyon")
        uow.commit()
    with UnitOfWork(ws) as uow:
        with pytest.raises(WrongStatus):
            book_carrier(uow, actor=ACTOR, delivery_id=delivery.id, service_id=service.id,
                         pickup_date=add_working_days(today, 1).isoformat())


def test_tracking_events_move_the_delivery_and_name_the_lines(workspace):
    ws = workspace.id
    _, product, _, delivery = a_shipped_delivery(ws)
    with UnitOfWork(ws) as uow:
        record_tracking(uow, actor="scenario", delivery_id=delivery.id, kind="in_transit", location="Mâcon")
        record_tracking(uow, actor="scenario", delivery_id=delivery.id, kind="damaged", location="Lyon",
                        lines=[{"product": product.reference, "quantity": 3}])
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        events = uow.session.scalars(select(TrackingEvent).where(TrackingEvent.delivery_id == delivery.id)
                                     .order_by(TrackingEvent.id)).all()
        assert uow.get(Delivery, delivery.id).status == "incident"
    assert [e.kind for e in events] == ["in_transit", "damaged"]
    assert events[1].lines == [{"product": product.reference, "quantity": "3"}]
    assert last_entry(ws, "delivery.tracked").payload["event"] == "damaged"


def test_an_intra_eu_receipt_keeps_the_transport_proof(workspace):
    ws = workspace.id
    customer, _, _, delivery = a_shipped_delivery(ws, country="BE", vat_number="BE0123456789")
    with UnitOfWork(ws) as uow:
        received = record_receipt(uow, actor=ACTOR, delivery_id=delivery.id, received_date=_today(ws),
                                  received_by="M. Peeters, magasinier", proof="CMR n° 884512 signée")
        uow.commit()
    assert received.status == "delivered" and received.proof_of_delivery == "CMR n° 884512 signée"
    payload = last_entry(ws, "delivery.received").payload
    assert payload["transport_proof"] is True and payload["with_reserves"] is False
    assert payload["protest_deadline"] is None
    with UnitOfWork(ws) as uow:
        with pytest.raises(WrongStatus):  # received once
            record_receipt(uow, actor=ACTOR, delivery_id=delivery.id, received_date=_today(ws), received_by="X")


def test_a_receipt_with_damaged_lines_needs_the_reserves_written(workspace):
    ws = workspace.id
    _, _, _, delivery = a_shipped_delivery(ws)
    with UnitOfWork(ws, write=False) as uow:
        from sim.stock.models import DeliveryLine

        line = uow.session.scalars(select(DeliveryLine).where(DeliveryLine.delivery_id == delivery.id)).one()
    with UnitOfWork(ws) as uow:
        with pytest.raises(ValidationFailed) as refused:
            record_receipt(uow, actor=ACTOR, delivery_id=delivery.id, received_date=_today(ws),
                           received_by="Mme Roy", damaged={line.id: "2"})
    assert "reserves" in refused.value.errors
    with UnitOfWork(ws) as uow:
        with pytest.raises(ValidationFailed) as refused:
            record_receipt(uow, actor=ACTOR, delivery_id=delivery.id, received_date=_today(ws),
                           received_by="Mme Roy", reserves="cartons écrasés", damaged={line.id: "11"})
    assert f"damaged-{line.id}" in refused.value.errors  # more than delivered


def test_the_customers_usual_incoterm_is_kept_on_its_record_with_its_place(workspace):
    from sim.crm.records import create_record

    ws = workspace.id
    values = {"name": "Dublin Packaging Ltd", "status": "customer", "kind": "b2b", "vat_number": "IE6388047V",
              "address": "1 Quay Street", "postcode": "D02", "city": "Dublin", "country": "IE", "language": "en",
              "payment_terms": "30_net", "payment_method": "transfer", "credit_limit": "5000",
              "risk_rating": "A", "incoterm": "DAP", "incoterm_place": ""}
    with UnitOfWork(ws) as uow:
        with pytest.raises(ValidationFailed) as refused:
            create_record(uow, actor=ACTOR, values=values)
    assert "incoterm_place" in refused.value.errors  # a rule is written with its named place
    with UnitOfWork(ws) as uow:
        customer = create_record(uow, actor=ACTOR, values=values | {"incoterm_place": "Dublin"})
        uow.commit()
    assert (customer.incoterm, customer.incoterm_place) == ("DAP", "Dublin")
