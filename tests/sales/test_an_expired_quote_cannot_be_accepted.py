"""A quote is valid 30 days; past that date it shows as expired and can no
longer be accepted: a new quote must be made (CP1, dates and deadlines)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sim.clock import set_clock
from sim.db import UnitOfWork
from sim.sales.errors import WrongStatus
from sim.sales.models import Quote, QuoteStatus
from sim.sales.service import LineInput, accept_quote, create_quote, send_quote
from tests.factories import ACTOR, make_customer, make_product, snapshot


def test_an_expired_quote_shows_as_expired_and_cannot_be_accepted(workspace):
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws)
    with UnitOfWork(ws) as uow:
        quote = create_quote(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, "2")])
        uow.commit()
    with UnitOfWork(ws) as uow:
        send_quote(uow, actor=ACTOR, quote_id=quote.id)
        uow.commit()
    # 31 days later
    with UnitOfWork(ws) as uow:
        set_clock(uow, sim_time=datetime.combine(quote.valid_until + timedelta(days=1), datetime.min.time()), speed=0)
        uow.commit()
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(WrongStatus, match="a expiré"):
        accept_quote(uow, actor=ACTOR, quote_id=quote.id)
        uow.commit()
    assert snapshot(ws) == before
    with UnitOfWork(ws, write=False) as uow:
        stored = uow.get(Quote, quote.id)
    assert stored.status_on(quote.valid_until + timedelta(days=1)) == QuoteStatus.EXPIRED
    assert stored.status_on(quote.valid_until) == QuoteStatus.SENT
