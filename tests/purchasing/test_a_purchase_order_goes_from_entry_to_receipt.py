"""CP2: the candidate enters a purchase order, sends it as PDF, records the
supplier's acknowledgement, chases, agrees a new date and books a partial
then a full receipt; stock on hand / reserved / available / on order follow."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.journal.models import JournalEntry
from sim.purchasing import service as purchasing
from sim.purchasing.models import GoodsReceiptLine
from sim.sales.errors import WrongStatus
from sim.stock.availability import position
from sim.stock.models import PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatus
from tests.purchasing import D, a_supplier, act, at, confirmed_order, order_lines, product, supplied_product


def _entries(ws, kind):
    with UnitOfWork(ws, write=False) as uow:
        return list(uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == kind)
                                        .order_by(JournalEntry.seq)))


def _po_line(ws, po_id):
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == po_id)).one()


def test_entry_send_acknowledge_remind_reschedule_and_receive_in_two_parts(workspace):
    ws = workspace.id
    at(ws)
    supplier = a_supplier(ws)
    film = supplied_product(ws, supplier, stock="10", price="20.00")  # cost 10,00
    order = confirmed_order(ws, film, "30")  # reserves the 10 on hand; 20 wait
    assert [l.quantity_reserved for l in order_lines(ws, order.id)] == [D(10)]

    po = act(ws, purchasing.create_purchase_order, supplier_id=supplier.id,
             lines=[purchasing.POLineInput(film.reference, "50")], requested_date="2026-11-10")
    assert po.status == PurchaseOrderStatus.DRAFT and po.total_ht == D("500.00")
    with UnitOfWork(ws, write=False) as uow:  # a draft is not on order
        assert position(uow, film.id).incoming_total == 0

    act(ws, purchasing.send_purchase_order, purchase_order_id=po.id)
    [sent] = _entries(ws, "purchase_order.sent")
    assert sent.refs["purchase_order"] == po.number and sent.payload["filename"].endswith(".pdf")
    [mail] = [e for e in _entries(ws, "message.sent") if e.refs.get("supplier") == supplier.code]
    assert mail.payload["attachments"] == [sent.payload["filename"]]
    with pytest.raises(WrongStatus):  # sent twice: refused, nothing done
        act(ws, purchasing.send_purchase_order, purchase_order_id=po.id)
    with UnitOfWork(ws, write=False) as uow:
        pos = position(uow, film.id)
        assert (pos.on_hand, pos.reserved, pos.available, pos.incoming_total, pos.projected) == (
            D(10), D(10), D(0), D(50), D(50))
        from sim.stock.service import ProductFilters, list_products

        [(listed, _, on_order)] = list_products(uow, ProductFilters(q=film.reference)).rows
        assert listed.id == film.id and on_order == D(50)  # the product list's « À recevoir »

    act(ws, purchasing.record_acknowledgement, purchase_order_id=po.id, confirmed_date="12/11/2026")
    [ack] = _entries(ws, "purchase_order.acknowledged")
    assert ack.payload["confirmed_date"] == "2026-11-12" and ack.payload["days_late"] == 2
    act(ws, purchasing.remind_supplier, purchase_order_id=po.id, body="Pouvez-vous confirmer l'expédition ?")
    act(ws, purchasing.remind_supplier, purchase_order_id=po.id, body="Seconde relance.")
    assert [e.payload["reminder"] for e in _entries(ws, "purchase_order.reminded")] == [1, 2]
    with pytest.raises(ValidationFailed) as refused:
        act(ws, purchasing.agree_new_date, purchase_order_id=po.id, new_date="2026-11-12", reason="")
    assert set(refused.value.errors) == {"new_date", "reason"}
    act(ws, purchasing.agree_new_date, purchase_order_id=po.id, new_date="2026-11-09", reason="Camion avancé")
    [moved] = _entries(ws, "purchase_order.rescheduled")
    assert (moved.payload["previous_date"], moved.payload["new_date"], moved.payload["days_late"]) == (
        "2026-11-12", "2026-11-09", -3)

    # partial receipt: 30 delivered, 4 of them crushed and refused
    line = _po_line(ws, po.id)
    receipt = act(ws, purchasing.receive_goods, purchase_order_id=po.id, received={line.id: "30"},
                  refused={line.id: "4"}, discrepancies={line.id: "Carton écrasé"}, supplier_note="BL-778")
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(PurchaseOrder, po.id).status == PurchaseOrderStatus.PARTIAL
        [rl] = uow.session.scalars(select(GoodsReceiptLine).where(GoodsReceiptLine.receipt_id == receipt.id)).all()
        assert (rl.expected, rl.received, rl.refused, rl.accepted, rl.short) == (D(50), D(30), D(4), D(26), D(20))
        pos = position(uow, film.id)
        # 10 + 26 on hand; the waiting order took the 20 it lacked; 24 left on order
        assert (pos.on_hand, pos.reserved, pos.available, pos.incoming_total) == (D(36), D(30), D(6), D(24))
    assert [l.quantity_reserved for l in order_lines(ws, order.id)] == [D(30)]
    [received] = _entries(ws, "purchase_order.received")
    assert received.refs["receipt"] == receipt.number == f"{po.number}-R1"
    assert received.payload["allocated"] == [{"order": order.number, "product": film.reference, "quantity": "20.000"}]
    assert received.payload["remaining"] == [{"product": film.reference, "quantity": "24.000"}]

    with pytest.raises(ValidationFailed) as refused:  # more than is still due
        act(ws, purchasing.receive_goods, purchase_order_id=po.id, received={line.id: "25"})
    assert "Reste à recevoir : 24" in refused.value.errors[f"received-{line.id}"]
    act(ws, purchasing.receive_goods, purchase_order_id=po.id, received={line.id: "24"})
    with UnitOfWork(ws, write=False) as uow:
        done = uow.get(PurchaseOrder, po.id)
        assert done.status == PurchaseOrderStatus.RECEIVED and done.received_date == date(2026, 11, 2)
    assert product(ws, film.id).stock_on_hand == D(60)


def test_a_purchase_order_without_supplier_lines_or_a_future_date_is_refused(workspace):
    ws = workspace.id
    at(ws)
    with pytest.raises(ValidationFailed) as refused:
        act(ws, purchasing.create_purchase_order, supplier_id=None,
            lines=[purchasing.POLineInput("NOPE", "0")], requested_date="2026-10-01")
    assert set(refused.value.errors) == {"supplier", "requested_date", "lines-0-product"}
    supplier = a_supplier(ws)
    film = supplied_product(ws, supplier)
    with pytest.raises(ValidationFailed) as refused:
        act(ws, purchasing.create_purchase_order, supplier_id=supplier.id,
            lines=[purchasing.POLineInput(film.reference, "1,5")], requested_date="2026-11-10")
    assert "entier" in refused.value.errors["lines-0-quantity"]


def test_a_supplier_without_an_email_address_cannot_be_sent_the_order(workspace):
    ws = workspace.id
    at(ws)
    supplier = a_supplier(ws, email="")
    film = supplied_product(ws, supplier)
    po = act(ws, purchasing.create_purchase_order, supplier_id=supplier.id,
             lines=[purchasing.POLineInput(film.id, "5")], requested_date="2026-11-10")
    with pytest.raises(ValidationFailed) as refused:
        act(ws, purchasing.send_purchase_order, purchase_order_id=po.id)
    assert "adresse courriel" in refused.value.errors["form"]
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(PurchaseOrder, po.id).status == PurchaseOrderStatus.DRAFT


def test_a_receipt_submitted_twice_is_booked_once(workspace):
    """The same form sent twice (double click, two tabs): the second is refused, stock moves once."""
    from sim.workspace.forms import AlreadySubmitted
    from tests.purchasing import a_sent_purchase_order

    ws = workspace.id
    at(ws)
    po, line = a_sent_purchase_order(ws, quantity="20")
    act(ws, purchasing.receive_goods, purchase_order_id=po.id, received={line.id: "5"}, form_token="tok-receipt")
    with pytest.raises(AlreadySubmitted):
        act(ws, purchasing.receive_goods, purchase_order_id=po.id, received={line.id: "5"}, form_token="tok-receipt")
    assert product(ws, line.product_id).stock_on_hand == D(5)
    assert len(_entries(ws, "purchase_order.received")) == 1
