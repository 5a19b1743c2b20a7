"""A payment larger than what is due is recorded, the excess kept as a credit;
customer credits (credit notes, overpayments) are set against open invoices or
refunded, and netted in the overdue figure and the statement of account
(domain/receivables-recovery.md §5; domain/payment-and-invoicing.md §6)."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.billing.models import Invoice, InvoiceLine, InvoiceStatus
from sim.billing.service import issue_credit_note
from sim.clock import sim_date
from sim.crm.models import Customer
from sim.crm.service import customer_balance
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.receivables.service import allocate_credit, open_credits, record_payment, refund_credit
from sim.receivables.statement import account_statement
from tests.factories import ACTOR, last_entry, make_customer, make_product, snapshot
from tests.money_helpers import invoiced


def _balance(ws, customer):
    with UnitOfWork(ws, write=False) as uow:
        return customer_balance(uow, uow.get(Customer, customer.id))


def test_a_payment_of_150_on_120_due_leaves_a_30_credit_then_refunded(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    invoice = invoiced(ws, customer, (make_product(ws, price="50.00"), 2))  # 120.00 TTC
    with UnitOfWork(ws) as uow:
        payment = record_payment(uow, actor=ACTOR, customer_id=customer.id, method="transfer", amount="150.00",
                                 allocations={invoice.id: "120.00"})
        uow.commit()
    assert payment.unapplied == D("30.00")
    assert last_entry(ws, "payment.recorded").payload["excess"] == "30.00"
    assert _balance(ws, customer).outstanding == D("-30.00")

    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        refund_credit(uow, actor=ACTOR, customer_id=customer.id, source=f"pay-{payment.id}", amount="30.01")
    assert refused.value.errors["amount"] == "Supérieur au crédit disponible (30,00\u00a0€)."
    assert snapshot(ws) == before
    with UnitOfWork(ws) as uow:
        refund_credit(uow, actor=ACTOR, customer_id=customer.id, source=f"pay-{payment.id}", amount="30.00",
                      reference="VIR-REMB-1")
        uow.commit()
    assert _balance(ws, customer).outstanding == D("0.00")
    with UnitOfWork(ws, write=False) as uow:
        statement = account_statement(uow, customer.id)
    assert [(l.kind, l.debit, l.credit) for l in statement.lines] == [
        ("Facture", D("120.00"), D("0.00")), ("Règlement", D("0.00"), D("150.00")),
        ("Remboursement", D("30.00"), D("0.00"))]
    assert statement.closing_balance == D("0.00")
    assert last_entry(ws, "credit.refunded").payload == {"amount": "30.00", "method": "transfer",
                                                          "reference": "VIR-REMB-1", "credit_left": "0.00"}


def test_a_payment_above_what_is_due_must_settle_every_open_invoice_first(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    invoice = invoiced(ws, customer, (make_product(ws, price="50.00"), 2))
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        record_payment(uow, actor=ACTOR, customer_id=customer.id, method="transfer", amount="150.00",
                       allocations={invoice.id: "100.00"})
    assert "soldez d'abord toutes ses factures ouvertes" in refused.value.errors["allocations"]


def test_a_customer_in_credit_is_not_shown_overdue(workspace):
    """Invoice A (120.00 TTC) paid, then credited by 60.00 → a 60.00 credit;
    invoice B (60.00 TTC), past due: the customer owes nothing overall, and nothing is late."""
    ws = workspace.id
    customer = make_customer(ws)
    product = make_product(ws, price="50.00")
    a = invoiced(ws, customer, (product, 2))
    with UnitOfWork(ws) as uow:
        record_payment(uow, actor=ACTOR, customer_id=customer.id, method="transfer", amount="120.00",
                       allocations={a.id: "120.00"})
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        line = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == a.id)).one()
    with UnitOfWork(ws) as uow:
        note = issue_credit_note(uow, actor=ACTOR, invoice_id=a.id, quantities={line.id: "1"}, reason="Casse")
        uow.commit()
    b = invoiced(ws, customer, (product, 1))  # 60.00 TTC
    with UnitOfWork(ws) as uow:  # B is now past due
        uow.get(Invoice, b.id).due_date = sim_date(uow) - timedelta(days=10)
        uow.commit()

    balance = _balance(ws, customer)
    assert (balance.outstanding, balance.overdue, balance.credit) == (D("0.00"), D("0.00"), D("60.00"))
    with UnitOfWork(ws, write=False) as uow:
        statement = account_statement(uow, customer.id)
        assert [key for key, _ in open_credits(uow, customer.id)] == [f"cn-{note.id}"]
    assert (statement.closing_balance, statement.overdue, statement.credit) == (D("0.00"), D("0.00"), D("60.00"))

    # the credit is set against B: B is paid, the credit note used up
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        allocate_credit(uow, actor=ACTOR, customer_id=customer.id, source=f"cn-{note.id}", invoice_id=b.id,
                        amount="60.01")
    assert refused.value.errors["amount"] == "Supérieur au crédit disponible (60,00\u00a0€)."
    with UnitOfWork(ws) as uow:
        allocate_credit(uow, actor=ACTOR, customer_id=customer.id, source=f"cn-{note.id}", invoice_id=b.id,
                        amount="60.00")
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        b = uow.get(Invoice, b.id)
        assert (b.amount_due, b.status) == (D("0.00"), InvoiceStatus.PAID)
        assert open_credits(uow, customer.id) == []
    entry = last_entry(ws, "credit.allocated")
    assert entry.refs == {"customer": customer.code, "invoice": b.number, "credit_note": note.number}
    assert entry.payload == {"amount": "60.00", "credit_left": "0.00", "invoice_amount_due": "0.00"}
    assert _balance(ws, customer).outstanding == D("0.00")
