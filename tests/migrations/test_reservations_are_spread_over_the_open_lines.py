"""An installation upgraded past c4a7e2f19b03 had every order line's reservation
at 0 while the products held their orders' reserved units: migration
c2e7a9f4d6b1 spreads them over the open lines, oldest order first, as the seed
does — so shipping one order never takes another's reserved stock."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select, update

from seed.company import DEFAULT
from sim.db import UnitOfWork, make_engine
from sim.migrations import downgrade, upgrade
from sim.sales.models import OrderLine, SalesOrder
from sim.stock.models import Product
from sim.workspace.service import create_workspace


def test_an_old_installations_reservations_land_on_the_lines_the_seed_would_give(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    # The company is seeded with today's code (and schema), then the database is taken back to
    # b8f2d4a6c1e9: the installation as it stood then, whatever columns later revisions add.
    upgrade(url)
    engine = make_engine(url)
    try:
        with UnitOfWork(engine=engine) as uow:
            ws = create_workspace(uow, name="avant", owner_id=None, seed=3, size=DEFAULT).id
            uow.commit()
        with UnitOfWork(ws, engine=engine) as uow:
            seeded = {line.id: line.quantity_reserved for line in uow.session.scalars(select(OrderLine))}
            uow.commit()
        assert any(seeded.values()), "the seed reserves stock for some open orders"
        engine.dispose()
        downgrade(url, "b8f2d4a6c1e9")
        with engine.begin() as conn:  # as before c4a7e2f19b03
            conn.execute(update(OrderLine.__table__).values(quantity_reserved=Decimal("0.000")))

        upgrade(url)

        with UnitOfWork(ws, engine=engine, write=False) as uow:
            lines = uow.session.execute(select(OrderLine, SalesOrder.status)
                                        .join(SalesOrder, SalesOrder.id == OrderLine.order_id)).all()
            held = defaultdict(Decimal)
            for line, status in lines:
                held[line.product_id] += line.quantity_reserved
                assert line.quantity_reserved <= line.quantity - line.quantity_delivered
                if line.quantity_reserved:
                    assert status in ("confirmed", "partial")
            for product in uow.session.scalars(select(Product)):
                assert held[product.id] == product.stock_reserved, product.reference
            assert {line.id: line.quantity_reserved for line, _ in lines} == seeded
    finally:
        engine.dispose()
