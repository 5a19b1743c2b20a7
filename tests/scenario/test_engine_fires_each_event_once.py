"""The scenario engine's firing rules: each event fires once, at its time, in
file order among equals, and either completely or not at all.

DESIGN.md ("How data flows"): the database, not the scheduler, is the source
of truth for the timeline; each event instance is a row, ``pending`` then
``fired``, claimed atomically when it fires, so that a restart fires nothing
twice and several app processes sharing one database stay correct
(sim/scenario/engine.py ``fire``: a conditional UPDATE).
"""
from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import delete, func, select

from sim.clock import set_clock
from sim.crm.models import Customer, Interaction
from sim.db import UnitOfWork, get_engine
from sim.journal.models import JournalEntry
from sim.sales.models import SalesOrder
from sim.sales.service import LineInput, confirm_order, create_order
from sim.scenario.engine import EventContext, fire, fire_due, install
from sim.scenario.models import EventStatus, ScenarioEntity, ScenarioEvent

CANDIDATE = "candidate:test"
START = datetime(2026, 11, 2, 8, 30)


def company() -> dict:
    return {"seed": 5, "size": "small",
            "customers": {"durand": {"name": "Durand Emballages", "credit_limit": 50000,
                                     "contact": {"first_name": "Claire", "last_name": "Durand",
                                                 "email": "c.durand@durand-emballages.fr"}},
                          "galway": {"name": "Galway Crafts Ltd", "country": "IE", "credit_limit": 50000}},
            "products": {"film": {"name": "Film étirable 23 µm", "reference": "FIL-9001", "price": "48.90",
                                  "stock": 100}}}


def note(key: str, trigger: dict) -> dict:
    """The simplest event: management writes a line (journal + inbox)."""
    return {"id": key, "kind": "email", **trigger, "from": {"role": "management"},
            "message": {"subject": f"Note {key}", "body": "Pour information."}}


def installed(make_workspace, *timeline: dict, **sections) -> int:
    scn = {"id": "engine", "title": "Règles de déclenchement", "start": START.isoformat(),
           "company": {**company(), **sections}, "timeline": list(timeline)}
    ws = make_workspace().id
    with UnitOfWork(ws) as uow:
        install(uow, scn)
        uow.commit()
    return ws


def clock(ws: int, moment: datetime) -> None:
    with UnitOfWork(ws) as uow:
        set_clock(uow, sim_time=moment, speed=0)
        uow.commit()


def play_until(ws: int, moment: datetime) -> list[str]:
    clock(ws, moment)
    return fire_due(get_engine(), ws)


def event(ws: int, key: str) -> ScenarioEvent:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(ScenarioEvent).where(ScenarioEvent.key == key)).one()


def fired_keys(ws: int) -> list[str]:
    """The events as the journal saw them fire, in journal order."""
    with UnitOfWork(ws, write=False) as uow:
        return [e.refs["event"] for e in uow.session.scalars(
            select(JournalEntry).where(JournalEntry.kind == "scenario.event_fired").order_by(JournalEntry.seq))]


def messages_of(ws: int, key: str) -> list[Interaction]:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(Interaction).where(Interaction.event_key == key)).all()


def confirmed_order(ws: int, customer: str) -> SalesOrder:
    """The candidate enters and confirms an order for a scenario customer."""
    with UnitOfWork(ws, write=False) as uow:
        ctx = EventContext(uow)
        customer_id, product_id = ctx.entity("customer", customer).id, ctx.entity("product", "film").id
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=CANDIDATE, customer_id=customer_id, lines=[LineInput(product_id, "2")])
        uow.commit()
    with UnitOfWork(ws) as uow:
        result = confirm_order(uow, actor=CANDIDATE, order_id=order.id)
        uow.commit()
        return result


# ===== at: once, and not before ==========================================

def test_an_at_event_does_not_fire_before_its_time(make_workspace):
    ws = installed(make_workspace, note("memo", {"at": "2026-11-02T10:00"}))

    assert play_until(ws, datetime(2026, 11, 2, 9, 59, 59)) == []
    assert event(ws, "memo").status == EventStatus.PENDING and messages_of(ws, "memo") == []

    assert play_until(ws, datetime(2026, 11, 2, 10, 0)) == ["memo"]
    memo = event(ws, "memo")
    assert (memo.status, memo.fired_at) == (EventStatus.FIRED, datetime(2026, 11, 2, 10, 0))


def test_an_at_event_fires_once_however_often_fire_due_is_called(make_workspace):
    ws = installed(make_workspace, note("memo", {"at": "2026-11-02T10:00"}))

    assert play_until(ws, datetime(2026, 11, 2, 10, 5)) == ["memo"]
    assert fire_due(get_engine(), ws) == []
    assert play_until(ws, datetime(2026, 11, 3, 10, 0)) == []  # later on, still nothing

    assert fired_keys(ws) == ["memo"]
    assert len(messages_of(ws, "memo")) == 1


def test_fire_claims_the_event_so_a_second_fire_of_the_same_row_does_nothing(make_workspace):
    """Another process that picked the same pending row loses the conditional UPDATE."""
    ws = installed(make_workspace, note("memo", {"at": "2026-11-02T10:00"}))
    clock(ws, datetime(2026, 11, 2, 10, 0))
    memo_id = event(ws, "memo").id

    assert fire(get_engine(), ws, memo_id) is True
    assert fire(get_engine(), ws, memo_id) is False

    assert fired_keys(ws) == ["memo"] and len(messages_of(ws, "memo")) == 1


def _at_once(work, n: int = 2) -> list:
    """Run ``work()`` in ``n`` threads released together; their results, or raise."""
    start = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []

    def run(slot: int) -> None:
        try:
            start.wait(timeout=10)
            results[slot] = work()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(slot,)) for slot in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    return results


def test_two_processes_claiming_the_same_pending_row_at_once_fire_it_once(make_workspace):
    """Both saw the row pending and race for it: only one UPDATE finds it still pending."""
    ws = installed(make_workspace, note("memo", {"at": "2026-11-02T10:00"}))
    clock(ws, datetime(2026, 11, 2, 10, 0))
    memo_id = event(ws, "memo").id

    claimed = _at_once(lambda: fire(get_engine(), ws, memo_id))

    assert sorted(claimed) == [False, True]
    assert fired_keys(ws) == ["memo"] and len(messages_of(ws, "memo")) == 1


def test_two_threads_firing_at_the_same_moment_fire_each_event_exactly_once(make_workspace):
    """Two app processes (here two threads, each with its own connections) wake
    at once: each event is claimed by one of them only, and in order."""
    ws = installed(make_workspace, note("first", {"at": "2026-11-02T10:00"}),
                   note("second", {"at": "2026-11-02T10:00"}), note("third", {"at": "2026-11-02T10:30"}))
    clock(ws, datetime(2026, 11, 2, 11, 0))

    results = _at_once(lambda: fire_due(get_engine(), ws))

    assert sorted(results[0] + results[1]) == ["first", "second", "third"]  # no key twice
    assert fired_keys(ws) == ["first", "second", "third"]
    assert [len(messages_of(ws, k)) for k in ("first", "second", "third")] == [1, 1, 1]


# ===== order =============================================================

def test_events_due_at_the_same_time_fire_in_file_order_after_earlier_ones(make_workspace):
    """Ties on the due time are broken by the position in the file; an event due
    earlier fires first wherever it is written."""
    ws = installed(make_workspace, note("b_written_first", {"at": "2026-11-02T10:00"}),
                   note("a_written_second", {"at": "2026-11-02T10:00"}),
                   note("early_written_last", {"at": "2026-11-02T09:00"}))

    fired = play_until(ws, datetime(2026, 11, 2, 12, 0))  # one jump past all three

    assert fired == ["early_written_last", "b_written_first", "a_written_second"]
    assert fired_keys(ws) == fired
    # their messages arrive in that order too
    ids = [messages_of(ws, k)[0].id for k in fired]
    assert ids == sorted(ids)


# ===== after: predecessor's fired time + delay ============================

def test_an_after_event_is_due_at_its_predecessors_fired_time_plus_the_delay(make_workspace):
    ws = installed(make_workspace, note("supplier_writes", {"at": "2026-11-02T10:00"}),
                   note("customer_asks", {"after": {"event": "supplier_writes", "delay": "1d 2h"}}),
                   note("right_after", {"after": {"event": "supplier_writes"}}))
    # no time of its own until its predecessor has fired
    assert event(ws, "customer_asks").due_at is None
    assert play_until(ws, datetime(2026, 11, 2, 9, 59)) == []

    # the predecessor fires late, at 10:20 (the clock was paused): the delay counts from then,
    # and an after without delay fires at once, in the same call, right behind it
    assert play_until(ws, datetime(2026, 11, 2, 10, 20)) == ["supplier_writes", "right_after"]
    assert event(ws, "supplier_writes").fired_at == datetime(2026, 11, 2, 10, 20)
    assert event(ws, "customer_asks").due_at == datetime(2026, 11, 3, 12, 20)

    assert play_until(ws, datetime(2026, 11, 3, 12, 19, 59)) == []
    assert play_until(ws, datetime(2026, 11, 3, 12, 20)) == ["customer_asks"]
    assert fired_keys(ws) == ["supplier_writes", "right_after", "customer_asks"]


# ===== when: a journal entry + delay ======================================

def test_a_when_event_fires_after_the_matching_journal_entry_plus_its_delay(make_workspace):
    """``when: {journal: order.confirmed, customer: durand, delay: 1h}``: armed by
    the candidate's confirmation of one of Durand's orders, not by another customer's."""
    ws = installed(make_workspace, note("durand_thanks", {"when": {"journal": "order.confirmed",
                                                                   "customer": "durand", "delay": "1h"}}))

    # nothing matches yet: it waits, however late it gets
    assert play_until(ws, datetime(2026, 11, 2, 9, 30)) == []
    confirmed_order(ws, "galway")  # the wrong customer
    assert play_until(ws, datetime(2026, 11, 2, 9, 45)) == []
    assert event(ws, "durand_thanks").due_at is None

    clock(ws, datetime(2026, 11, 2, 10, 0))
    order = confirmed_order(ws, "durand")
    assert play_until(ws, datetime(2026, 11, 2, 10, 59, 59)) == []
    assert event(ws, "durand_thanks").due_at == datetime(2026, 11, 2, 11, 0)  # entry at 10:00 + 1h

    assert play_until(ws, datetime(2026, 11, 2, 11, 0)) == ["durand_thanks"]
    with UnitOfWork(ws, write=False) as uow:
        entries = uow.session.scalars(select(JournalEntry).order_by(JournalEntry.seq)).all()
    confirmed = next(e for e in entries if e.kind == "order.confirmed" and e.refs["order"] == order.number)
    fired = next(e for e in entries if e.kind == "scenario.event_fired")
    assert confirmed.seq < fired.seq and fired.sim_time == datetime(2026, 11, 2, 11, 0)
    # once fired, another confirmation does not fire it again
    confirmed_order(ws, "durand")
    assert play_until(ws, datetime(2026, 11, 2, 14, 0)) == []
    assert fired_keys(ws) == ["durand_thanks"]


def test_a_when_event_is_not_armed_by_the_scenarios_own_set_up(make_workspace):
    """A trigger waits for something that happens during the exam: the orders
    the scenario confirmed in its company set-up are the starting situation."""
    ws = installed(make_workspace,
                   note("durand_thanks", {"when": {"journal": "order.confirmed", "customer": "durand"}}),
                   orders={"durand_order": {"customer": "durand", "date": "2026-10-28",
                                            "lines": [{"product": "film", "quantity": 5}]}})

    assert play_until(ws, datetime(2026, 11, 2, 9, 0)) == []
    assert event(ws, "durand_thanks").due_at is None
    # the candidate's own confirmation is what arms it
    clock(ws, datetime(2026, 11, 2, 10, 0))
    confirmed_order(ws, "durand")
    assert play_until(ws, datetime(2026, 11, 2, 10, 0)) == ["durand_thanks"]


def test_a_when_event_on_an_order_a_later_event_creates_waits_for_that_order(make_workspace):
    """``when.order`` may name an order that a customer_order event creates
    (``name:``); until then the trigger simply cannot match."""
    ws = installed(make_workspace,
                   {"id": "durand_orders", "kind": "customer_order", "at": "2026-11-02T14:00",
                    "customer": "durand", "name": "big_order", "lines": [{"product": "film", "quantity": 10}],
                    "message": {"subject": "Commande", "body": "Voici notre commande."}},
                   note("big_order_confirmed", {"when": {"journal": "order.confirmed", "order": "big_order",
                                                         "delay": "30m"}}))
    # in the morning the candidate confirms another order, before big_order exists
    clock(ws, datetime(2026, 11, 2, 10, 0))
    confirmed_order(ws, "galway")

    # the customer's order arrives at 14:00 as planned
    assert play_until(ws, datetime(2026, 11, 2, 14, 0)) == ["durand_orders"]
    with UnitOfWork(ws, write=False) as uow:
        big_order = EventContext(uow).entity("order", "big_order")
    with UnitOfWork(ws) as uow:
        confirm_order(uow, actor=CANDIDATE, order_id=big_order.id)
        uow.commit()
    assert play_until(ws, datetime(2026, 11, 2, 14, 30)) == ["big_order_confirmed"]


# ===== all or nothing ======================================================

def _counts(ws: int) -> dict:
    with UnitOfWork(ws, write=False) as uow:
        count = lambda model: uow.session.scalar(select(func.count(model.id)))  # noqa: E731
        return {"customers": count(Customer), "orders": count(SalesOrder), "messages": count(Interaction),
                "names": count(ScenarioEntity)}


def _journal_after(ws: int, seq: int) -> list[JournalEntry]:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(JournalEntry).where(JournalEntry.seq > seq)
                                   .order_by(JournalEntry.seq)).all()


def _last_seq(ws: int) -> int:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalar(select(func.max(JournalEntry.seq)))


FAILING = {
    # fails after creating the new customer: its first order names a product the scenario lost
    "new_customer_with_a_lost_product": (
        {"id": "prospect", "kind": "new_customer", "at": "2026-11-02T10:00", "customer": "bakery",
         "name": "bakery_order", "details": {"name": "Boulangerie Martin"},
         "lines": [{"product": "film", "quantity": 3}], "message": {"subject": "Commande", "body": "Bonjour"}},
        "film"),
    # fails after entering and naming the order: its message has no subject
    "customer_order_with_a_blank_subject": (
        {"id": "prospect", "kind": "customer_order", "at": "2026-11-02T10:00", "customer": "durand",
         "name": "durand_order", "lines": [{"product": "film", "quantity": 3}],
         "message": {"subject": "   ", "body": "Bonjour"}},
        "objet"),
}


@pytest.mark.parametrize("case", FAILING)
def test_an_event_whose_handler_fails_leaves_nothing_half_done(make_workspace, case):
    """One event, one transaction (engine.fire): the claim, the event_fired entry
    and whatever the handler did before failing are rolled back together; the
    event is then set aside as failed, with its error, in a transaction of its own."""
    spec, error_mentions = FAILING[case]
    ws = installed(make_workspace, spec)
    if case == "new_customer_with_a_lost_product":
        with UnitOfWork(ws) as uow:  # the product's scenario name is gone
            uow.session.execute(delete(ScenarioEntity).where(ScenarioEntity.workspace_id == ws,
                                                             ScenarioEntity.kind == "product"))
            uow.commit()
    before, seq = _counts(ws), _last_seq(ws)

    assert play_until(ws, datetime(2026, 11, 2, 10, 0)) == []

    assert _counts(ws) == before  # no customer, no order, no name, no message
    # of what the event did, the journal keeps only that it failed
    [failed] = _journal_after(ws, seq)
    assert (failed.kind, failed.actor, failed.refs) == ("scenario.event_failed", "scenario", {"event": "prospect"})
    assert failed.payload["kind"] == spec["kind"] and error_mentions in failed.payload["error"]
    prospect = event(ws, "prospect")
    assert (prospect.status, prospect.fired_at) == (EventStatus.FAILED, None)
    assert prospect.error == failed.payload["error"]
    assert play_until(ws, datetime(2026, 11, 2, 12, 0)) == []  # and it is not tried again
    assert _journal_after(ws, seq) == [failed]


def test_a_failed_event_does_not_stop_the_events_after_it(make_workspace):
    """One broken event must not stop a live exam (the event rows have a
    ``failed`` status for it, scenario/models.py): the next ones fire on time."""
    ws = installed(make_workspace, FAILING["customer_order_with_a_blank_subject"][0],
                   note("later_memo", {"at": "2026-11-02T11:00"}))

    assert play_until(ws, datetime(2026, 11, 2, 11, 0)) == ["later_memo"]
    assert event(ws, "prospect").status == EventStatus.FAILED
    assert fired_keys(ws) == ["later_memo"]
