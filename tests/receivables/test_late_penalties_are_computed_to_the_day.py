"""Late-payment penalties and the 40 € indemnity, to the day (C. com. L441-10 II,
D441-5; domain/payment-and-invoicing.md §2-3): amount TTC × annual rate × days
late ÷ 365, the rate of the terms of sale floored at three times the legal
interest rate, 40 € per invoice paid late, between professionals only, no VAT."""
from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.billing.models import Invoice, InvoiceLine
from sim.db import UnitOfWork
from sim.documents.models import Document
from sim.errors import ValidationFailed
from sim.receivables import penalties as pen
from sim.receivables.recovery import issue_letter, issue_penalty_invoice, penalties_for
from sim.receivables.service import record_payment
from tests.factories import ACTOR, last_entry, make_customer, set_company, snapshot
from tests.receivables import an_invoice, at


def test_the_worked_example_12000_ttc_40_days_at_12_15_is_159_78_plus_40():
    claim = pen.invoice_penalty(number="FA-1", due_date=date(2026, 10, 15), total_ttc=D("12000.00"),
                                open_amount=D("0.00"), paid_late=[(date(2026, 11, 24), D("12000.00"))],
                                as_of=date(2026, 11, 30), cgv_rate=D("12.15"))
    assert (claim.days, claim.rate, claim.penalties, claim.indemnity, claim.claim) == (
        40, D("12.15"), D("159.78"), D("40.00"), D("199.78"))


def test_a_rate_below_three_times_the_legal_rate_is_raised_to_the_floor():
    assert pen.legal_rate(date(2026, 3, 1)) == D("2.62") and pen.floor_rate(date(2026, 3, 1)) == D("7.86")
    assert pen.floor_rate(date(2025, 10, 1)) == D("8.28")  # H2 2025: 3 × 2.76
    claim = pen.invoice_penalty(number="FA-1", due_date=date(2026, 10, 15), total_ttc=D("12000.00"),
                                open_amount=D("12000.00"), paid_late=[], as_of=date(2026, 11, 24), cgv_rate=D("5.00"))
    assert claim.rate == D("7.86") and claim.penalties == D("103.36")  # the domain's figure at the floor


def test_a_part_paid_late_bears_penalties_up_to_its_day_the_rest_up_to_the_letter():
    # 4 800 due 15/10; 2 000 paid 05/11 (21 days); 2 800 still owed at 20/11 (36 days), 12.15 %
    claim = pen.invoice_penalty(number="FA-2", due_date=date(2026, 10, 15), total_ttc=D("4800.00"),
                                open_amount=D("2800.00"), paid_late=[(date(2026, 11, 5), D("2000.00"))],
                                as_of=date(2026, 11, 20), cgv_rate=D("12.15"))
    assert [(p.amount, p.days, p.penalty, p.paid) for p in claim.periods] == [
        (D("2000.00"), 21, D("13.98"), True), (D("2800.00"), 36, D("33.55"), False)]
    assert claim.penalties == D("47.53") and claim.indemnity == D("40.00")  # one indemnity per invoice


def test_not_late_or_a_consumer_owes_nothing():
    on_time = pen.invoice_penalty(number="FA-3", due_date=date(2026, 11, 30), total_ttc=D("100.00"),
                                  open_amount=D("100.00"), paid_late=[], as_of=date(2026, 11, 30), cgv_rate=D("12.15"))
    consumer = pen.invoice_penalty(number="FA-4", due_date=date(2026, 10, 1), total_ttc=D("100.00"),
                                   open_amount=D("100.00"), paid_late=[], as_of=date(2026, 11, 30),
                                   cgv_rate=D("12.15"), b2b=False)
    assert on_time.claim == D("0.00") and consumer.claim == D("0.00")


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\u202f", " ").replace("\xa0", " ")


def test_a_formal_notice_on_three_invoices_claims_each_ones_penalties_and_indemnity(workspace, tmp_path):
    ws = workspace.id
    set_company(ws, penalty_rate=D("12.15"))
    at(ws, date(2026, 11, 24))
    customer = make_customer(ws)
    a = an_invoice(ws, customer, "12000.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))  # 40 days
    b = an_invoice(ws, customer, "2400.00", issued=date(2026, 9, 30), due=date(2026, 10, 30))  # 25 days
    c = an_invoice(ws, customer, "600.00", issued=date(2026, 10, 14), due=date(2026, 11, 13))  # 11 days
    with UnitOfWork(ws) as uow:
        rows = issue_letter(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[a.id, b.id, c.id],
                            level="formal_notice", deadline_days="8")
        uow.commit()
    # 12 000 × 12.15 % × 40/365 = 159.78; 2 400 × … × 25/365 = 19.97; 600 × … × 11/365 = 2.20
    assert [(r.penalties, r.indemnity) for r in rows] == [
        (D("159.78"), D("40.00")), (D("19.97"), D("40.00")), (D("2.20"), D("40.00"))]
    entry = last_entry(ws, "reminder.sent")
    assert entry.refs == {"customer": customer.code, "reminder": rows[0].number}
    assert entry.payload["penalties"] == "181.95" and entry.payload["indemnity"] == "120.00"
    assert entry.payload["level"] == "formal_notice" and entry.payload["channel"] == "registered"
    generated = last_entry(ws, "document.generated")
    assert generated.refs == {"formal_notice": rows[0].number, "customer": customer.code}
    with UnitOfWork(ws, write=False) as uow:
        document = uow.get(Document, rows[0].document_id)
        text = _pdf_text(document.content, tmp_path)
    assert "MISE EN DEMEURE" in text and "article 1344 du Code civil" in text
    for figure in ("159,78", "19,97", "2,20", "181,95", "120,00", "15 301,95", "12 000,00 × 12,15 % × 40 j / 365",
                   "02/12/2026", "L441-10", "D441-5"):
        assert figure in text, figure


def test_the_penalty_invoice_has_no_vat_and_cannot_be_issued_twice(workspace):
    ws = workspace.id
    set_company(ws, penalty_rate=D("12.15"))
    at(ws, date(2026, 11, 5))
    customer = make_customer(ws)
    invoice = an_invoice(ws, customer, "4800.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))
    with UnitOfWork(ws) as uow:
        record_payment(uow, actor=ACTOR, customer_id=customer.id, method="transfer", amount="2000.00",
                       allocations={invoice.id: "2000.00"})
        uow.commit()
    at(ws, date(2026, 11, 20))
    with UnitOfWork(ws) as uow:
        penalty = issue_penalty_invoice(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id])
        uow.commit()
    assert (penalty.total_ht, penalty.total_vat, penalty.total_ttc, penalty.due_date) == (
        D("87.53"), D("0.00"), D("87.53"), date(2026, 11, 20))
    with UnitOfWork(ws, write=False) as uow:
        lines = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == penalty.id)
                                    .order_by(InvoiceLine.position)).all()
        assert uow.get(Invoice, penalty.id).number.startswith("FA-")  # the invoice series, no gap
    assert [(l.line_total_ht, l.vat_rate) for l in lines] == [(D("47.53"), D("0.00")), (D("40.00"), D("0.00"))]
    assert "2 000,00 € × 12.15 % × 21 j / 365" in lines[0].description.replace("\u202f", " ").replace("\xa0", " ")
    assert last_entry(ws, "penalty_invoice.issued").payload["total"] == "87.53"
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        issue_penalty_invoice(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id])
    assert "déjà été facturées" in refused.value.errors["invoices"]
    assert snapshot(ws) == before


def test_a_consumer_is_sent_no_penalty(workspace):
    ws = workspace.id
    at(ws, date(2026, 11, 24))
    person = make_customer(ws, kind="b2c")
    invoice = an_invoice(ws, person, "120.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))
    with UnitOfWork(ws, write=False) as uow:
        [claim] = penalties_for(uow, [uow.get(Invoice, invoice.id)])
    assert claim.claim == D("0.00")
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        issue_penalty_invoice(uow, actor=ACTOR, customer_id=person.id, invoice_ids=[invoice.id])
    assert "entre professionnels" in refused.value.errors["invoices"]
