"""The receivables pages render what the services compute: the aged balance,
today's reminders, the overdue list with its filters and a customer's file."""
from __future__ import annotations

from datetime import date

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
    todo = browser.get("/receivables/todo")
    assert todo.status_code == 200 and invoice.number in todo.text
    overdue = browser.get("/receivables/overdue", params={"q": "lemoine", "bucket": "d31_60", "state": "due"})
    assert overdue.status_code == 200 and invoice.number in overdue.text
    assert invoice.number not in browser.get("/receivables/overdue", params={"q": "lemoine", "bucket": "d90"}).text
    for query in ("", "?compose=first", "?compose=second&lang=en", "?compose=courtesy"):
        file = browser.get(f"/customers/{customer.id}/recovery{query}")
        assert file.status_code == 200, file.text[:2000]
        assert "Relance par courriel" in file.text and "199,78" in file.text  # penalties + indemnity to date
