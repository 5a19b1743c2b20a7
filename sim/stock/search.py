"""Finding a product as a sales assistant types it: by reference or by words of its name."""
from __future__ import annotations

import re

from sqlalchemy import or_, select

from sim.stock.models import Product

MAX_WORDS = 6


def _like(word: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", word) + "%"


def search_products(uow, text: str, *, limit: int = 8) -> list[Product]:
    """Active products whose reference or name holds every word typed, in any
    order and case ("film 23" finds "Film étirable 23 µm"), references first."""
    words = [w for w in re.split(r"[\s—–]+", (text or "").strip()) if w][:MAX_WORDS]
    if not words or len(text) > 200 or "\x00" in text:
        return []
    query = select(Product).where(Product.active.is_(True))
    for word in words:
        pattern = _like(word)
        query = query.where(or_(Product.name.ilike(pattern, escape="\\"), Product.reference.ilike(pattern, escape="\\")))
    return list(uow.session.scalars(query.order_by(Product.reference).limit(limit)))
