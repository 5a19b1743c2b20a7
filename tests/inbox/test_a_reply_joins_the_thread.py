"""A reply joins its thread (``thread_id`` is the thread's first message),
goes back to whoever wrote, and its subject defaults to "RE: " + the subject."""
from __future__ import annotations

from sim.db import UnitOfWork
from sim.inbox import service as inbox
from tests.inbox import ACTOR, a_customer, delivered, entries


def test_a_reply_goes_back_to_the_sender_in_the_same_thread(workspace):
    customer = a_customer(workspace.id, language="en")
    first = delivered(workspace.id, customer=customer, subject="Damaged boxes", language="en",
                      name="Mary Smith", email="mary.smith@buyer.example", body="Three boxes arrived crushed.")
    follow_up = delivered(workspace.id, customer=customer, subject="RE: Damaged boxes", language="en",
                          name="Mary Smith", email="mary.smith@buyer.example", body="Photos attached.",
                          thread_id=first.id)

    with UnitOfWork(workspace.id) as uow:
        answer = inbox.send(uow, actor=ACTOR, to_role="", subject="", body="We are sorry: a credit note follows.",
                            language="", reply_to=follow_up.id)
        uow.commit()

    # thread, recipient, language and subject all come from the thread
    assert follow_up.thread_id == first.id and answer.thread_id == first.id
    assert (answer.counterpart_role, answer.customer_id, answer.counterpart_email, answer.counterpart_name) == (
        "customer", customer.id, "mary.smith@buyer.example", "Mary Smith")
    assert answer.language == "en" and answer.subject == "RE: Damaged boxes"  # not "RE: RE: ..."
    entry = entries(workspace.id, "message.sent")[-1]
    assert entry.refs == {"message": answer.reference, "customer": customer.code, "thread": first.reference,
                          "reply_to": follow_up.reference}

    with UnitOfWork(workspace.id, write=False) as uow:
        messages = inbox.thread(uow, answer.id)
        [summary] = [t for t in inbox.threads(uow, box="all") if t.id == first.id]
    assert [m.id for m in messages] == [first.id, follow_up.id, answer.id]
    assert (summary.count, summary.unread, summary.last.id, summary.counterpart, summary.english) == (
        3, 2, answer.id, "Mary Smith", True)


def test_the_first_reply_subject_is_re_and_the_original(workspace):
    message = delivered(workspace.id, customer=a_customer(workspace.id), subject="Demande de devis")
    with UnitOfWork(workspace.id) as uow:
        answer = inbox.send(uow, actor=ACTOR, to_role="", subject="  ", body="Voici notre offre.", language="",
                            reply_to=message.id)
        uow.commit()
    assert answer.subject == "RE: Demande de devis" and answer.language == "fr"


def test_a_prospect_who_is_not_on_file_can_be_answered(workspace):
    """The scenario may make someone write who is no customer yet (a visitor of the stand)."""
    message = delivered(workspace.id, subject="Stand visit", name="Tom Baker", email="tom@prospect.example",
                        language="en")
    with UnitOfWork(workspace.id) as uow:
        answer = inbox.send(uow, actor=ACTOR, to_role="", subject="", body="Thank you for your visit.",
                            language="", reply_to=message.id)
        uow.commit()
    assert (answer.customer_id, answer.counterpart_email, answer.thread_id) == (None, "tom@prospect.example",
                                                                                message.id)


def test_unread_threads_are_listed_when_asking_for_unread_only(workspace):
    message = delivered(workspace.id, customer=a_customer(workspace.id), subject="Urgent")
    with UnitOfWork(workspace.id, write=False) as uow:
        assert message.id in {t.id for t in inbox.threads(uow, box="inbox", unread_only=True)}
    with UnitOfWork(workspace.id) as uow:
        inbox.mark_read(uow, actor=ACTOR, message_id=message.id)
        uow.commit()
    with UnitOfWork(workspace.id, write=False) as uow:
        assert message.id not in {t.id for t in inbox.threads(uow, box="inbox", unread_only=True)}
        assert message.id in {t.id for t in inbox.threads(uow, box="inbox")}
