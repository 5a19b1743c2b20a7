"""The scenario's purchasing vocabulary acts on the purchase order the candidate
created: ``when: {journal: purchase_order.sent, supplier: …}`` waits for it,
``supplier_ack`` confirms its date, ``goods_received`` books a receipt with
shortages and damaged units, ``supplier_delay`` names it by its supplier."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from sim.db import UnitOfWork
from sim.journal.models import JournalEntry
from sim.purchasing.models import GoodsReceipt, GoodsReceiptLine
from sim.scenario.engine import EventContext, _match
from sim.scenario.events import registry
from sim.stock.models import PurchaseOrder, PurchaseOrderStatus
from tests.purchasing import D, a_sent_purchase_order, at, product

MESSAGE = {"subject": "Votre commande", "body": "Bonjour, …"}


def _fire(ws, kind, spec):
    with UnitOfWork(ws) as uow:
        registry()[kind].handle(EventContext(uow, event_key=f"test-{kind}"), spec)
        uow.commit()


def test_ack_shortage_and_delay_on_the_candidates_purchase_order(workspace):
    ws = workspace.id
    at(ws)
    po, line = a_sent_purchase_order(ws, quantity="50", when="2026-11-09")
    with UnitOfWork(ws) as uow:
        ctx = EventContext(uow)
        supplier = uow.session.get(PurchaseOrder, po.id).supplier_id
        from sim.stock.models import Supplier

        ctx.register("supplier", "maker", uow.get(Supplier, supplier))
        ctx.register("product", "item", product(ws, line.product_id))
        sent = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "purchase_order.sent")
                                   .order_by(JournalEntry.seq.desc())).first()
        code = uow.get(Supplier, supplier).code
        assert _match(sent, {"journal": "purchase_order.sent", "supplier": "maker"}, lambda kind, name: code)
        uow.commit()

    _fire(ws, "supplier_ack", {"supplier": "maker", "confirmed_date": "2026-11-10", "message": MESSAGE})
    with UnitOfWork(ws, write=False) as uow:
        ordered = uow.get(PurchaseOrder, po.id)
        assert (ordered.status, ordered.confirmed_date) == (PurchaseOrderStatus.CONFIRMED, date(2026, 11, 10))

    # 40 of 50 arrive, 3 of them damaged: 37 into stock, 13 still due
    _fire(ws, "goods_received", {"supplier": "maker", "lines": [{"product": "item", "quantity": 40}],
                                 "damaged": [{"product": "item", "quantity": 3}], "supplier_note": "BL-9",
                                 "message": MESSAGE})
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(PurchaseOrder, po.id).status == PurchaseOrderStatus.PARTIAL
        [received] = uow.session.scalars(select(GoodsReceiptLine).join(
            GoodsReceipt, GoodsReceipt.id == GoodsReceiptLine.receipt_id).where(GoodsReceipt.purchase_order_id == po.id)).all()
        assert (received.received, received.refused, received.short) == (D(40), D(3), D(10))
    assert product(ws, line.product_id).stock_on_hand == D(37)

    _fire(ws, "supplier_delay", {"supplier": "maker", "new_date": "2026-11-20", "reason": "Reliquat en production",
                                 "message": MESSAGE})
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(PurchaseOrder, po.id).confirmed_date == date(2026, 11, 20)

    _fire(ws, "goods_received", {"supplier": "maker", "message": MESSAGE})  # the rest, in full
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(PurchaseOrder, po.id).status == PurchaseOrderStatus.RECEIVED
    assert product(ws, line.product_id).stock_on_hand == D(50)
