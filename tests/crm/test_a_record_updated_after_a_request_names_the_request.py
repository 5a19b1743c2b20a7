"""REAC CP1 « les fichiers et les dossiers sont actualisés » : a customer record
updated after a request (the inbox's « Changement d'adresse de facturation »)
is journaled as its follow-up — ``customer.updated`` names the requesting
message (its number) and the scenario event that delivered it, so that the
evaluator can score it — and only a message received in this workspace, from
this customer, can be named."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sim.crm import records
from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.evaluation.engine import Pattern
from sim.inbox import service as inbox
from sim.journal.models import JournalEntry
from tests.crm import ACTOR
from tests.crm.test_customer_records_are_checked_and_journaled import _edit
from tests.factories import make_customer, snapshot


def _request(workspace_id: int, customer: Customer, *, event_key: str = "address_change", direction: str = "in"):
    with UnitOfWork(workspace_id) as uow:
        message = inbox.deliver(uow, actor="scenario:test", role="customer", name="Service comptable",
                                email="compta@exemple.fr", subject="Changement d'adresse de facturation",
                                body="Merci de mettre à jour l'adresse de facturation.", customer_id=customer.id,
                                event_key=event_key)
        message.direction = direction
        uow.commit()
        return message


def _update(workspace_id: int, customer: Customer, from_message, **changes):
    with UnitOfWork(workspace_id) as uow:
        current = uow.get(Customer, customer.id)
        records.update_record(uow, actor=ACTOR, customer_id=customer.id, values=_edit(current, **changes),
                              seen_revision=records.revision(current, records.CUSTOMER_FIELDS),
                              from_message=from_message)
        uow.commit()


def _updates(workspace_id: int) -> list[JournalEntry]:
    with UnitOfWork(workspace_id, write=False) as uow:
        return list(uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "customer.updated")
                                        .order_by(JournalEntry.seq)))


def test_an_address_changed_from_the_request_names_the_message_and_its_event(workspace):
    customer = make_customer(workspace.id, kind="b2c")
    message = _request(workspace.id, customer)
    _update(workspace.id, customer, str(message.id), address="4 avenue Foch", postcode="69006", city="Lyon")

    [entry] = [e for e in _updates(workspace.id) if e.refs.get("customer") == customer.code]
    assert entry.refs == {"customer": customer.code, "message": message.reference, "event": "address_change"}
    assert entry.payload["changes"]["address"] == {"old": "1 rue du Test", "new": "4 avenue Foch"}
    # what an expectation of the scenario matches: the update that follows the event's message
    from sim.evaluation.engine import Run

    with UnitOfWork(workspace.id, write=False) as uow:
        run = Run(uow, workspace.id)
        found = Pattern(run, {"journal": "customer.updated", "where": {"event": "address_change"}},
                        candidate_only=True).all()
    assert [e.refs["message"] for e in found] == [message.reference]


def test_an_update_without_a_request_names_none(workspace):
    customer = make_customer(workspace.id, kind="b2c")
    _update(workspace.id, customer, None, city="Villeurbanne", postcode="69100")
    [entry] = [e for e in _updates(workspace.id) if e.refs.get("customer") == customer.code]
    assert entry.refs == {"customer": customer.code}


def test_only_a_message_received_from_this_customer_in_this_workspace_can_be_named(workspace, make_workspace):
    customer, other = make_customer(workspace.id, kind="b2c"), make_customer(workspace.id, kind="b2c")
    elsewhere = make_workspace()
    stranger = _request(elsewhere.id, make_customer(elsewhere.id, kind="b2c"))
    sent = _request(workspace.id, customer, direction="out")
    others = _request(workspace.id, other)
    before = snapshot(workspace.id)
    for wrong in (str(stranger.id), str(sent.id), str(others.id), "abc", "-1", "99999999999"):
        with pytest.raises(ValidationFailed) as caught:
            _update(workspace.id, customer, wrong, city="Bron", postcode="69500")
        assert "message reçu de ce client" in caught.value.errors["form"], wrong
    assert snapshot(workspace.id) == before  # refused: nothing changed, nothing journaled


def test_the_thread_opens_the_record_and_the_form_carries_the_request(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer = make_customer(workspace.id, kind="b2c")
    message = _request(workspace.id, customer)
    browser = login(user)
    thread = browser.get(f"/inbox/{message.id}")
    link = f'/customers/{customer.id}/edit?from_message={message.id}'
    assert link in thread.text
    form = browser.get(link)
    assert f'name="from_message" value="{message.id}"' in form.text and message.reference in form.text
    values = dict(re.findall(r'<input[^>]* name="([a-z_]+)" value="([^"]*)"', form.text))
    values.pop("in_litigation", None)  # a checkbox, not ticked: not sent
    values |= {"address": "4 avenue Foch", "postcode": "69006", "city": "Lyon", "sales_rep": "",
               "payment_terms": customer.payment_terms, "payment_method": customer.payment_method,
               "kind": customer.kind, "status": customer.status, "risk_rating": customer.risk_rating,
               "language": customer.language}
    saved = browser.post(f"/customers/{customer.id}/edit", values)
    assert saved.status_code == 303
    [entry] = [e for e in _updates(workspace.id) if e.refs.get("customer") == customer.code]
    assert entry.refs["message"] == message.reference
    # a forged id (another workspace's message, a message sent) is refused on the form, next to nothing saved
    forged = browser.post(f"/customers/{customer.id}/edit", {**values, "city": "Bron", "from_message": "99999999"})
    assert forged.status_code == 422 and "message reçu de ce client" in forged.text
