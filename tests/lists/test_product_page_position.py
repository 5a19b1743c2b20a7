"""The product page's stock position: on hand, reserved per order, available,
incoming from open purchase orders only, and the moves newest first."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sim.db import UnitOfWork
from sim.sales.models import OrderLine, SalesOrder
from sim.stock.availability import MOVES_PER_PAGE, position
from sim.stock.models import PurchaseOrder, PurchaseOrderLine, StockMove, Supplier
from sqlalchemy import select
from tests.factories import make_customer, make_product

D = Decimal


def test_reserved_per_order_incoming_from_open_purchases_and_paged_moves(workspace):
    product = make_product(workspace.id, stock="50", reserved="12")
    customer = make_customer(workspace.id, name="Réservations & Cie")
    ws = workspace.id
    with UnitOfWork(ws) as uow:
        supplier = uow.session.scalars(select(Supplier)).first()
        orders = [SalesOrder(workspace_id=ws, number=f"CO-P-{n}", customer_id=customer.id, status="confirmed",
                             order_date=date(2026, 9, n), promised_date=date(2026, 10, n), payment_terms="30_net",
                             total_ht=D(0), total_vat=D(0), total_ttc=D(0)) for n in (1, 2)]
        uow.session.add_all(orders)
        uow.session.flush()
        line = dict(workspace_id=ws, product_id=product.id, description="x", unit_price=D("10"), vat_rate=D("20"),
                    line_total_ht=D("10"))
        uow.session.add_all([
            OrderLine(order_id=orders[0].id, quantity=D(5), quantity_reserved=D(5), **line),
            OrderLine(order_id=orders[0].id, quantity=D(3), quantity_reserved=D(3), position=1, **line),
            OrderLine(order_id=orders[1].id, quantity=D(9), quantity_reserved=D(4), **line),
        ])
        open_po = PurchaseOrder(workspace_id=ws, number="CF-P-1", supplier_id=supplier.id, status="partial",
                                order_date=date(2026, 9, 1), requested_date=date(2026, 11, 20), total_ht=D(0))
        done_po = PurchaseOrder(workspace_id=ws, number="CF-P-2", supplier_id=supplier.id, status="received",
                                order_date=date(2026, 8, 1), requested_date=date(2026, 8, 20), total_ht=D(0))
        uow.session.add_all([open_po, done_po])
        uow.session.flush()
        uow.session.add_all([
            PurchaseOrderLine(workspace_id=ws, purchase_order_id=open_po.id, product_id=product.id, quantity=D(30),
                              quantity_received=D(10), unit_cost=D(1), line_total_ht=D(30)),
            PurchaseOrderLine(workspace_id=ws, purchase_order_id=done_po.id, product_id=product.id, quantity=D(7),
                              quantity_received=D(7), unit_cost=D(1), line_total_ht=D(7)),
        ])
        uow.session.add_all([StockMove(workspace_id=ws, product_id=product.id, kind="receipt", quantity=D(1),
                                       move_date=date(2026, 1, 1 + n % 28)) for n in range(MOVES_PER_PAGE + 3)])
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        first = position(uow, product.id)
        last = position(uow, product.id, moves_page=99)
    assert [(r.order_number, r.quantity) for r in first.reservations] == [("CO-P-1", D(8)), ("CO-P-2", D(4))]
    assert (first.on_hand, first.reserved, first.reserved_by_orders, first.available) == (D(50), D(12), D(12), D(38))
    assert [(i.number, i.quantity, i.expected) for i in first.incoming] == [("CF-P-1", D(20), date(2026, 11, 20))]
    assert first.projected == D(58)
    assert (first.moves_total, len(first.moves), first.moves_pages) == (MOVES_PER_PAGE + 3, MOVES_PER_PAGE, 2)
    assert first.moves[0][0].move_date >= first.moves[-1][0].move_date
    assert (last.moves_page, len(last.moves)) == (2, 3)
