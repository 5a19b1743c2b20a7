"""A refused message leaves no trace: no message, no document, no link, no
journal entry; each error names its field (the form puts it next to it)."""
from __future__ import annotations

import pytest

from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.inbox import service as inbox
from tests.inbox import ACTOR, a_customer, a_customer_with_a_quote, counts, delivered

GOOD = {"to_role": "management", "subject": "Objet", "body": "Texte", "language": "fr"}


@pytest.mark.parametrize("changes, field", [
    ({"to_role": ""}, "to_role"),
    ({"to_role": "customer"}, "customer"),  # a customer, but which one?
    ({"to_role": "supplier", "supplier_id": 999_999}, "supplier"),
    ({"to_role": "carrier", "to_email": "nobody@nowhere.example"}, "carrier"),
    ({"subject": "   "}, "subject"),
    ({"subject": "x" * 201}, "subject"),
    ({"body": "\n \n"}, "body"),
    ({"body": "x" * 20_001}, "body"),
    ({"language": "de"}, "language"),
    ({"reply_to": 999_999_999}, "reply_to"),
    ({"attach": [("quote", 999_999_999)]}, "attachments"),
    ({"attach": [("purchase_order", 1)]}, "attachments"),
    ({"attachment_document_ids": [999_999_999]}, "attachments"),
])
def test_a_refused_message_changes_nothing(workspace, changes, field):
    before = counts(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        with pytest.raises(ValidationFailed) as refused:
            inbox.send(uow, actor=ACTOR, **(GOOD | changes))
            uow.commit()
    assert field in refused.value.errors
    assert counts(workspace.id) == before


def test_a_message_of_another_workspace_cannot_be_answered(make_workspace):
    theirs, mine = make_workspace(), make_workspace()
    message = delivered(theirs.id, customer=a_customer(theirs.id))
    before = counts(mine.id)
    with UnitOfWork(mine.id) as uow:
        with pytest.raises(ValidationFailed) as refused:
            inbox.send(uow, actor=ACTOR, to_role="", subject="", body="Bonjour", language="", reply_to=message.id)
            uow.commit()
    assert "reply_to" in refused.value.errors and counts(mine.id) == before


def test_one_customers_quote_is_not_sent_to_another_customer(workspace):
    owner, quote = a_customer_with_a_quote(workspace.id)
    other = next(c for c in [a_customer(workspace.id, "fr"), a_customer(workspace.id, "en")] if c.id != owner.id)
    before = counts(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        with pytest.raises(ValidationFailed) as refused:
            inbox.send(uow, actor=ACTOR, to_role="customer", customer_id=other.id, subject="Devis",
                       body="Ci-joint.", language="", attach=[("quote", quote.id)])
            uow.commit()
    assert "autre client" in refused.value.errors["attachments"]
    assert counts(workspace.id) == before
