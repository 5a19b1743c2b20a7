"""The customer list shows each row's outstanding and overdue amounts. Sorted by
name (the default), only the page's customers are totalled; sorted by a
balance, all of them are: both give each customer the figures of its account."""
from __future__ import annotations

from sim.crm.service import CustomerFilters, customer_balance, list_customers
from sim.db import UnitOfWork


def test_a_page_sorted_by_name_and_one_sorted_by_balance_show_the_accounts_figures(workspace):
    with UnitOfWork(workspace.id, write=False) as uow:
        by_name = list_customers(uow, CustomerFilters(per_page=10, page=2))
        by_balance = list_customers(uow, CustomerFilters(per_page=10, sort="outstanding", direction="desc"))
        assert by_name.total == by_balance.total > 10 and len(by_name.rows) == 10
        assert any(row.outstanding for row in by_balance.rows)
        for row in by_name.rows + by_balance.rows:
            balance = customer_balance(uow, row.customer)
            assert (row.outstanding, row.overdue) == (balance.outstanding, balance.overdue), row.customer.code
        searched = list_customers(uow, CustomerFilters(q=by_name.rows[0].customer.name[:6]))
        assert by_name.rows[0].customer.id in {row.customer.id for row in searched.rows}
