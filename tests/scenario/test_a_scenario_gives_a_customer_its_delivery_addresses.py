"""A scenario's customer can have delivery addresses (a warehouse, a shop): the
default one goes on the company's orders, the candidate chooses among them; a
bad address is reported by the linter at its place, as the customer page would
refuse it."""
from __future__ import annotations

from sqlalchemy import select

from sim.crm.models import Customer, DeliveryAddress
from sim.db import UnitOfWork
from sim.sales.models import SalesOrder
from sim.scenario.engine import install
from sim.scenario.loader import lint_text

SCENARIO = """\
id: two-depots
title: "Deux dépôts"
referential: assistant-commercial
language: fr
start: 2026-11-02T08:30
duration_days: 2
briefing: "Livrez où le client le demande."
company:
  seed: 3
  size: small
  customers:
    nord:
      name: "Nord Distribution"
      delivery_addresses:
        - {label: "Entrepôt de Lens", address: "12 quai des Docks", postcode: "62300", city: Lens, default: true}
        - {label: "Magasin d'Arras", address: "3 place des Héros", postcode: "{postcode}", city: Arras,
           instructions: "Livraison avant 10 h"}
  products:
    boxes: {name: "Caisse carton", reference: CAR-1, price: 10, cost: 5, stock: 100}
  orders:
    first: {customer: nord, lines: [{product: boxes, quantity: 2}]}
timeline: []
"""


def test_the_customer_gets_its_addresses_and_the_default_goes_on_its_order(make_workspace):
    linted = lint_text(SCENARIO.replace("{postcode}", "62000"), "two-depots.yaml")
    assert linted.problems == []
    workspace = make_workspace(seed=3)
    with UnitOfWork(workspace.id) as uow:
        install(uow, linted.data)
        uow.commit()
    with UnitOfWork(workspace.id, write=False) as uow:
        customer = uow.session.scalars(select(Customer).where(Customer.name == "Nord Distribution")).one()
        addresses = uow.session.scalars(select(DeliveryAddress).where(DeliveryAddress.customer_id == customer.id)
                                        .order_by(DeliveryAddress.number)).all()
        order = uow.session.scalars(select(SalesOrder).where(SalesOrder.customer_id == customer.id)).one()
    assert [(a.key, a.label, a.is_default) for a in addresses] == [
        ("L1", "Entrepôt de Lens", True), ("L2", "Magasin d'Arras", False)]
    assert addresses[1].instructions == "Livraison avant 10 h"
    assert order.delivery_address.startswith("Entrepôt de Lens — 12 quai des Docks — 62300 Lens")


def test_a_bad_address_is_reported_at_its_place():
    problems = lint_text(SCENARIO.replace("{postcode}", "ABC"), "two-depots.yaml").problems
    assert [(p.line, p.col) for p in problems] == [(16, 78)]  # the postcode of the second address
    assert "adresse de livraison refusée" in problems[0].message and "Code postal : 5 chiffres en France" in problems[0].message
