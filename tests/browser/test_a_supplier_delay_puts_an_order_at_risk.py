"""In a real browser (CP2): a supplier delay puts a customer order on the
« à risque » page with the new achievable date; the candidate informs the
English-speaking customer (the draft is in English) and re-promises that
date; a partial receipt of the purchase order then lets a split delivery go,
the rest left as a backorder."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.stock.service import move_purchase_order_date
from tests.factories import make_customer
from tests.purchasing import a_supplier, at, confirmed_order, supplied_product

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    page.goto(url + "/login")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("secret")
    page.get_by_role("button", name="Se connecter").click()


def test_delay_at_risk_inform_repromise_then_partial_receipt_and_split_delivery(live_server, page, screenshot,
                                                                               candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    at(ws)  # Monday 2 November 2026
    supplier = a_supplier(ws, email="adv@nordfil.example")
    film = supplied_product(ws, supplier, stock="0", name="Film étirable manuel 23 µm")
    customer = make_customer(ws, country="IE", name="Galway Crafts Ltd", credit_limit="50000.00")
    with UnitOfWork(ws) as uow:
        uow.get(Customer, customer.id).email = "s.kelly@galwaycrafts.ie"
        uow.commit()
    log_in(page, live_server, user.username)

    # The candidate's purchase order, entered and sent from the purchasing pages
    page.goto(live_server + "/purchase-orders/new")
    page.get_by_label("Fournisseur").select_option(value=str(supplier.id))
    page.get_by_label("Date de livraison convenue").fill("2026-11-04")
    page.get_by_label("Produit ligne 1").fill(film.reference)
    page.get_by_label("Quantité ligne 1").fill("200")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator("h1 .status")).to_have_text("Brouillon")
    po_url = page.url
    page.get_by_role("button", name="Envoyer la commande (PDF joint)").click()
    expect(page.locator("h1 .status")).to_have_text("Envoyée")

    order = confirmed_order(ws, film, "120", customer=customer)
    assert order.promised_date == date(2026, 11, 6)  # the PO's 4/11 + 2 working days
    page.goto(live_server + "/orders-at-risk")
    expect(page.get_by_test_id("orders-at-risk")).not_to_contain_text(order.number)

    # The supplier's delay (its supplier_delay event) moves the purchase order to 16/11
    with UnitOfWork(ws) as uow:
        from sim.stock.models import PurchaseOrder
        from sqlalchemy import select

        po = uow.session.scalars(select(PurchaseOrder).where(PurchaseOrder.supplier_id == supplier.id)).one()
        move_purchase_order_date(uow, actor="scenario", purchase_order_id=po.id, new_date=date(2026, 11, 16),
                                 reason="Panne sur la ligne d'extrusion")
        uow.commit()
    page.goto(live_server + "/orders-at-risk")
    row = page.get_by_test_id("orders-at-risk").get_by_role("row").filter(has_text=order.number)
    expect(row).to_contain_text("06/11/2026")
    expect(row).to_contain_text("18/11/2026")  # 16/11 in, + 2 working days
    screenshot("orders-at-risk")
    row.get_by_role("link", name="Traiter").click()
    expect(page.get_by_test_id("achievable")).to_have_text("18/11/2026")

    # Inform the customer: the draft is in English, with the order and the new date
    expect(page.get_by_label("Langue")).to_have_value("en")
    expect(page.get_by_label("Message au client")).to_have_value(re.compile("18 November 2026"))
    screenshot("order-risk")
    page.get_by_role("button", name="Envoyer au client").click()
    expect(page.get_by_text(re.compile("Courriel envoyé au client"))).to_be_visible()

    # Re-promise the achievable date (journaled), and the order leaves the page
    expect(page.get_by_label("Nouvelle date promise")).to_have_value("2026-11-18")
    page.get_by_role("button", name="Enregistrer la nouvelle date").click()
    expect(page.get_by_test_id("promised")).to_have_text("18/11/2026")
    page.goto(live_server + "/orders-at-risk")
    expect(page.get_by_test_id("orders-at-risk")).not_to_contain_text(order.number)

    # 80 of the 200 arrive: booked, they go to the waiting order
    page.goto(po_url)
    page.get_by_label(f"Reçu {film.reference}").fill("80")
    page.get_by_label("N° de BL fournisseur").fill("BL-NF-5521")
    page.get_by_role("button", name="Enregistrer la réception").click()
    expect(page.locator("h1 .status")).to_have_text("Reçue partiellement")
    screenshot("purchase-order-partial")

    # The split delivery: 80 now, 40 backordered
    page.goto(f"{live_server}/orders/{order.id}")
    expect(page.get_by_label(f"Quantité à expédier {film.reference}")).to_have_value("80")
    page.get_by_label("Transporteur").select_option(index=1)
    page.get_by_role("button", name="Expédier (bon de livraison)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("BL-")
    page.goto(f"{live_server}/orders/{order.id}")
    expect(page.locator("h1 .status")).to_have_text("Livrée partiellement")

    # The purchasing pages around it: the list, and the reorder proposals
    page.goto(live_server + "/purchase-orders")
    expect(page.get_by_role("link", name=re.compile(r"CF-2026-"))).not_to_have_count(0)
    screenshot("purchase-orders")
    page.goto(live_server + "/reorder-proposals")
    expect(page.get_by_role("heading", level=1)).to_have_text("Propositions de réapprovisionnement")
    screenshot("reorder-proposals")
