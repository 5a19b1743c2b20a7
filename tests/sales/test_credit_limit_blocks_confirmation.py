"""Confirming an order checks outstanding + order against the credit limit
(domain/receivables-recovery.md §1; REAC CP4: check the outstanding before each order)."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from sim.db import UnitOfWork
from sim.sales.errors import ApprovalNotAllowed
from sim.sales.models import OrderStatus
from sim.sales.service import LineInput, approve_order, confirm_order, create_order, request_approval
from tests.factories import ACTOR, last_entry, make_customer, make_product, set_company, snapshot


def _draft(ws, customer, product, qty):
    with UnitOfWork(ws) as uow:
        result = create_order(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, qty)])
        uow.commit()
        return result


def test_an_order_over_the_limit_beyond_the_delegation_is_blocked_with_its_reason(workspace):
    ws = workspace.id
    set_company(ws, max_credit_overrun_pct=D("10.00"))
    customer = make_customer(ws, credit_limit="1000.00")
    product = make_product(ws, price="100.00")
    order = _draft(ws, customer, product, "10")  # 1 200.00 TTC > 1 100.00 allowed

    with UnitOfWork(ws) as uow:
        order = confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()

    assert order.status == OrderStatus.BLOCKED
    assert "Plafond d'encours dépassé" in order.blocked_reason
    entry = last_entry(ws)
    assert (entry.kind, entry.payload["reason_code"]) == ("order.blocked", "credit_limit")
    assert entry.payload["allowed"] == "1100.00" and entry.payload["order_total"] == "1200.00"


def test_an_overrun_within_the_delegation_is_confirmed(workspace):
    ws = workspace.id
    set_company(ws, max_credit_overrun_pct=D("25.00"))
    customer = make_customer(ws, credit_limit="1000.00")
    order = _draft(ws, customer, make_product(ws, price="100.00"), "10")  # 1 200.00 ≤ 1 250.00
    with UnitOfWork(ws) as uow:
        assert confirm_order(uow, actor=ACTOR, order_id=order.id).status == OrderStatus.CONFIRMED


def test_a_customer_in_litigation_is_blocked_whatever_the_amount(workspace):
    ws = workspace.id
    customer = make_customer(ws, credit_limit="50000.00", in_litigation=True)
    order = _draft(ws, customer, make_product(ws), "1")
    with UnitOfWork(ws) as uow:
        order = confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    assert order.status == OrderStatus.BLOCKED and "litige" in order.blocked_reason
    entry = last_entry(ws)
    assert (entry.kind, entry.payload["reason_code"]) == ("order.blocked", "litigation")


def test_a_candidate_cannot_approve_a_blocked_order_and_nothing_changes(workspace):
    ws = workspace.id
    customer = make_customer(ws, credit_limit="100.00")
    order = _draft(ws, customer, make_product(ws, price="500.00"), "1")
    with UnitOfWork(ws) as uow:
        confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ApprovalNotAllowed):
        approve_order(uow, actor=ACTOR, actor_role="candidate", order_id=order.id)
        uow.commit()
    assert snapshot(ws) == before


def test_a_manager_releases_the_blocked_order_after_the_candidates_request(workspace):
    ws = workspace.id
    customer = make_customer(ws, credit_limit="100.00")
    product = make_product(ws, price="500.00", stock="10")
    order = _draft(ws, customer, product, "2")
    with UnitOfWork(ws) as uow:
        confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    with UnitOfWork(ws) as uow:
        request_approval(uow, actor=ACTOR, order_id=order.id, message="Client historique, acompte reçu.")
        uow.commit()
    assert last_entry(ws).kind == "order.approval_requested"

    with UnitOfWork(ws) as uow:
        order = approve_order(uow, actor="trainer:manager", actor_role="trainer", order_id=order.id,
                              comment="Accord exceptionnel")
        uow.commit()

    assert order.status == OrderStatus.CONFIRMED and order.promised_date is not None
    entry = last_entry(ws, "order.approved")
    assert (entry.kind, entry.actor) == ("order.approved", "trainer:manager")
