"""Printed documents: helpers shared by the tests of this package."""
from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

_SPACES = re.compile(r"[ \t\u00a0\u202f\u2009]+")


def _pdftotext(pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True,
                              text=True).stdout


def normalised(text: str) -> str:
    """Every run of spaces (plain, no-break, narrow no-break) as one plain space, per
    line, and none before "%" (pdftotext drops it in narrow table cells): apply it to
    the expected text too."""
    return "\n".join(_SPACES.sub(" ", line).strip().replace(" %", "%") for line in text.splitlines())


def pdf_layout(pdf: bytes) -> str:
    """``pdftotext -layout``: a table row stays on one line (figures next to their label)."""
    return normalised(_pdftotext(pdf, "-layout"))


def pdf_flow(pdf: bytes) -> str:
    """The text in reading order, all on one line: a sentence wrapped in a narrow box reads whole."""
    return " ".join(normalised(_pdftotext(pdf)).split())


def page_count(pdf: bytes) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def eur(value) -> str:
    """The figure as the documents print it, spaces normalised: ``1 234,56 €``."""
    from sim.formatting import eur as fmt

    return _SPACES.sub(" ", fmt(value))


# ===== one order-to-cash story, built once per test run =================

ACTOR = "candidate:documents"
_story = None


def order_to_cash():
    """A seeded workspace where a French company ordered two products (20 % and
    5.5 % VAT, a line discount, a global discount, a purchase order number),
    received them in two deliveries with a backorder left, was invoiced for the
    first delivery, got a credit note on it and paid part of the rest; and an
    Irish company asked for a quote and placed an order. Built through the
    services, once: the PDF tests only read it."""
    global _story
    if _story is None:
        _story = _build_story()
    return _story


def _build_story():
    import secrets
    from datetime import date
    from decimal import Decimal
    from types import SimpleNamespace

    from sqlalchemy import select

    from seed.company import SMALL
    from sim.billing.models import Invoice, InvoiceLine
    from sim.billing.service import invoice_delivery, issue_credit_note
    from sim.clock import sim_date
    from sim.crm.models import Customer
    from sim.db import UnitOfWork
    from sim.receivables.service import record_payment
    from sim.sales.models import OrderLine
    from sim.sales.service import LineInput, confirm_order, create_order, create_quote
    from sim.stock.service import ship_delivery
    from sim.workspace.service import create_workspace
    from tests.factories import a_carrier, make_product

    with UnitOfWork() as uow:
        ws = create_workspace(uow, name=f"docs-{secrets.token_hex(3)}", owner_id=None, seed=11, size=SMALL).id
        uow.commit()
    with UnitOfWork(ws) as uow:
        buyer = Customer(workspace_id=ws, code="D00001", kind="b2b", name="Papeterie Dupont-Lajoie", legal_form="SAS",
                         siren="732829320", siret="73282932000074", vat_number="FR44732829320",
                         address="12 avenue des Tests", postcode="69002", city="Lyon", country="FR", language="fr",
                         payment_terms="30_net", credit_limit=Decimal("50000.00"), created_on=date(2026, 1, 5))
        irish = Customer(workspace_id=ws, code="D00002", kind="b2b", name="Liffey Packaging Ltd",
                         vat_number="IE6388047V", address="4 Quay Street", postcode="D02 XY12", city="Dublin",
                         country="IE", language="en", payment_terms="30_net", credit_limit=Decimal("50000.00"),
                         created_on=date(2026, 1, 5))
        uow.session.add_all([buyer, irish])
        uow.commit()
    boxes = make_product(ws, price="12.40", vat="20.00", stock="50", name="Caisse américaine 400×300×300")
    books = make_product(ws, price="19.90", vat="5.50", stock="50", name="Guide de l'emballage")
    carrier = a_carrier(ws)

    # The French order: 5 boxes at −5 %, 2 guides, 2 % overall discount, their PO number.
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=buyer.id, customer_po="PO-DUP-4711",
                             global_discount_pct="2",
                             lines=[LineInput(boxes.id, "5", "5"), LineInput(books.id, "2")])
        uow.commit()
    with UnitOfWork(ws) as uow:
        order = confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        box_line, book_line = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)
                                                  .order_by(OrderLine.position)).all()
    # Two deliveries: 2 boxes + the 2 guides, then 2 more boxes (1 box left on backorder).
    with UnitOfWork(ws) as uow:
        first = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={box_line.id: "2", book_line.id: "2"},
                              carrier_id=carrier.id)
        uow.commit()
    with UnitOfWork(ws) as uow:
        second = ship_delivery(uow, actor=ACTOR, order_id=order.id, quantities={box_line.id: "2"},
                               carrier_id=carrier.id)
        uow.commit()
    with UnitOfWork(ws) as uow:
        invoice = invoice_delivery(uow, actor=ACTOR, delivery_id=first.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        invoice_box_line = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)
                                               .order_by(InvoiceLine.position)).first()
    with UnitOfWork(ws) as uow:
        credit_note = issue_credit_note(uow, actor=ACTOR, invoice_id=invoice.id,
                                        quantities={invoice_box_line.id: "1"}, reason="Caisse écrasée à la livraison")
        uow.commit()
    with UnitOfWork(ws) as uow:
        record_payment(uow, actor=ACTOR, customer_id=buyer.id, method="transfer", amount="20.00",
                       allocations={invoice.id: "20.00"}, reference="VIR DUPONT ACOMPTE")
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        invoice = uow.get(Invoice, invoice.id)
        today = sim_date(uow)

    # The Irish customer: a quote with an Incoterm, and an order with their PO.
    with UnitOfWork(ws) as uow:
        quote = create_quote(uow, actor=ACTOR, customer_id=irish.id, lines=[LineInput(boxes.id, "10")],
                             incoterm="DAP", incoterm_place="Dublin")
        uow.commit()
    with UnitOfWork(ws) as uow:
        irish_order = create_order(uow, actor=ACTOR, customer_id=irish.id, customer_po="LP-2026-118",
                                   lines=[LineInput(books.id, "3")])
        uow.commit()
    with UnitOfWork(ws) as uow:
        irish_order = confirm_order(uow, actor=ACTOR, order_id=irish_order.id)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        irish_line = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == irish_order.id)).one()
    with UnitOfWork(ws) as uow:
        irish_delivery = ship_delivery(uow, actor=ACTOR, order_id=irish_order.id, quantities={irish_line.id: "3"},
                                       carrier_id=carrier.id)
        uow.commit()
    with UnitOfWork(ws) as uow:
        irish_invoice = invoice_delivery(uow, actor=ACTOR, delivery_id=irish_delivery.id)
        uow.commit()

    return SimpleNamespace(ws=ws, today=today, buyer=buyer, irish=irish, boxes=boxes, books=books, carrier=carrier,
                           order=order, first=first, second=second, invoice=invoice, credit_note=credit_note,
                           quote=quote, irish_order=irish_order, irish_invoice=irish_invoice)


def a_candidates_story(user):
    """A fresh order-to-cash story (not the shared one: the caller may change
    it) in a workspace that ``user`` owns, for the PDF routes."""
    from sqlalchemy import update

    from sim.db import UnitOfWork
    from sim.workspace.models import Workspace

    story = _build_story()
    with UnitOfWork() as uow:
        uow.session.execute(update(Workspace).where(Workspace.id == story.ws).values(owner_id=user.id))
        uow.commit()
    return story


def pdf_urls(story) -> dict[str, str]:
    """The GET route of each kind of document, for this story."""
    return {"quote": f"/quotes/{story.quote.id}/pdf", "order_ack": f"/orders/{story.order.id}/acknowledgement.pdf",
            "delivery_note": f"/deliveries/{story.first.id}/pdf", "invoice": f"/invoices/{story.invoice.id}/pdf",
            "credit_note": f"/credit-notes/{story.credit_note.id}/pdf",
            "statement": f"/customers/{story.buyer.id}/statement.pdf"}
