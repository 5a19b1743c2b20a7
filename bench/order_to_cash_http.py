"""Benchmark: 30 simulated candidates run quote → order → delivery → invoice →
payment over HTTP at the same time, against a real uvicorn server on SQLite.

    .venv/bin/python bench/order_to_cash_http.py [--candidates 30] [--rounds 3] [--workers 1] [--think 1.0]

Each candidate has a workspace of its own (the small company, to keep set-up
short; the pages read the same tables). Every request's server time is read
from the ``Server-Timing`` header the app sets (time inside the app, not the
network or the client). Prints p50 / p95 / max per kind of request and
overall. Target: p95 under 50 ms.

A candidate reads a page before clicking: ``--think`` is the mean pause between
two requests of one candidate (uniform between half and one and a half times
it). ``--think 0`` fires requests back to back: a stress test of throughput, not
a picture of an exam room.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from serving import percentile, start_server  # noqa: E402
TARGET_P95_MS = 50.0


def _prepare(candidates: int) -> list[tuple[str, int, str]]:
    """Accounts, workspaces, one customer and one product each: (username, customer id, product ref)."""
    from sqlalchemy import select

    from seed.company import SMALL
    from sim.accounts.service import create_user
    from sim.crm.models import Customer
    from sim.db import UnitOfWork
    from sim.stock.models import Product
    from sim.workspace.service import create_workspace

    prepared = []
    for n in range(candidates):
        with UnitOfWork() as uow:
            user = create_user(uow, username=f"bench{n}", password="bench", role="candidate")
            uow.commit()
        with UnitOfWork() as uow:
            ws = create_workspace(uow, name=f"bench {n}", owner_id=user.id, seed=n + 1, size=SMALL)
            uow.commit()
        with UnitOfWork(ws.id) as uow:
            customer = uow.session.scalars(select(Customer).where(Customer.in_litigation.is_(False),
                                                                  Customer.country == "FR")
                                           .order_by(Customer.credit_limit.desc())).first()
            customer.credit_limit = customer.credit_limit + 10_000_000  # the bench measures, it does not block
            product = uow.session.scalars(select(Product).order_by(Product.id)).first()
            product.stock_on_hand += 100_000
            uow.commit()
            prepared.append((user.username, customer.id, product.reference))
    return prepared


class Candidate:
    TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
    FORM = re.compile(r'name="form_token" value="([^"]+)"')

    def __init__(self, base: str, username: str, customer_id: int, product: str, timings, think: float = 0.0):
        import httpx
        import random

        self.think, self.random = think, random.Random(username)

        self.http = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
        self.username, self.customer_id, self.product, self.timings = username, customer_id, product, timings

    def call(self, kind: str, method: str, url: str, data=None):
        if self.think:
            time.sleep(self.random.uniform(0.5, 1.5) * self.think)
        response = self.http.request(method, url, data=data)
        duration = float(response.headers["server-timing"].split("dur=")[1])
        self.timings[kind].append(duration)
        if response.status_code >= 400:
            raise RuntimeError(f"{kind} {url}: {response.status_code}\n{response.text[:500]}")
        return response

    def login(self):
        page = self.call("GET /login", "GET", "/login")
        self.csrf = self.TOKEN.search(page.text).group(1)
        self.call("POST /login", "POST", "/login", {"username": self.username, "password": "bench",
                                                    "csrf_token": self.csrf})
        self.csrf = self.TOKEN.search(self.call("GET /customers", "GET", "/customers").text).group(1)

    def post(self, kind, url, data):
        return self.call(kind, "POST", url, {"csrf_token": self.csrf, **data})

    def flow(self):
        c = self.customer_id
        self.call("GET /customers/{id}", "GET", f"/customers/{c}")
        editor = self.call("GET /quotes/new", "GET", f"/quotes/new?customer={c}")
        self.post("POST /quotes/preview", "/quotes/preview", {"customer": str(c), "product-0": self.product,
                                                               "qty-0": "4"})
        quote = self.post("POST /quotes", "/quotes", {"customer": str(c), "product-0": self.product, "qty-0": "4",
                                                     "form_token": self.FORM.search(editor.text).group(1)})
        quote_url = quote.headers["location"]
        self.call("GET /quotes/{id}", "GET", quote_url)
        self.post("POST /quotes/{id}/send", quote_url + "/send", {})
        self.post("POST /quotes/{id}/accept", quote_url + "/accept", {})
        order_url = self.post("POST /quotes/{id}/order", quote_url + "/order", {}).headers["location"]
        self.post("POST /orders/{id}/confirm", order_url + "/confirm", {})
        order = self.call("GET /orders/{id}", "GET", order_url)
        line = re.search(r'name="(ship-\d+)"', order.text).group(1)
        carrier = re.search(r'<option value="(\d+)"', order.text.split('name="carrier"')[1]).group(1)
        delivery_url = self.post("POST /orders/{id}/deliveries", order_url + "/deliveries",
                                 {line: "4", "carrier": carrier,
                                  "form_token": self.FORM.search(order.text).group(1)}).headers["location"]
        delivery = self.call("GET /deliveries/{id}", "GET", delivery_url)
        invoice_url = self.post("POST /deliveries/{id}/invoice", delivery_url + "/invoice",
                                {"form_token": self.FORM.search(delivery.text).group(1)}).headers["location"]
        self.call("GET /invoices/{id}", "GET", invoice_url)
        form = self.call("GET /customers/{id}/payments/new", "GET", f"/customers/{c}/payments/new")
        # pay exactly this invoice
        invoice_id = invoice_url.rsplit("/", 1)[1]
        due = re.search(r"Reste dû.*?<strong[^>]*>([^<]+)</strong>",
                        self.call("GET /invoices/{id}", "GET", invoice_url).text, re.S).group(1)
        amount = due.replace("\u202f", "").replace("\xa0", "").replace("€", "").strip()
        self.post("POST /customers/{id}/payments", f"/customers/{c}/payments",
                  {"method": "transfer", "amount": amount, f"alloc-{invoice_id}": amount,
                   "form_token": self.FORM.search(form.text).group(1)})
        self.call("GET /customers", "GET", "/customers?sort=outstanding&dir=desc")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between two clicks")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="advsim-bench-"))
    os.environ.update(ADVSIM_DATA_DIR=str(tmp), ADVSIM_DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
                      ADVSIM_SECRET_KEY="bench", ADVSIM_CHEAP_HASHING="1")
    sys.path.insert(0, str(ROOT))
    from sim.migrations import upgrade

    upgrade(os.environ["ADVSIM_DATABASE_URL"])
    started = time.perf_counter()
    prepared = _prepare(args.candidates)
    print(f"set-up: {args.candidates} workspaces in {time.perf_counter() - started:.1f} s")

    server, base = start_server(workers=args.workers)

    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(prepared))

    def run(spec):
        try:
            candidate = Candidate(base, *spec, timings, think=args.think)
            candidate.login()
            barrier.wait()
            for _ in range(args.rounds):
                candidate.flow()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(spec,)) for spec in prepared]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    server.terminate()
    server.wait()
    if errors:
        print("errors:", *errors[:3], sep="\n")
        return 1

    every = [d for values in timings.values() for d in values]
    print(f"\n{len(every)} requests by {len(prepared)} concurrent candidates in {wall:.1f} s "
          f"({len(every) / wall:.0f} req/s), uvicorn workers: {args.workers}, think time {args.think} s, SQLite")
    print(f"{'request':38} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind in sorted(timings):
        values = timings[kind]
        print(f"{kind:38} {len(values):5d} {statistics.median(values):8.1f} {percentile(values, 95):8.1f} "
              f"{max(values):8.1f}")
    p95 = percentile(every, 95)
    print(f"{'ALL':38} {len(every):5d} {statistics.median(every):8.1f} {p95:8.1f} {max(every):8.1f}")
    print(f"\np95 {p95:.1f} ms — target {TARGET_P95_MS:.0f} ms: {'met' if p95 <= TARGET_P95_MS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
