"""The credit note refers to the invoice it amends, with its reason and HT/VAT per
rate (domain/payment-and-invoicing.md §6, CGI 289 I-5); the delivery note shows,
per line, what was ordered, delivered before, delivered now and left on
backorder, with the carrier, the reserves box and the L133-3 reminder
(domain/supply-chain.md §5)."""
from __future__ import annotations

from decimal import Decimal as D

from sim.db import UnitOfWork
from sim.documents.service import render_pdf
from tests.documents import eur, normalised, order_to_cash, pdf_flow, pdf_layout


def test_the_credit_note_is_titled_avoir_and_refers_to_the_invoice_it_amends():
    story = order_to_cash()
    note, invoice = story.credit_note, story.invoice
    with UnitOfWork(story.ws, write=False) as uow:
        filename, pdf = render_pdf(uow, "credit_note", note.id)
    layout, flow = pdf_layout(pdf), pdf_flow(pdf)
    assert filename == f"Avoir_{note.number}.pdf"
    assert "AVOIR" in layout and f"N° {note.number}" in layout
    assert f"Avoir sur facture n° {invoice.number} du {invoice.issue_date:%d/%m/%Y}" in flow
    assert "Motif Caisse écrasée à la livraison" in layout
    # 1 box at 12.40 −5 % = 11.78, −2 % overall as on the invoice = 11.54 HT, VAT 20 % 2.31, 13.85 TTC
    assert (note.total_ht, note.total_vat, note.total_ttc) == (D("11.54"), D("2.31"), D("13.85"))
    for text in [f"20 % {eur(D('11.54'))} {eur(D('2.31'))}",
                 f"Total HT de l'avoir {eur(note.total_ht)}",
                 f"TVA 20 % {eur(note.total_vat)}",
                 f"Montant de l'avoir TTC {eur(note.total_ttc)}"]:
        assert normalised(text) in layout, text
    assert "-" + eur(note.total_ttc) not in layout  # a credit is printed positive: the title says it is one
    assert "Montants en votre faveur".upper() in layout


def test_the_delivery_note_counts_earlier_deliveries_and_the_backorder():
    story = order_to_cash()
    delivery = story.second
    with UnitOfWork(story.ws, write=False) as uow:
        filename, pdf = render_pdf(uow, "delivery_note", delivery.id)
    layout, flow = pdf_layout(pdf), pdf_flow(pdf)
    assert filename == f"Bon-de-livraison_{delivery.number}.pdf"
    assert "BON DE LIVRAISON" in layout and f"N° {delivery.number}" in layout
    # Boxes: 5 ordered, 2 delivered by the first note, 2 now, 1 left on backorder.
    assert f"{story.boxes.reference} Caisse américaine 400×300×300 u 5 2 2 1" in layout
    assert "Commandé Déjà livré Livré ce jour Reliquat" in layout
    assert "Livraison partielle" in flow
    assert f"Transporteur {story.carrier.name}" in layout
    assert "N° de suivi" in layout
    assert f"Date d'expédition {delivery.ship_date:%d/%m/%Y}" in layout
    assert "Votre commande n° PO-DUP-4711" in layout
    assert "RÉSERVES À LA LIVRAISON" in layout
    assert "art. L133-3 du Code de commerce" in flow and "dans les trois jours" in flow


def test_the_first_delivery_note_has_nothing_delivered_before():
    story = order_to_cash()
    with UnitOfWork(story.ws, write=False) as uow:
        _, pdf = render_pdf(uow, "delivery_note", story.first.id)
    layout = pdf_layout(pdf)
    assert f"{story.boxes.reference} Caisse américaine 400×300×300 u 5 0 2 3" in layout
    assert f"{story.books.reference} Guide de l'emballage u 2 0 2 0" in layout
