"""The money forms as a candidate uses them: a gesture refused beside its field
beyond the delegation, then issued; a customer credit set against an invoice
(tests for the figures: tests/billing, tests/receivables)."""
from __future__ import annotations

from decimal import Decimal as D

from sqlalchemy import select

from sim.billing.models import CreditNote, Invoice
from sim.db import UnitOfWork
from sim.receivables.models import Payment
from tests.factories import make_customer, make_product, set_company
from tests.money_helpers import invoiced


def test_a_gesture_beyond_the_delegation_is_refused_on_its_field_then_issued(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    set_company(ws, max_gesture_pct=D("5.00"))
    invoice = invoiced(ws, make_customer(ws), (make_product(ws, price="250.00"), 4))  # 1 000 HT
    browser = login(user)
    form = {"amount": "80", "motive": "Geste commercial", "vat_rate": "20.00", "reason": "Retard"}

    refused = browser.post(f"/invoices/{invoice.id}/credit-notes/amount", form)
    assert refused.status_code == 422
    assert "supérieur à votre délégation" in refused.text and 'value="80"' in refused.text

    done = browser.post(f"/invoices/{invoice.id}/credit-notes/amount", form | {"amount": "50"},
                        follow_redirects=False)
    assert done.status_code == 303
    with UnitOfWork(ws, write=False) as uow:
        note = uow.session.scalars(select(CreditNote).where(CreditNote.invoice_id == invoice.id)).one()
        assert (note.basis, note.total_ttc) == ("amount", D("60.00"))


def test_an_overpayment_then_its_credit_set_against_the_next_invoice(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    customer = make_customer(ws)
    product = make_product(ws, price="50.00")
    first = invoiced(ws, customer, (product, 2))  # 120.00 TTC
    browser = login(user)
    paid = browser.post(f"/customers/{customer.id}/payments",
                        {"method": "transfer", "amount": "150,00", f"alloc-{first.id}": "120,00", "reference": "VIR"},
                        follow_redirects=False)
    assert paid.status_code == 303
    second = invoiced(ws, customer, (product, 1))  # 60.00 TTC
    with UnitOfWork(ws, write=False) as uow:
        payment = uow.session.scalars(select(Payment).where(Payment.customer_id == customer.id)).one()
    page = browser.get(f"/customers/{customer.id}/payments/new").text
    assert "Crédits du client" in page and f'value="pay-{payment.id}"' in page

    used = browser.post(f"/customers/{customer.id}/credits/allocate",
                        {"source": f"pay-{payment.id}", "invoice": str(second.id), "amount": "30,00"},
                        follow_redirects=False)
    assert used.status_code == 303
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(Invoice, second.id).amount_due == D("30.00")
        assert uow.get(Payment, payment.id).unapplied == D("0.00")
