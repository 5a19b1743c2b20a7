"""Trade-show reception (CP8): helpers shared by the tests."""
from __future__ import annotations

from sqlalchemy import select

from sim.db import UnitOfWork
from sim.stock.models import Product
from sim.tradeshow import service
from sim.tradeshow.models import Visitor


def a_visitor(workspace_id: int, key: str = "tom", *, welcomed: bool = False, live: bool = False,
              language: str = "en") -> Visitor:
    """A visitor at the stand asking the price of the first product (welcomed: the dialogue begun;
    live: welcomed in live mode, the evaluator plays the visitor)."""
    with UnitOfWork(workspace_id) as uow:
        product = uow.session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.id)).first()
        visitor = service.arrive(uow, actor="scenario", key=key, event_key=key, spec={
            "name": "Tom Becker", "company": "Becker Versand GmbH", "language": language,
            "profile": {"role": "logistics manager"}, "need": "boxes",
            "facts": [{"ask": "price", "product": product.reference}]})
        if welcomed or live:
            service.welcome(uow, actor="candidate:test", visitor_id=visitor.id, live=live)
        uow.commit()
        uow.session.refresh(visitor)
        return visitor
