"""The document lists' shared machinery: read the query string of a list
(search, customer, status, date range, overdue, sort, page) without ever
failing, and run it in SQL — one query for the page's rows, one for the count
and the totals of every filtered row (never a sum in Python over all rows).

Each list (quotes, orders, deliveries, invoices, payments) is a ``ListSpec``
built by its own service; the routes only call ``read_params`` and the
service's list function, so bookmarks and htmx links carry the same URL."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from math import ceil
from typing import Any, Mapping, Sequence
from urllib.parse import urlencode

from sqlalchemy import and_, asc, desc, func, inspect, or_, select
from sqlalchemy.sql.util import find_tables

PER_PAGE = 50
PER_PAGE_CHOICES = (25, 50, 100, 200)
MAX_PAGE = 100_000  # beyond, an offset no list reaches (and no integer overflow in OFFSET)
_CODE = re.compile(r"[A-Z0-9-]{1,20}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ListParams:
    """What a list's query string asks for, already checked: anything unknown
    or malformed has been replaced by its default."""
    q: str = ""
    customer: str = ""  # a customer code (C00042)
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False
    sort: str = ""
    direction: str = "desc"
    page: int = 1
    per_page: int = PER_PAGE
    defaults: tuple[str, str] = field(default=("", "desc"), compare=False, repr=False)

    def query(self, **changes: Any) -> str:
        """This list's query string with ``changes`` (page=2, sort=...), defaults left out."""
        p = replace(self, **changes)
        pairs = {"q": p.q, "customer": p.customer, "status": p.status,
                 "from": p.date_from.isoformat() if p.date_from else "",
                 "to": p.date_to.isoformat() if p.date_to else "", "overdue": "1" if p.overdue else "",
                 "sort": p.sort if (p.sort, p.direction) != self.defaults else "",
                 "dir": p.direction if (p.sort, p.direction) != self.defaults else "",
                 "per_page": str(p.per_page) if p.per_page != PER_PAGE else "",
                 "page": str(p.page) if p.page > 1 else ""}
        return urlencode({k: v for k, v in pairs.items() if v})

    def sorted_by(self, key: str) -> str:
        """The query string of a click on column ``key``: that column, flipped if already sorted by it."""
        direction = ("asc" if self.direction == "desc" else "desc") if self.sort == key else "asc"
        return self.query(sort=key, direction=direction, page=1)

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.customer or self.status or self.date_from or self.date_to or self.overdue)


def _text(raw: str | None, limit: int = 100) -> str:
    return _CONTROL.sub(" ", (raw or "")[:limit]).strip()


def _date(raw: str | None) -> date | None:
    text = (raw or "").strip()
    if len(text) != 10:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2200 else None


def _whole(raw: str | None, default: int, low: int, high: int) -> int:
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return default
    return min(max(low, int(text)), high)


def read_params(params: Mapping[str, str], *, sortable: Sequence[str], default_sort: str,
                default_direction: str = "desc", statuses: Sequence[str] = ()) -> ListParams:
    """A list's query string read safely: never raises, whatever the URL says.
    An unknown sort column falls back to the default, an unknown status to "all",
    a date that is not YYYY-MM-DD is ignored, a page out of range is clamped."""
    sort = params.get("sort", "")
    direction = params.get("dir", "")
    if sort not in sortable:
        sort, direction = default_sort, default_direction
    elif direction not in ("asc", "desc"):
        direction = "asc"
    status = params.get("status", "")
    customer = _text(params.get("customer"), 20).upper()
    per_page = _whole(params.get("per_page"), PER_PAGE, 1, max(PER_PAGE_CHOICES))
    return ListParams(
        q=_text(params.get("q")),
        customer=customer if _CODE.fullmatch(customer) else "",
        status=status if status in statuses else "",
        date_from=_date(params.get("from")), date_to=_date(params.get("to")),
        overdue=params.get("overdue", "") == "1",
        sort=sort, direction=direction,
        page=_whole(params.get("page"), 1, 1, MAX_PAGE),
        per_page=per_page if per_page in PER_PAGE_CHOICES else PER_PAGE,
        defaults=(default_sort, default_direction),
    )


@dataclass(frozen=True)
class ListSpec:
    """How one list reads: what a row holds (``rows``: the listed entity first,
    then its parties' entities or columns), the ``joins`` that bring them — each
    ``(target, on clause)`` a to-one join from the listed table, made LEFT so
    the listed table drives: the page walks its index in sort order and looks
    the parties up for its rows only, and the count and totals leave out every
    join no filter needs —, the columns a search looks in, the sortable
    columns, and which columns the customer, status and date filters apply to;
    ``totals`` are summed over the filtered rows."""
    rows: tuple
    joins: tuple = ()
    search: tuple = ()
    sort: Mapping[str, Any] = field(default_factory=dict)
    tiebreak: tuple = ()
    customer_code: Any = None
    status: Any = None
    day: Any = None
    totals: Mapping[str, Any] = field(default_factory=dict)

    def select(self, *, needed: Sequence = (), every_join: bool = True, columns: Sequence | None = None):
        """The list's query: every join, or only those whose table ``needed`` expressions read."""
        tables = set()  # by name: the ORM's expressions hold annotated copies of the tables
        for expression in needed:
            tables |= {getattr(t, "name", None) for t in find_tables(expression, check_columns=True, include_aliases=True)}
        query = select(*(columns if columns is not None else self.rows)).select_from(self.rows[0])
        for target, on in self.joins:
            if every_join or inspect(target).local_table.name in tables:
                query = query.outerjoin(target, on)
        return query


@dataclass
class ListPage:
    rows: list
    total: int
    page: int
    per_page: int
    totals: dict[str, Decimal]
    params: ListParams

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        """The first row's rank on this page (1-based), 0 for an empty list."""
        return min(self.total, (self.page - 1) * self.per_page + 1)

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)


def page_of(rows: list, params: ListParams, totals: dict | None = None) -> ListPage:
    """The page ``params`` asks for of rows already computed (and ordered) in
    Python: past the last page, the last page."""
    page = min(params.page, max(1, ceil(len(rows) / params.per_page)))
    return ListPage(rows[(page - 1) * params.per_page:page * params.per_page], len(rows), page, params.per_page,
                    totals or {}, replace(params, page=page))


def search_term(q: str) -> str:
    """``q`` as a LIKE pattern: lower case, with the LIKE wildcards typed by the user taken literally."""
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def conditions(spec: ListSpec, params: ListParams) -> list:
    """The WHERE clauses the common filters make (a list adds its own, e.g. overdue)."""
    found = []
    if params.q and spec.search:
        term = search_term(params.q)
        found.append(or_(*(func.lower(column).like(term, escape="\\") for column in spec.search)))
    if params.customer and spec.customer_code is not None:
        found.append(spec.customer_code == params.customer)
    if params.status and spec.status is not None:
        found.append(spec.status == params.status)
    if params.date_from and spec.day is not None:
        found.append(spec.day >= params.date_from)
    if params.date_to and spec.day is not None:
        found.append(spec.day <= params.date_to)
    return found


def run(uow, spec: ListSpec, params: ListParams, where: Sequence = ()) -> ListPage:
    """The page of rows ``params`` asks for, the filtered count and the filtered totals, all in SQL."""
    clauses = [*conditions(spec, params), *where]
    counted = spec.select(needed=[*clauses, *spec.totals.values()], every_join=False, columns=[
        func.count(), *(func.coalesce(func.sum(column), 0) for column in spec.totals.values())])
    stats = uow.session.execute(counted.where(and_(*clauses)) if clauses else counted).one()
    total = stats[0]
    totals = {key: _decimal(value) for key, value in zip(spec.totals, stats[1:])}
    pages = max(1, ceil(total / params.per_page))
    page = min(params.page, pages)  # past the last page: the last page, never an empty one
    order = desc if params.direction == "desc" else asc
    query = spec.select()
    query = query.where(and_(*clauses)) if clauses else query
    ordered = query.order_by(order(spec.sort[params.sort]), *spec.tiebreak)
    rows = uow.session.execute(ordered.offset((page - 1) * params.per_page).limit(params.per_page)).all()
    return ListPage(list(rows), total, page, params.per_page, totals, replace(params, page=page))


def _decimal(value) -> Decimal:
    # coalesce(sum(...), 0) keeps the column's type when there are rows; with none it is a bare 0.
    return value if isinstance(value, Decimal) else Decimal(value or 0).quantize(Decimal("0.01"))
