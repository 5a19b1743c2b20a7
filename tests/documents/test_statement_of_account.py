"""The statement of account (relevé de compte, domain/receivables-recovery.md §5):
balance brought forward, invoices (debit), credit notes and payments (credit) with
a running balance, the balance at the end date and its overdue part. Checked
against sums computed straight from the rows, for every customer of a seeded
company."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.billing.models import CreditNote, Invoice
from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.documents.service import render_pdf
from sim.receivables.models import Payment, PaymentAllocation
from sim.receivables.statement import account_statement, default_start
from tests.documents import eur, normalised, order_to_cash, pdf_flow, pdf_layout

ZERO = D("0.00")


def _balance_before(uow, customer_id: int, day: date, *, inclusive: bool) -> D:
    """Invoiced − credited − paid (rejected payments aside), before ``day`` (or up to it)."""
    def counts(when):
        return when <= day if inclusive else when < day

    s = uow.session
    invoiced = sum((i.total_ttc for i in s.scalars(select(Invoice).where(Invoice.customer_id == customer_id))
                    if counts(i.issue_date)), ZERO)
    credited = sum((c.total_ttc for c in s.scalars(select(CreditNote).where(CreditNote.customer_id == customer_id))
                    if counts(c.issue_date)), ZERO)
    paid = sum((p.amount for p in s.scalars(select(Payment).where(Payment.customer_id == customer_id))
                if counts(p.received_on) and not p.rejected), ZERO)
    return invoiced - credited - paid


def _overdue_at(uow, customer_id: int, end: date) -> D:
    """What invoices due before ``end`` still owed at ``end``, rebuilt from payments and credit notes."""
    s = uow.session
    total = ZERO
    for inv in s.scalars(select(Invoice).where(Invoice.customer_id == customer_id)):
        if inv.issue_date > end or inv.due_date >= end:
            continue
        credited = sum((c.total_ttc for c in s.scalars(select(CreditNote).where(CreditNote.invoice_id == inv.id))
                        if c.issue_date <= end), ZERO)
        paid = sum((a.amount for a, p in s.execute(
            select(PaymentAllocation, Payment).join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(PaymentAllocation.invoice_id == inv.id)) if p.received_on <= end and not p.rejected), ZERO)
        total += max(ZERO, inv.total_ttc - credited - paid)
    return total


def test_the_default_period_starts_on_the_first_day_three_months_before():
    assert default_start(date(2026, 11, 2)) == date(2026, 8, 1)
    assert default_start(date(2026, 2, 28)) == date(2025, 11, 1)


def test_a_statement_lists_invoice_credit_note_and_payment_with_a_running_balance():
    story = order_to_cash()
    with UnitOfWork(story.ws, write=False) as uow:
        statement = account_statement(uow, story.buyer.id)
    assert (statement.start, statement.end) == (date(2026, 8, 1), story.today)
    assert statement.opening_balance == ZERO
    assert [(l.kind, l.number, l.debit, l.credit, l.balance) for l in statement.lines] == [
        ("Facture", story.invoice.number, D("68.86"), ZERO, D("68.86")),
        ("Avoir", story.credit_note.number, ZERO, D("13.85"), D("55.01")),
        ("Règlement", "VIR DUPONT ACOMPTE", ZERO, D("20.00"), D("35.01")),
    ]
    assert statement.lines[0].due_date == story.invoice.due_date
    assert statement.closing_balance == D("35.01")
    assert statement.overdue == ZERO  # due in 30 days


def test_a_rejected_payment_is_left_out():
    story = order_to_cash()
    with UnitOfWork(story.ws) as uow:  # set-up: an unpaid bill of exchange came back
        uow.session.add(Payment(workspace_id=story.ws, customer_id=story.irish.id, method="bill",
                                amount=D("10.00"), received_on=story.today, reference="LCR impayée",
                                rejected=True))
        uow.commit()
    with UnitOfWork(story.ws, write=False) as uow:
        statement = account_statement(uow, story.irish.id)
    assert [l.kind for l in statement.lines] == ["Facture"]
    assert statement.closing_balance == story.irish_invoice.total_ttc


@pytest.mark.parametrize("start, end", [(None, None), (date(2026, 9, 15), None), (date(2026, 8, 20), date(2026, 10, 15))])
def test_every_seeded_customer_balances_match_the_rows(start, end):
    story = order_to_cash()
    with UnitOfWork(story.ws, write=False) as uow:
        customers = uow.session.scalars(select(Customer).order_by(Customer.id)).all()
        checked = 0
        for customer in customers:
            statement = account_statement(uow, customer.id, start=start, end=end)
            the_end = end or story.today
            the_start = start or default_start(the_end)
            assert statement.opening_balance == _balance_before(uow, customer.id, the_start, inclusive=False)
            assert statement.closing_balance == _balance_before(uow, customer.id, the_end, inclusive=True)
            # the running balance walks from the opening to the closing balance
            running = statement.opening_balance
            for line in statement.lines:
                running += line.debit - line.credit
                assert line.balance == running
                assert the_start <= line.when <= the_end
            assert running == statement.closing_balance
            assert statement.overdue == _overdue_at(uow, customer.id, the_end)
            if end is None:  # at the sim date: what the invoices still owe today
                assert statement.overdue == sum(
                    (i.amount_due for i in uow.session.scalars(select(Invoice).where(
                        Invoice.customer_id == customer.id, Invoice.due_date < the_end))), ZERO)
            checked += bool(statement.lines) or statement.opening_balance != 0
    assert checked >= 10  # the seeded history gives most customers something to show


def test_the_printed_statement_shows_balances_and_the_overdue_part():
    story = order_to_cash()
    with UnitOfWork(story.ws, write=False) as uow:
        # the seeded customer with the most overdue
        customer = max(uow.session.scalars(select(Customer)),
                       key=lambda c: account_statement(uow, c.id).overdue)
        statement = account_statement(uow, customer.id)
        filename, pdf = render_pdf(uow, "statement", customer.id)
    assert statement.overdue > 0
    layout, flow = pdf_layout(pdf), pdf_flow(pdf)
    assert filename == f"Releve-de-compte_{customer.code}_{story.today.isoformat()}.pdf"
    assert "RELEVÉ DE COMPTE" in layout
    assert f"Relevé de compte au {story.today:%d/%m/%Y}" in flow
    opening = normalised(eur(statement.opening_balance).replace(" €", ""))
    assert f"Solde antérieur au {statement.start:%d/%m/%Y} {opening}" in layout
    for line in statement.lines:
        if line.kind == "Facture":
            assert (f"{line.when:%d/%m/%Y} Facture {line.number} {line.due_date:%d/%m/%Y} "
                    f"{normalised(eur(line.debit).replace(' €', ''))}") in layout
    closing = normalised(eur(statement.closing_balance).replace(" €", ""))
    assert f"Solde au {story.today:%d/%m/%Y} {closing}" in layout
    assert f"Solde dû {eur(statement.closing_balance)}" in layout
    assert f"dont échu {eur(statement.overdue)}" in layout
    assert "IBAN" in layout and "BIC" in layout
