"""Customer and order folders (REAC CP1/CP2: « les fichiers et les dossiers sont
actualisés et classés »): the company's documents file themselves, the candidate
files what arrives attached to a message, a filing is never overwritten (a new
version), a document can be passed to a colleague, and all of it is journaled
by business keys for the evaluator."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sim.crm.models import Interaction, MessageAttachment
from sim.db import NotFound, UnitOfWork
from sim.documents import filing
from sim.documents.models import Document, FiledDocument
from sim.documents.service import store
from sim.errors import ValidationFailed
from sim.inbox.service import deliver
from sim.journal.models import JournalEntry
from sim.journal.service import verify_chain
from sim.workspace.models import Workspace
from tests.documents import ACTOR, _build_story

SCENARIO = "scenario:test"


@pytest.fixture(scope="module")
def story():
    return _build_story()  # a fresh one: these tests file and pass on its documents


def _po_message(story):
    """The customer emails its purchase order, as a scenario event does."""
    with UnitOfWork(story.ws) as uow:
        po = store(uow, actor=SCENARIO, kind="customer_po", ref_id=story.order.id)
        message = deliver(uow, actor=SCENARIO, role="customer", name="Jeanne Martin", email="j.martin@dupont.example",
                          subject="Notre commande PO-DUP-4711", body="Bonjour,\nci-joint notre bon de commande.",
                          customer_id=story.buyer.id, attachments=[po.id])
        uow.commit()
    return message, po


def _entries(ws, kind):
    with UnitOfWork(ws, write=False) as uow:
        return list(uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == kind)
                                        .order_by(JournalEntry.seq)))


def test_the_companys_documents_file_themselves_in_the_customer_and_order_folders(story):
    with UnitOfWork(story.ws) as uow:
        for kind, ref in [("order_ack", story.order.id), ("delivery_note", story.first.id),
                          ("invoice", story.invoice.id), ("credit_note", story.credit_note.id),
                          ("statement", story.buyer.id), ("quote", story.quote.id)]:
            store(uow, actor=ACTOR, kind=kind, ref_id=ref)
        uow.commit()
    with UnitOfWork(story.ws, write=False) as uow:
        customer = filing.customer_folder(uow, story.buyer.id)
        order = filing.order_folder(uow, story.order.id)
        irish = filing.customer_folder(uow, story.irish.id)
    types = [e.current.doc_type for e in customer]
    # by type, in the order of DOC_TYPES
    assert types == ["order_ack", "delivery_note", "invoice", "credit_note", "statement"]
    assert {(e.current.doc_type, e.current.number) for e in order} == {
        ("order_ack", story.order.number), ("delivery_note", story.first.number),
        ("invoice", story.invoice.number), ("credit_note", story.credit_note.number)}
    assert all(e.current.source == "generated" and e.current.version == 1 for e in customer)
    assert [e.current.doc_type for e in irish] == ["quote"]  # the quote is the Irish customer's
    assert order[0].order_number == story.order.number


def test_a_reissued_document_is_a_new_version_and_the_first_stays_as_it_was(story):
    with UnitOfWork(story.ws) as uow:
        first = store(uow, actor=ACTOR, kind="invoice", ref_id=story.irish_invoice.id)
        uow.commit()
    with UnitOfWork(story.ws, write=False) as uow:
        v1 = uow.session.scalars(select(FiledDocument).where(FiledDocument.document_id == first.id)).one()
        v1_values = v1.model_dump()
        first_sha = uow.get(Document, first.id).sha256
    with UnitOfWork(story.ws) as uow:
        second = store(uow, actor=ACTOR, kind="invoice", ref_id=story.irish_invoice.id)
        uow.commit()
    with UnitOfWork(story.ws, write=False) as uow:
        entry = next(e for e in filing.customer_folder(uow, story.irish.id) if e.current.doc_type == "invoice")
        again = uow.session.get(FiledDocument, v1.id)
        assert again.model_dump() == v1_values and uow.get(Document, first.id).sha256 == first_sha
    assert [v.version for v in entry.versions] == [2, 1]
    assert entry.current.document_id == second.id and entry.versions[1].document_id == first.id


def test_a_filed_or_issued_document_cannot_be_overwritten(story):
    with UnitOfWork(story.ws) as uow:
        filed = uow.session.scalars(select(FiledDocument).order_by(FiledDocument.id)).first()
        filed.doc_type = "other"
        with pytest.raises(RuntimeError, match="immutable"):
            uow.session.flush()
        uow.rollback()
    with UnitOfWork(story.ws) as uow:
        document = uow.session.scalars(select(Document).order_by(Document.id)).first()
        document.filename = "autre.pdf"
        with pytest.raises(RuntimeError, match="immutable"):
            uow.session.flush()
        uow.rollback()


def test_the_candidate_files_an_attachment_into_the_orders_folder_journaled_by_business_keys(story):
    message, po = _po_message(story)
    with UnitOfWork(story.ws, write=False) as uow:
        choices = [f.value for f in filing.folder_choices(uow, uow.session.get(Interaction, message.id))]
        assert filing.customer_folder(uow, story.buyer.id)[0].current.doc_type != "customer_po"  # not by itself
    assert choices[0] == f"customer:{story.buyer.id}" and f"order:{story.order.id}" in choices
    assert f"order:{story.irish_order.id}" not in choices  # another customer's order
    with UnitOfWork(story.ws) as uow:
        filed = filing.file_attachment(uow, actor=ACTOR, message_id=message.id, document_id=po.id,
                                       folder=f"order:{story.order.id}", doc_type="customer_po",
                                       number="PO-DUP-4711", note="Commande signée par l'acheteuse")
        uow.commit()
    with UnitOfWork(story.ws, write=False) as uow:
        in_order = [e for e in filing.order_folder(uow, story.order.id) if e.current.doc_type == "customer_po"]
        chain = verify_chain(uow.session, uow.session.get(Workspace, story.ws))
    assert [(e.current.id, e.filename, e.type_label) for e in in_order] == [
        (filed.id, po.filename, "Bon de commande client")]
    entry = _entries(story.ws, "document.filed")[-1]
    assert entry.actor == ACTOR
    assert entry.refs == {"document": "PO-DUP-4711", "customer": story.buyer.code, "order": story.order.number,
                          "message": message.reference}
    assert entry.payload | {"sha256": ""} == {
        "doc_type": "customer_po", "version": 1, "filename": po.filename, "folder": "order", "source": "attachment",
        "note": "Commande signée par l'acheteuse", "sha256": ""}
    assert chain.ok

    # a correction: into the customer's folder as a letter; version 2, version 1 kept
    with UnitOfWork(story.ws) as uow:
        corrected = filing.refile(uow, actor=ACTOR, filed_id=filed.id, folder=f"customer:{story.buyer.id}",
                                  doc_type="letter", note="")
        uow.commit()
    with UnitOfWork(story.ws, write=False) as uow:
        assert not [e for e in filing.order_folder(uow, story.order.id) if e.current.series == filed.series]
        entry_ = next(e for e in filing.customer_folder(uow, story.buyer.id) if e.current.series == filed.series)
        assert uow.session.get(FiledDocument, filed.id).order_id == story.order.id
    assert [v.version for v in entry_.versions] == [2, 1] and entry_.current.id == corrected.id
    last = _entries(story.ws, "document.filed")[-1]
    assert last.refs["document"] == "PO-DUP-4711" and "order" not in last.refs
    assert (last.payload["version"], last.payload["corrects_version"], last.payload["doc_type"]) == (2, 1, "letter")


def test_a_refused_filing_says_why_next_to_the_field_and_changes_nothing(story):
    message, po = _po_message(story)

    def filed_count():
        with UnitOfWork(story.ws, write=False) as uow:
            return (uow.session.scalar(select(func.count(FiledDocument.id))),
                    uow.session.scalar(select(func.count(JournalEntry.id))))

    before = filed_count()
    for kw, field in [({"folder": f"order:{story.irish_order.id}"}, "folder"), ({"folder": "customer:x"}, "folder"),
                      ({"doc_type": "invoice"}, "doc_type"), ({"number": "x" * 61}, "number"),
                      ({"note": "n" * 301}, "note"), ({"note": "a\x00b"}, "note")]:
        values = {"folder": f"customer:{story.buyer.id}", "doc_type": "customer_po", "number": "", "note": ""} | kw
        with UnitOfWork(story.ws) as uow:
            with pytest.raises(ValidationFailed) as refused:
                filing.file_attachment(uow, actor=ACTOR, message_id=message.id, document_id=po.id, **values)
            uow.rollback()
        assert field in refused.value.errors, kw
    assert filed_count() == before


def test_another_workspaces_message_or_filing_is_not_found(story):
    other = _build_story()
    message, po = _po_message(story)
    with UnitOfWork(other.ws) as uow:
        with pytest.raises(NotFound):
            filing.file_attachment(uow, actor=ACTOR, message_id=message.id, document_id=po.id,
                                   folder=f"customer:{story.buyer.id}", doc_type="customer_po")
        with UnitOfWork(story.ws, write=False) as mine:
            filed_id = mine.session.scalars(select(FiledDocument.id)).first()
        with pytest.raises(NotFound):
            filing.get(uow, filed_id)
        assert filing.customer_folder(uow, story.buyer.id) == []


def test_passing_a_document_on_sends_an_internal_message_with_it_and_journals_it(story):
    with UnitOfWork(story.ws, write=False) as uow:
        entry = next(e for e in filing.order_folder(uow, story.order.id) if e.current.doc_type == "invoice")
    with UnitOfWork(story.ws) as uow:
        message = filing.pass_on(uow, actor=ACTOR, filed_id=entry.current.id, to="accounting",
                                 note="Le client conteste la remise : merci de vérifier avant relance.")
        uow.commit()
    with UnitOfWork(story.ws, write=False) as uow:
        sent = uow.session.get(Interaction, message.id)
        attached = uow.session.scalars(select(MessageAttachment.document_id)
                                       .where(MessageAttachment.interaction_id == message.id)).all()
    assert (sent.direction, sent.counterpart_role, sent.customer_id) == ("out", "accounting", story.buyer.id)
    assert sent.counterpart_email.startswith("comptabilite@") and "Le client conteste" in sent.body
    assert attached == [entry.current.document_id]
    journaled = _entries(story.ws, "document.passed_on")[-1]
    assert journaled.refs == {"document": story.invoice.number, "customer": story.buyer.code,
                              "order": story.order.number, "message": sent.reference}
    assert journaled.payload["to_role"] == "accounting" and journaled.payload["note"].startswith("Le client")

    for to, note, field in [("accounting", "  ", "note"), ("boss", "Pour info", "to"),
                            ("sales_rep", "Pour info", "to")]:  # the buyer has no sales rep
        with UnitOfWork(story.ws) as uow:
            with pytest.raises(ValidationFailed) as refused:
                filing.pass_on(uow, actor=ACTOR, filed_id=entry.current.id, to=to, note=note)
            uow.rollback()
        assert field in refused.value.errors
