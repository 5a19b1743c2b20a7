"""A page that journals what the candidate saw (a customer's account, a thread
of messages, a PDF) is one unit of work: it reads, writes its journal entry in
one short write transaction, then renders. It never holds two connections at
once (thirty candidates would exhaust the pool) and takes the write lock once,
or not at all when there is nothing new to journal."""
from __future__ import annotations

import contextlib

from sqlalchemy import event

from tests.inbox import a_customer, delivered, entries


@contextlib.contextmanager
def watching(engine):
    """The most connections checked out at once, and the write transactions begun."""
    seen = {"out": 0, "most": 0, "writes": 0}

    def checkout(*_):
        seen["out"] += 1
        seen["most"] = max(seen["most"], seen["out"])

    def checkin(*_):
        seen["out"] -= 1

    def begin(conn):
        seen["writes"] += bool(conn.get_execution_options().get("writer", False))

    listeners = [(engine.pool, "checkout", checkout), (engine.pool, "checkin", checkin), (engine, "begin", begin)]
    for target, name, fn in listeners:
        event.listen(target, name, fn)
    try:
        yield seen
    finally:
        for target, name, fn in listeners:
            event.remove(target, name, fn)


def test_the_customer_page(engine, login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer = a_customer(workspace.id)
    browser = login(user)
    before = len(entries(workspace.id, "customer.account_viewed"))

    with watching(engine) as seen:
        assert browser.get(f"/customers/{customer.id}").status_code == 200

    assert (seen["most"], seen["writes"]) == (1, 1)
    assert len(entries(workspace.id, "customer.account_viewed")) == before + 1


def test_the_thread_page(engine, login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    message = delivered(workspace.id, customer=a_customer(workspace.id), subject="Facture en double")
    browser = login(user)

    with watching(engine) as first:
        page = browser.get(f"/inbox/{message.id}")
    with watching(engine) as again:
        browser.get(f"/inbox/{message.id}")

    assert page.status_code == 200 and "Facture en double" in page.text
    assert (first["most"], first["writes"]) == (1, 1)
    assert (again["most"], again["writes"]) == (1, 0)  # nothing unread: no write at all
    assert [e.refs["message"] for e in entries(workspace.id, "message.read")] == [message.reference]


def test_a_pdf(engine, login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer = a_customer(workspace.id)
    browser = login(user)

    with watching(engine) as seen:
        response = browser.get(f"/customers/{customer.id}/statement.pdf")

    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert (seen["most"], seen["writes"]) == (1, 1)
    [entry] = entries(workspace.id, "document.viewed")
    assert entry.refs["customer"] == customer.code and entry.payload["document"] == "statement"
