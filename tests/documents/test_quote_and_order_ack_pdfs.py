"""The quote and the order acknowledgement: French documents, with English
subtitles for an English-speaking customer; validity, payment terms, Incoterm
and the "Bon pour accord" box on the quote; the customer's PO, order date and
promised date on the acknowledgement."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

from sim.db import UnitOfWork
from sim.documents.service import render_pdf
from tests.documents import eur, normalised, order_to_cash, pdf_flow, pdf_layout


def test_the_quote_gives_validity_terms_incoterm_and_a_signature_box_with_english_subtitles():
    story = order_to_cash()
    quote = story.quote
    with UnitOfWork(story.ws, write=False) as uow:
        filename, pdf = render_pdf(uow, "quote", quote.id)
    layout, flow = pdf_layout(pdf), pdf_flow(pdf)
    assert filename == f"Devis_{quote.number}.pdf"
    assert "DEVIS" in layout and "Quotation" in layout
    assert quote.number in layout
    assert quote.valid_until == story.today + timedelta(days=30)
    assert f"Valable jusqu'au / Valid until {quote.valid_until:%d/%m/%Y}" in layout
    assert "Conditions de paiement 30 jours net" in layout
    assert "Incoterm® 2020 DAP Dublin" in layout
    assert "BON POUR ACCORD" in layout and "« Bon pour accord »" in flow
    # intra-EU B2B: no VAT, with the exemption mention; DAP puts the carriage on the
    # seller: a freight line (priced from the carrier's grid) is added to the goods
    from sqlalchemy import select

    from sim.sales.models import QuoteLine

    with UnitOfWork(story.ws, write=False) as uow:
        freight = uow.session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote.id,
                                                              QuoteLine.line_kind == "freight")).one()
    assert freight.vat_rate == D("0.00") and freight.line_total_ht > 0
    assert quote.total_ttc == quote.total_ht == D("124.00") + freight.line_total_ht
    assert normalised(f"{story.boxes.reference} Caisse américaine 400×300×300 10 u 12,40 0 % 124,00") in layout
    assert "Transport DAP Dublin" in flow
    assert f"Total TTC {eur(quote.total_ttc)}" in layout
    assert "Exonération de TVA, art. 262 ter I du CGI" in flow


def test_the_order_acknowledgement_gives_the_customer_po_and_the_promised_date():
    story = order_to_cash()
    order = story.irish_order
    with UnitOfWork(story.ws, write=False) as uow:
        filename, pdf = render_pdf(uow, "order_ack", order.id)
    layout, flow = pdf_layout(pdf), pdf_flow(pdf)
    assert filename == f"ARC_{order.number}.pdf"
    assert "Accusé de réception de commande".upper() in flow and "Order acknowledgement" in flow
    assert order.number in layout
    assert "Votre commande n° LP-2026-118" in layout
    assert f"Date de commande {order.order_date:%d/%m/%Y}" in layout
    assert f"Livraison prévue le {order.promised_date:%d/%m/%Y}" in layout
    assert "Promised delivery date" in layout
    assert "Conditions de paiement 30 jours net" in layout
    assert f"Total TTC {eur(order.total_ttc)}" in layout


def test_an_order_without_a_promised_date_says_to_be_confirmed():
    story = order_to_cash()
    from sim.sales.service import LineInput, create_order
    from tests.documents import ACTOR

    with UnitOfWork(story.ws) as uow:
        draft = create_order(uow, actor=ACTOR, customer_id=story.buyer.id, lines=[LineInput(story.books.id, "1")])
        uow.commit()
    with UnitOfWork(story.ws, write=False) as uow:
        _, pdf = render_pdf(uow, "order_ack", draft.id)
    layout = pdf_layout(pdf)
    assert "Livraison prévue le à confirmer" in layout
    assert "Order acknowledgement" not in layout  # a French customer: no English subtitles
