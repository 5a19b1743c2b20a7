"""The database schema: migrations agree with the models; money is exact Decimal."""
from __future__ import annotations

from decimal import Decimal

from alembic.autogenerate import compare_metadata
import pytest
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from sim.db import Fixed, UnitOfWork, owned_models
from sim.models import metadata
from sim.stock.models import Product

MONEY_WORDS = ("price", "amount", "total", "cost", "limit", "capital", "charge", "indemnity", "due")


# SQLite's reflection cannot read an expression index (the customer list's lower(name)):
# it is compared on PostgreSQL, which reflects it
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_the_migrations_build_exactly_the_models_schema(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_every_money_column_is_an_exact_decimal():
    money_columns = [
        (table.name, column.name)
        for table in metadata.sorted_tables for column in table.columns
        if any(word in column.name for word in MONEY_WORDS) and not column.name.endswith(("_id", "_date", "_at"))
        and column.name not in ("payment_terms",)
    ]
    assert len(money_columns) > 20
    for table_name, column_name in money_columns:
        column = metadata.tables[table_name].columns[column_name]
        assert isinstance(column.type, Fixed), f"{table_name}.{column_name} is {column.type!r}"


def test_amounts_come_back_as_the_same_decimals_and_sum_exactly(workspace):
    with UnitOfWork(workspace.id) as uow:
        products = uow.session.scalars(select(Product).order_by(Product.id).limit(3)).all()
        for product, price in zip(products, ("0.10", "0.20", "1234567.89")):
            product.price_ht = Decimal(price)
        uow.commit()
        ids = [p.id for p in products]
    with UnitOfWork(workspace.id, write=False) as uow:
        prices = uow.session.scalars(select(Product.price_ht).where(Product.id.in_(ids)).order_by(Product.id)).all()
        total = uow.session.scalar(select(func.sum(Product.price_ht, type_=Fixed(2))).where(Product.id.in_(ids)))
    assert prices == [Decimal("0.10"), Decimal("0.20"), Decimal("1234567.89")]
    assert all(isinstance(p, Decimal) for p in prices)
    assert total == Decimal("1234568.19")  # 0.1 + 0.2 is not 0.30000000000000004 here


def test_a_float_is_refused_for_money(workspace):
    import pytest
    from sqlalchemy.exc import StatementError

    with UnitOfWork(workspace.id) as uow:
        product = uow.session.scalars(select(Product).limit(1)).one()
        product.price_ht = 19.99  # type: ignore[assignment]
        with pytest.raises(StatementError, match="Decimal, never float"):
            uow.session.flush()


def test_every_business_table_belongs_to_a_workspace_and_is_scoped():
    """Every table with a workspace_id is a WorkspaceOwned model, so that the
    unit of work scopes its SELECT, UPDATE and DELETE statements."""
    scoped = {model.__table__.name for model in owned_models()}
    with_workspace_id = {table.name for table in metadata.sorted_tables if "workspace_id" in table.columns}
    assert with_workspace_id == scoped
    shared = {"workspace", "user_account", "login_attempt", "user_session", "exam_session"}
    for table in metadata.sorted_tables:
        if table.name not in shared:
            assert table.name in scoped, f"{table.name} has no workspace_id"
    assert "form_submission" in scoped and "journal_entry" in scoped
