"""Every query in a workspace's unit of work sees that workspace only — the
one place where isolation is enforced (sim/db.py), subqueries and joins included."""
from __future__ import annotations

from sqlalchemy import func, select

from sim.billing.models import Invoice
from sim.crm.models import Customer
from sim.crm.service import CustomerFilters, list_customers
from sim.db import NotFound, UnitOfWork
from tests.factories import make_customer


def test_the_same_query_sees_each_workspace_alone(make_workspace):
    first, second = make_workspace(seed=3), make_workspace(seed=3)
    extra = make_customer(second.id)  # the second company has one more customer
    counts = {}
    for ws in (first, second, first):  # the same statement, compiled once, run for each workspace
        with UnitOfWork(ws.id, write=False) as uow:
            counts.setdefault(ws.id, []).append(uow.session.scalar(select(func.count(Customer.id))))
    assert counts[first.id][0] == counts[first.id][1] == counts[second.id][0] - 1

    with UnitOfWork(first.id, write=False) as uow:
        try:
            uow.get(Customer, extra.id)
            raise AssertionError("another workspace's customer was found")
        except NotFound:
            pass


def test_subqueries_and_joins_are_scoped_too(make_workspace):
    first, second = make_workspace(seed=4), make_workspace(seed=4)
    with UnitOfWork(first.id, write=False) as uow:
        own_invoices = uow.session.scalar(select(func.count(Invoice.id)))
        # a join through a subquery: customers with their invoice count
        per_customer = select(Invoice.customer_id, func.count(Invoice.id).label("n")).group_by(
            Invoice.customer_id).subquery()
        joined = uow.session.execute(select(Customer.id, per_customer.c.n).join(
            per_customer, per_customer.c.customer_id == Customer.id)).all()
        rows = list_customers(uow, CustomerFilters(per_page=1000))
    with UnitOfWork(write=False) as everything:  # no workspace: administration sees all
        all_invoices = everything.session.scalar(select(func.count(Invoice.id)))
    assert sum(n for _, n in joined) == own_invoices < all_invoices
    assert all(r.customer.workspace_id == first.id for r in rows.rows)


def test_bulk_updates_and_deletes_touch_this_workspace_only(make_workspace):
    from sqlalchemy import delete, update

    from sim.workspace.models import FormSubmission
    from sim.workspace.forms import claim

    first, second = make_workspace(seed=5), make_workspace(seed=5)
    for ws in (first, second):
        with UnitOfWork(ws.id) as uow:
            claim(uow, f"token-{ws.id}", "test")
            uow.commit()
    with UnitOfWork(first.id) as uow:
        uow.session.execute(update(Customer).values(notes="changed"))
        uow.session.execute(update(Customer.__table__).values(email="x@example.com"))
        uow.session.execute(delete(FormSubmission))
        uow.commit()
    with UnitOfWork(write=False) as everything:
        changed = everything.session.execute(
            select(Customer.workspace_id, func.count()).where(Customer.notes == "changed",
                                                              Customer.email == "x@example.com")
            .where(Customer.workspace_id.in_([first.id, second.id])).group_by(Customer.workspace_id)).all()
        tokens = everything.session.scalars(select(FormSubmission.workspace_id).where(
            FormSubmission.workspace_id.in_([first.id, second.id]))).all()
    assert [ws for ws, _ in changed] == [first.id]
    assert tokens == [second.id]


def test_aliases_and_correlated_subqueries_are_scoped_and_every_owned_model_is_covered(make_workspace):
    """One criterion for the mixin (sim/db.py) reaches every owned model, also
    under an alias and inside a correlated EXISTS, for each workspace in turn."""
    from sqlalchemy import exists
    from sqlalchemy.orm import aliased

    from sim.db import owned_models

    first, second = make_workspace(seed=6), make_workspace(seed=6)
    extra = make_customer(second.id)
    for ws, other in ((first, second), (second, first)):
        with UnitOfWork(ws.id, write=False) as uow:
            buyer = aliased(Customer)
            seen = set(uow.session.scalars(select(buyer.workspace_id).distinct()))
            with_invoices = set(uow.session.scalars(select(Customer.workspace_id).where(
                exists().where(Invoice.customer_id == Customer.id)).distinct()))
            assert seen == with_invoices == {ws.id}
            assert uow.session.scalar(select(func.count(buyer.id)).where(buyer.id == extra.id)) == \
                (1 if ws.id == second.id else 0)
            for model in owned_models():  # every owned table: no row of the other workspace
                assert uow.session.scalar(select(func.count()).select_from(model)
                                          .where(model.workspace_id == other.id)) == 0, model.__name__
