"""A consumer's documents (Customer.kind == "b2c") print prices incl. VAT and the
consumer mediator (C. consom. L612-1), never the B2B terms: no 40 € recovery
indemnity, no commercial-court clause (domain/payment-and-invoicing.md §3: the
indemnity is due between professionals only)."""
from __future__ import annotations

import pytest

from sim.db import UnitOfWork
from sim.documents.service import render_pdf
from tests.documents import normalised, pdf_flow
from tests.factories import make_customer, make_product
from tests.money_helpers import invoiced, ordered


@pytest.fixture
def consumer(workspace):
    ws = workspace.id
    customer = make_customer(ws, kind="b2c", name="Mme Claire Martin")
    product = make_product(ws, price="12.50")  # 15.00 TTC
    return ws, customer, product


def _text(ws, kind, ref_id):
    with UnitOfWork(ws, write=False) as uow:
        _, pdf = render_pdf(uow, kind, ref_id)
    return normalised(pdf_flow(pdf))


def test_a_consumer_invoice_prints_prices_incl_vat_and_the_mediator(consumer):
    ws, customer, product = consumer
    invoice = invoiced(ws, customer, (product, 2))  # 25.00 HT, 30.00 TTC
    text = _text(ws, "invoice", invoice.id)
    assert "PU TTC" in text and "Total TTC" in text and "15,00" in text and "30,00" in text
    assert "médiateur de la consommation" in text
    assert "indemnité forfaitaire" not in text.lower() and "40,00 €" not in text  # no B2B recovery indemnity
    assert "D441-5" not in text and "tribunal de commerce" not in text


def test_a_consumer_order_acknowledgement_prints_consumer_terms(consumer):
    ws, customer, product = consumer
    order = ordered(ws, customer, (product, 2))
    text = _text(ws, "order_ack", order.id)
    assert "toutes taxes comprises" in text and "médiateur de la consommation" in text
    assert "tribunal de commerce" not in text and "indemnité forfaitaire" not in text
