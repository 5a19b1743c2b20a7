"""The aged balance (receivables-recovery.md §6): age counted from the due date,
columns not due / 1–30 / 31–60 / 61–90 / > 90 days, a customer's credit netted;
the DSO (§7): receivables TTC ÷ sales TTC of the last 90 days × 90."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

from sim.billing.models import CreditNote
from sim.db import UnitOfWork
from sim.receivables.aging import aged_balance, bucket_of, dso
from tests.factories import make_customer
from tests.receivables import an_invoice, at

TODAY = date(2026, 11, 30)


def test_each_invoice_falls_in_the_column_of_its_days_past_due(workspace):
    ws = workspace.id
    at(ws, TODAY)
    customer = make_customer(ws)
    for days, amount in ((0, "100.00"), (1, "200.00"), (30, "300.00"), (31, "400.00"), (60, "500.00"),
                         (61, "600.00"), (90, "700.00"), (91, "800.00")):
        due = TODAY - timedelta(days=days)
        an_invoice(ws, customer, amount, issued=due - timedelta(days=30), due=due)
    with UnitOfWork(ws, write=False) as uow:
        balance = aged_balance(uow, customer_id=customer.id)
    [row] = balance.rows
    assert row.amounts == {"not_due": D("100.00"), "d1_30": D("500.00"), "d31_60": D("900.00"),
                           "d61_90": D("1300.00"), "d90": D("800.00")}
    assert row.gross == D("3600.00") and row.overdue == D("3500.00")
    assert [bucket_of(d) for d in (-5, 0, 1, 30, 31, 60, 61, 90, 91)] == [
        "not_due", "not_due", "d1_30", "d1_30", "d31_60", "d31_60", "d61_90", "d61_90", "d90"]


def test_a_credit_the_customer_holds_is_netted_and_the_company_total_adds_up(workspace):
    ws = workspace.id
    at(ws, TODAY)
    customer = make_customer(ws)
    invoice = an_invoice(ws, customer, "1200.00", issued=date(2026, 9, 1), due=date(2026, 10, 1))  # 60 days
    with UnitOfWork(ws) as uow:  # an avoir on an earlier invoice, left on the account
        uow.session.add(CreditNote(workspace_id=ws, number="AV-T-1", customer_id=customer.id, invoice_id=invoice.id,
                                   issue_date=date(2026, 11, 2), reason="Retour", total_ht=D("250.00"),
                                   total_vat=D("50.00"), total_ttc=D("300.00"), unapplied=D("300.00")))
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        mine = aged_balance(uow, customer_id=customer.id).rows[0]
        company = aged_balance(uow)
    assert (mine.amounts["d31_60"], mine.credit, mine.total, mine.overdue) == (
        D("1200.00"), D("300.00"), D("900.00"), D("900.00"))
    assert mine.customer.id in {r.customer.id for r in company.rows}
    assert company.total.gross == sum((r.gross for r in company.rows), D(0))
    assert company.total.credit == sum((r.credit for r in company.rows), D(0))


def test_dso_is_receivables_over_90_days_of_sales_times_90():
    assert dso(D("180000"), D("270000")) == D("60.0")  # the worked example of §7


def test_a_customers_dso_reads_its_own_ledger(workspace):
    ws = workspace.id
    at(ws, TODAY)
    customer = make_customer(ws)
    # 90 days of sales: 3 000 + 1 500 TTC; 1 500 of it still owed → 1 500 / 4 500 × 90 = 30 days
    an_invoice(ws, customer, "3000.00", issued=date(2026, 9, 15), due=date(2026, 10, 15), amount_due="0.00")
    an_invoice(ws, customer, "1500.00", issued=date(2026, 11, 10), due=date(2026, 12, 10))
    an_invoice(ws, customer, "9000.00", issued=date(2026, 5, 1), due=date(2026, 5, 31), amount_due="0.00")  # too old
    with UnitOfWork(ws, write=False) as uow:
        balance = aged_balance(uow, customer_id=customer.id)
    assert balance.sales_ttc == D("4500.00")
    assert balance.dso == D("30.0")


def test_a_page_of_the_aged_balance_is_the_whole_balance_in_the_same_order(workspace):
    """The list page reads its customers in SQL: the same rows, order and total as the whole balance."""
    from dataclasses import replace

    from sim.listing import ListParams
    from sim.receivables.aging import aged_page

    ws = workspace.id
    at(ws, TODAY)
    for n in range(7):
        customer = make_customer(ws)
        an_invoice(ws, customer, f"{100 * (n + 1)}.00", issued=TODAY - timedelta(days=40 + 10 * n),
                   due=TODAY - timedelta(days=10 * n))
    with UnitOfWork(ws, write=False) as uow:
        whole = aged_balance(uow)
        params = ListParams(per_page=3)
        first, page1 = aged_page(uow, params)
        _, page3 = aged_page(uow, replace(params, page=3))
    assert page1.total == first.customers == len(whole.rows)
    assert [r.customer.id for r in page1.rows] == [r.customer.id for r in whole.rows[:3]]
    assert [r.customer.id for r in page3.rows] == [r.customer.id for r in whole.rows[6:9]]
    assert [r.amounts for r in page1.rows] == [r.amounts for r in whole.rows[:3]]
    assert first.total.amounts == whole.total.amounts and first.total.credit == whole.total.credit


def test_a_recovery_files_balance_from_its_invoice_states_is_the_aged_balance(workspace):
    """The recovery file sums the open invoices it has already read: the same buckets, credit and DSO."""
    from sim.receivables.aging import balance_of
    from sim.receivables.recovery import customer_credit, invoice_states

    ws = workspace.id
    at(ws, TODAY)
    customer = make_customer(ws)
    for days, amount in ((-3, "100.00"), (12, "200.00"), (45, "300.00"), (120, "400.00")):
        due = TODAY - timedelta(days=days)
        invoice = an_invoice(ws, customer, amount, issued=due - timedelta(days=30), due=due)
    with UnitOfWork(ws) as uow:
        uow.session.add(CreditNote(workspace_id=ws, number="AV-T-2", customer_id=customer.id, invoice_id=invoice.id,
                                   issue_date=TODAY, reason="Geste", total_ht=D("50.00"), total_vat=D("10.00"),
                                   total_ttc=D("60.00"), unapplied=D("60.00")))
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        states = invoice_states(uow, customer_id=customer.id)
        mine = balance_of(uow, uow.get(type(customer), customer.id), [s.invoice for s in states],
                          customer_credit(uow, customer.id))
        expected = aged_balance(uow, customer_id=customer.id)
    [row], [want] = mine.rows, expected.rows
    assert (row.amounts, row.credit, row.total) == (want.amounts, want.credit, want.total)
    assert row.credit == D("60.00") and row.total == D("940.00")
    assert (mine.dso, mine.sales_ttc, mine.total.total) == (expected.dso, expected.sales_ttc, expected.total.total)
