"""Finding a customer as a sales assistant types it: by code or by words of
its name or town — the quote and order editors' suggestions (htmx) and, when
the browser runs no script, the server's reading of what was typed."""
from __future__ import annotations

import re

from sqlalchemy import func, or_, select

from sim.crm.models import Customer
from sim.listing import search_term

MAX_WORDS = 6


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s—–]+", (text or "").strip()) if w][:MAX_WORDS]


def search_customers(uow, text: str, *, limit: int = 8) -> list[Customer]:
    """Customers whose code, name or town holds every word typed, in any order
    and case ("bazin lyon" finds "Brasserie Bazin", Lyon), by name."""
    words = _words(text)
    if not words or len(text) > 200 or "\x00" in text:
        return []
    query = select(Customer)
    for word in words:
        pattern = search_term(word)
        query = query.where(or_(*(func.lower(column).like(pattern, escape="\\")
                                  for column in (Customer.code, Customer.name, Customer.city))))
    return list(uow.session.scalars(query.order_by(Customer.name, Customer.code).limit(limit)))


def only_customer(uow, text: str) -> Customer | None:
    """The one customer the words typed designate, if exactly one does (a form
    sent without the suggestions, by a browser that runs no script)."""
    found = search_customers(uow, text, limit=2)
    return found[0] if len(found) == 1 else None
