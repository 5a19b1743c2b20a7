"""The customer's timeline puts documents, messages, calls, notes and claims in
true time order, newest first. Documents have a date only: they count as the
start of their day, after (below) that day's timed exchanges, the later step
of the sale above the earlier one."""
from __future__ import annotations

from datetime import date, datetime

from sim.clock import set_clock
from sim.crm.models import Claim
from sim.crm.records import log_interaction
from sim.crm.timeline import customer_timeline, events
from sim.db import UnitOfWork
from sim.sales.service import LineInput, create_order, create_quote
from tests.crm import ACTOR
from tests.factories import make_customer, make_product


def at(ws, when: datetime, service, **kw):
    with UnitOfWork(ws) as uow:
        set_clock(uow, sim_time=when, speed=0)
        result = service(uow, actor=ACTOR, **kw)
        uow.commit()
        return result


def test_items_of_several_days_come_newest_first_and_a_day_s_documents_below_its_exchanges(workspace):
    ws = workspace.id
    customer = make_customer(ws, credit_limit="100000.00")
    product = make_product(ws)
    line = [LineInput(product.id, "2")]
    quote = at(ws, datetime(2026, 3, 2, 16, 0), create_quote, customer_id=customer.id, lines=line)
    call = at(ws, datetime(2026, 3, 2, 9, 15), log_interaction, customer_id=customer.id,
              values={"channel": "phone", "direction": "in", "subject": "Demande de prix", "body": "Veut un devis."})
    note = at(ws, datetime(2026, 3, 2, 14, 30), log_interaction, customer_id=customer.id,
              values={"channel": "note", "subject": "Devis à faire", "body": "Remise 5 % possible."})
    order = at(ws, datetime(2026, 3, 3, 8, 0), create_order, customer_id=customer.id, lines=line)
    same_day_quote = at(ws, datetime(2026, 3, 3, 11, 0), create_quote, customer_id=customer.id, lines=line)
    meeting = at(ws, datetime(2026, 3, 3, 10, 0), log_interaction, customer_id=customer.id,
                 values={"channel": "meeting", "subject": "Visite", "body": "Présentation de la gamme."})
    with UnitOfWork(ws) as uow:
        uow.add(Claim(workspace_id=ws, number="RC-2026-00001", customer_id=customer.id, category="damage",
                      subject="Carton abîmé", opened_on=date(2026, 3, 1)))
        uow.commit()

    with UnitOfWork(ws, write=False) as uow:
        numbers = [e.number for e in events(uow, customer.id)]
    assert numbers == [
        meeting.reference,        # 03/03 10:00
        order.number,             # 03/03, a document: below the day's exchanges, an order above a quote
        same_day_quote.number,    # 03/03 (created at 11:00, but a quote has a date only)
        note.reference,           # 02/03 14:30
        call.reference,           # 02/03 09:15
        quote.number,             # 02/03 (created at 16:00: a date only)
        "RC-2026-00001",          # 01/03
    ]


def test_a_long_timeline_is_paginated(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    for n in range(30):
        at(ws, datetime(2026, 3, 1, 8, n), log_interaction, customer_id=customer.id,
           values={"channel": "note", "subject": f"Note {n}", "body": "…"})
    with UnitOfWork(ws, write=False) as uow:
        first, second = customer_timeline(uow, customer.id, 1), customer_timeline(uow, customer.id, 2)
        beyond = customer_timeline(uow, customer.id, 99)
    assert (first.total, first.pages, len(first.events), len(second.events)) == (30, 2, 25, 5)
    assert first.events[0].title == "Note 29" and second.events[-1].title == "Note 0"
    assert beyond.page == 2


def test_each_page_reads_only_the_newest_rows_yet_is_the_page_of_the_whole_history(workspace):
    """The page is built from each source's newest rows: page after page, it is
    exactly the slice of the whole history, boundary days included."""
    from sqlalchemy import func, select

    from sim.billing.models import Invoice

    ws = workspace.id
    with UnitOfWork(ws, write=False) as uow:
        busiest = uow.session.scalar(select(Invoice.customer_id).group_by(Invoice.customer_id)
                                     .order_by(func.count().desc(), Invoice.customer_id).limit(1))
        everything = events(uow, busiest)
        assert len(everything) > 8  # three pages of 4 at least
        per_page, seen = 4, []
        first = customer_timeline(uow, busiest, 1, per_page=per_page)
        assert first.total == len(everything)
        for page in range(1, first.pages + 1):
            seen += customer_timeline(uow, busiest, page, per_page=per_page).events
    assert [e.sort_key for e in seen] == [e.sort_key for e in everything]
