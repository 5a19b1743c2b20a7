"""Attaching a quote prints it, keeps it and sends it in one transaction:
the Document, its link to the message and both journal entries
(``document.generated`` then ``message.sent``) exist together or not at all."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sim.crm.models import MessageAttachment
from sim.db import NotFound, UnitOfWork
from sim.documents.models import Document
from sim.inbox import service as inbox
from sim.journal.service import verify_chain
from sim.workspace.models import Workspace
from tests.inbox import ACTOR, a_customer_with_a_quote, counts, delivered, entries


def test_sending_a_quote_pdf_creates_the_document_the_link_and_the_journal_entries(workspace):
    customer, quote = a_customer_with_a_quote(workspace.id)
    before = counts(workspace.id)

    with UnitOfWork(workspace.id) as uow:
        message = inbox.send(uow, actor=ACTOR, to_role="customer", customer_id=customer.id,
                             subject=f"Devis {quote.number}", body="Ci-joint notre devis.", language="",
                             attach=[("quote", quote.id), ("statement", customer.id)])
        uow.commit()

    after = counts(workspace.id)
    assert (after.messages, after.documents, after.attachments, after.journal) == (
        before.messages + 1, before.documents + 2, before.attachments + 2, before.journal + 3)
    with UnitOfWork(workspace.id, write=False) as uow:
        links = uow.session.scalars(select(MessageAttachment).where(MessageAttachment.interaction_id == message.id)
                                    .order_by(MessageAttachment.id)).all()
        documents = [uow.get(Document, link.document_id) for link in links]
        [stored] = inbox.thread(uow, message.id)
        assert verify_chain(uow.session, uow.session.get(Workspace, workspace.id)).ok
    quote_pdf, statement_pdf = documents
    assert quote_pdf.content.startswith(b"%PDF-") and quote_pdf.filename == f"Devis_{quote.number}.pdf"
    assert (quote_pdf.kind, quote_pdf.ref_kind, quote_pdf.ref_id) == ("quote", "quote", quote.id)
    assert statement_pdf.kind == "statement" and statement_pdf.ref_id == customer.id
    assert [a.filename for a in stored.attachments] == [quote_pdf.filename, statement_pdf.filename]

    generated = entries(workspace.id, "document.generated")[-2:]
    sent = entries(workspace.id, "message.sent")[-1]
    assert generated[0].refs == {"quote": quote.number, "customer": customer.code}
    assert generated[0].payload == {"document": "quote", "filename": quote_pdf.filename,
                                    "sha256": quote_pdf.sha256, "bytes": len(quote_pdf.content)}
    assert generated[1].seq < sent.seq
    assert sent.payload["attachments"] == [quote_pdf.filename, statement_pdf.filename]


def test_a_document_is_only_downloadable_through_the_message_it_is_attached_to(workspace):
    customer, quote = a_customer_with_a_quote(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        message = inbox.send(uow, actor=ACTOR, to_role="customer", customer_id=customer.id, subject="Devis",
                             body="Ci-joint.", language="", attach=[("quote", quote.id)])
        uow.commit()
    other = delivered(workspace.id, customer=customer)
    with UnitOfWork(workspace.id, write=False) as uow:
        [attachment] = inbox.thread(uow, message.id)[0].attachments
        assert inbox.attached_document(uow, message_id=message.id, document_id=attachment.id).content
        with pytest.raises(NotFound):
            inbox.attached_document(uow, message_id=other.id, document_id=attachment.id)


def test_a_delivered_message_carries_its_attachments(workspace):
    customer, quote = a_customer_with_a_quote(workspace.id)
    from sim.documents.service import store

    with UnitOfWork(workspace.id) as uow:
        document = store(uow, actor=ACTOR, kind="quote", ref_id=quote.id)
        uow.commit()
    message = delivered(workspace.id, customer=customer, subject="Bon pour accord",
                        attachments=[document.id])

    with UnitOfWork(workspace.id, write=False) as uow:
        [stored] = inbox.thread(uow, message.id)
    assert [a.id for a in stored.attachments] == [document.id]
    assert entries(workspace.id, "message.received")[-1].payload["attachments"] == [document.filename]
