"""The purchase order sent to the supplier and the receipt note print what
they are for: number, supplier, quantities, prices, agreed date; expected,
received, refused and short per line, the discrepancy (text extracted with pdftotext)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import select

from sim.db import UnitOfWork
from sim.documents.models import Document
from sim.purchasing import service as purchasing
from sim.purchasing.documents import render_pdf
from sim.stock.models import PurchaseOrderLine
from tests.purchasing import a_supplier, act, at, supplied_product


def _keep(name: str, pdf: bytes) -> None:
    """ADVSIM_KEEP_PDFS=<dir>: keep the printed PDFs there, to look at them."""
    if os.environ.get("ADVSIM_KEEP_PDFS"):
        (Path(os.environ["ADVSIM_KEEP_PDFS"]) / name).write_bytes(pdf)


def _text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_the_purchase_order_pdf_and_the_receipt_note_pdf(workspace):
    ws = workspace.id
    at(ws)
    supplier = a_supplier(ws)
    film = supplied_product(ws, supplier, price="57.80", name="Film étirable 23 µm")  # cost 28,90
    po = act(ws, purchasing.create_purchase_order, supplier_id=supplier.id,
             lines=[purchasing.POLineInput(film.reference, "120")], requested_date="2026-11-10")
    act(ws, purchasing.send_purchase_order, purchase_order_id=po.id)
    with UnitOfWork(ws, write=False) as uow:
        [kept] = uow.session.scalars(select(Document).where(Document.ref_kind == "purchase_order",
                                                            Document.ref_id == po.id)).all()
        line = uow.session.scalars(select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == po.id)).one()
    text = _text(kept.content)
    _keep("purchase_order.pdf", kept.content)
    assert "BROUILLON" not in text  # the copy sent is not marked as a draft
    for expected in ("BON DE COMMANDE", po.number, "Fournisseur Test", supplier.code, film.reference,
                     "Film étirable 23 µm", "120", "28,90", "3 468,00", "10/11/2026", "accusé de réception"):
        assert expected in text.replace("\u202f", " ").replace("\xa0", " "), expected

    receipt = act(ws, purchasing.receive_goods, purchase_order_id=po.id, received={line.id: "100"},
                  refused={line.id: "6"}, discrepancies={line.id: "2 cartons écrasés"}, supplier_note="BL-4471",
                  note="Réserves écrites sur le récépissé du transporteur")
    with UnitOfWork(ws, write=False) as uow:
        filename, pdf = render_pdf(uow, "goods_receipt", receipt.id)
    assert filename == f"Bon-de-reception_{receipt.number}.pdf"
    _keep("goods_receipt.pdf", pdf)
    text = " ".join(_text(pdf).split())
    for expected in ("BON DE RÉCEPTION", receipt.number, po.number, "BL-4471", film.reference,
                     "120 100 6 94 20", "Écart : 2 cartons écrasés", "Réception avec écarts",
                     "Réserves écrites sur le récépissé"):
        assert expected in text, expected
