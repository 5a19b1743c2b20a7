"""A customer's history in true time order: documents, payments, messages,
calls, meetings, notes and claims on one timeline, newest first (reads only).

Messages, calls, meetings and notes carry their sim time (to the second);
documents, payments and claims carry a date only. A dated item counts as the
start of its day (00:00): on one day, the timed items come first (newest
first), then the day's documents in the order business makes them, the last
step on top — claim, reminder, payment, credit note, invoice, delivery,
order, quote — then by number, the latest first.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from math import ceil

from sqlalchemy import Integer, String, bindparam, cast, func, literal, or_, select, union_all

from sim.billing.models import CreditNote, Invoice
from sim.crm.models import Claim, Interaction
from sim.receivables.models import Payment, Reminder
from sim.sales.models import Quote, SalesOrder
from sim.stock.models import Delivery

PER_PAGE = 25
# Within one day, a higher rank is a later step of the sale (shown above the earlier ones).
_RANK = {"quote": 1, "order": 2, "delivery": 3, "invoice": 4, "credit_note": 5, "payment": 6, "reminder": 7,
         "claim": 8, "message": 9}


@dataclass
class Event:
    when: datetime  # a dated item: 00:00 of its day
    timed: bool  # False: the item has a date only (the template shows no hour)
    kind: str  # quote, order, delivery, invoice, credit_note, payment, reminder, claim, message
    label: str  # "Devis", "Appel sortant", ...
    number: str
    title: str
    detail: str = ""
    amount: Decimal | None = None
    status: str = ""
    href: str = ""
    channel: str = ""  # a message's channel (email, phone, letter, meeting, note)
    open_amount: Decimal | None = None  # an invoice's amount still due
    due: date | None = None
    id: int = 0  # the row's id: the last tie-breaker (two reminders of one day)

    @property
    def sort_key(self):
        return (self.when, self.timed, _RANK[self.kind], self.number, self.id)


@dataclass
class Timeline:
    events: list[Event]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))


def _day(day: date | None) -> datetime:
    return datetime.combine(day or date.min, time())


_MESSAGE_LABELS = {
    ("email", "in"): "Courriel reçu", ("email", "out"): "Courriel envoyé",
    ("phone", "in"): "Appel entrant", ("phone", "out"): "Appel sortant",
    ("letter", "in"): "Courrier reçu", ("letter", "out"): "Courrier envoyé",
    ("meeting", "in"): "Rendez-vous", ("meeting", "out"): "Rendez-vous",
    ("note", "in"): "Note", ("note", "out"): "Note",
}


def _sources():
    """Per kind of item: its model, the column that dates it, the columns of its
    number, and how one row becomes an Event."""
    from sim.billing.models import InvoiceStatus
    from sim.crm.models import ClaimStatus, PaymentMethod
    from sim.receivables.models import ReminderLevel
    from sim.sales.models import OrderStatus, QuoteStatus
    from sim.stock.models import DeliveryStatus

    def message(m):
        label = _MESSAGE_LABELS.get((m.channel, m.direction), m.channel)
        who = f" · {m.counterpart_name}" if m.counterpart_name else ""
        return Event(m.sim_time, True, "message", label + who, m.reference, m.subject, detail=m.body,
                     channel=m.channel, href=f"/inbox/{m.id}" if m.channel == "email" else "", id=m.id)

    return (
        ("quote", Quote, Quote.issue_date, (Quote.number,), lambda q: Event(
            _day(q.issue_date), False, "quote", "Devis", q.number, f"valable jusqu'au {q.valid_until:%d/%m/%Y}",
            amount=q.total_ttc, status=QuoteStatus(q.status).label, href=f"/quotes/{q.id}", id=q.id)),
        ("order", SalesOrder, SalesOrder.order_date, (SalesOrder.number,), lambda o: Event(
            _day(o.order_date), False, "order", "Commande", o.number,
            o.customer_po and f"réf. client {o.customer_po}" or "", amount=o.total_ttc,
            status=OrderStatus(o.status).label, href=f"/orders/{o.id}", id=o.id)),
        ("delivery", Delivery, func.coalesce(Delivery.ship_date, Delivery.delivered_date), (Delivery.number,),
         lambda d: Event(_day(d.ship_date or d.delivered_date), False, "delivery", "Livraison", d.number,
                         d.tracking_number and f"suivi {d.tracking_number}" or "",
                         status=DeliveryStatus(d.status).label, href=f"/deliveries/{d.id}", id=d.id)),
        ("invoice", Invoice, Invoice.issue_date, (Invoice.number,), lambda i: Event(
            _day(i.issue_date), False, "invoice", "Facture", i.number, f"échéance {i.due_date:%d/%m/%Y}",
            amount=i.total_ttc, status=InvoiceStatus(i.status).label, href=f"/invoices/{i.id}",
            open_amount=i.amount_due or None, due=i.due_date, id=i.id)),
        ("credit_note", CreditNote, CreditNote.issue_date, (CreditNote.number,), lambda c: Event(
            _day(c.issue_date), False, "credit_note", "Avoir", c.number, c.reason, amount=-c.total_ttc,
            href=f"/credit-notes/{c.id}/pdf", id=c.id)),
        ("payment", Payment, Payment.received_on, (Payment.number, Payment.reference), lambda p: Event(
            _day(p.received_on), False, "payment", "Règlement", p.number or p.reference,
            PaymentMethod(p.method).label + (f" · {p.reference}" if p.reference else ""),
            amount=-p.amount, status="Rejeté" if p.rejected else "", id=p.id)),
        ("reminder", Reminder, Reminder.sent_on, (), lambda r: Event(
            _day(r.sent_on), False, "reminder", "Relance", "", ReminderLevel(r.level).label, id=r.id)),
        ("claim", Claim, Claim.opened_on, (Claim.number,), lambda cl: Event(
            _day(cl.opened_on), False, "claim", "Réclamation", cl.number, cl.subject, detail=cl.description,
            status=ClaimStatus(cl.status).label, id=cl.id)),
        ("message", Interaction, Interaction.sim_time, (Interaction.reference,), message),
    )


@lru_cache(maxsize=1)
def _light_keys():
    """Each source's sort keys (kind, id, date or time as ISO text, number), its
    newest rows down to the window's end (``skip``: the row there gives the
    boundary day; ties on it included), for one workspace and customer."""
    parts = []
    for kind, model, day, numbers, _ in _sources():
        boundary = (select(day).where(model.customer_id == bindparam("customer"))
                    .where(model.workspace_id == bindparam("workspace"))
                    .order_by(day.desc().nulls_last()).offset(bindparam("skip", type_=Integer)).limit(1)
                    .scalar_subquery())
        number = func.coalesce(*(func.nullif(n, "") for n in numbers), "") if numbers else literal("")
        # ISO text sorts in time order on both databases, and makes one column of dates and times
        parts.append(select(literal(kind).label("kind"), model.id.label("id"), cast(day, String).label("at"),
                            number.label("number"))
                     .where(model.workspace_id == bindparam("workspace"), model.customer_id == bindparam("customer"),
                            or_(boundary.is_(None), day >= boundary)))
    # each row also carries the whole history's size (computed once by both databases: it is not
    # correlated): the page's keys and the count in one round trip
    return select(union_all(*parts).subquery(), _counted().scalar_subquery().label("total"))


def events(uow, customer_id: int, window: slice | None = None) -> list[Event]:
    """The customer's history, newest first: every item, or only the ``window``
    of it (a page). For a page, the sort keys come first — from each source
    its newest rows up to the window's end, ties on the boundary day included,
    as light tuples — then only the page's rows are loaded whole: a customer of
    three years has hundreds of documents, a page shows 25."""
    s = uow.session
    sources = _sources()
    if window is None:
        out = [make(row) for _, model, _, _, make in sources
               for row in s.scalars(select(model).where(model.customer_id == customer_id))]
        out.sort(key=lambda e: e.sort_key, reverse=True)
        return out
    keys, _ = _keys(uow, customer_id, window.stop)
    return _rows(uow, keys[window])


def _keys(uow, customer_id: int, stop: int) -> tuple[list, int]:
    """The sort keys of the history down to item ``stop`` at least (newest first), and
    the history's size. Past the end of the history every source gives all its rows,
    so any window of it can be cut from these keys."""
    keys, total = [], 0
    # scoped by hand (each part names the workspace): the automatic scoping
    # would walk this 18-select statement on every page, several ms of Python;
    # built once with bound parameters, its cache key is not computed again
    for kind, row_id, at, number, total in uow.session.execute(
            _light_keys(), {"workspace": uow.workspace_id, "customer": customer_id, "skip": max(0, stop - 1)},
            execution_options={"all_workspaces": True}):
        timed = kind == "message"
        when = datetime.fromisoformat(at) if at else datetime.min
        when = when if timed else _day(when.date())
        keys.append(((when, timed, _RANK[kind], number or "", row_id), kind, row_id))
    keys.sort(reverse=True)
    return keys, total or 0


def _rows(uow, keys: list) -> list[Event]:
    """The events of these keys, each source's rows in one query."""
    s, sources = uow.session, _sources()
    wanted: dict[str, list[int]] = {}
    for _, kind, row_id in keys:
        wanted.setdefault(kind, []).append(row_id)
    out = [make(row) for kind, model, _, _, make in sources if kind in wanted
           for row in s.scalars(select(model).where(model.id.in_(wanted[kind])))]
    out.sort(key=lambda e: e.sort_key, reverse=True)
    return out


@lru_cache(maxsize=1)
def _counted():
    counts = [select(func.count()).select_from(model).where(model.customer_id == bindparam("customer"),
                                                            model.workspace_id == bindparam("workspace"))
              .scalar_subquery()
              for model in (Quote, SalesOrder, Delivery, Invoice, CreditNote, Payment, Reminder, Claim, Interaction)]
    total = counts[0]
    for more in counts[1:]:
        total = total + more
    return select(total)


def count(uow, customer_id: int) -> int:
    """How many items the whole history holds (one query, scoped by hand and built once, as above)."""
    return uow.session.scalar(_counted(), {"workspace": uow.workspace_id, "customer": customer_id},
                              execution_options={"all_workspaces": True})


def customer_timeline(uow, customer_id: int, page: int = 1, per_page: int = PER_PAGE) -> Timeline:
    """One page of the history (a page past the end shows the last one): its keys and
    the history's size in one query, then the page's rows."""
    page = max(1, page)
    keys, total = _keys(uow, customer_id, min(page * per_page, 2**31 - 1))  # an OFFSET is an integer
    pages = max(1, ceil(total / per_page))
    page = min(page, pages)
    start = (page - 1) * per_page
    return Timeline(_rows(uow, keys[start:start + per_page]), total, page, per_page)
