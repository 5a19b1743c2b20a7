"""An installation upgraded past c4a7e2f19b03 had every order line's reservation
at 0 while the products held their orders' reserved units: migration
c2e7a9f4d6b1 spreads them over the open lines, oldest order first, as the seed
does — so shipping one order never takes another's reserved stock."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import MetaData, Table, insert, inspect, select, update

from seed.company import DEFAULT
from sim.db import UnitOfWork, make_engine
from alembic import command

from sim.migrations import alembic_config, upgrade
from sim.sales.models import OrderLine, SalesOrder
from sim.stock.models import Product
from sim.workspace.service import create_workspace


def _seed_writes_only_the_old_columns(monkeypatch, engine):
    """Today's seed knows columns added after that revision: an old installation's
    rows are today's rows without them (what the old seed wrote)."""
    import seed.writer

    existing = {table: {c["name"] for c in inspect(engine).get_columns(table)}
                for table in inspect(engine).get_table_names()}

    class OldColumnsOnly:
        def __init__(self, connection):
            self._connection = connection

        def __getattr__(self, name):
            return getattr(self._connection, name)

        def execute(self, statement, rows=None):
            table = getattr(statement, "table", None)
            if table is not None and isinstance(rows, list) and table.name in existing:
                old = Table(table.name, MetaData(), *[c._copy() for c in table.c if c.name in existing[table.name]])
                returning = bool(getattr(statement, "_returning", ()))
                statement = insert(old).returning(old.c.id, sort_by_parameter_order=True) if returning else insert(old)
                rows = [{k: v for k, v in row.items() if k in old.c} for row in rows]
            return self._connection.execute(statement, rows)

    init = seed.writer._Writer.__init__

    def old_init(self, session, workspace_id):
        init(self, session, workspace_id)
        self.connection = OldColumnsOnly(self.connection)

    monkeypatch.setattr(seed.writer._Writer, "__init__", old_init)


def test_an_old_installations_reservations_land_on_the_lines_the_seed_would_give(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    # Seeded with today's models (which may have columns b8f2d4a6c1e9 lacks), then taken back there.
    upgrade(url)
    engine = make_engine(url)
    try:
        _seed_writes_only_the_old_columns(monkeypatch, engine)
        with UnitOfWork(engine=engine) as uow:
            ws = create_workspace(uow, name="avant", owner_id=None, seed=3, size=DEFAULT).id
            uow.commit()
        with UnitOfWork(ws, engine=engine, write=False) as uow:
            seeded = {line.id: line.quantity_reserved for line in uow.session.scalars(select(OrderLine))}
        engine.dispose()
        command.downgrade(alembic_config(url), "b8f2d4a6c1e9")
        with engine.begin() as conn:  # as before c4a7e2f19b03
            conn.execute(update(OrderLine.__table__).values(quantity_reserved=Decimal("0.000")))
        assert any(seeded.values()), "the seed reserves stock for some open orders"

        monkeypatch.undo()
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
