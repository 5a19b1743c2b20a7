"""The receivables pages render what the services compute: the aged balance,
today's reminders, the overdue list with its filters and a customer's file."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from sim.db import UnitOfWork
from sim.receivables import recovery
from tests.receivables import a_customer, an_invoice, at


def test_the_pages_show_an_overdue_invoice_and_the_customer_file(candidate_with_workspace, login):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    at(ws, date(2026, 11, 24))
    customer = a_customer(ws, name="Quincaillerie Lemoine")
    invoice = an_invoice(ws, customer, "12000.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))
    browser = login(user)
    page = browser.get("/receivables")
    assert page.status_code == 200 and "Quincaillerie Lemoine" in page.text and "DSO" in page.text
    # the tab's count of today's reminders: fetched by the balance once it shows, on the other two tabs at once
    assert 'hx-get="/receivables/todo/count"' in page.text
    count = browser.get("/receivables/todo/count", headers={"HX-Request": "true"})
    assert count.status_code == 200 and "<html" not in count.text
    todo = browser.get("/receivables/todo")
    assert todo.status_code == 200 and invoice.number in todo.text
    with UnitOfWork(ws, write=False) as uow:
        due = len(recovery.todo(uow))  # one a customer and step
    assert due >= 1 and f'<span class="count" data-testid="todo-count">{due}</span>' in count.text
    assert f'<span class="count" data-testid="todo-count">{due}</span>' in todo.text
    overdue = browser.get("/receivables/overdue", params={"q": "lemoine", "bucket": "d31_60", "state": "due"})
    assert overdue.status_code == 200 and invoice.number in overdue.text
    assert invoice.number not in browser.get("/receivables/overdue", params={"q": "lemoine", "bucket": "d90"}).text
    for query in ("", "?compose=first", "?compose=second&lang=en", "?compose=courtesy"):
        file = browser.get(f"/customers/{customer.id}/recovery{query}")
        assert file.status_code == 200, file.text[:2000]
        assert "Relance par courriel" in file.text and "199,78" in file.text  # penalties + indemnity to date


def test_the_manager_decides_a_plan_beyond_the_delegation_on_the_approvals_page(candidate_with_workspace, login,
                                                                                make_user):
    from sqlalchemy import select

    from sim.db import UnitOfWork
    from sim.receivables.models import PaymentPlan, PaymentPlanStatus
    from tests.factories import last_entry, set_company

    user, workspace = candidate_with_workspace
    ws = workspace.id
    set_company(ws, max_payment_plan_months=3)
    at(ws, date(2026, 11, 16))
    customer = a_customer(ws, name="Bernard Bricolage")
    invoice = an_invoice(ws, customer, "7200.00", issued=date(2026, 9, 10), due=date(2026, 10, 10))
    candidate = login(user)
    form = {"form_name": "plan", "invoices": str(invoice.id), "note": "Six mensualités demandées par écrit."}
    for n, month in enumerate(("2026-12-15", "2027-01-15", "2027-02-15", "2027-03-15", "2027-04-15", "2027-05-15"),
                              start=1):
        form |= {f"date-{n}": month, f"amount-{n}": "1200,00"}
    sent = candidate.post(f"/customers/{customer.id}/recovery/payment-plan", form)
    assert sent.status_code == 303, sent.text[:2000]
    assert last_entry(ws, "payment_plan.approval_requested").payload["months"] == 6
    trainer = login(make_user("trainer"))
    approvals = trainer.get(f"/workspaces/{ws}/approvals")
    assert "Bernard Bricolage" in approvals.text and "Échéanciers au-delà de la délégation" in approvals.text
    decided = trainer.post(f"/workspaces/{ws}/customers/{customer.id}/payment-plan/decision",
                           {"decision": "approved", "comment": ""})
    assert decided.status_code == 303
    with UnitOfWork(ws, write=False) as uow:
        [plan] = uow.session.scalars(select(PaymentPlan)).all()
    assert plan.status == PaymentPlanStatus.ACTIVE
    assert last_entry(ws, "payment_plan.decided").actor.startswith("trainer:")


def test_the_aged_balance_pages_its_customers_and_totals_them_all(candidate_with_workspace, login):
    """The company's total and KPIs cover every customer with a balance; the table shows
    them by page (the most overdue first) and finds one by name or code."""
    import re

    from sim.db import UnitOfWork
    from sim.receivables.aging import aged_balance

    user, workspace = candidate_with_workspace
    ws = workspace.id
    at(ws, date(2026, 11, 24))
    customer = a_customer(ws, name="Quincaillerie Ouzbeck")
    an_invoice(ws, customer, "99000.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))
    for n in range(20):  # more customers with a balance than a page holds
        an_invoice(ws, a_customer(ws, name=f"Client à solde {n}"), "100.00", issued=date(2026, 11, 1),
                   due=date(2026, 12, 1))
    with UnitOfWork(ws, write=False) as uow:
        balance = aged_balance(uow)
    count = len(balance.rows)
    assert count > 25
    browser = login(user)
    first = browser.get("/receivables", params={"per_page": "25"})
    assert first.status_code == 200 and f"1–25 sur {count} clients" in first.text.replace("\u202f", " ")
    assert len(re.findall(r'href="/customers/\d+/recovery"', first.text)) == 25
    assert "Quincaillerie Ouzbeck" in first.text  # the most overdue first
    last = browser.get("/receivables", params={"per_page": "25", "page": "999"})
    assert f"page {-(-count // 25)} / {-(-count // 25)}" in last.text and "Quincaillerie Ouzbeck" not in last.text
    found = browser.get("/receivables", params={"q": customer.code.lower()}, headers={"HX-Request": "true"})
    assert found.status_code == 200 and "<html" not in found.text  # the table's fragment
    assert len(re.findall(r'href="/customers/\d+/recovery"', found.text)) == 1 and "Quincaillerie Ouzbeck" in found.text
    assert "Total entreprise" in found.text  # the company's total stays the whole company's
    assert "Aucun client avec un solde" in browser.get("/receivables", params={"q": "zzz-nobody"}).text


def test_the_overdue_list_pages_its_filtered_invoices_and_totals_them_all(candidate_with_workspace, login):
    from datetime import timedelta

    user, workspace = candidate_with_workspace
    ws = workspace.id
    at(ws, date(2026, 11, 24))
    customer = a_customer(ws, name="Droguerie Paginée")
    dues = [date(2026, 9, 26) + timedelta(days=n) for n in range(27)]  # 59 to 33 days late: all 31–60
    invoices = [an_invoice(ws, customer, "10.00", issued=due - timedelta(days=30), due=due) for due in dues]
    browser = login(user)
    page = browser.get("/receivables/overdue", params={"q": "paginée", "bucket": "d31_60", "per_page": "25",
                                                       "page": "2"})
    text = page.text.replace("\u202f", " ").replace("\xa0", " ")
    assert page.status_code == 200 and "26–27 sur 27 factures" in text
    assert invoices[-1].number in text and invoices[0].number not in text  # the latest last
    assert "270,00 €" in text  # the 27 invoices' amount due, not the page's
    assert 'href="/receivables/overdue?bucket=d31_60&amp;q=pagin%C3%A9e&amp;per_page=25' in page.text  # filters kept
    fragment = browser.get("/receivables/overdue", params={"q": "paginée"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="overdue-table"' in fragment.text


def test_todays_reminders_are_listed_by_page_with_every_items_count_and_amount(candidate_with_workspace, login):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    at(ws, date(2026, 11, 24))
    for n in range(55):  # a first reminder due for each (due 10 days ago, the step is at J+5)
        an_invoice(ws, a_customer(ws, name=f"Relancé {n:02d}"), "10.00", issued=date(2026, 10, 14),
                   due=date(2026, 11, 14))
    with UnitOfWork(ws, write=False) as uow:
        items = recovery.todo(uow)
    assert len(items) > 55
    browser = login(user)
    second = browser.get("/receivables/todo", params={"page": "2"}).text.replace("\u202f", " ")
    assert f"51–{len(items)} sur {len(items)} relances" in second
    assert f'<span class="count" data-testid="todo-count">{len(items)}</span>' in second  # the tab counts them all
    total = sum((i.amount for i in items), D("0"))
    assert f"{total:,.2f}".replace(",", " ").replace(".", ",") + " €" in second.replace("\xa0", " ")
    fragment = browser.get("/receivables/todo", params={"page": "2"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="todo-table"' in fragment.text
