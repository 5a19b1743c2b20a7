"""Generating a document keeps the PDF with the workspace and journals it
(DESIGN: every meaningful action is journaled, in the same transaction); a
document of another workspace cannot be printed."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from sim.db import NotFound, UnitOfWork
from sim.documents.models import Document
from sim.documents.service import KINDS, UnknownDocumentKind, store, render_pdf
from sim.journal.models import JournalEntry
from sim.journal.service import verify_chain
from sim.workspace.models import Workspace
from tests.documents import ACTOR, order_to_cash, page_count


def _journal_count(ws: int, kind: str) -> int:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalar(select(func.count(JournalEntry.id)).where(JournalEntry.kind == kind))


def test_generate_stores_the_pdf_with_its_hash_and_writes_one_journal_entry():
    story = order_to_cash()
    before = _journal_count(story.ws, "document.generated")
    with UnitOfWork(story.ws) as uow:
        document = store(uow, actor=ACTOR, kind="invoice", ref_id=story.invoice.id)
        uow.commit()

    with UnitOfWork(story.ws, write=False) as uow:
        stored = uow.get(Document, document.id)
        entry = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "document.generated")
                                    .order_by(JournalEntry.seq.desc())).first()
        chain = verify_chain(uow.session, uow.session.get(Workspace, story.ws))
    assert stored.content.startswith(b"%PDF-") and page_count(stored.content) == 1
    assert stored.sha256 == hashlib.sha256(stored.content).hexdigest()
    assert (stored.kind, stored.ref_kind, stored.ref_id, stored.mime_type) == (
        "invoice", "invoice", story.invoice.id, "application/pdf")
    assert stored.filename == f"Facture_{story.invoice.number}.pdf"
    assert stored.sim_time.date() == story.today

    assert _journal_count(story.ws, "document.generated") == before + 1
    assert entry.actor == ACTOR
    assert entry.refs == {"invoice": story.invoice.number, "customer": story.buyer.code}
    assert entry.payload == {"document": "invoice", "filename": stored.filename, "sha256": stored.sha256,
                             "bytes": len(stored.content)}
    assert chain.ok


def test_a_statement_is_journaled_under_its_reference():
    story = order_to_cash()
    with UnitOfWork(story.ws) as uow:
        document = store(uow, actor=ACTOR, kind="statement", ref_id=story.buyer.id)
        uow.commit()
    with UnitOfWork(story.ws, write=False) as uow:
        entry = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "document.generated")
                                    .order_by(JournalEntry.seq.desc())).first()
    assert document.ref_id == story.buyer.id
    assert entry.refs == {"statement": f"RLV-{story.buyer.code}-{story.today:%Y%m%d}", "customer": story.buyer.code}


def test_a_document_of_another_workspace_is_not_found(make_workspace):
    story = order_to_cash()
    other = make_workspace()
    theirs = {"quote": story.quote.id, "order_ack": story.order.id, "delivery_note": story.first.id,
              "invoice": story.invoice.id, "credit_note": story.credit_note.id, "statement": story.buyer.id}
    from tests.shipping.helpers import a_carrier_protest

    theirs |= {"proforma": story.quote.id, "order_proforma": story.order.id, "packing_list": story.first.id,
               "carrier_protest": a_carrier_protest(story.ws).id}  # the shipping documents (sim/shipping)
    assert set(theirs) == set(KINDS)
    for kind, ref_id in theirs.items():
        with UnitOfWork(other.id, write=False) as uow:
            with pytest.raises(NotFound):
                render_pdf(uow, kind, ref_id)
    before = _journal_count(other.id, "document.generated")
    with UnitOfWork(other.id) as uow:
        with pytest.raises(NotFound):
            store(uow, actor=ACTOR, kind="invoice", ref_id=story.invoice.id)
            uow.commit()
    assert _journal_count(other.id, "document.generated") == before
    with UnitOfWork(other.id, write=False) as uow:
        assert uow.session.scalar(select(func.count(Document.id))) == 0


def test_an_unknown_kind_is_refused():
    story = order_to_cash()
    with UnitOfWork(story.ws, write=False) as uow:
        with pytest.raises(UnknownDocumentKind):
            render_pdf(uow, "purchase_order", 1)
