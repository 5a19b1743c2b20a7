"""The mailbox list: search, date range and pages with counts (no cut-off)."""
from __future__ import annotations

from sim.db import UnitOfWork
from sim.inbox import service as inbox
from sim.inbox.lists import inbox_params, thread_page


def _deliver(workspace_id: int, n: int, subject: str, name: str = "Client") -> None:
    with UnitOfWork(workspace_id) as uow:
        for k in range(n):
            inbox.deliver(uow, actor="scenario:test", role="customer", name=name, email="achat@zephyr.fr",
                          subject=f"{subject} {k}", body=f"Bonjour, message {k}.")
        uow.commit()


def test_the_inbox_searches_every_word_and_pages_with_counts(workspace):
    _deliver(workspace.id, 60, "Réclamation palette cassée", name="Mme Zéphyrine Durand")
    _deliver(workspace.id, 3, "Demande de devis rubans")
    with UnitOfWork(workspace.id, write=False) as uow:
        claims = thread_page(uow, inbox_params({"q": "zéphyrine palette", "page": "2"}))
        quotes = thread_page(uow, inbox_params({"q": "DEVIS rubans"}))
        oldest_first = thread_page(uow, inbox_params({"q": "rubans", "sort": "date", "dir": "asc"}))
        everything = thread_page(uow, inbox_params({"per_page": "25", "page": "abc"}))
    assert (claims.total, claims.page, claims.first, claims.last, len(claims.rows)) == (60, 2, 51, 60, 10)
    assert all("palette" in t.root.subject for t in claims.rows)
    assert quotes.total == 3 and [t.root.subject for t in oldest_first.rows] == [
        "Demande de devis rubans 0", "Demande de devis rubans 1", "Demande de devis rubans 2"]
    assert everything.total >= 63 and everything.page == 1 and len(everything.rows) == 25


def test_the_inbox_page_takes_the_search_and_survives_malformed_parameters(candidate_with_workspace, login):
    user, _ = candidate_with_workspace
    browser = login(user)
    for query in ("page=-1", "from=2026-99-99", "sort=zzz&dir=up", "per_page=abc", "box=nope&page=9", "q=" + "é" * 900):
        assert browser.get(f"/inbox?{query}").status_code == 200, query
    assert browser.get("/inbox?q=%00x").status_code == 400  # a NUL is refused before any route
    page = browser.get("/inbox?box=all&q=aucun-message-ainsi")
    assert page.status_code == 200 and "Aucun message ne correspond" in page.text
    assert 'value="aucun-message-ainsi"' in page.text and 'name="box" value="all"' in page.text
