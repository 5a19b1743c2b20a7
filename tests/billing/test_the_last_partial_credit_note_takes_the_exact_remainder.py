"""Credit notes by quantity, by amount and for returned goods
(domain/payment-and-invoicing.md §6: an avoir refers to its invoice, HT and VAT
per rate; advsim rounds each line to the cent, sim/sales/pricing.py)."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.billing.models import InvoiceLine, InvoiceStatus
from sim.billing.service import GESTURE, PRICE_CORRECTION, issue_credit_note, issue_credit_note_by_amount
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.billing.models import Invoice
from sim.stock.models import Product
from tests.factories import ACTOR, last_entry, make_customer, make_product, set_company, snapshot
from tests.money_helpers import invoiced


def _line(ws, invoice):
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).one()


def _credit(ws, invoice, line, qty, basis="quantity"):
    with UnitOfWork(ws) as uow:
        note = issue_credit_note(uow, actor=ACTOR, invoice_id=invoice.id, quantities={line.id: qty},
                                 reason="Erreur de quantité", basis=basis)
        uow.commit()
    return note


def test_three_thirds_leave_nothing_due(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    product = make_product(ws, price="33.33")
    invoice = invoiced(ws, customer, (product, 3))  # 99.99 HT, VAT 20.00 (19.998), 119.99 TTC
    assert (invoice.total_ht, invoice.total_vat, invoice.total_ttc) == (D("99.99"), D("20.00"), D("119.99"))
    line = _line(ws, invoice)

    first, second = _credit(ws, invoice, line, "1"), _credit(ws, invoice, line, "1")
    assert (first.total_ht, first.total_vat, first.total_ttc) == (D("33.33"), D("6.67"), D("40.00"))
    assert second.total_ttc == D("40.00")
    last = _credit(ws, invoice, line, "1")  # the remainder: 33.33 HT, 6.66 VAT, 39.99 TTC

    assert (last.total_ht, last.total_vat, last.total_ttc) == (D("33.33"), D("6.66"), D("39.99"))
    with UnitOfWork(ws, write=False) as uow:
        invoice = uow.get(Invoice, invoice.id)
        assert invoice.amount_due == D("0.00") and invoice.status == InvoiceStatus.CREDITED
    assert last_entry(ws, "credit_note.issued").payload["basis"] == "quantity"


def test_a_gesture_by_amount_within_the_delegation(workspace):
    ws = workspace.id
    set_company(ws, max_gesture_pct=D("5.00"))
    customer = make_customer(ws)
    invoice = invoiced(ws, customer, (make_product(ws, price="250.00"), 4))  # 1 000 HT, 1 200 TTC
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        issue_credit_note_by_amount(uow, actor=ACTOR, invoice_id=invoice.id, amount="50,01", reason="Retard")
    assert "délégation (5 % de la facture HT, soit 50,00\u00a0€)" in refused.value.errors["amount"]
    assert snapshot(ws) == before

    with UnitOfWork(ws) as uow:
        note = issue_credit_note_by_amount(uow, actor=ACTOR, invoice_id=invoice.id, amount="50,00",
                                           reason="Retard de livraison", motive=GESTURE)
        uow.commit()
    assert (note.total_ht, note.total_vat, note.total_ttc) == (D("50.00"), D("10.00"), D("60.00"))
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(Invoice, invoice.id).amount_due == D("1140.00")
    entry = last_entry(ws, "credit_note.issued").payload
    assert (entry["basis"], entry["motive"]) == ("amount", GESTURE)

    # a price correction is not a gesture: bounded by what is left to credit, not by the delegation
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        issue_credit_note_by_amount(uow, actor=ACTOR, invoice_id=invoice.id, amount="950.01",
                                    reason="Prix erroné", motive=PRICE_CORRECTION)
    assert "Au plus 950,00\u00a0€ HT" in refused.value.errors["amount"]
    with UnitOfWork(ws) as uow:
        fixed = issue_credit_note_by_amount(uow, actor=ACTOR, invoice_id=invoice.id, amount="100",
                                            reason="Prix erroné", motive=PRICE_CORRECTION)
        uow.commit()
    assert fixed.total_ttc == D("120.00")


def test_returned_goods_go_back_to_stock(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    product = make_product(ws, price="12.50", stock="10")
    invoice = invoiced(ws, customer, (product, 4))  # 50.00 HT, 60.00 TTC; stock 6
    note = _credit(ws, invoice, _line(ws, invoice), "1", basis="return")
    assert note.total_ttc == D("15.00")
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(Product, product.id).stock_on_hand == D("7")
    assert last_entry(ws, "credit_note.issued").payload["basis"] == "return"
