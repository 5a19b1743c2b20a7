"""A message a scenario event delivers lands unread and is journaled
``message.received``; the first time the candidate opens it is journaled
``message.read`` (the evidence of when the event was noticed), and only then."""
from __future__ import annotations

from sim.db import UnitOfWork
from sim.inbox import service as inbox
from sim.journal.service import verify_chain
from sim.workspace.models import Workspace
from tests.inbox import ACTOR, SCENARIO, a_customer, counts, delivered, entries


def test_a_delivered_message_is_unread_and_journaled_with_its_event(workspace):
    customer = a_customer(workspace.id)
    with UnitOfWork(workspace.id, write=False) as uow:
        unread_before = inbox.unread_count(uow)

    message = delivered(workspace.id, customer=customer, event_key="late-order", language="fr")

    with UnitOfWork(workspace.id, write=False) as uow:
        assert inbox.unread_count(uow) == unread_before + 1
        stored = inbox.thread(uow, message.id)[0]
    assert (stored.channel, stored.direction, stored.read, stored.thread_id) == ("email", "in", False, None)
    assert stored.body == "Bonjour,\npouvez-vous livrer lundi ?\nMerci."
    [entry] = entries(workspace.id, "message.received")[-1:]
    assert entry.actor == SCENARIO
    assert entry.refs == {"message": message.reference, "customer": customer.code, "event": "late-order"}
    assert entry.payload == {"role": "customer", "language": "fr", "subject": "Commande urgente",
                             "from": "j.martin@client.example", "name": "Jeanne Martin", "attachments": []}


def test_deliver_does_not_commit_the_engines_transaction(workspace):
    before = counts(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        inbox.deliver(uow, actor=SCENARIO, role="management", name="Direction", email="direction@x.fr",
                      subject="Point", body="Merci de me faire un point.")
        # the engine leaves without committing (an event that failed later on)
    assert counts(workspace.id) == before


def test_reading_a_message_is_journaled_the_first_time_only(workspace):
    message = delivered(workspace.id, customer=a_customer(workspace.id), event_key="claim")

    with UnitOfWork(workspace.id) as uow:
        first = inbox.mark_read(uow, actor=ACTOR, message_id=message.id)
        uow.commit()
    with UnitOfWork(workspace.id) as uow:
        again = inbox.mark_read(uow, actor=ACTOR, message_id=message.id)
        uow.commit()
    with UnitOfWork(workspace.id) as uow:
        assert inbox.mark_thread_read(uow, actor=ACTOR, message_id=message.id) == []

    assert (first, again) == (True, False)
    reads = [e for e in entries(workspace.id, "message.read") if e.refs["message"] == message.reference]
    assert len(reads) == 1
    assert reads[0].actor == ACTOR and reads[0].refs["event"] == "claim"
    assert reads[0].payload["subject"] == "Commande urgente"
    with UnitOfWork(workspace.id, write=False) as uow:
        assert inbox.thread(uow, message.id)[0].read is True
        assert verify_chain(uow.session, uow.session.get(Workspace, workspace.id)).ok


def test_opening_a_thread_reads_each_unread_message_of_it(workspace):
    customer = a_customer(workspace.id)
    first = delivered(workspace.id, customer=customer)
    second = delivered(workspace.id, customer=customer, subject="RE: Commande urgente", thread_id=first.id)

    with UnitOfWork(workspace.id) as uow:
        marked = inbox.mark_thread_read(uow, actor=ACTOR, message_id=second.id)
        uow.commit()

    assert marked == [first.id, second.id]
    assert {e.refs["message"] for e in entries(workspace.id, "message.read")} >= {first.reference, second.reference}
