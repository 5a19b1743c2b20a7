"""Benchmark: a live exam session of 30 candidates on a real server while
the scheduler fires the scenario's events.

    .venv/bin/python bench/exam_session_load.py [--candidates 30] [--duration 120] [--think 2]
    .venv/bin/python bench/exam_session_load.py --server postgresql+psycopg://postgres@127.0.0.1:5432/postgres --workers 2

A session of the sample scenario (``--scenario``, late-delivery by default) is
created and started for ``--candidates`` accounts on a fresh database (a SQLite
file, or a new database on the PostgreSQL server given with ``--server``,
dropped afterwards), at the speed ``--speed``. uvicorn serves it with its
scheduler on (each of ``--workers`` processes has its alarm). The benchmark
plays the trainer too: every ``--jump-every`` seconds it moves the session's
clock to the next event (``jump_to_next_event``, in the benchmark's process),
which the server's scheduler then fires for the 30 candidates.

Each simulated candidate (a thread with its own HTTP client) logs in, then
does one action every ``--think`` seconds on average (uniform between half and
one and a half times it): the customer list, a customer's page, the quote and
order lists, the inbox, a thread, a reply, and their own order to cash in
steps (quote editor, quote, send, accept, order, confirm). Like the browser,
each candidate also polls ``/live`` every 5 s. Every request's **server time**
is read from the ``Server-Timing`` header the app sets. Prints p50 / p95 / max
per request kind and overall, and how many events fired during the run; the
exit status is 1 when p95 misses the target or a request failed (5xx).
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 100.0
sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import percentile, start_server  # noqa: E402
POLL_SECONDS = 5.0


def _prepare(engine, candidates: int, scenario: str, speed: int) -> tuple[int, list[tuple[str, int, str]]]:
    """The trainer, the candidates, the session started: (session id, [(username, customer id, product ref)])."""
    from sqlalchemy import select

    from sim.accounts.service import create_user
    from sim.crm.models import Customer
    from sim.db import UnitOfWork
    from sim.exam import service as exam
    from sim.stock.models import Product

    with UnitOfWork(engine=engine) as uow:
        trainer = create_user(uow, username="trainer", password="bench", role="trainer")
        users = [create_user(uow, username=f"cand{n:02d}", password="bench", role="candidate")
                 for n in range(candidates)]
        uow.commit()
        ids = [u.id for u in users]
    session_id = exam.create_session(engine, actor=trainer, title="Charge", scenario_name=scenario,
                                     candidate_ids=ids, speed=speed)
    exam.start_session(engine, session_id, actor="trainer:trainer")
    prepared = []
    for workspace in exam.workspaces_of(engine, session_id):
        with UnitOfWork(workspace.id, engine=engine) as uow:
            customer = uow.session.scalars(select(Customer).where(Customer.in_litigation.is_(False),
                                                                  Customer.country == "FR")
                                           .order_by(Customer.credit_limit.desc(), Customer.id)).first()
            product = uow.session.scalars(select(Product).order_by(
                Product.stock_on_hand.desc(), Product.id)).first()
            owner = next(u for u in users if u.id == workspace.owner_id)
            prepared.append((owner.username, customer.id, product.reference))
    return session_id, prepared


class Candidate:
    TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
    FORM = re.compile(r'name="form_token" value="([^"]+)"')
    THREAD = re.compile(r'href="/inbox/(\d+)"')

    def __init__(self, base, username, customer_id, product, timings, statuses, think, stop):
        import httpx

        self.http = httpx.Client(base_url=base, follow_redirects=False, timeout=60)
        self.username, self.customer_id, self.product = username, customer_id, product
        self.timings, self.statuses, self.think, self.stop = timings, statuses, think, stop
        self.random = random.Random(username)
        self.threads: list[str] = []
        self.flow_step, self.quote_url, self.order_url, self.editor = 0, "", "", ""
        self.next_poll = 0.0

    def call(self, kind: str, method: str, url: str, data=None):
        response = self.http.request(method, url, data=data)
        self.timings[kind].append(float(response.headers["server-timing"].split("dur=")[1]))
        self.statuses[response.status_code // 100 * 100] += 1
        if response.status_code >= 500:
            raise RuntimeError(f"{kind} {url}: {response.status_code}\n{response.text[:500]}")
        return response

    def post(self, kind, url, data):
        return self.call(kind, "POST", url, {"csrf_token": self.csrf, **data})

    def login(self):
        page = self.call("GET /login", "GET", "/login")
        self.csrf = self.TOKEN.search(page.text).group(1)
        self.call("POST /login", "POST", "/login", {"username": self.username, "password": "bench",
                                                    "csrf_token": self.csrf})
        self.csrf = self.TOKEN.search(self.call("GET /inbox", "GET", "/inbox").text).group(1)

    def run(self):
        self.next_poll = time.monotonic() + self.random.uniform(0, POLL_SECONDS)
        while not self.stop.is_set():
            pause = self.random.uniform(0.5, 1.5) * self.think
            until = time.monotonic() + pause
            while (now := time.monotonic()) < until:  # the page's /live polling while the candidate reads
                if now >= self.next_poll:
                    self.call("GET /live", "GET", "/live?seen=0")
                    self.next_poll += POLL_SECONDS
                time.sleep(max(0.0, min(until, self.next_poll) - time.monotonic()))
            if self.stop.is_set():
                break
            self.action()

    def action(self):
        c = self.customer_id
        roll = self.random.random()
        if roll < 0.30:
            self.flow()
        elif roll < 0.42:
            self.call("GET /customers", "GET", "/customers?sort=outstanding&dir=desc")
        elif roll < 0.54:
            self.call("GET /customers/{id}", "GET", f"/customers/{c}")
        elif roll < 0.60:
            self.call("GET /quotes", "GET", "/quotes")
        elif roll < 0.66:
            self.call("GET /orders", "GET", "/orders")
        elif roll < 0.80:
            page = self.call("GET /inbox", "GET", "/inbox")
            self.threads = self.THREAD.findall(page.text)[:5]
        elif roll < 0.93 or not self.threads:
            if self.threads:
                self.call("GET /inbox/{id}", "GET", f"/inbox/{self.random.choice(self.threads)}")
            else:
                self.call("GET /inbox", "GET", "/inbox")
        else:
            thread = self.random.choice(self.threads)
            page = self.call("GET /inbox/{id}", "GET", f"/inbox/{thread}")
            token = self.FORM.search(page.text)
            if token:
                self.post("POST /inbox/{id}/reply", f"/inbox/{thread}/reply",
                          {"subject": "Re: votre message", "language": "fr", "form_token": token.group(1),
                           "body": "Bonjour,\n\nNous revenons vers vous rapidement.\n\nCordialement"})

    def flow(self):
        """The candidate's own order to cash, one step per action."""
        c, step = self.customer_id, self.flow_step
        if step == 0:
            self.editor = self.call("GET /quotes/new", "GET", f"/quotes/new?customer={c}").text
        elif step == 1:
            quote = self.post("POST /quotes", "/quotes", {"customer": str(c), "product-0": self.product,
                                                         "qty-0": "2",
                                                         "form_token": self.FORM.search(self.editor).group(1)})
            self.quote_url = quote.headers["location"]
        elif step == 2:
            self.post("POST /quotes/{id}/send", self.quote_url + "/send", {})
        elif step == 3:
            self.post("POST /quotes/{id}/accept", self.quote_url + "/accept", {})
        elif step == 4:
            self.order_url = self.post("POST /quotes/{id}/order", self.quote_url + "/order", {}).headers["location"]
        elif step == 5:
            self.post("POST /orders/{id}/confirm", self.order_url + "/confirm", {})
        else:
            self.call("GET /orders/{id}", "GET", self.order_url)
        self.flow_step = (step + 1) % 7


def _fired(engine, session_id: int) -> int:
    from sqlalchemy import func, select

    from sim.db import UnitOfWork
    from sim.exam.service import workspaces_of
    from sim.scenario.models import EventStatus, ScenarioEvent

    ids = [w.id for w in workspaces_of(engine, session_id)]
    with UnitOfWork(write=False, engine=engine) as uow:
        return uow.session.scalar(select(func.count()).select_from(ScenarioEvent).where(
            ScenarioEvent.workspace_id.in_(ids), ScenarioEvent.status == EventStatus.FIRED)
            .execution_options(all_workspaces=True))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=30)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between two actions")
    parser.add_argument("--scenario", default="late-delivery", help="a sample scenario of scenarios/")
    parser.add_argument("--speed", type=int, default=60)
    parser.add_argument("--jump-every", type=float, default=20, help="seconds between two jumps (0: none)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--server", help="a PostgreSQL URL to create the benchmark database on")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="advsim-bench-"))
    os.environ.update(ADVSIM_DATA_DIR=str(tmp), ADVSIM_SECRET_KEY="bench", ADVSIM_CHEAP_HASHING="1",
                      ADVSIM_DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from seed_company import _fresh_database

    url, drop = _fresh_database(tmp, 0, args.server)
    os.environ["ADVSIM_DATABASE_URL"] = url
    server = None
    try:
        import sim.models  # noqa: F401  (every table)
        from sim.db import dispose_engines, get_engine
        from sim.exam import service as exam
        from sim.migrations import upgrade

        upgrade(url)
        engine = get_engine(url)
        started = time.perf_counter()
        session_id, prepared = _prepare(engine, args.candidates, args.scenario, args.speed)
        print(f"set-up: session of {len(prepared)} candidates started in {time.perf_counter() - started:.1f} s")

        server, base = start_server(workers=args.workers, env={"ADVSIM_SCHEDULER": "on"})

        timings: dict[str, list[float]] = defaultdict(list)
        statuses: Counter = Counter()
        errors: list[BaseException] = []
        stop = threading.Event()
        barrier = threading.Barrier(len(prepared) + 1)

        def run(spec):
            try:
                candidate = Candidate(base, *spec, timings, statuses, args.think, stop)
                candidate.login()
                barrier.wait()
                candidate.run()
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                stop.set()

        threads = [threading.Thread(target=run, args=(spec,)) for spec in prepared]
        for t in threads:
            t.start()
        barrier.wait()
        timings.clear()  # the logins are not the exam
        statuses.clear()
        fired_before = _fired(engine, session_id)
        started = time.perf_counter()
        jumps = 0
        while (elapsed := time.perf_counter() - started) < args.duration and not stop.is_set():
            time.sleep(min(1.0, args.duration - elapsed))
            if args.jump_every and time.perf_counter() - started >= (jumps + 1) * args.jump_every:
                if exam.jump_to_next_event(engine, session_id, actor="trainer:trainer") is not None:
                    jumps += 1
                else:
                    jumps += 1  # nothing left on the clock: keep the rhythm
        stop.set()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        time.sleep(2.5)  # the last jump's events fire at the next heartbeat
        fired = _fired(engine, session_id) - fired_before
        if errors:
            print("errors:", *errors[:3], sep="\n")
            return 1
        database = "PostgreSQL" if args.server else "SQLite"
        every = [d for values in timings.values() for d in values]
        print(f"\n{len(every)} requests by {len(prepared)} candidates in {wall:.1f} s ({len(every) / wall:.1f} req/s), "
              f"{database}, uvicorn workers: {args.workers}, think {args.think} s, scenario {args.scenario} "
              f"at × {args.speed}, {jumps} jumps, {fired} event instances fired during the run")
        print("statuses:", dict(sorted(statuses.items())))
        print(f"{'request':30} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for kind in sorted(timings):
            values = timings[kind]
            print(f"{kind:30} {len(values):5d} {statistics.median(values):8.1f} {percentile(values, 95):8.1f} "
                  f"{max(values):8.1f}")
        p95 = percentile(every, 95)
        print(f"{'ALL':30} {len(every):5d} {statistics.median(every):8.1f} {p95:8.1f} {max(every):8.1f}")
        print(f"load average at the end: {os.getloadavg()[0]:.1f} (the load generator runs on the same machine)")
        print(f"\np95 {p95:.1f} ms — target {TARGET_P95_MS:.0f} ms: {'met' if p95 <= TARGET_P95_MS else 'NOT met'}")
        return 0 if p95 <= TARGET_P95_MS else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        try:
            dispose_engines()
        except NameError:
            pass
        drop()


if __name__ == "__main__":
    sys.exit(main())
