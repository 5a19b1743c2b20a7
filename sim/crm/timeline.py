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

from sqlalchemy import (Boolean, Date, Integer, String, bindparam, cast, func, literal, null, select,
                        type_coerce, union_all)

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


DETAIL = 300  # of a message's or a claim's text, what the page may show (it cuts at 220)


def _sources():
    """Per kind of item: its model, the column that dates it, the columns of its
    number, its display columns (text ``s1``…``s5``, a date ``d1``, amounts
    ``m1``/``m2``, a flag) and how one row of them becomes an Event."""
    from sim.billing.models import InvoiceStatus
    from sim.crm.models import ClaimStatus, PaymentMethod
    from sim.receivables.models import ReminderLevel
    from sim.sales.models import OrderStatus, QuoteStatus
    from sim.stock.models import DeliveryStatus

    def message(r):
        channel, direction, name, subject, body = r.s1, r.s2, r.s3, r.s4, r.s5
        label = _MESSAGE_LABELS.get((channel, direction), channel)
        who = f" · {name}" if name else ""
        return Event(r.when, True, "message", label + who, r.number, subject or "", detail=body or "",
                     channel=channel, href=f"/inbox/{r.id}" if channel == "email" else "", id=r.id)

    body = func.substr(Interaction.body, 1, DETAIL)
    return (
        ("quote", Quote, Quote.issue_date, (Quote.number,), dict(s1=Quote.status, d1=Quote.valid_until,
                                                                 m1=Quote.total_ttc),
         lambda r: Event(r.when, False, "quote", "Devis", r.number, f"valable jusqu'au {r.d1:%d/%m/%Y}",
                         amount=r.m1, status=QuoteStatus(r.s1).label, href=f"/quotes/{r.id}", id=r.id)),
        ("order", SalesOrder, SalesOrder.order_date, (SalesOrder.number,),
         dict(s1=SalesOrder.status, s2=SalesOrder.customer_po, m1=SalesOrder.total_ttc),
         lambda r: Event(r.when, False, "order", "Commande", r.number, r.s2 and f"réf. client {r.s2}" or "",
                         amount=r.m1, status=OrderStatus(r.s1).label, href=f"/orders/{r.id}", id=r.id)),
        ("delivery", Delivery, func.coalesce(Delivery.ship_date, Delivery.delivered_date), (Delivery.number,),
         dict(s1=Delivery.status, s2=Delivery.tracking_number),
         lambda r: Event(r.when, False, "delivery", "Livraison", r.number, r.s2 and f"suivi {r.s2}" or "",
                         status=DeliveryStatus(r.s1).label, href=f"/deliveries/{r.id}", id=r.id)),
        ("invoice", Invoice, Invoice.issue_date, (Invoice.number,),
         dict(s1=Invoice.status, d1=Invoice.due_date, m1=Invoice.total_ttc, m2=Invoice.amount_due),
         lambda r: Event(r.when, False, "invoice", "Facture", r.number, f"échéance {r.d1:%d/%m/%Y}",
                         amount=r.m1, status=InvoiceStatus(r.s1).label, href=f"/invoices/{r.id}",
                         open_amount=r.m2 or None, due=r.d1, id=r.id)),
        ("credit_note", CreditNote, CreditNote.issue_date, (CreditNote.number,),
         dict(s2=CreditNote.reason, m1=CreditNote.total_ttc),
         lambda r: Event(r.when, False, "credit_note", "Avoir", r.number, r.s2, amount=-r.m1,
                         href=f"/credit-notes/{r.id}/pdf", id=r.id)),
        ("payment", Payment, Payment.received_on, (Payment.number, Payment.reference),
         dict(s1=Payment.method, s2=Payment.reference, m1=Payment.amount, flag=Payment.rejected),
         lambda r: Event(r.when, False, "payment", "Règlement", r.number,
                         PaymentMethod(r.s1).label + (f" · {r.s2}" if r.s2 else ""),
                         amount=-r.m1, status="Rejeté" if r.flag else "", id=r.id)),
        ("reminder", Reminder, Reminder.sent_on, (), dict(s1=Reminder.level),
         lambda r: Event(r.when, False, "reminder", "Relance", "", ReminderLevel(r.s1).label, id=r.id)),
        ("claim", Claim, Claim.opened_on, (Claim.number,),
         dict(s1=Claim.status, s2=Claim.subject, s3=func.substr(Claim.description, 1, DETAIL)),
         lambda r: Event(r.when, False, "claim", "Réclamation", r.number, r.s2, detail=r.s3 or "",
                         status=ClaimStatus(r.s1).label, id=r.id)),
        ("message", Interaction, Interaction.sim_time, (Interaction.reference,),
         dict(s1=Interaction.channel, s2=Interaction.direction, s3=Interaction.counterpart_name,
              s4=Interaction.subject, s5=body), message),
    )


def _display_types():
    from sim.db import Fixed

    return {"s1": String(), "s2": String(), "s3": String(), "s4": String(), "s5": String(), "d1": Date(),
            "m1": Fixed(2), "m2": Fixed(2), "flag": Boolean()}


@lru_cache(maxsize=2)
def _page_query(dialect: str):
    """The customer's history sorted in SQL, newest first, one window of it
    (``limit``, ``offset``) with its display columns, each row carrying the
    whole history's size: one round trip for the page.

    Dates and times meet in one column as ISO text, which sorts in time order
    on both databases: a day (``2026-03-02``) sorts below every time of that
    day (``2026-03-02 09:15:00``), as a dated item counts as the start of its
    day after the day's timed exchanges. Then the later step of the sale, the
    number, the id — byte order on PostgreSQL too (``COLLATE "C"``), as in
    Python. Scoped by hand (each part names the workspace): the automatic
    scoping would walk this nine-select union on every page; built once with
    bound parameters, its cache key is not computed again."""
    types = _display_types()
    parts = []
    for kind, model, day, numbers, shown, _ in _sources():
        number = func.coalesce(*(func.nullif(n, "") for n in numbers), "") if numbers else literal("")
        columns = [type_coerce(shown[name], type_).label(name) if name in shown
                   else cast(null(), type_).label(name) for name, type_ in types.items()]
        parts.append(select(literal(kind).label("kind"), literal(_RANK[kind]).label("rank"), model.id.label("id"),
                            func.coalesce(cast(day, String), "").label("at"), number.label("number"), *columns)
                     .where(model.workspace_id == bindparam("workspace"), model.customer_id == bindparam("customer")))
    history = union_all(*parts).subquery()

    def bytewise(column):
        return column.collate("C") if dialect == "postgresql" else column

    return (select(history, _counted().scalar_subquery().label("total"))
            .order_by(bytewise(history.c.at).desc(), history.c.rank.desc(), bytewise(history.c.number).desc(),
                      history.c.id.desc())
            .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))


class _Row:
    """One row of the page query, its time read back from the ISO text."""
    __slots__ = ("kind", "id", "number", "when", "s1", "s2", "s3", "s4", "s5", "d1", "m1", "m2", "flag")

    def __init__(self, row):
        for name in self.__slots__[4:]:
            setattr(self, name, getattr(row, name))
        self.kind, self.id, self.number = row.kind, row.id, row.number or ""
        when = datetime.fromisoformat(row.at) if row.at else datetime.min
        self.when = when if row.kind == "message" else _day(when.date())


def _window(uow, customer_id: int, offset: int, limit: int) -> tuple[list[Event], int]:
    """These items of the history (newest first) and the history's size."""
    make = {kind: make for kind, *_, make in _sources()}
    rows = uow.session.execute(
        _page_query(uow.session.get_bind().dialect.name),
        {"workspace": uow.workspace_id, "customer": customer_id, "limit": limit, "offset": offset},
        execution_options={"all_workspaces": True}).all()
    if not rows and offset:  # past the end: only the size is wanted
        return [], count(uow, customer_id)
    return [make[row.kind](_Row(row)) for row in rows], (rows[0].total if rows else 0)


def events(uow, customer_id: int, window: slice | None = None) -> list[Event]:
    """The customer's history, newest first: every item, or only the ``window`` of it."""
    start = (window.start or 0) if window else 0
    stop = window.stop if window and window.stop is not None else 2**31 - 1
    return _window(uow, customer_id, start, max(0, stop - start))[0]


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
    """One page of the history (a page past the end shows the last one): its
    rows and the history's size in one query."""
    page = min(max(1, page), (2**31 - 1) // per_page)  # an OFFSET is an integer
    found, total = _window(uow, customer_id, (page - 1) * per_page, per_page)
    pages = max(1, ceil(total / per_page))
    if page > pages:
        page = pages
        found, total = _window(uow, customer_id, (page - 1) * per_page, per_page)
    return Timeline(found, total, page, per_page)
