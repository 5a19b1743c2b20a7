"""Sending a message with a PDF attached stores the document (what was sent),
but WeasyPrint runs before the write lock is taken: while the quote prints,
another candidate's writes go through; the copy printed ahead is the one
kept, not printed a second time under the lock."""
from __future__ import annotations

import re
import threading

from sqlalchemy import func, select

from sim.db import UnitOfWork
from sim.documents import rendering
from sim.documents.models import Document
from sim.stock.models import Product
from tests.factories import make_product
from tests.inbox import a_customer_with_a_quote, delivered, entries


def test_a_reply_with_a_quote_prints_it_without_holding_the_write_lock(login, candidate_with_workspace,
                                                                         make_workspace):
    user, workspace = candidate_with_workspace
    other = make_workspace()
    customer, quote = a_customer_with_a_quote(workspace.id)
    message = delivered(workspace.id, customer=customer, subject="Votre offre ?")
    browser = login(user)
    token = re.search(r'name="form_token" value="([^"]+)"', browser.get(f"/inbox/{message.id}").text).group(1)
    printing, release = threading.Event(), threading.Event()
    prints, answers = [], []

    def slow_print(html):
        prints.append(html)
        printing.set()
        release.wait(timeout=60)

    def send():
        answers.append(browser.post(f"/inbox/{message.id}/reply", {
            "subject": "RE: Votre offre ?", "language": "fr", "body": "Voici notre devis.",
            "attach": f"quote:{quote.id}", "form_token": token}))

    rendering.before_print.append(slow_print)
    try:
        sending = threading.Thread(target=send)
        sending.start()
        assert printing.wait(timeout=30), "the quote never started printing"
        writing = threading.Thread(target=make_product, args=(other.id,), kwargs={"name": "Écrit pendant l'envoi"})
        writing.start()
        writing.join(timeout=5)
        assert not writing.is_alive(), "the other workspace's write waited for the quote to print"
    finally:
        release.set()
        rendering.before_print.remove(slow_print)
    sending.join(timeout=60)

    assert answers[0].status_code == 303
    assert len(prints) == 1  # the copy printed ahead was kept
    with UnitOfWork(workspace.id, write=False) as uow:
        [document] = uow.session.scalars(select(Document).where(Document.ref_kind == "quote",
                                                                Document.ref_id == quote.id)).all()
    assert document.content.startswith(b"%PDF-")
    generated = entries(workspace.id, "document.generated")[-1]
    assert generated.payload["sha256"] == document.sha256
    assert entries(workspace.id, "message.sent")[-1].payload["attachments"] == [document.filename]
    with UnitOfWork(other.id, write=False) as uow:
        assert uow.session.scalar(select(func.count(Product.id)).where(Product.name == "Écrit pendant l'envoi")) == 1
