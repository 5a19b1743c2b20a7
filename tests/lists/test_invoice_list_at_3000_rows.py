"""3 000 invoices in one workspace: page 2 of a filtered list has the right
rows, count and totals (computed in SQL over every filtered row, not cut off)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert

from sim.billing.lists import invoice_params, list_invoices
from sim.billing.models import Invoice
from sim.db import UnitOfWork
from tests.factories import make_customer

START = date(2024, 1, 1)


def _bulk_invoices(workspace_id: int, customer_id: int, n: int, prefix: str) -> None:
    """n invoices in one INSERT: invoice k is k × 10 € HT (+20 % VAT); every third is unpaid."""
    rows = []
    for k in range(1, n + 1):
        ht = Decimal(k * 10).quantize(Decimal("0.01"))
        ttc = (ht * Decimal("1.2")).quantize(Decimal("0.01"))
        rows.append(dict(workspace_id=workspace_id, number=f"{prefix}-{k:05d}", customer_id=customer_id,
                         status="issued" if k % 3 == 0 else "paid", issue_date=START + timedelta(days=k % 700),
                         due_date=START + timedelta(days=k % 700 + 30), payment_terms="30_net",
                         global_discount_pct=Decimal("0"), total_ht=ht, total_vat=ttc - ht, total_ttc=ttc,
                         amount_due=ttc if k % 3 == 0 else Decimal("0.00"), customer_po=f"PO-{k}", notes=""))
    with UnitOfWork(workspace_id) as uow:
        uow.session.execute(insert(Invoice), rows)
        uow.commit()


def test_page_two_of_the_open_invoices_of_a_customer_among_3000(workspace):
    customer = make_customer(workspace.id, name="Grossiste Trois Mille")
    _bulk_invoices(workspace.id, customer.id, 3000, "FX")
    with UnitOfWork(workspace.id, write=False) as uow:
        everything = list_invoices(uow, invoice_params({"customer": customer.code}))
        params = invoice_params({"customer": customer.code, "status": "open", "sort": "number", "dir": "asc",
                                 "page": "2"})
        page = list_invoices(uow, params)

    assert everything.total == 3000 and everything.pages == 60  # 50 a page: no cut-off at 200 or 300
    unpaid = [k for k in range(1, 3001) if k % 3 == 0]  # 1 000 invoices
    assert page.total == len(unpaid) == 1000
    assert (page.first, page.last, page.pages) == (51, 100, 20)
    assert [i.number for i, _ in page.rows] == [f"FX-{k:05d}" for k in unpaid[50:100]]
    ht = sum(Decimal(k * 10) for k in unpaid)
    assert page.totals["ht"] == ht == Decimal("15015000")
    assert page.totals["ttc"] == page.totals["due"] == ht * Decimal("1.2")


def test_the_overdue_filter_and_a_date_range_count_in_sql(workspace):
    customer = make_customer(workspace.id)
    _bulk_invoices(workspace.id, customer.id, 300, "FY")
    with UnitOfWork(workspace.id, write=False) as uow:
        from sim.clock import sim_date

        today = sim_date(uow)
        page = list_invoices(uow, invoice_params({"customer": customer.code, "overdue": "1",
                                                  "from": "2024-02-01", "to": "2024-03-31"}))
    expected = [k for k in range(1, 301) if k % 3 == 0 and date(2024, 2, 1) <= START + timedelta(days=k % 700)
                <= date(2024, 3, 31) and START + timedelta(days=k % 700 + 30) < today]
    assert expected and page.total == len(expected)
    assert page.totals["due"] == sum((Decimal(k * 12) for k in expected), Decimal(0))
