"""The candidate downloads an invoice's and a credit note's Factur-X file next to
their PDFs; it stores nothing and is journaled as ``document.viewed`` once per
version, like a PDF. The invoice page shows the e-invoicing status the platform
reported (deposited at issue, then refused with its reason)."""
from __future__ import annotations

from sqlalchemy import select

from sim.billing.einvoice import move_status
from sim.billing.facturx_check import xml_of, xsd_errors
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry
from tests.documents import a_candidates_story


def _viewed(ws: int) -> list[JournalEntry]:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "document.viewed")
                                   .order_by(JournalEntry.seq)).all()


def test_the_factur_x_files_download_and_are_journaled_once_per_version(login, make_user):
    user = make_user("candidate")
    story = a_candidates_story(user)
    browser = login(user)
    for url, kind, number in [(f"/invoices/{story.invoice.id}/facturx.pdf", "invoice", story.invoice.number),
                              (f"/credit-notes/{story.credit_note.id}/facturx.pdf", "credit_note",
                               story.credit_note.number)]:
        before = len(_viewed(story.ws))
        response = browser.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        prefix = "Facture" if kind == "invoice" else "Avoir"
        assert response.headers["content-disposition"] == f'attachment; filename="{prefix}_{number}_factur-x.pdf"'
        xml = xml_of(response.content)
        assert xsd_errors(xml) == []
        assert f"<ram:ID>{number}</ram:ID>".encode() in xml
        browser.get(url)  # the same version again: not journaled twice
        viewed = _viewed(story.ws)[before:]
        assert [(e.refs, e.payload["filename"]) for e in viewed] == [
            ({kind: number, "customer": story.buyer.code}, f"{prefix}_{number}_factur-x.pdf")]


def test_the_invoice_page_shows_the_platform_status(login, make_user):
    user = make_user("candidate")
    story = a_candidates_story(user)
    browser = login(user)
    page = browser.get(f"/invoices/{story.invoice.id}").text
    assert f'href="/invoices/{story.invoice.id}/facturx.pdf"' in page
    assert 'data-testid="einvoice-status">Déposée</span>' in page
    with UnitOfWork(story.ws) as uow:
        move_status(uow, actor="scenario", invoice_id=story.invoice.id, status="refused",
                    reason="Quantités <b>non</b> conformes")
        uow.commit()
    page = browser.get(f"/invoices/{story.invoice.id}").text
    assert 'data-testid="einvoice-status">Refusée</span>' in page
    assert "Quantités &lt;b&gt;non&lt;/b&gt; conformes" in page  # escaped
    assert "annulez-la par un avoir" in page
    assert "<strong>Refusée</strong> (210)" in page
    note_page = browser.get(f"/credit-notes/{story.credit_note.id}").text
    assert f'href="/credit-notes/{story.credit_note.id}/facturx.pdf"' in note_page
