"""While a PDF prints (WeasyPrint: hundreds of milliseconds for a statement),
no write lock is held: another candidate's writes go through at once instead
of queuing behind the render (on SQLite, one writer at a time for the whole
database). The render is held on a threading.Event through the printing seam."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from sim.db import UnitOfWork
from sim.documents import rendering
from sim.stock.models import Product
from tests.documents import a_candidates_story, pdf_urls
from tests.factories import make_product


def test_a_write_in_another_workspace_completes_while_a_statement_prints(login, make_user, make_workspace):
    user = make_user("candidate")
    story = a_candidates_story(user)
    other = make_workspace()
    browser = login(user)
    printing, release = threading.Event(), threading.Event()
    answers = []

    def slow_print(_html):
        printing.set()
        release.wait(timeout=60)

    rendering.before_print.append(slow_print)
    try:
        opening = threading.Thread(target=lambda: answers.append(browser.get(pdf_urls(story)["statement"])))
        opening.start()
        assert printing.wait(timeout=30), "the statement never started printing"

        writing = threading.Thread(target=make_product, args=(other.id,), kwargs={"name": "Écrit pendant l'impression"})
        writing.start()
        writing.join(timeout=5)
        assert not writing.is_alive(), "the other workspace's write waited for the render"
        assert not release.is_set() and opening.is_alive()  # the statement was still printing
    finally:
        release.set()
        rendering.before_print.remove(slow_print)
    opening.join(timeout=60)

    assert answers[0].status_code == 200 and answers[0].content.startswith(b"%PDF-")
    with UnitOfWork(other.id, write=False) as uow:
        assert uow.session.scalar(select(func.count(Product.id))
                                  .where(Product.name == "Écrit pendant l'impression")) == 1
