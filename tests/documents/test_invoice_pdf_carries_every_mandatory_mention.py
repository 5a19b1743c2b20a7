"""The printed invoice carries every mention of domain/payment-and-invoicing.md §4
(C. com. L441-9 and L441-10, CGI ann. II art. 242 nonies A), each one asserted,
with the figures of the stored invoice (VAT per rate, §6)."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.company.models import Company
from sim.db import UnitOfWork
from sim.documents.service import render_pdf
from tests.documents import eur, normalised, order_to_cash, pdf_flow, pdf_layout


@pytest.fixture(scope="module")
def printed():
    story = order_to_cash()
    with UnitOfWork(story.ws, write=False) as uow:
        company = uow.session.scalars(select(Company)).one()
        filename, pdf = render_pdf(uow, "invoice", story.invoice.id)
    return story, company, filename, pdf_layout(pdf), pdf_flow(pdf), pdf


def test_the_invoice_is_a_pdf_named_after_its_number(printed):
    story, _, filename, _, _, pdf = printed
    assert pdf.startswith(b"%PDF-")
    assert filename == f"Facture_{story.invoice.number}.pdf"


def test_the_invoice_shows_its_figures_per_vat_rate(printed):
    story, _, _, layout, _, _ = printed
    invoice = story.invoice
    # Delivered: 2 boxes at 12.40 −5 % = 23.56 (20 %); 2 guides at 19.90 = 39.80 (5.5 %); then −2 % overall.
    # 20 %: 23.56 × 0.98 = 23.0888 → 23.09, VAT 4.618 → 4.62; 5.5 %: 39.80 × 0.98 = 39.004 → 39.00, VAT 2.145 → 2.15
    assert (invoice.total_ht, invoice.total_vat, invoice.total_ttc) == (D("62.09"), D("6.77"), D("68.86"))
    for text in [
        f"20 % {eur(D('23.09'))} {eur(D('4.62'))}",  # VAT summary: rate, base, VAT
        f"5,5 % {eur(D('39.00'))} {eur(D('2.15'))}",
        f"Total des lignes HT {eur(D('63.36'))}",
        f"Remise globale 2 % − {eur(D('1.27'))}",  # 63.36 − 62.09
        f"Total HT {eur(invoice.total_ht)}",
        f"TVA 20 % {eur(D('4.62'))}",
        f"TVA 5,5 % {eur(D('2.15'))}",
        f"Total TTC — net à payer {eur(invoice.total_ttc)}",
    ]:
        assert normalised(text) in layout, text


@pytest.mark.parametrize("mention", [
    "issue date", "number", "delivery date", "seller name and address", "seller SIREN", "seller legal form and capital",
    "seller RCS and city", "seller VAT number", "customer name and address", "customer SIREN", "delivery address",
    "nature of the operation", "buyer PO number", "lines", "due date", "early-payment discount", "penalty rate",
    "recovery indemnity", "bank details",
])
def test_the_invoice_carries_the_mandatory_mention(printed, mention):
    story, company, _, layout, flow, _ = printed
    invoice, customer, today = story.invoice, story.buyer, story.today
    expected = {
        "issue date": [f"Date {today:%d/%m/%Y}"],
        "number": ["FACTURE", f"N° {invoice.number}"],
        "delivery date": [f"Date de livraison {story.first.ship_date:%d/%m/%Y}"],
        "seller name and address": [company.name, company.address, f"{company.postcode} {company.city}"],
        "seller SIREN": [f"SIREN {company.siren[:3]} {company.siren[3:6]} {company.siren[6:]}"],
        "seller legal form and capital": [f"{company.legal_form} au capital de "],
        "seller RCS and city": [f"RCS {company.rcs_city} {company.siren[:3]} {company.siren[3:6]} {company.siren[6:]}"],
        "seller VAT number": [company.vat_number],
        "customer name and address": [customer.name, customer.address, f"{customer.postcode} {customer.city}"],
        "customer SIREN": ["SIREN : 732 829 320"],
        "delivery address": ["Adresse de livraison identique"],
        "nature of the operation": ["Nature de l'opération Livraison de biens"],
        "buyer PO number": ["Votre commande n° PO-DUP-4711"],
        # designation, quantity, unit, unit price HT, discount, VAT rate, line total HT
        "lines": [f"{story.boxes.reference} Caisse américaine 400×300×300 2 u 12,40 5 % 20 % 23,56",
                  f"{story.books.reference} Guide de l'emballage 2 u 19,90 5,5 % 39,80"],
        "due date": [f"Échéance {invoice.due_date:%d/%m/%Y}", f"Date d'échéance {invoice.due_date:%d/%m/%Y}"],
        "early-payment discount": ["Pas d'escompte pour paiement anticipé."],
        "penalty rate": ["Pénalités de retard : taux annuel de 12,15 %, exigibles dès le lendemain de l'échéance"],
        "recovery indemnity": ["Indemnité forfaitaire pour frais de recouvrement : 40 €"],
        "bank details": ["IBAN " + " ".join(company.iban[i:i + 4] for i in range(0, len(company.iban), 4)),
                         f"BIC {company.bic}"],
    }[mention]
    for text in map(normalised, expected):
        assert text in layout or text in flow, f"{mention}: {text!r} not printed"


def test_the_capital_is_printed_in_euros(printed):
    _, company, _, _, flow, _ = printed
    assert f"{company.legal_form} au capital de {eur(company.capital).replace(',00', '')}" in flow


def test_an_intra_eu_invoice_carries_the_exemption_and_both_vat_numbers():
    """§7: intra-EU B2B goods are exempt (art. 262 ter I) and the invoice shows both VAT numbers."""
    story = order_to_cash()
    invoice, customer = story.irish_invoice, story.irish
    with UnitOfWork(story.ws, write=False) as uow:
        company = uow.session.scalars(select(Company)).one()
        _, pdf = render_pdf(uow, "invoice", invoice.id)
    flow, layout = pdf_flow(pdf), pdf_layout(pdf)
    assert invoice.total_vat == 0
    assert "Exonération de TVA, art. 262 ter I du CGI" in flow
    assert f"N° TVA intracommunautaire du vendeur : {company.vat_number}" in flow
    assert f"N° TVA intracommunautaire de l'acquéreur : {customer.vat_number}" in flow
    assert normalised(f"TVA 0 % {eur(D('0'))}") in layout
    assert f"Total TTC — net à payer {eur(invoice.total_ttc)}" in layout
    # an English-speaking customer still gets the French legal invoice, without English subtitles
    assert "Customer" not in flow and "VAT amount" not in flow
