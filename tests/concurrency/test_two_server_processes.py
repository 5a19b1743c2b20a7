"""Two app processes on one database (the shared school install): twenty
simultaneous clicks on one action, spread over both processes, do it once."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal as D

import httpx
import pytest
from sqlalchemy import func, select

from sim.billing.models import Invoice
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry
from sim.receivables.models import Payment
from sim.stock.models import Product
from tests.concurrency.test_an_action_happens_once import a_draft_order, an_invoice

N = 20
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def two_servers():
    processes, urls = [], []
    for _ in range(2):
        port = _free_port()
        log = tempfile.TemporaryFile()
        process = subprocess.Popen([sys.executable, "-m", "uvicorn", "sim.web.app:app", "--host", "127.0.0.1",
                                    "--port", str(port), "--log-level", "warning"],
                                   env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)
        processes.append((process, log))
        urls.append(f"http://127.0.0.1:{port}")
    for url, (process, log) in zip(urls, processes):
        for _ in range(150):
            try:
                httpx.get(url + "/login", timeout=1)
                break
            except httpx.HTTPError:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(log.read().decode())
                time.sleep(0.1)
    yield urls
    for process, log in processes:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def logged_in(urls, user) -> tuple[httpx.Cookies, str]:
    with httpx.Client(base_url=urls[0], follow_redirects=False) as client:
        token = CSRF.search(client.get("/login").text)[1]
        response = client.post("/login", data={"username": user.username, "password": "secret",
                                               "csrf_token": token})
        assert response.status_code == 303, response.text
        return client.cookies, CSRF.search(client.get("/login").text)[1]


def clicks(urls, cookies, path: str, form) -> list[int]:
    """N posts at once, alternating between the two processes."""
    gate = threading.Barrier(N)
    statuses: list[int] = []

    def one(n: int) -> None:
        with httpx.Client(base_url=urls[n % 2], cookies=cookies, follow_redirects=False, timeout=60) as client:
            gate.wait()
            statuses.append(client.post(path, data=form(n)).status_code)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(statuses)


def test_twenty_clicks_on_two_processes_confirm_once_and_pay_once(two_servers, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    cookies, csrf = logged_in(two_servers, user)

    order, product = a_draft_order(ws)
    statuses = clicks(two_servers, cookies, f"/orders/{order.id}/confirm", lambda n: {"csrf_token": csrf})
    assert statuses == [303] + [409] * (N - 1)

    invoice = an_invoice(ws)
    amount = str(invoice.amount_due).replace(".", ",")
    statuses = clicks(two_servers, cookies, f"/customers/{invoice.customer_id}/payments", lambda n: {
        "csrf_token": csrf, "method": "transfer", "amount": amount, f"alloc-{invoice.id}": amount,
        "reference": "VIR", "form_token": f"tab-{n}"})
    assert statuses[0] == 303 and statuses.count(303) == 1 and all(400 <= s < 500 for s in statuses[1:])

    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.get(Product, product.id).stock_reserved == D("3.000")
        assert uow.session.get(Invoice, invoice.id).amount_due == D("0.00")
        assert uow.session.scalar(select(func.count(Payment.id))
                                  .where(Payment.customer_id == invoice.customer_id)) == 1
        kinds = dict(uow.session.execute(select(JournalEntry.kind, func.count()).where(
            JournalEntry.kind.in_(["order.confirmed", "payment.recorded"])).group_by(JournalEntry.kind)).all())
    assert kinds == {"order.confirmed": 2, "payment.recorded": 1}  # the invoice's own order was confirmed too
