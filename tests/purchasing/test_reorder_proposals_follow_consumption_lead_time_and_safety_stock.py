"""Reorder proposals (domain/supply-chain.md §1): reorder point = daily
consumption × lead time + safety stock; ordered when available + on order
(− what customer orders still need beyond their reservations) falls to it, up
to the reorder point + 30 days of consumption."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sim.db import UnitOfWork
from sim.purchasing import reorder, service as purchasing
from sim.stock.models import Product, StockMove, StockMoveKind
from tests.purchasing import D, a_supplier, act, at, confirmed_order, supplied_product


def test_the_domain_files_worked_example():
    product = Product(reference="X", name="x", category="c", price_ht=D(1), purchase_cost=D(1), vat_rate=D(20),
                      weight_kg=D(1), stock_on_hand=D(400), stock_reserved=D(0), reorder_point=D(0),
                      safety_stock=D(120), lead_time_days=10)
    # 40 u/day over 90 days = 3 600 shipped
    daily, point, quantity = reorder.figures(product, D(3600), on_order=D(0))
    assert (daily, point, quantity) == (D("40.000"), D(520), D(1320))  # 520 + 40 × 30 − 400
    product.stock_on_hand = D(600)  # projected above the reorder point: nothing to order
    assert reorder.figures(product, D(3600), on_order=D(0))[2] == 0
    product.stock_on_hand, product.stock_reserved = D(600), D(250)  # available 350 + 100 on order = 450 ≤ 520
    assert reorder.figures(product, D(3600), on_order=D(100))[2] == D(1270)  # 1 720 − 450
    # 80 more promised to customers and not set aside: projected 370
    assert reorder.figures(product, D(3600), on_order=D(100), backorders=D(80))[2] == D(1350)


def test_without_consumption_the_products_own_reorder_point_and_safety_stock_rule():
    product = Product(reference="X", name="x", category="c", price_ht=D(1), purchase_cost=D(1), vat_rate=D(20),
                      weight_kg=D(1), stock_on_hand=D(3), stock_reserved=D(0), reorder_point=D(5),
                      safety_stock=D(2), lead_time_days=10)
    assert reorder.figures(product, D(0), on_order=D(0)) == (D("0.000"), D(5), D(4))  # 5 + 2 − 3


def test_proposals_from_the_shipments_of_the_last_90_days_and_what_is_on_order(workspace):
    ws = workspace.id
    at(ws)
    supplier = a_supplier(ws, lead_time=10)
    film = supplied_product(ws, supplier, stock="100", lead_time=10)
    with UnitOfWork(ws) as uow:
        product = uow.get(Product, film.id)
        product.safety_stock = Decimal("30")
        for days_ago, qty in ((5, 450), (60, 450), (120, 9999)):  # the last one is older than 90 days
            uow.add(StockMove(workspace_id=ws, product_id=film.id, kind=StockMoveKind.SHIPMENT, quantity=-D(qty),
                              move_date=date(2026, 11, 2) - timedelta(days=days_ago)))
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        [proposal] = reorder.proposals(uow, supplier_id=supplier.id)
    # 900 / 90 = 10 u/day; point 10 × 10 + 30 = 130; projected 100 → 130 + 300 − 100
    assert (proposal.daily, proposal.reorder_point, proposal.projected, proposal.quantity) == (
        D("10.000"), D(130), D(100), D(330))
    assert proposal.amount == D("3300.00")  # 330 × 10,00 purchase cost
    po = act(ws, purchasing.create_purchase_order, supplier_id=supplier.id,
             lines=[purchasing.POLineInput(film.id, "330")], requested_date="2026-11-12")
    act(ws, purchasing.send_purchase_order, purchase_order_id=po.id)
    with UnitOfWork(ws, write=False) as uow:  # on order now: 430 > 130
        assert reorder.proposals(uow, supplier_id=supplier.id) == []
    # a customer order for 400: the 100 on hand reserved, 300 backordered → 0 + 330 − 300 = 30 ≤ 130
    confirmed_order(ws, film, "400")
    with UnitOfWork(ws, write=False) as uow:
        [proposal] = reorder.proposals(uow, supplier_id=supplier.id)
    assert (proposal.available, proposal.on_order, proposal.backorders, proposal.projected, proposal.quantity) == (
        D(0), D(330), D(300), D(30), D(400))  # 130 + 300 − 30
