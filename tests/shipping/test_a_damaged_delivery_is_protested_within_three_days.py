"""Reserves on the delivery receipt, then the carrier protest within 3 days of the
receipt, Sundays and public holidays not counted (Code de commerce L133-3): on time
or late, with the damaged lines and their value; the damaged goods are replaced
(shipped again, never invoiced again)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.billing.service import AlreadyInvoiced, invoice_delivery
from sim.clock import set_clock, sim_date, sim_now
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.sales.errors import WrongStatus
from sim.shipping.service import protest_deadline, record_receipt, send_protest, ship_replacement
from sim.stock.models import DeliveryLine, Product
from tests.factories import ACTOR, last_entry
from tests.shipping.helpers import a_shipped_delivery


@pytest.mark.parametrize("received, deadline", [
    (date(2026, 11, 2), date(2026, 11, 5)),   # Monday → Thursday
    (date(2026, 11, 5), date(2026, 11, 9)),   # Thursday → Monday (Sunday not counted)
    (date(2026, 11, 7), date(2026, 11, 12)),  # Saturday → Thursday (Sunday 8, Wednesday 11 Nov not counted)
    (date(2026, 12, 23), date(2026, 12, 28)),  # Wednesday → Monday (Christmas and Sunday not counted)
])
def test_the_deadline_is_three_days_without_sundays_and_public_holidays(received, deadline):
    assert protest_deadline(received) == deadline


def _received_with_reserves(ws):
    customer, product, order, delivery = a_shipped_delivery(ws, qty="10", price="20.00")
    with UnitOfWork(ws, write=False) as uow:
        line = uow.session.scalars(select(DeliveryLine).where(DeliveryLine.delivery_id == delivery.id)).one()
        today = sim_date(uow)
    with UnitOfWork(ws) as uow:
        record_receipt(uow, actor=ACTOR, delivery_id=delivery.id, received_date=today,
                       received_by="M. Garnier, chef de quai", reserves="3 cartons écrasés, film déchiré",
                       damaged={line.id: "3"})
        uow.commit()
    return customer, product, order, delivery


def test_a_protest_on_time_claims_the_value_of_the_damaged_lines(workspace):
    ws = workspace.id
    customer, product, order, delivery = _received_with_reserves(ws)
    received = last_entry(ws, "delivery.received").payload
    assert received["with_reserves"] is True and received["lines"] == [{"product": product.reference,
                                                                        "quantity": "3"}]

    with UnitOfWork(ws) as uow:
        protest = send_protest(uow, actor=ACTOR, delivery_id=delivery.id,
                               facts="3 cartons écrasés à la livraison, contenu inutilisable.")
        uow.commit()

    assert protest.on_time and protest.claimed_amount == D("60.00")  # 3 × 20.00
    assert protest.number == f"RES-{delivery.number}"
    entry = last_entry(ws, "carrier.protest_sent")
    assert entry.refs["protest"] == protest.number and entry.refs["delivery"] == delivery.number
    assert entry.payload["on_time"] is True and entry.payload["claimed_amount"] == "60.00"
    with UnitOfWork(ws) as uow:
        with pytest.raises(WrongStatus):  # once per delivery
            send_protest(uow, actor=ACTOR, delivery_id=delivery.id, facts="encore")


def test_a_protest_after_the_three_days_is_recorded_late(workspace):
    ws = workspace.id
    _, _, _, delivery = _received_with_reserves(ws)
    with UnitOfWork(ws) as uow:  # a week goes by
        set_clock(uow, sim_time=sim_now(uow) + timedelta(days=7), speed=0)
        uow.commit()

    with UnitOfWork(ws) as uow:
        protest = send_protest(uow, actor=ACTOR, delivery_id=delivery.id, facts="Cartons écrasés.")
        uow.commit()

    assert protest.on_time is False and protest.deadline < protest.sent_date
    assert last_entry(ws, "carrier.protest_sent").payload["on_time"] is False


def test_no_protest_without_damaged_lines_nor_without_facts(workspace):
    ws = workspace.id
    _, _, _, clean = a_shipped_delivery(ws)
    with UnitOfWork(ws) as uow:
        with pytest.raises(WrongStatus):
            send_protest(uow, actor=ACTOR, delivery_id=clean.id, facts="rien")
    _, _, _, damaged = _received_with_reserves(ws)
    with UnitOfWork(ws) as uow:
        with pytest.raises(ValidationFailed) as refused:
            send_protest(uow, actor=ACTOR, delivery_id=damaged.id, facts="  ")
    assert "facts" in refused.value.errors


def test_the_replacement_ships_the_damaged_quantity_and_is_not_invoiced(workspace):
    ws = workspace.id
    customer, product, order, delivery = _received_with_reserves(ws)
    with UnitOfWork(ws, write=False) as uow:
        before = uow.get(Product, product.id).stock_on_hand

    with UnitOfWork(ws) as uow:
        replacement = ship_replacement(uow, actor=ACTOR, delivery_id=delivery.id)
        uow.commit()

    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(Product, product.id).stock_on_hand == before - 3
        lines = uow.session.scalars(select(DeliveryLine).where(DeliveryLine.delivery_id == replacement.id)).all()
    assert [(l.product_id, l.quantity) for l in lines] == [(product.id, D("3.000"))]
    assert replacement.replaces_id == delivery.id
    entry = last_entry(ws, "delivery.replacement_shipped")
    assert entry.refs["delivery"] == delivery.number and entry.refs["replacement"] == replacement.number
    with UnitOfWork(ws) as uow:
        with pytest.raises(AlreadyInvoiced):
            invoice_delivery(uow, actor=ACTOR, delivery_id=replacement.id)
    with UnitOfWork(ws) as uow:
        with pytest.raises(WrongStatus):  # replaced once
            ship_replacement(uow, actor=ACTOR, delivery_id=delivery.id)
