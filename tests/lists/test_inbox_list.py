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


def _reference(uow, box: str, unread_only: bool = False) -> list[int]:
    """The threads of a box grouped one message at a time, most recent activity first (the rule, naively)."""
    from sqlalchemy import select

    from sim.crm.models import Interaction

    groups: dict[int, list] = {}
    for m in uow.session.scalars(select(Interaction).where(Interaction.channel == "email")):
        groups.setdefault(m.thread_id or m.id, []).append(m)
    kept = []
    for key, group in groups.items():
        directions = {m.direction for m in group}
        if box == "inbox" and "in" not in directions or box == "sent" and "out" not in directions:
            continue
        if unread_only and not any(m.direction == "in" and not m.read for m in group):
            continue
        last = max(group, key=lambda m: (m.sim_time, m.id))
        kept.append(((last.sim_time, last.id), key))
    return [key for _, key in sorted(kept, reverse=True)]


def test_the_pages_of_each_box_follow_the_last_activity_of_every_thread(workspace, monkeypatch):
    """The list is paged without grouping the mailbox: each page is what grouping
    every message by thread and sorting by the last one would show, in each box."""
    import random
    from datetime import datetime, timedelta

    from sqlalchemy import select

    from sim.crm.models import Interaction

    rng = random.Random(15)
    start = datetime(2026, 9, 1, 9, 0)
    with UnitOfWork(workspace.id) as uow:
        for n in range(140):
            root = inbox.deliver(uow, actor="scenario:test", role=rng.choice(["customer", "supplier", "management"]),
                                 name=f"Correspondant {n}", email=f"c{n}@exemple.fr", subject=f"Sujet {n}",
                                 body="Bonjour.")
            thread = [root]
            for _ in range(rng.choice([0, 0, 1, 2, 3])):
                thread.append(inbox.deliver(uow, actor="scenario:test", role="customer", name="", email="x@exemple.fr",
                                            subject=f"RE: Sujet {n}", body="Suite.", thread_id=root.id))
            for message in thread:  # times out of id order, some equal, some messages read
                message.sim_time = start + timedelta(minutes=rng.choice([0, 30, 60]) * rng.randint(0, 400))
                message.read = rng.random() < 0.7
            if rng.random() < 0.4:  # the candidate's own messages: a thread of the "sent" box
                for message in thread[1:] or thread:
                    message.direction = "out"
        uow.commit()
    from sim.inbox import lists

    with UnitOfWork(workspace.id, write=False) as uow:
        for box, unread_only, small, walk in (
                ("inbox", False, 0, (4, 100)), ("inbox", False, 0, (1, 0)), ("inbox", False, 10_000, (4, 100)),
                ("sent", False, 0, (4, 100)), ("sent", False, 0, (1, 0)), ("sent", True, 10_000, (4, 100)),
                ("all", False, 0, (4, 100)), ("all", False, 0, (1, 0)), ("inbox", True, 10_000, (4, 100)),
                ("inbox", True, 0, (4, 100)), ("inbox", True, 0, (1, 0))):
            monkeypatch.setattr(lists, "SMALL_BOX", small)  # walked to, or read by key: the same pages
            monkeypatch.setattr(lists, "WALK", walk)  # a walk too short at first is walked further
            expected = _reference(uow, box, unread_only)
            for per_page, page in ((25, 1), (25, 3), (50, 2), (25, 99)):
                got = thread_page(uow, inbox_params({"per_page": str(per_page), "page": str(page)}), box=box,
                                  unread_only=unread_only)
                last_page = max(1, -(-len(expected) // per_page))
                shown = min(page, last_page)
                assert got.total == len(expected) and got.page == shown, (box, unread_only, page)
                assert [t.id for t in got.rows] == expected[(shown - 1) * per_page:shown * per_page], (box, page)
            oldest = thread_page(uow, inbox_params({"dir": "asc", "sort": "date", "per_page": "25"}), box=box,
                                 unread_only=unread_only)
            assert [t.id for t in oldest.rows] == expected[::-1][:25]
        # read by chunks (keyset), the walk is the same whatever their size
        assert list(inbox.threads_by_activity(uow, chunk=3)) == list(inbox.threads_by_activity(uow, chunk=100_000))
        # from/to apply to the date of the thread's last message
        everything = _reference(uow, "all")
        last = {}
        for m in uow.session.scalars(select(Interaction).where(Interaction.channel == "email")):
            key = m.thread_id or m.id
            last[key] = max(last.get(key, m.sim_time), m.sim_time)
        september = [k for k in everything if datetime(2026, 9, 3) <= last[k] < datetime(2026, 9, 6)]
        got = thread_page(uow, inbox_params({"from": "2026-09-03", "to": "2026-09-05", "per_page": "200"}), box="all")
        assert got.total == len(september) > 0 and [t.id for t in got.rows] == september


def test_a_search_finds_a_thread_by_a_word_of_any_of_its_messages(workspace, monkeypatch):
    with UnitOfWork(workspace.id) as uow:
        root = inbox.deliver(uow, actor="scenario:test", role="customer", name="M. Quentin Arbogast",
                             email="q.arbogast@exemple.fr", subject="Livraison incomplète", body="Il manque un colis.")
        inbox.deliver(uow, actor="scenario:test", role="customer", name="", email="", subject="RE: Livraison",
                      body="Toujours rien reçu au quai 7.", thread_id=root.id)
        uow.commit()
    from sim.inbox import lists

    with UnitOfWork(workspace.id, write=False) as uow:
        for q, many in (("arbogast incomplète", 1500), ("quai colis", 1500), ("Q.ARBOGAST@EXEMPLE.FR", 0)):
            monkeypatch.setattr(lists, "MANY", many)  # the threads found read by key, or every key walked
            found = thread_page(uow, inbox_params({"q": q}))
            assert [t.id for t in found.rows] == [root.id] and found.total == 1, q
        assert thread_page(uow, inbox_params({"q": "arbogast introuvable"})).total == 0
