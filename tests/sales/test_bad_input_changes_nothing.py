"""Bad input gets a clear French message on its field and changes nothing:
no row, no journal entry, no stock movement."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.billing.models import InvoiceLine
from sim.billing.service import AlreadyInvoiced, invoice_delivery
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.receivables.service import record_payment
from sim.sales.errors import WrongStatus
from sim.sales.models import OrderLine
from sim.sales.service import LineInput, confirm_order, create_order, create_quote
from sim.stock.service import ship_delivery
from sim.workspace.forms import AlreadySubmitted
from tests.factories import ACTOR, a_carrier, make_customer, make_product, set_company, snapshot


@pytest.fixture
def shop(workspace):
    ws = workspace.id
    set_company(ws, max_discount_pct=D("10.00"))
    return ws, make_customer(ws), make_product(ws, price="50.00", stock="20")


@pytest.mark.parametrize("line, field, message", [
    (("P", "0", "0"), "lines-0-quantity", "strictement positive"),
    (("P", "-2", "0"), "lines-0-quantity", "strictement positive"),
    (("P", "deux", "0"), "lines-0-quantity", "nombre attendu"),
    (("999999", "1", "0"), "lines-0-product", "Produit inconnu"),
    (("", "1", "0"), "lines-0-product", "Choisissez un produit"),
    (("P", "1", "15"), "lines-0-discount", "délégation"),
])
def test_a_bad_quote_line_is_refused_on_its_field(shop, line, field, message):
    ws, customer, product = shop
    product_id = product.id if line[0] == "P" else line[0]
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        create_quote(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product_id, line[1], line[2])])
        uow.commit()
    assert message in refused.value.errors[field]
    assert snapshot(ws) == before


def test_every_bad_line_is_reported_at_once(shop):
    ws, customer, product = shop
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        create_order(uow, actor=ACTOR, customer_id=customer.id,
                     lines=[LineInput(product.id, "0"), LineInput("", "1"), LineInput(product.id, "1", "50")])
        uow.commit()
    assert set(refused.value.errors) == {"lines-0-quantity", "lines-1-product", "lines-2-discount"}


def _invoiced(ws, customer, product):
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, "2")])
        uow.commit()
    with UnitOfWork(ws) as uow:
        confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        [line] = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    with UnitOfWork(ws) as uow:
        delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "2"},
                                 carrier_id=a_carrier(ws).id)
        uow.commit()
    with UnitOfWork(ws) as uow:
        result = order, line, delivery, invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
        uow.commit()
        return result


def test_an_allocation_larger_than_what_the_invoice_owes_is_refused(shop):
    """The payment itself may exceed what is due (the excess becomes a credit,
    tests/receivables/test_an_overpayment_becomes_a_credit_to_use_or_refund.py);
    allocating more than an invoice owes never is."""
    ws, customer, product = shop
    _, _, _, invoice = _invoiced(ws, customer, product)  # 120.00 TTC
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        record_payment(uow, actor=ACTOR, customer_id=customer.id, method="transfer", amount="150.00",
                       allocations={invoice.id: "150.00"})
        uow.commit()
    assert "Supérieur au reste dû" in refused.value.errors[f"alloc-{invoice.id}"]
    assert snapshot(ws) == before


def test_an_undelivered_order_cannot_be_invoiced_nor_a_delivery_twice(shop):
    ws, customer, product = shop
    order, line, delivery, _ = _invoiced(ws, customer, product)
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(AlreadyInvoiced):
        invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
        uow.commit()
    with UnitOfWork(ws) as uow, pytest.raises(WrongStatus):  # nothing left to deliver
        ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: "1"}, carrier_id=a_carrier(ws).id)
        uow.commit()
    assert snapshot(ws) == before


def test_shipping_more_than_ordered_or_in_stock_is_refused(shop):
    ws, customer, _ = shop
    scarce = make_product(ws, stock="1")
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(scarce.id, "3")])
        uow.commit()
    with UnitOfWork(ws) as uow:
        confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        [line] = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    before = snapshot(ws)
    for qty, message in (("4", "Reste à livrer"), ("2", "Stock physique insuffisant"), ("-1", "négative")):
        with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
            ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: qty},
                          carrier_id=a_carrier(ws).id)
            uow.commit()
        assert message in refused.value.errors[f"qty-{line.id}"]
    assert snapshot(ws) == before


def test_the_same_form_submitted_twice_creates_one_quote(shop):
    ws, customer, product = shop
    with UnitOfWork(ws) as uow:
        create_quote(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, "1")],
                     form_token="form-abc")
        uow.commit()
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(AlreadySubmitted):
        create_quote(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, "1")],
                     form_token="form-abc")
        uow.commit()
    assert snapshot(ws) == before


def test_a_credit_note_cannot_credit_more_than_invoiced(shop):
    from sim.billing.service import issue_credit_note

    ws, customer, product = shop
    _, _, _, invoice = _invoiced(ws, customer, product)
    with UnitOfWork(ws, write=False) as uow:
        [inv_line] = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        issue_credit_note(uow, actor=ACTOR, invoice_id=invoice.id, quantities={inv_line.id: "3"}, reason="")
        uow.commit()
    assert "plus que facturé" in refused.value.errors[f"qty-{inv_line.id}"]
    assert "motif" in refused.value.errors["reason"]
    assert snapshot(ws) == before


def test_not_a_number_is_refused_wherever_a_number_is_typed(shop):
    """"NaN" and "Infinity" parse as Decimals in Python; here they are refused as any other text."""
    ws, customer, product = shop
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, "2")])
        uow.commit()
    with UnitOfWork(ws) as uow:
        confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        [line] = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    before = snapshot(ws)
    for typed in ("NaN", "Infinity", "1,2,3"):
        with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
            ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={line.id: typed},
                          carrier_id=a_carrier(ws).id)
            uow.commit()
        assert "nombre attendu" in refused.value.errors[f"qty-{line.id}"]
        with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
            create_quote(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, typed)])
            uow.commit()
        assert "nombre attendu" in refused.value.errors["lines-0-quantity"]
    assert snapshot(ws) == before
