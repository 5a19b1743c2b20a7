"""Corrections: a draft is edited or deleted (its journal trail stays, its number
is not reused); a quote is cancelled or refused with a reason; a confirmed order
is cancelled with a reason and gives back what it reserved."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.db import NotFound, UnitOfWork
from sim.errors import ValidationFailed
from sim.sales import corrections
from sim.sales.errors import WrongStatus
from sim.sales.models import OrderLine, OrderStatus, Quote, QuoteStatus, SalesOrder
from sim.sales.service import LineInput, confirm_order, create_order, create_quote, refuse_quote, send_quote
from sim.stock.models import Product
from tests.factories import ACTOR, last_entry, make_customer, make_product, snapshot


def act(ws, fn, **kw):
    with UnitOfWork(ws) as uow:
        result = fn(uow, actor=ACTOR, **kw)
        uow.commit()
        return result


def reserved(ws, product):
    with UnitOfWork(ws, write=False) as uow:
        return uow.get(Product, product.id).stock_reserved


def test_a_draft_quote_is_rewritten_with_new_lines_and_totals(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    a, b = make_product(ws, price="10.00"), make_product(ws, price="7.00")
    quote = act(ws, create_quote, customer_id=customer.id, lines=[LineInput(a.id, "1")])

    quote = act(ws, corrections.update_quote, quote_id=quote.id, customer_id=customer.id,
                lines=[LineInput(a.id, "3"), LineInput(b.reference, "2", "10")], notes="Livraison en 2 fois")

    assert quote.total_ht == D("42.60") and quote.notes == "Livraison en 2 fois"
    entry = last_entry(ws)
    assert entry.kind == "quote.updated" and [l["quantity"] for l in entry.payload["lines"]] == ["3", "2"]


def test_a_sent_quote_is_no_longer_edited_nor_deleted(workspace):
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws)
    quote = act(ws, create_quote, customer_id=customer.id, lines=[LineInput(product.id, "1")])
    act(ws, send_quote, quote_id=quote.id)
    before = snapshot(ws)
    with pytest.raises(WrongStatus, match="seul un brouillon"):
        act(ws, corrections.update_quote, quote_id=quote.id, customer_id=customer.id,
            lines=[LineInput(product.id, "5")])
    with pytest.raises(WrongStatus):
        act(ws, corrections.delete_quote, quote_id=quote.id)
    assert snapshot(ws) == before


def test_a_deleted_draft_leaves_its_trail_and_its_number_is_not_reused(workspace):
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws)
    first = act(ws, create_quote, customer_id=customer.id, lines=[LineInput(product.id, "1")])
    number = act(ws, corrections.delete_quote, quote_id=first.id)

    assert last_entry(ws).kind == "quote.deleted" and last_entry(ws).refs["quote"] == number
    with UnitOfWork(ws, write=False) as uow, pytest.raises(NotFound):
        uow.get(Quote, first.id)
    second = act(ws, create_quote, customer_id=customer.id, lines=[LineInput(product.id, "1")])
    assert second.number != number and second.number > number


def test_a_quote_is_cancelled_or_refused_only_with_a_reason(workspace):
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws)
    sent = act(ws, create_quote, customer_id=customer.id, lines=[LineInput(product.id, "1")])
    act(ws, send_quote, quote_id=sent.id)
    before = snapshot(ws)
    with pytest.raises(ValidationFailed) as refused:
        act(ws, refuse_quote, quote_id=sent.id, reason="  ")
    assert "motif" in refused.value.errors["reason"]
    assert snapshot(ws) == before

    quote = act(ws, refuse_quote, quote_id=sent.id, reason="Prix du concurrent plus bas")
    assert (quote.status, quote.status_reason) == (QuoteStatus.REFUSED, "Prix du concurrent plus bas")
    assert last_entry(ws).payload["reason"] == "Prix du concurrent plus bas"

    draft = act(ws, create_quote, customer_id=customer.id, lines=[LineInput(product.id, "1")])
    draft = act(ws, corrections.cancel_quote, quote_id=draft.id, reason="Doublon du devis précédent")
    assert draft.status == QuoteStatus.CANCELLED
    entry = last_entry(ws)
    assert (entry.kind, entry.payload["previous_status"]) == ("quote.cancelled", "draft")
    with pytest.raises(WrongStatus):
        act(ws, corrections.cancel_quote, quote_id=draft.id, reason="Encore")


def test_a_draft_order_is_edited_then_deleted(workspace):
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws, price="5.00")
    order = act(ws, create_order, customer_id=customer.id, lines=[LineInput(product.id, "1")])
    order = act(ws, corrections.update_order, order_id=order.id, customer_id=customer.id,
                lines=[LineInput(product.id, "4")], customer_po="BC-77")
    assert (order.total_ht, order.customer_po) == (D("20.00"), "BC-77")
    assert last_entry(ws).kind == "order.updated"

    number = act(ws, corrections.delete_order, order_id=order.id)
    assert last_entry(ws).kind == "order.deleted" and last_entry(ws).refs["order"] == number
    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.scalars(select(SalesOrder).where(SalesOrder.number == number)).first() is None
        assert uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all() == []


def test_a_confirmed_order_is_cancelled_with_its_reason_and_its_reservations_released(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    product = make_product(ws, stock="10", reserved="3")  # 3 already reserved by another order
    order = act(ws, create_order, customer_id=customer.id, lines=[LineInput(product.id, "12")])
    act(ws, confirm_order, order_id=order.id)
    assert reserved(ws, product) == D("10")  # 7 available were reserved; 5 on backorder

    with pytest.raises(ValidationFailed):
        act(ws, corrections.cancel_order, order_id=order.id, reason="")
    order = act(ws, corrections.cancel_order, order_id=order.id, reason="Le client a annulé par téléphone")

    assert (order.status, order.cancel_reason) == (OrderStatus.CANCELLED, "Le client a annulé par téléphone")
    assert reserved(ws, product) == D("3")  # the other order's reservation stays
    entry = last_entry(ws)
    assert entry.kind == "order.cancelled"
    assert entry.payload["released"] == [{"product": product.reference, "quantity": "7.000"}]
    with pytest.raises(WrongStatus):
        act(ws, corrections.cancel_order, order_id=order.id, reason="Deux fois")
    with pytest.raises(WrongStatus):
        act(ws, corrections.delete_order, order_id=order.id)
