"""The shipping PDFs, text extracted with pdftotext: the pro forma of an export quote
(freight and insurance lines, the Incoterm written in full, the export exemption, "sans
valeur comptable"), the packing list (parcels, weights, carrier, tracking), the
protest letter (L133-3, the damaged lines and the amount claimed, the deadline)."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from sim.clock import sim_date
from sim.db import UnitOfWork
from sim.documents.service import render_pdf
from sim.sales.models import QuoteLine
from sim.sales.service import LineInput, create_quote
from sim.sales.working_days import add_working_days
from sim.shipping.service import book_carrier, record_receipt, send_protest
from sim.stock.models import DeliveryLine
from tests.documents import eur, pdf_flow, pdf_layout
from tests.factories import ACTOR, make_customer, make_product
from tests.shipping.helpers import a_priced_service, a_shipped_delivery

KEEP = os.environ.get("ADVSIM_KEEP_PDFS")  # a folder: the PDFs are written there to be looked at


def _keep(name: str, pdf: bytes) -> None:
    if KEEP:
        Path(KEEP, name).write_bytes(pdf)


def test_the_pro_forma_of_a_cif_quote_to_canada(workspace):
    ws = workspace.id
    sea = a_priced_service(ws, mode="sea", name="Maritime Grille Test", zones=("WORLD",))
    montreal = make_customer(ws, country="CA", name="Érablière Boréale Inc.")
    product = make_product(ws, price="25.00", name="Caisse américaine export")
    with UnitOfWork(ws) as uow:
        quote = create_quote(uow, actor=ACTOR, customer_id=montreal.id, lines=[LineInput(product.id, "120")],
                             incoterm="CIF", incoterm_place="Port de Montréal", transport_mode="sea",
                             service_id=sea.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        filename, pdf = render_pdf(uow, "proforma", quote.id)
    _keep("proforma.pdf", pdf)
    layout, flow = pdf_layout(pdf), pdf_flow(pdf)

    assert filename == f"Pro-forma_{quote.number}.pdf"
    assert "FACTURE PRO FORMA" in layout and "Pro forma invoice" in layout
    assert f"PF-{quote.number}" in layout
    assert "sans valeur comptable" in flow
    assert "CIF Port de Montréal, Incoterms® 2020" in flow
    assert "Maritime" in flow and "France (UE)" in flow and "120,0 kg" in flow
    assert "Transport CIF Port de Montréal" in flow and "Assurance transport ICC (C)" in flow
    assert "234,00" in layout and "10,67" in layout  # freight and insurance (worked figures of the quote test)
    assert f"Total TTC {eur(quote.total_ttc)}" in layout and quote.total_ttc == quote.total_ht
    assert "Exonération de TVA, art. 262 I du CGI" in flow


def test_the_packing_list_of_a_booked_delivery(workspace):
    ws = workspace.id
    service = a_priced_service(ws)
    customer, product, order, delivery = a_shipped_delivery(ws, country="DE", vat_number="DE123456789", qty="40",
                                                            rule="DAP", place="Hamburg")
    with UnitOfWork(ws) as uow:
        booked = book_carrier(uow, actor=ACTOR, delivery_id=delivery.id, service_id=service.id,
                              pickup_date=add_working_days(sim_date(uow), 1).isoformat(), weight_kg="42")
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        filename, pdf = render_pdf(uow, "packing_list", delivery.id)
    _keep("packing_list.pdf", pdf)
    layout, flow = pdf_layout(pdf), pdf_flow(pdf)

    assert filename == f"Liste-de-colisage_{delivery.number}.pdf"
    assert "LISTE DE COLISAGE" in layout and f"PL-{delivery.number}" in layout
    assert product.reference in layout and "40,0" in layout
    assert "Nombre de colis 2" in layout
    assert "Poids net total 40,0 kg" in layout and "Poids brut total 42,0 kg" in layout
    assert booked.tracking_number in layout and "Transports Grille Test" in flow
    assert "DAP Hamburg, Incoterms® 2020" in flow


def test_the_protest_letter_names_the_damage_the_claim_and_the_deadline(workspace):
    ws = workspace.id
    customer, product, order, delivery = a_shipped_delivery(ws, qty="10", price="20.00")
    with UnitOfWork(ws, write=False) as uow:
        line = uow.session.scalars(select(DeliveryLine).where(DeliveryLine.delivery_id == delivery.id)).one()
        today = sim_date(uow)
    with UnitOfWork(ws) as uow:
        record_receipt(uow, actor=ACTOR, delivery_id=delivery.id, received_date=today,
                       received_by="M. Garnier, chef de quai", reserves="3 cartons écrasés, film déchiré",
                       damaged={line.id: "3"})
        protest = send_protest(uow, actor=ACTOR, delivery_id=delivery.id,
                               facts="Trois cartons écrasés sur la palette 1, contenu inutilisable.")
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        filename, pdf = render_pdf(uow, "carrier_protest", protest.id)
    _keep("carrier_protest.pdf", pdf)
    layout, flow = pdf_layout(pdf), pdf_flow(pdf)

    assert filename == f"Protestation-transporteur_{protest.number}.pdf"
    assert "LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION" in flow
    assert "article L133-3 du Code de commerce" in flow
    assert protest.number in flow and delivery.number in flow and delivery.tracking_number in flow
    assert "« 3 cartons écrasés, film déchiré »" in flow
    assert "réceptionné par M. Garnier, chef de quai" in flow
    assert f"{product.reference}" in layout and "avarie" in layout and "60,00" in layout
    assert f"Montant réclamé (HT) {eur(protest.claimed_amount)}" in layout
    assert f"délai expirant le {protest.deadline:%d/%m/%Y}" in flow
    assert "hors délai" not in flow.lower()
