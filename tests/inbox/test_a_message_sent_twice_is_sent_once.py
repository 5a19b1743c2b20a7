"""The same compose form submitted twice (double click, resubmitted page)
sends one message."""
from __future__ import annotations

import pytest

from sim.db import UnitOfWork
from sim.inbox import service as inbox
from sim.workspace.forms import AlreadySubmitted
from tests.inbox import ACTOR, a_customer, counts, entries


def test_the_second_submission_of_a_form_is_refused_and_sends_nothing(workspace):
    customer = a_customer(workspace.id)
    form = dict(actor=ACTOR, to_role="customer", customer_id=customer.id, subject="Confirmation",
                body="Nous confirmons la livraison.", language="", form_token="compose-once")

    with UnitOfWork(workspace.id) as uow:
        inbox.send(uow, **form)
        uow.commit()
    after_first = counts(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        with pytest.raises(AlreadySubmitted):
            inbox.send(uow, **form)
            uow.commit()

    assert counts(workspace.id) == after_first
    assert [e.payload["subject"] for e in entries(workspace.id, "message.sent")] == ["Confirmation"]
