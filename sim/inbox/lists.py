"""The mailbox list: search, date range, sort by date and pages with counts.

Only the page's threads are built as summaries (sim/inbox/service.summaries);
the mailbox is never grouped in Python. The usual list — a box, newest first —
is counted by one query and read by one statement that walks the last
messages in order of activity (an index, no sort) only as far as the page's
last thread and keeps the threads of the box; a small box (the unread
threads) is read by key. A search finds in SQL the threads where each word appears somewhere;
a date range, the oldest-first order or a search that finds many threads
walks every thread's key (no message built) to count them."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from math import ceil

from sim.inbox import service as inbox
from sim.listing import ListPage, ListParams, page_of, read_params

INBOX_SORTS = ("date",)


def inbox_params(params) -> ListParams:
    return read_params(params, sortable=INBOX_SORTS, default_sort="date")


SMALL_BOX = 300  # up to this many threads in a box (the unread ones), they are read by key, not walked to
WALK = (4, 100)  # the last messages walked for a page: per thread wanted, plus (most threads are one or two messages)
MANY = 1500  # past this many threads found by a search, walking every thread's key is cheaper than reading them


def thread_page(uow, params: ListParams, *, box: str = "inbox", unread_only: bool = False) -> ListPage:
    """The page of threads ``params`` asks for: every word of ``q`` somewhere in
    the thread (a message's subject, correspondent, their organisation or
    address, the start of its text); ``from``/``to`` on the date of the
    thread's last message."""
    words = params.q.lower().split()
    since = datetime.combine(params.date_from, time.min) if params.date_from else None
    until = datetime.combine(params.date_to + timedelta(days=1), time.min) if params.date_to else None
    per_page = params.per_page

    def in_range(at: datetime) -> bool:
        return (since is None or at >= since) and (until is None or at < until)

    if words:
        # The threads where each word appears somewhere, in SQL; only the page's are built.
        members = inbox.box_threads(uow, box=box, unread_only=unread_only,
                                    among=inbox.search_threads(uow, words))
        if len(members) <= MANY:
            keys = [key for key, at in inbox.by_activity(uow, members) if in_range(at)]
        else:
            keys = [key for key, at in inbox.threads_by_activity(uow, since=since)
                    if key in members and (until is None or at < until)]
        return _page_of(uow, keys, params)

    if since is None and until is None and params.direction == "desc":
        # The usual case: the count is the box's, the walk stops at the page's last row.
        total = inbox.box_size(uow, box=box, unread_only=unread_only)
        page = min(params.page, max(1, ceil(total / per_page)))
        wanted = page * per_page
        members = inbox.box_threads(uow, box=box, unread_only=unread_only) if total <= SMALL_BOX else None
        if members is not None:
            keys = [key for key, _ in inbox.by_activity(uow, members)][:wanted]
        else:
            keys = _latest(uow, box, unread_only, wanted, total)
        rows = inbox.summaries(uow, keys[(page - 1) * per_page:])
        return ListPage(rows, total, page, per_page, {}, replace(params, page=page))

    # A date range or the oldest first: every thread's key is walked to count them.
    members = inbox.box_threads(uow, box=box, unread_only=unread_only)
    keys = [key for key, at in inbox.threads_by_activity(uow, since=since)
            if (members is None or key in members) and (until is None or at < until)]
    return _page_of(uow, keys, params)


def _page_of(uow, keys: list[int], params: ListParams) -> ListPage:
    """The page of these threads (most recent activity first) that ``params`` asks for."""
    page = page_of(keys[::-1] if params.direction == "asc" else keys, params)
    return replace(page, rows=inbox.summaries(uow, page.rows))


def _latest(uow, box: str, unread_only: bool, wanted: int, total: int) -> list[int]:
    """The first ``wanted`` threads of ``box``: the last messages are walked in
    SQL (``WALK``), further when that was not enough."""
    wanted = min(wanted, total)
    walk, messages = WALK[0] * wanted + WALK[1], None
    while True:
        keys = inbox.latest_threads(uow, box=box, unread_only=unread_only, wanted=wanted, walk=walk)
        if keys is None:  # no single message decides: walked in Python
            return _walk(uow, box, unread_only, wanted)
        if len(keys) >= wanted:
            return keys
        messages = inbox.message_count(uow) if messages is None else messages
        if walk >= messages:
            return keys
        walk *= 4


def _walk(uow, box: str, unread_only: bool, wanted: int) -> list[int]:
    """The first ``wanted`` threads of ``box``, most recent activity first: the
    threads are walked in that order and checked against the box by batches."""
    keys: list[int] = []
    batch: list[int] = []
    walked = inbox.threads_by_activity(uow, chunk=4 * wanted + 100)  # the first batch in one read, most often
    for key, _ in walked:
        batch.append(key)
        if len(batch) >= max(4 * (wanted - len(keys)), 200):  # one batch, most often
            keys += _of_box(uow, box, unread_only, batch)
            batch = []
            if len(keys) >= wanted:
                break
    else:
        keys += _of_box(uow, box, unread_only, batch)
    walked.close()
    return keys[:wanted]


def _of_box(uow, box: str, unread_only: bool, batch: list[int]) -> list[int]:
    members = inbox.box_threads(uow, box=box, unread_only=unread_only, among=batch)
    return batch if members is None else [key for key in batch if key in members]
