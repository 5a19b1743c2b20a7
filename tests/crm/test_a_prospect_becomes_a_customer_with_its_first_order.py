"""A prospect (a record before its first order, e.g. a lead from the trade show)
becomes a customer when its first order is confirmed — journaled as a record
change with the order as the reason. While its record lacks what an invoice
must print (billing address, SIREN of a French business), confirming is
refused with the faults listed, and nothing changes."""
from __future__ import annotations

import pytest

from sim.crm import records
from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.sales.models import OrderStatus
from sim.sales.service import LineInput, confirm_order, create_order
from tests.factories import ACTOR, last_entry, make_product, snapshot

PROSPECT = {"name": "Café des Arts", "status": "prospect", "kind": "b2b", "city": "Arras", "credit_limit": "5000"}
COMPLETE = {"siren": "732 829 320", "address": "3 place des Héros", "postcode": "62000", "city": "Arras",
            "country": "FR"}


def act(ws, service, **kw):
    with UnitOfWork(ws) as uow:
        result = service(uow, actor=ACTOR, **kw)
        uow.commit()
        return result


def test_the_first_confirmed_order_makes_the_prospect_a_customer(workspace):
    ws = workspace.id
    prospect = act(ws, records.create_record, values=PROSPECT | COMPLETE)
    order = act(ws, create_order, customer_id=prospect.id, lines=[LineInput(make_product(ws).id, "3")])

    order = act(ws, confirm_order, order_id=order.id)

    assert order.status == OrderStatus.CONFIRMED
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(Customer, prospect.id).status == "customer"
    with UnitOfWork(ws, write=False) as uow:
        from sqlalchemy import select
        from sim.journal.models import JournalEntry

        converted = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "customer.updated")).one()
    assert converted.refs == {"customer": prospect.code}
    assert converted.payload["changes"] == {"status": {"old": "prospect", "new": "customer"}}
    assert order.number in converted.payload["reason"]
    assert last_entry(ws).kind == "order.confirmed"


def test_an_incomplete_prospect_cannot_have_its_order_confirmed_and_nothing_changes(workspace):
    ws = workspace.id
    prospect = act(ws, records.create_record, values=PROSPECT)  # no SIREN, no street address
    order = act(ws, create_order, customer_id=prospect.id, lines=[LineInput(make_product(ws).id, "1")])
    before = snapshot(ws)

    with pytest.raises(records.ProspectIncomplete) as refused:
        act(ws, confirm_order, order_id=order.id)

    assert "encore un prospect" in refused.value.message and "SIREN" in refused.value.message
    assert snapshot(ws) == before
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(Customer, prospect.id).status == "prospect"
