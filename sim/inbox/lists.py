"""The mailbox list: search, date range, sort by date and pages with counts.

Threads are grouped by ``inbox.threads`` (one query for the messages); this
filters and pages its summaries, so a long mailbox is shown page by page
instead of being cut off at a fixed number of threads."""
from __future__ import annotations

from dataclasses import replace
from math import ceil

from sim.inbox.service import threads
from sim.listing import ListPage, ListParams, read_params

INBOX_SORTS = ("date",)


def inbox_params(params) -> ListParams:
    return read_params(params, sortable=INBOX_SORTS, default_sort="date")


def _matches(summary, words: list[str]) -> bool:
    text = " ".join((summary.root.subject or "", summary.counterpart, summary.organisation, summary.snippet,
                     summary.root.counterpart_email or "")).lower()
    return all(word in text for word in words)


def thread_page(uow, params: ListParams, *, box: str = "inbox", unread_only: bool = False) -> ListPage:
    """The page of threads ``params`` asks for: every word of ``q`` in the subject,
    the correspondent, their organisation, address or the last message's start;
    ``from``/``to`` on the date of the thread's last message."""
    found = threads(uow, box=box, unread_only=unread_only)
    words = params.q.lower().split()
    if words:
        found = [s for s in found if _matches(s, words)]
    if params.date_from:
        found = [s for s in found if s.last.sim_time.date() >= params.date_from]
    if params.date_to:
        found = [s for s in found if s.last.sim_time.date() <= params.date_to]
    if params.direction == "asc":
        found.reverse()  # threads() gives the most recent activity first
    pages = max(1, ceil(len(found) / params.per_page))
    page = min(params.page, pages)
    rows = found[(page - 1) * params.per_page:page * params.per_page]
    return ListPage(rows, len(found), page, params.per_page, {}, replace(params, page=page))
