"""An invoice's e-invoicing status follows the platforms' life cycle: deposited
(200) at issue, then received (202), refused by the buyer with a reason (210) or
collected (212); refused and collected are final. A move that does not follow
changes nothing and journals nothing."""
from __future__ import annotations

import pytest

from sim.billing.einvoice import StatusMoveRefused, move_status
from sim.billing.models import Invoice
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from tests.factories import ACTOR, make_customer, make_product
from tests.money_helpers import invoiced


def _move(ws, invoice, status, reason=""):
    with UnitOfWork(ws) as uow:
        moved = move_status(uow, actor=ACTOR, invoice_id=invoice.id, status=status, reason=reason)
        uow.commit()
        return moved


def _count(ws):
    from sqlalchemy import func, select

    from sim.journal.models import JournalEntry

    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(JournalEntry)
                                  .where(JournalEntry.kind == "invoice.einvoice_status"))


def test_an_invoice_is_deposited_at_issue_then_received_then_collected(workspace):
    ws = workspace.id
    invoice = invoiced(ws, make_customer(ws), (make_product(ws, price="50.00"), 2))
    assert invoice.einvoice_status == "deposited" and invoice.einvoice_status_at is not None
    assert _move(ws, invoice, "received").einvoice_status == "received"
    assert _move(ws, invoice, "collected").einvoice_status == "collected"
    with pytest.raises(StatusMoveRefused):
        _move(ws, invoice, "refused", "Trop tard")
    assert _count(ws) == 2


@pytest.mark.parametrize("status, reason, field", [("refused", "  ", "reason"), ("lost", "", "status"),
                                                   ("deposited", "", None)])
def test_a_move_that_does_not_follow_changes_nothing(workspace, status, reason, field):
    ws = workspace.id
    invoice = invoiced(ws, make_customer(ws), (make_product(ws, price="50.00"), 2))
    with pytest.raises((ValidationFailed, StatusMoveRefused)) as refused:
        _move(ws, invoice, status, reason)
    if field:
        assert field in refused.value.errors
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(Invoice, invoice.id).einvoice_status == "deposited"
    assert _count(ws) == 0
