"""Under DDP the seller clears the goods for import and pays the duties and the import
VAT (ICC 2020, domain/incoterms-2020.md): an order in DDP to a destination outside the
EU with no line for them shows a warning on the order page; the candidate prices them
(their estimate, HT) in the editor's « Droits et taxes d'import » field, a line of the
document as freight is."""
from __future__ import annotations

from decimal import Decimal as D
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


def _swiss_order(ws, **kw):
    swiss = make_customer(ws, country="CH", credit_limit="90000.00")
    product = make_product(ws, price="20.00", stock="100")
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=swiss.id, lines=[LineInput(product.id, "5")],
                             incoterm="DDP", incoterm_place="Genève", **kw)
        uow.commit()
    return order, product


def _lines(ws, order):
    from sqlalchemy import select

    from sim.sales.models import OrderLine

    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)
                                   .order_by(OrderLine.position)).all()


def test_the_duties_the_candidate_estimates_are_a_line_of_the_ddp_order_and_the_warning_goes(workspace):
    from tests.factories import last_entry

    order, _ = _swiss_order(workspace.id, duties="412,50")
    duties = [line for line in _lines(workspace.id, order) if line.line_kind == "duties"]
    assert [(d.product_id, d.quantity, d.unit_price, d.line_total_ht, d.vat_rate) for d in duties] == [
        (None, D("1.000"), D("412.50"), D("412.50"), D("0.00"))]  # an export: exempt like the goods
    assert duties[0].description.startswith("Droits et taxes d'import (DDP Genève)")
    assert order.total_ht == D("100.00") + sum(l.line_total_ht for l in _lines(workspace.id, order)
                                                 if l.line_kind == "freight") + D("412.50")
    assert last_entry(workspace.id).payload["duties"] == "412.50"
    assert ddp_duties_warning("DDP", "CH", _lines(workspace.id, order)) == ""


def test_duties_under_another_rule_or_not_an_amount_are_refused_next_to_the_field(workspace):
    import pytest

    from sim.errors import ValidationFailed

    swiss = make_customer(workspace.id, country="CH", credit_limit="90000.00")
    product = make_product(workspace.id, price="20.00", stock="100")
    for rule, duties, message in (("DAP", "100", "Seul le DDP met les droits et taxes d'import à la charge du vendeur"),
                                  ("DDP", "beaucoup", "Droits et taxes d'import : montant attendu"),
                                  ("DDP", "-5", "un montant positif")):
        with UnitOfWork(workspace.id) as uow, pytest.raises(ValidationFailed) as refused:
            create_order(uow, actor=ACTOR, customer_id=swiss.id, lines=[LineInput(product.id, "5")],
                         incoterm=rule, incoterm_place="Genève", duties=duties)
        assert message in refused.value.errors["duties"]


def test_a_confirmed_order_modified_keeps_its_duties(workspace):
    from sim.sales.corrections import modify_order
    from sim.sales.service import confirm_order

    order, product = _swiss_order(workspace.id, duties="412.50")
    with UnitOfWork(workspace.id) as uow:
        confirm_order(uow, actor=ACTOR, order_id=order.id)
        modify_order(uow, actor=ACTOR, order_id=order.id, lines=[LineInput(product.id, "8")], promised_date="")
        uow.commit()
    assert [l.line_total_ht for l in _lines(workspace.id, order) if l.line_kind == "duties"] == [D("412.50")]


def test_the_editor_carries_the_duties_field(login, candidate_with_workspace):
    user, space = candidate_with_workspace
    order, _ = _swiss_order(space.id, duties="412.50")
    page = login(user).get(f"/orders/{order.id}/edit")
    assert page.status_code == 200 and 'name="duties" value="412.50"' in page.text
