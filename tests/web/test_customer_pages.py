"""Customer list and customer account page (issue "Foundation", first pages)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from sim.billing.models import Invoice
from sim.crm.models import Customer
from sim.crm.service import CustomerFilters, list_customers
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry
from sim.web.rendering import eur


def _customer_with_overdue(workspace_id: int) -> tuple[Customer, Decimal, Decimal]:
    with UnitOfWork(workspace_id, write=False) as uow:
        today = uow.session.get(__import__("sim.workspace.models", fromlist=["Workspace"]).Workspace, workspace_id).sim_date
        invoice = uow.session.scalars(select(Invoice).where(Invoice.amount_due > 0, Invoice.due_date < today)
                                      .order_by(Invoice.id)).first()
        assert invoice is not None, "the seed leaves some invoices overdue"
        customer = uow.session.get(Customer, invoice.customer_id)
        invoices = uow.session.scalars(select(Invoice).where(Invoice.customer_id == customer.id)).all()
        outstanding = sum((i.amount_due for i in invoices), Decimal("0.00"))
        overdue = sum((i.amount_due for i in invoices if i.due_date < today), Decimal("0.00"))
    return customer, outstanding, overdue


def test_the_list_searches_filters_sorts_and_pages(workspace):
    with UnitOfWork(workspace.id, write=False) as uow:
        everyone = list_customers(uow, CustomerFilters(per_page=1000))
        some = everyone.rows[5].customer
        found = list_customers(uow, CustomerFilters(q=some.name[:12]))
        assert some.id in [r.customer.id for r in found.rows]
        foreign = list_customers(uow, CustomerFilters(country="FR", per_page=1000))
        assert all(r.customer.country == "FR" for r in foreign.rows) and foreign.total < everyone.total
        late = list_customers(uow, CustomerFilters(overdue_only=True, per_page=1000))
        assert late.total > 0 and all(r.overdue > 0 for r in late.rows)
        by_outstanding = list_customers(uow, CustomerFilters(sort="outstanding", direction="desc", per_page=1000))
        amounts = [r.outstanding for r in by_outstanding.rows]
        assert amounts == sorted(amounts, reverse=True)
        page2 = list_customers(uow, CustomerFilters(page=2, per_page=10))
        assert len(page2.rows) == 10 and page2.rows[0].customer.id == everyone.rows[10].customer.id


def test_the_customer_page_shows_outstanding_and_overdue_and_journals_the_view(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer, outstanding, overdue = _customer_with_overdue(workspace.id)
    browser = login(user)

    response = browser.get(f"/customers/{customer.id}")

    assert response.status_code == 200
    assert eur(outstanding) in response.text and eur(overdue) in response.text
    with UnitOfWork(workspace.id, write=False) as uow:
        entry = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "customer.account_viewed")
                                    .order_by(JournalEntry.seq.desc())).first()
    assert entry.refs == {"customer": customer.code}
    assert entry.actor == f"candidate:{user.username}"
    assert Decimal(entry.payload["outstanding"]) == outstanding
    assert Decimal(entry.payload["overdue"]) == overdue


def test_htmx_requests_get_only_the_table_fragment(login, candidate_with_workspace):
    user, _ = candidate_with_workspace
    browser = login(user)
    full = browser.get("/customers?q=a")
    fragment = browser.get("/customers?q=a", headers={"HX-Request": "true"})
    assert "<html" in full.text and 'id="customer-table"' in full.text
    assert "<html" not in fragment.text and fragment.text.lstrip().startswith('<div id="customer-table">')


def test_candidate_text_is_escaped_in_pages(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id) as uow:
        customer = uow.session.scalars(select(Customer).limit(1)).one()
        customer.name = "<script>alert('x')</script> SARL"
        uow.commit()
    html = login(user).get(f"/customers/{customer.id}").text
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_the_products_page_lists_stock_columns(login, candidate_with_workspace):
    user, _ = candidate_with_workspace
    html = login(user).get("/products?sort=available&dir=asc").text
    for column in ("Stock physique", "Réservé", "Disponible", "Point de cde", "Stock sécu."):
        assert column in html


def test_trainers_read_a_workspace_journal(login, make_user, workspace):
    html = login(make_user("trainer")).get(f"/workspaces/{workspace.id}/journal").text
    assert "workspace.seeded" in html and "Chaîne de hachage intègre" in html
    assert f"Journal — {workspace.name}" in html
