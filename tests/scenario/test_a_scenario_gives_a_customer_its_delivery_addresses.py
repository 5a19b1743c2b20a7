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


EXPECTATION = """\
expectations:
  - id: delivered-to-the-shop
    criterion: assistant-commercial/CP1/1
    description: "La commande est livrée au magasin d'Arras, comme le client l'a demandé"
    points: 2
    journal: order.delivery_address_chosen
    where: {order: first, label: "Magasin d'Arras"}
"""


def test_a_scripted_candidate_chooses_the_shop_and_the_expectation_finds_it_by_its_label(tmp_path):
    from sim.scenario.dryrun import print_run, run

    scenario = tmp_path / "two-depots.yaml"
    scenario.write_text(SCENARIO.replace("{postcode}", "62000").replace("timeline: []\n", "timeline: []\n"
                                                                        + EXPECTATION), encoding="utf-8")
    script = tmp_path / "two-depots.candidate.yaml"
    script.write_text('- {at: 2026-11-02T09:00, do: deliver_to, order: first, address: "Magasin d\'Arras"}\n',
                      encoding="utf-8")
    result = run(scenario, script, workdir=str(tmp_path))
    assert result.ok, print_run(result)
    assert [(e.id, e.status, e.points) for e in result.evaluation.expectations] == [
        ("delivered-to-the-shop", "met", 2)]
