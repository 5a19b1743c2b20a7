"""A blocked order waits "en attente d'accord" once the candidate asks; the
manager approves, refuses or approves with conditions, with a comment that
reaches the candidate's inbox from "Direction commerciale"; a refused order is
blocked again: the candidate may ask again or cancel it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sim.crm.models import Interaction
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.sales import corrections
from sim.sales.errors import ApprovalNotAllowed, WrongStatus
from sim.sales.models import OrderStatus, SalesOrder
from sim.sales.service import (LineInput, approval_history, confirm_order, create_order, decide_approval,
                               request_approval)
from tests.factories import ACTOR, last_entry, make_customer, make_product, snapshot

MANAGER = {"actor": "trainer:boss", "actor_role": "trainer"}


def act(ws, fn, **kw):
    with UnitOfWork(ws) as uow:
        result = fn(uow, **({"actor": ACTOR} | kw))
        uow.commit()
        return result


def blocked_order(ws):
    customer = make_customer(ws, credit_limit="100.00")
    order = act(ws, create_order, customer_id=customer.id, lines=[LineInput(make_product(ws, price="500").id, "1")])
    return act(ws, confirm_order, order_id=order.id)


def inbox(ws):
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(Interaction).where(Interaction.direction == "in",
                                                                  Interaction.counterpart_role == "management")
                                   .order_by(Interaction.id)).all()


def test_the_request_puts_the_order_on_hold_and_cannot_be_sent_twice(workspace):
    ws = workspace.id
    order = blocked_order(ws)
    order = act(ws, request_approval, order_id=order.id, message="Client fidèle depuis 10 ans.")
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert OrderStatus(order.status).label == "En attente d'accord"
    with pytest.raises(WrongStatus, match="attend déjà"):
        act(ws, request_approval, order_id=order.id, message="Encore")
    with pytest.raises(WrongStatus):  # nor changed while management looks at it
        act(ws, corrections.modify_order, order_id=order.id, lines=[LineInput(1, "1")])


def test_a_refusal_reaches_the_inbox_then_a_new_request_is_approved(workspace):
    ws = workspace.id
    order = blocked_order(ws)
    act(ws, request_approval, order_id=order.id, message="Client fidèle.")

    order = act(ws, decide_approval, **MANAGER, order_id=order.id, decision="refused",
                comment="Encours trop élevé : obtenez un acompte.")

    assert order.status == OrderStatus.BLOCKED
    [message] = inbox(ws)
    assert (message.counterpart_role, message.counterpart_name) == ("management", "Direction commerciale")
    assert "refus" in message.subject and "Encours trop élevé : obtenez un acompte." in message.body
    assert last_entry(ws, "order.approval_decided").payload["decision"] == "refused"

    act(ws, request_approval, order_id=order.id, message="Acompte de 50 % reçu ce matin.")
    order = act(ws, decide_approval, **MANAGER, order_id=order.id, decision="approved_with_conditions",
                comment="Livraison après encaissement de l'acompte.")

    assert order.status == OrderStatus.CONFIRMED and order.promised_date is not None
    assert "sous conditions" in inbox(ws)[-1].body
    with UnitOfWork(ws, write=False) as uow:
        history = [(e.kind, e.payload.get("decision")) for e in approval_history(uow, uow.get(SalesOrder, order.id))]
    assert history == [("order.approval_requested", None), ("order.approval_decided", "refused"),
                       ("order.approval_requested", None), ("order.approval_decided", "approved_with_conditions")]
    with pytest.raises(WrongStatus):  # decided: nothing left to decide
        act(ws, decide_approval, **MANAGER, order_id=order.id, decision="refused", comment="Non")


def test_a_refusal_or_conditions_need_a_comment_and_a_candidate_never_decides(workspace):
    ws = workspace.id
    order = blocked_order(ws)
    act(ws, request_approval, order_id=order.id, message="Merci.")
    before = snapshot(ws)
    for decision in ("refused", "approved_with_conditions"):
        with pytest.raises(ValidationFailed) as refused:
            act(ws, decide_approval, **MANAGER, order_id=order.id, decision=decision, comment=" ")
        assert "comment" in refused.value.errors
    with pytest.raises(ValidationFailed):
        act(ws, decide_approval, **MANAGER, order_id=order.id, decision="maybe")
    with pytest.raises(ApprovalNotAllowed):
        act(ws, decide_approval, actor_role="candidate", order_id=order.id, decision="approved")
    assert snapshot(ws) == before


def test_a_refused_order_can_be_cancelled_with_its_reason(workspace):
    ws = workspace.id
    order = blocked_order(ws)
    act(ws, request_approval, order_id=order.id, message="Merci.")
    act(ws, decide_approval, **MANAGER, order_id=order.id, decision="refused", comment="Non.")
    order = act(ws, corrections.cancel_order, order_id=order.id, reason="Refus de la direction, client prévenu")
    assert order.status == OrderStatus.CANCELLED
    assert last_entry(ws, "order.cancelled").payload["previous_status"] == "blocked"
