"""Under DDP the seller clears the goods for import and pays the duties and the import
VAT (ICC 2020, domain/incoterms-2020.md): an order in DDP to a destination outside the
EU with no line for them shows a warning on the order page."""
from __future__ import annotations

from types import SimpleNamespace as L

from sim.db import UnitOfWork
from sim.sales.service import LineInput, create_order
from sim.shipping.incoterms import ddp_duties_warning
from tests.factories import ACTOR, make_customer, make_product

GOODS = L(product_id=7, description="Caisse américaine", line_kind="goods")
FREIGHT = L(product_id=None, description="Transport routier", line_kind="freight")


def test_ddp_outside_the_eu_without_a_duties_line_is_warned():
    warning = ddp_duties_warning("DDP", "CH", [GOODS, FREIGHT])
    assert "DDP hors Union européenne (CH)" in warning and "TVA d'importation" in warning and "DAP" in warning


def test_no_warning_within_the_eu_under_another_rule_or_with_a_duties_line():
    assert ddp_duties_warning("DDP", "DE", [GOODS]) == ""  # no customs within the EU
    assert ddp_duties_warning("DDP", "FR", [GOODS]) == ""
    assert ddp_duties_warning("DAP", "CH", [GOODS]) == ""  # the buyer clears for import
    assert ddp_duties_warning("", "US", [GOODS]) == ""
    duties = L(product_id=None, description="Droits et taxes d'import (Suisse)", line_kind="goods")
    assert ddp_duties_warning("DDP", "CH", [GOODS, duties]) == ""
    assert ddp_duties_warning("DDP", "US", [GOODS, L(product_id=None, description="x", line_kind="duties")]) == ""


def test_the_order_page_shows_the_warning(login, candidate_with_workspace):
    user, space = candidate_with_workspace
    ws = space.id
    swiss = make_customer(ws, country="CH", credit_limit="90000.00")
    product = make_product(ws, price="20.00", stock="100")
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=swiss.id, lines=[LineInput(product.id, "5")],
                             incoterm="DDP", incoterm_place="Genève")
        uow.commit()
    page = login(user).get(f"/orders/{order.id}")
    assert page.status_code == 200, page.text[:500]
    assert 'data-testid="ddp-duties-warning"' in page.text and "DDP hors Union européenne (CH)" in page.text
