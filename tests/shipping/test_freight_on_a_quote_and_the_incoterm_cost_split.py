"""Worked figures: the freight a quote carries when its Incoterm puts the carriage on the
seller, priced from the carrier's grid (base + kg + parcels), rounded per line and taxed
like the goods it carries; the insurance of CIP and CIF on 110 % of the price; nothing
added under E and F rules; the freight goes from the quote to the order and on the
first invoice only."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.billing.models import InvoiceLine
from sim.billing.service import invoice_delivery
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.sales.models import OrderLine, QuoteLine
from sim.sales.service import LineInput, accept_quote, confirm_order, create_quote, order_from_quote, send_quote
from sim.shipping.incoterms import cost_split, insurance_premium
from sim.stock.service import ship_delivery
from tests.factories import ACTOR, a_carrier, last_entry, make_customer, make_product
from tests.shipping.helpers import a_priced_service


def _quote(ws, customer, product, qty, rule, place, service, **kw):
    with UnitOfWork(ws) as uow:
        quote = create_quote(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, qty)],
                             incoterm=rule, incoterm_place=place, service_id=service.id if service else None, **kw)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        lines = uow.session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote.id)
                                    .order_by(QuoteLine.position)).all()
    return quote, lines


def test_cpt_to_germany_adds_the_freight_of_the_grid_at_zero_vat(workspace):
    ws = workspace.id
    service = a_priced_service(ws)
    hamburg = make_customer(ws, country="DE", vat_number="DE123456789")
    product = make_product(ws, price="10.00")  # 1 kg a unit

    quote, lines = _quote(ws, hamburg, product, "40", "CPT", "Hamburg", service)

    # 40 kg, 2 parcels of at most 30 kg, EU band 30–100 kg: 40.00 + 40 × 0.50 + 2 × 2.00 = 64.00
    goods, freight = lines
    assert (goods.line_kind, goods.line_total_ht) == ("goods", D("400.00"))
    assert (freight.line_kind, freight.product_id, freight.quantity) == ("freight", None, D("1.000"))
    assert freight.line_total_ht == D("64.00") and freight.vat_rate == D("0.00")
    assert "40 kg, 2 colis" in freight.description
    assert (quote.total_ht, quote.total_vat, quote.total_ttc) == (D("464.00"), D("0.00"), D("464.00"))
    assert quote.transport_mode == "road" and quote.service_id == service.id
    entry = last_entry(ws, "quote.created")
    assert entry.payload["freight"] == "64.00" and entry.payload["freight_included"] is True
    assert [l["product"] for l in entry.payload["lines"]] == [product.reference]  # goods only


def test_cip_adds_the_insurance_on_110_percent_of_goods_and_freight(workspace):
    ws = workspace.id
    service = a_priced_service(ws)
    hamburg = make_customer(ws, country="DE", vat_number="DE123456789")
    product = make_product(ws, price="10.00")

    quote, lines = _quote(ws, hamburg, product, "40", "CIP", "Hamburg", service)

    # 110 % × (400.00 + 64.00) = 510.40; × 0.30 % = 1.5312 → 1.53
    assert [(l.line_kind, l.line_total_ht) for l in lines] == [
        ("goods", D("400.00")), ("freight", D("64.00")), ("insurance", D("1.53"))]
    assert "(A)" in lines[2].description
    assert quote.total_ttc == D("465.53")


def test_dap_in_france_taxes_the_freight_at_the_goods_rate(workspace):
    ws = workspace.id
    service = a_priced_service(ws)
    lyon = make_customer(ws)
    product = make_product(ws, price="10.00")

    quote, lines = _quote(ws, lyon, product, "40", "DAP", "Lyon", service)

    # FR band 30–100 kg: 20.00 + 40 × 0.30 + 2 × 1.00 = 34.00 at 20 %
    assert lines[1].line_total_ht == D("34.00") and lines[1].vat_rate == D("20.00")
    assert (quote.total_ht, quote.total_vat, quote.total_ttc) == (D("434.00"), D("86.80"), D("520.80"))


@pytest.mark.parametrize("rule", ["EXW", "FCA"])
def test_e_and_f_rules_add_no_freight(workspace, rule):
    ws = workspace.id
    service = a_priced_service(ws)
    hamburg = make_customer(ws, country="DE", vat_number="DE123456789")
    product = make_product(ws, price="10.00")

    quote, lines = _quote(ws, hamburg, product, "40", rule, "Lyon", service)

    assert [l.line_kind for l in lines] == ["goods"]
    assert quote.total_ttc == D("400.00")
    assert last_entry(ws, "quote.created").payload["freight_included"] is False


def test_cif_by_road_is_refused_and_nothing_is_written(workspace):
    ws = workspace.id
    road = a_priced_service(ws)
    customer = make_customer(ws, country="CA")
    product = make_product(ws)

    with UnitOfWork(ws) as uow:
        with pytest.raises(ValidationFailed) as refused:
            create_quote(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, "5")],
                         incoterm="CIF", incoterm_place="Montréal", service_id=road.id)
    assert "réservé au transport maritime ou fluvial" in " ".join(refused.value.errors.values())
    with UnitOfWork(ws) as uow:
        with pytest.raises(ValidationFailed) as refused:
            create_quote(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, "5")],
                         incoterm="FOB", incoterm_place="Le Havre", transport_mode="air")
    assert "transport_mode" in refused.value.errors


def test_cif_by_sea_to_canada_prices_freight_and_insurance(workspace):
    ws = workspace.id
    sea = a_priced_service(ws, mode="sea", name="Maritime Grille Test", zones=("WORLD",))
    montreal = make_customer(ws, country="CA")
    product = make_product(ws, price="25.00")

    quote, lines = _quote(ws, montreal, product, "120", "CIF", "Port de Montréal", sea, transport_mode="sea")

    # 120 kg, 4 parcels, WORLD band 100+ kg: 90.00 + 120 × 1.20 = 234.00; goods 3 000.00;
    # insurance 110 % × 3 234.00 = 3 557.40 × 0.30 % = 10.6722 → 10.67; export: no VAT
    assert [(l.line_kind, l.line_total_ht, l.vat_rate) for l in lines] == [
        ("goods", D("3000.00"), D("0.00")), ("freight", D("234.00"), D("0.00")),
        ("insurance", D("10.67"), D("0.00"))]
    assert quote.total_ttc == D("3244.67")


def test_the_cost_split_says_who_pays_what():
    assert insurance_premium(D("1000.00"), D("150.00")) == D("3.80")  # 1 265.00 × 0.30 % = 3.795
    cif = cost_split("CIF", D("1000.00"), D("150.00"))
    assert (cif.freight, cif.insurance, cif.seller_pays, cif.buyer_pays, cif.price) == (
        D("150.00"), D("3.80"), D("153.80"), D("0.00"), D("1153.80"))
    fob = cost_split("FOB", D("1000.00"), D("150.00"))
    assert (fob.insurance, fob.seller_pays, fob.buyer_pays, fob.price) == (
        D("0.00"), D("0.00"), D("150.00"), D("1000.00"))
    ddp = cost_split("DDP", D("1000.00"), D("150.00"))
    assert (ddp.seller_pays, ddp.price) == (D("150.00"), D("1150.00"))


def test_the_freight_goes_from_quote_to_order_and_on_the_first_invoice_only(workspace):
    ws = workspace.id
    service = a_priced_service(ws)
    hamburg = make_customer(ws, country="DE", vat_number="DE123456789", credit_limit="50000.00")
    product = make_product(ws, price="10.00", stock="100")
    quote, _ = _quote(ws, hamburg, product, "40", "CPT", "Hamburg", service)
    with UnitOfWork(ws) as uow:
        send_quote(uow, actor=ACTOR, quote_id=quote.id)
        accept_quote(uow, actor=ACTOR, quote_id=quote.id)
        order = order_from_quote(uow, actor=ACTOR, quote_id=quote.id, customer_po="HH-1")
        uow.commit()
    with UnitOfWork(ws) as uow:
        confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)
                                    .order_by(OrderLine.position)).all()
    goods = lines[0]
    assert [l.line_kind for l in lines] == ["goods", "freight"] and order.total_ttc == D("464.00")
    invoices = []
    for qty in ("25", "15"):
        with UnitOfWork(ws) as uow:
            delivery = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={goods.id: qty},
                                     carrier_id=a_carrier(ws).id)
            invoices.append(invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id))
            uow.commit()
    assert delivery.incoterm == "CPT" and delivery.incoterm_place == "Hamburg"
    with UnitOfWork(ws, write=False) as uow:
        first = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoices[0].id)
                                    .order_by(InvoiceLine.position)).all()
        second = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoices[1].id)).all()
    assert [(l.line_kind, l.line_total_ht) for l in first] == [("goods", D("250.00")), ("freight", D("64.00"))]
    assert [(l.line_kind, l.line_total_ht) for l in second] == [("goods", D("150.00"))]
    assert invoices[0].total_ttc + invoices[1].total_ttc == D("464.00")


def test_the_editor_preview_shows_the_freight_as_the_candidate_types(workspace):
    from sim.sales.service import preview

    ws = workspace.id
    service = a_priced_service(ws)
    hamburg = make_customer(ws, country="DE", vat_number="DE123456789")
    product = make_product(ws, price="10.00")
    with UnitOfWork(ws, write=False) as uow:
        live = preview(uow, customer_id=hamburg.id, lines=[LineInput(product.id, "40")], incoterm="CIP",
                       incoterm_place="Hamburg", service_id=str(service.id))
    assert [(t["line_kind"], t["line_total_ht"]) for t in live.transport] == [("freight", D("64.00")),
                                                                              ("insurance", D("1.53"))]
    assert live.totals.total_ttc == D("465.53")
