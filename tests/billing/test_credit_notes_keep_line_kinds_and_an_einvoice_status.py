"""A credit note copies the kind of the invoice lines it credits (goods, freight,
insurance, penalty) and goes through the e-invoicing platform as an invoice does:
deposited at issue, then received, refused (with a reason) or collected, each move
journaled ``credit_note.einvoice_status``."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.billing.einvoice import StatusMoveRefused, move_credit_note_status
from sim.billing.models import CreditNote, CreditNoteLine, InvoiceLine
from sim.billing.service import issue_credit_note, issue_credit_note_by_amount
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from tests.claims import an_invoice_of_1000_ht
from tests.factories import ACTOR, last_entry


def _lines(ws, note_id):
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(CreditNoteLine).where(CreditNoteLine.credit_note_id == note_id)
                                   .order_by(CreditNoteLine.position)).all()


def test_a_credit_note_by_quantity_keeps_the_kind_of_a_freight_line(workspace):
    ws = workspace.id
    _, invoice = an_invoice_of_1000_ht(ws)
    with UnitOfWork(ws) as uow:  # a freight line on the invoice (as sim/shipping/freight.py prices one)
        uow.session.add(InvoiceLine(workspace_id=ws, invoice_id=invoice.id, product_id=None,
                                    description="Transport (messagerie)", quantity=D("1"), unit_price=D("25.00"),
                                    vat_rate=D("20.00"), line_total_ht=D("25.00"), position=9, line_kind="freight"))
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        lines = {l.line_kind: l for l in uow.session.scalars(select(InvoiceLine)
                                                              .where(InvoiceLine.invoice_id == invoice.id))}
    with UnitOfWork(ws) as uow:
        note = issue_credit_note(uow, actor=ACTOR, invoice_id=invoice.id,
                                 quantities={lines["goods"].id: "1", lines["freight"].id: "1"}, reason="Port offert")
        uow.commit()
    assert [(l.line_kind, l.line_total_ht) for l in _lines(ws, note.id)] == [("goods", D("100.00")),
                                                                            ("freight", D("25.00"))]


def test_a_gesture_on_a_penalty_invoice_is_a_penalty_line(workspace):
    from sim.billing.models import Invoice

    ws = workspace.id
    _, invoice = an_invoice_of_1000_ht(ws)
    with UnitOfWork(ws) as uow:
        for line in uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)):
            line.line_kind = "penalty"
        uow.commit()
    with UnitOfWork(ws) as uow:
        note = issue_credit_note_by_amount(uow, actor=ACTOR, invoice_id=invoice.id, amount="10", reason="Remise")
        uow.commit()
    assert [l.line_kind for l in _lines(ws, note.id)] == ["penalty"]


def test_a_credit_note_is_deposited_at_issue_then_moves_as_its_platform_reports(workspace):
    ws = workspace.id
    _, invoice = an_invoice_of_1000_ht(ws)
    with UnitOfWork(ws) as uow:
        note = issue_credit_note_by_amount(uow, actor=ACTOR, invoice_id=invoice.id, amount="20", reason="Geste")
        uow.commit()
    assert note.einvoice_status == "deposited" and note.einvoice_status_at is not None
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed):
        move_credit_note_status(uow, actor="scenario", credit_note_id=note.id, status="refused")  # no reason
    with UnitOfWork(ws) as uow:
        move_credit_note_status(uow, actor="scenario", credit_note_id=note.id, status="received", event="pdp")
        uow.commit()
    entry = last_entry(ws, "credit_note.einvoice_status")
    assert entry.refs == {"credit_note": note.number, "invoice": invoice.number,
                          "customer": entry.refs["customer"], "event": "pdp"}
    assert entry.payload == {"status": "received", "code": "202", "previous": "deposited", "reason": ""}
    with UnitOfWork(ws) as uow:
        move_credit_note_status(uow, actor="scenario", credit_note_id=note.id, status="collected")
        uow.commit()
    with UnitOfWork(ws) as uow, pytest.raises(StatusMoveRefused):
        move_credit_note_status(uow, actor="scenario", credit_note_id=note.id, status="received")
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(CreditNote, note.id).einvoice_status == "collected"


def test_the_credit_note_page_shows_its_einvoice_status_and_line_kinds(login, candidate_with_workspace):
    user, space = candidate_with_workspace
    _, invoice = an_invoice_of_1000_ht(space.id)
    with UnitOfWork(space.id) as uow:
        note = issue_credit_note_by_amount(uow, actor=ACTOR, invoice_id=invoice.id, amount="20", reason="Geste")
        uow.commit()
    page = login(user).get(f"/credit-notes/{note.id}")
    assert page.status_code == 200 and 'data-testid="einvoice-status">Déposée</span> (200)' in page.text


def test_the_scenario_event_moves_the_invoices_last_credit_note(workspace):
    from sim.scenario.events import einvoice_status

    ws = workspace.id
    _, invoice = an_invoice_of_1000_ht(ws)
    with UnitOfWork(ws) as uow:
        note = issue_credit_note_by_amount(uow, actor=ACTOR, invoice_id=invoice.id, amount="20", reason="Geste")
        uow.commit()

    class Ctx:
        actor, event_key = "scenario", "avoir-refuse"

        def entity(self, kind, name):
            return self.uow.get(__import__("sim.billing.models", fromlist=["Invoice"]).Invoice, invoice.id)

    with UnitOfWork(ws) as uow:
        ctx = Ctx()
        ctx.uow = uow
        einvoice_status.handle(ctx, {"invoice": "x", "status": "refused", "reason": "Montant erroné",
                                     "credit_note": True})
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        refused = uow.get(CreditNote, note.id)
        assert (refused.einvoice_status, refused.einvoice_reason) == ("refused", "Montant erroné")
    assert last_entry(ws, "credit_note.einvoice_status").refs["event"] == "avoir-refuse"
