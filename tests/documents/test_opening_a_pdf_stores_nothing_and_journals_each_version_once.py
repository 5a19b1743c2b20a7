"""Opening a PDF (a GET) prints the document as it stands and leaves evidence,
not clutter: no row in any business table, one ``document.viewed`` per version
of the document (the SHA-256 of the HTML it is printed from), in business keys
only. Two tabs opening the same version at once journal it once."""
from __future__ import annotations

import hashlib
import threading

from sqlalchemy import func, select

from sim.db import UnitOfWork, owned_models
from sim.documents import rendering
from sim.documents.service import KINDS, record_view, render
from sim.journal.models import JournalEntry
from sim.journal.service import verify_chain
from sim.receivables.service import record_payment
from sim.workspace.models import Workspace
from tests.documents import ACTOR, a_candidates_story, pdf_urls


def _rows(ws: int) -> dict[str, int]:
    """Rows per workspace-owned table (the journal apart)."""
    with UnitOfWork(ws, write=False) as uow:
        return {model.__tablename__: uow.session.scalar(select(func.count()).select_from(model)
                                                         .where(model.workspace_id == ws))
                for model in owned_models() if model is not JournalEntry}


def _viewed(ws: int) -> list[JournalEntry]:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "document.viewed")
                                   .order_by(JournalEntry.seq)).all()


def _journal_size(ws: int) -> int:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalar(select(func.count(JournalEntry.id)))


def _rendered(ws: int, kind: str, ref_id: int):
    with UnitOfWork(ws, write=False) as uow:
        return render(uow, kind, ref_id)


def _version(rendered) -> str:
    return hashlib.sha256(rendered.html.encode()).hexdigest()


def test_each_pdf_creates_no_row_and_is_journaled_once_per_version(login, make_user):
    user = make_user("candidate")
    story = a_candidates_story(user)
    browser = login(user)
    from sim.crm.models import Customer
    from sim.stock.models import Delivery
    from tests.shipping.helpers import a_carrier_protest

    protest = a_carrier_protest(story.ws)  # and the shipping documents (sim/shipping/documents.py)
    with UnitOfWork(story.ws, write=False) as uow:
        protested = uow.session.get(Customer, uow.session.get(Delivery, protest.delivery_id).customer_id).code
    urls = pdf_urls(story) | {"proforma": f"/quotes/{story.quote.id}/proforma.pdf",
                              "order_proforma": f"/orders/{story.order.id}/proforma.pdf",
                              "packing_list": f"/deliveries/{story.first.id}/packing-list.pdf",
                              "carrier_protest": f"/protests/{protest.id}/pdf"}
    assert set(urls) == set(KINDS)
    ref_ids = {"quote": story.quote.id, "order_ack": story.order.id, "delivery_note": story.first.id,
               "invoice": story.invoice.id, "credit_note": story.credit_note.id, "statement": story.buyer.id,
               "proforma": story.quote.id, "order_proforma": story.order.id, "packing_list": story.first.id,
               "carrier_protest": protest.id}
    numbers = {"quote": story.quote.number, "order_ack": story.order.number, "delivery_note": story.first.number,
               "invoice": story.invoice.number, "credit_note": story.credit_note.number,
               "statement": f"RLV-{story.buyer.code}-{story.today:%Y%m%d}",
               "proforma": f"PF-{story.quote.number}", "order_proforma": f"PF-{story.order.number}",
               "packing_list": f"PL-{story.first.number}", "carrier_protest": protest.number}
    customers = {kind: story.buyer.code for kind in KINDS} | {"quote": story.irish.code, "proforma": story.irish.code,
                                                              "carrier_protest": protested}
    rows, journal = _rows(story.ws), _journal_size(story.ws)

    for kind, url in urls.items():
        response = browser.get(url)
        assert response.status_code == 200, (kind, response.text)
        assert response.content.startswith(b"%PDF-")
        assert response.headers["content-type"] == "application/pdf"

    assert _rows(story.ws) == rows  # no Document, nor anything else
    viewed = _viewed(story.ws)
    assert _journal_size(story.ws) == journal + len(KINDS)
    assert [e.payload["document"] for e in viewed] == list(urls)
    for entry in viewed:
        kind = entry.payload["document"]
        rendered = _rendered(story.ws, kind, ref_ids[kind])
        assert entry.actor == f"candidate:{user.username}"
        assert entry.refs == {kind: numbers[kind], "customer": customers[kind]}
        assert entry.payload == {"document": kind, "version": _version(rendered), "filename": rendered.filename}

    # Opened again, unchanged: the same file, nothing new in the journal.
    filenames = {e.payload["document"]: e.payload["filename"] for e in viewed}
    for kind, url in urls.items():
        response = browser.get(url)
        assert response.status_code == 200
        assert response.headers["content-disposition"] == f'inline; filename="{filenames[kind]}"'
    assert _rows(story.ws) == rows
    assert _journal_size(story.ws) == journal + len(KINDS)

    # A payment changes the statement: its new version is journaled, the quote's is not.
    with UnitOfWork(story.ws) as uow:
        record_payment(uow, actor=ACTOR, customer_id=story.buyer.id, method="transfer", amount="5.00",
                       allocations={story.invoice.id: "5.00"}, reference="VIR DUPONT 2")
        uow.commit()
    journal = _journal_size(story.ws)
    browser.get(urls["statement"])
    browser.get(urls["statement"])
    browser.get(urls["quote"])
    assert _journal_size(story.ws) == journal + 1
    first, latest = [e for e in _viewed(story.ws) if e.payload["document"] == "statement"]
    assert latest.refs == first.refs and latest.payload["version"] != first.payload["version"]
    assert latest.payload["version"] == _version(_rendered(story.ws, "statement", story.buyer.id))
    with UnitOfWork(story.ws, write=False) as uow:
        assert verify_chain(uow.session, uow.session.get(Workspace, story.ws)).ok


def test_two_tabs_opening_the_same_pdf_at_once_journal_it_once(login, make_user):
    user = make_user("candidate")
    story = a_candidates_story(user)
    tabs = [login(user), login(user)]
    url = pdf_urls(story)["invoice"]
    journal = _journal_size(story.ws)
    # Both requests have read and rendered before either looks in the journal.
    both_printing = threading.Barrier(2, timeout=30)
    statuses = []

    def hold(_html):
        both_printing.wait()

    def open_in(tab):
        statuses.append(tab.get(url).status_code)

    rendering.before_print.append(hold)
    try:
        threads = [threading.Thread(target=open_in, args=(tab,)) for tab in tabs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        rendering.before_print.remove(hold)

    assert statuses == [200, 200]
    assert _journal_size(story.ws) == journal + 1
    [entry] = _viewed(story.ws)
    assert entry.refs == {"invoice": story.invoice.number, "customer": story.buyer.code}


def test_the_second_tab_looks_in_the_journal_only_once_the_first_has_committed(make_user):
    # Deterministic: the first tab journals the view and holds its transaction
    # open while the second one tries; the second must wait for the lock
    # *before* looking, or it would find nothing and journal the view again.
    user = make_user("candidate")
    story = a_candidates_story(user)
    rendered = _rendered(story.ws, "credit_note", story.credit_note.id)
    journal = _journal_size(story.ws)
    second = []

    def second_tab():
        with UnitOfWork(story.ws) as uow:
            second.append(record_view(uow, actor=ACTOR, rendered=rendered))
            uow.commit()

    with UnitOfWork(story.ws) as first:
        assert record_view(first, actor=ACTOR, rendered=rendered) is True
        tab = threading.Thread(target=second_tab)
        tab.start()
        tab.join(timeout=1)
        assert tab.is_alive(), "the second tab did not wait for the first one's lock"
        first.commit()
    tab.join(timeout=30)

    assert second == [False]
    assert _journal_size(story.ws) == journal + 1
