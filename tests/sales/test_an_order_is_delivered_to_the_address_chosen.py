"""An order is delivered where the customer asked: a new order takes the
customer's default delivery address, the candidate can choose another of its
active addresses (or the billing address) until the goods leave, and the
delivery note prints the address chosen."""
from __future__ import annotations

import pytest

from sim.crm import records
from sim.db import UnitOfWork
from sim.documents.service import render
from sim.errors import ValidationFailed
from sim.sales.delivery_address import choose_delivery_address
from sim.sales.errors import WrongStatus
from sim.sales.models import OrderLine, SalesOrder
from sim.sales.service import LineInput, confirm_order, create_order
from sim.stock.service import ship_delivery
from sqlalchemy import select
from tests.factories import ACTOR, a_carrier, last_entry, make_customer, make_product, snapshot


def act(ws, fn, **kw):
    with UnitOfWork(ws) as uow:
        result = fn(uow, actor=ACTOR, **kw)
        uow.commit()
        return result


def address(ws, customer, label, city, *, default=False, active=True):
    values = {"label": label, "address": "12 quai des Docks", "postcode": "59300", "city": city, "country": "FR",
              "instructions": "Quai 3, 8 h – 12 h", "is_default": "on" if default else "", "active": "on" if active else ""}
    return act(ws, records.save_delivery_address, customer_id=customer.id, values=values)


def test_a_new_order_takes_the_default_delivery_address(workspace):
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws)
    address(ws, customer, "Entrepôt de Lens", "Lens", default=True)
    order = act(ws, create_order, customer_id=customer.id, lines=[LineInput(product.id, "2")])
    assert order.delivery_address == "Entrepôt de Lens — 12 quai des Docks — 59300 Lens — Quai 3, 8 h – 12 h"


def test_the_address_chosen_is_journaled_and_printed_on_the_delivery_note(workspace):
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws, stock="50")
    address(ws, customer, "Entrepôt de Lens", "Lens", default=True)
    shop = address(ws, customer, "Magasin de Valenciennes", "Valenciennes")
    order = act(ws, create_order, customer_id=customer.id, lines=[LineInput(product.id, "2")])
    order = act(ws, confirm_order, order_id=order.id)

    order = act(ws, choose_delivery_address, order_id=order.id, address_id=str(shop.id))

    entry = last_entry(ws)
    assert entry.kind == "order.delivery_address_chosen"
    assert entry.refs == {"order": order.number, "customer": customer.code, "address": f"{customer.code}-L2"}
    assert entry.payload["previous"].startswith("Entrepôt de Lens")
    assert entry.payload["address"].startswith("Magasin de Valenciennes")
    with UnitOfWork(ws, write=False) as uow:
        line = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).one()
    delivery = act(ws, ship_delivery, order_id=order.id, quantities={line.id: "2"}, carrier_id=a_carrier(ws).id)
    with UnitOfWork(ws, write=False) as uow:
        note = render(uow, "delivery_note", delivery.id)
    assert "Magasin de Valenciennes" in note.html and "Valenciennes" in note.html

    with pytest.raises(WrongStatus):  # the goods have left: too late to change
        act(ws, choose_delivery_address, order_id=order.id, address_id="")


def test_the_billing_address_is_chosen_with_no_address(workspace):
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws)
    address(ws, customer, "Entrepôt de Lens", "Lens", default=True)
    order = act(ws, create_order, customer_id=customer.id, lines=[LineInput(product.id, "1")])
    order = act(ws, choose_delivery_address, order_id=order.id, address_id="")
    assert order.delivery_address == ""
    assert last_entry(ws).payload["address"] == "adresse de facturation"


@pytest.mark.parametrize("whose", ["other customer", "inactive", "garbage"])
def test_an_address_that_is_not_the_customers_is_refused_and_changes_nothing(workspace, whose):
    ws = workspace.id
    customer, other, product = make_customer(ws), make_customer(ws), make_product(ws)
    theirs = address(ws, other, "Chez un autre", "Lille")
    closed = address(ws, customer, "Ancien dépôt", "Arras", active=False)
    order = act(ws, create_order, customer_id=customer.id, lines=[LineInput(product.id, "1")])
    before = snapshot(ws)
    raw = {"other customer": str(theirs.id), "inactive": str(closed.id), "garbage": "1; DROP"}[whose]
    with pytest.raises(ValidationFailed) as refused:
        act(ws, choose_delivery_address, order_id=order.id, address_id=raw)
    assert "address_id" in refused.value.errors
    assert snapshot(ws) == before
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(SalesOrder, order.id).delivery_address == ""


def test_a_quote_takes_the_address_chosen_prints_it_and_the_order_made_from_it_keeps_it(workspace):
    from sim.sales.delivery_address import choose_quote_delivery_address
    from sim.sales.service import accept_quote, create_quote, order_from_quote, send_quote

    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws)
    address(ws, customer, "Entrepôt de Lens", "Lens", default=True)
    shop = address(ws, customer, "Magasin de Valenciennes", "Valenciennes")
    quote = act(ws, create_quote, customer_id=customer.id, lines=[LineInput(product.id, "3")])
    assert quote.delivery_address.startswith("Entrepôt de Lens")
    act(ws, send_quote, quote_id=quote.id)

    quote = act(ws, choose_quote_delivery_address, quote_id=quote.id, address_id=str(shop.id))

    entry = last_entry(ws)
    assert entry.kind == "quote.delivery_address_chosen"
    assert entry.refs == {"quote": quote.number, "customer": customer.code, "address": f"{customer.code}-L2"}
    with UnitOfWork(ws, write=False) as uow:
        assert "Magasin de Valenciennes" in render(uow, "quote", quote.id).html
    act(ws, accept_quote, quote_id=quote.id)
    with pytest.raises(WrongStatus):  # accepted: the address is part of what was agreed
        act(ws, choose_quote_delivery_address, quote_id=quote.id, address_id="")
    order = act(ws, order_from_quote, quote_id=quote.id)
    assert order.delivery_address.startswith("Magasin de Valenciennes")


def test_a_draft_quote_given_to_another_customer_takes_that_customers_address(workspace):
    from sim.sales.corrections import update_quote
    from sim.sales.service import create_quote

    ws = workspace.id
    first, second, product = make_customer(ws), make_customer(ws), make_product(ws)
    address(ws, first, "Entrepôt de Lens", "Lens", default=True)
    address(ws, second, "Dépôt de Douai", "Douai", default=True)
    quote = act(ws, create_quote, customer_id=first.id, lines=[LineInput(product.id, "1")])
    quote = act(ws, update_quote, quote_id=quote.id, customer_id=second.id, lines=[LineInput(product.id, "1")])
    assert quote.delivery_address.startswith("Dépôt de Douai")
