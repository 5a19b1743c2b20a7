"""A message the candidate sends is kept as written and journaled
``message.sent`` with its full text: the evaluator reads it (CP3, tone and
English B1 are judged on it)."""
from __future__ import annotations

from sqlalchemy import select

from sim.company.models import Company
from sim.db import UnitOfWork
from sim.inbox import service as inbox
from tests.inbox import ACTOR, a_customer, a_supplier, entries

LETTER = ("Dear Mr Smith,\n\nThank you for your order. Delivery is planned on Monday.\n\n"
          "Kind regards,\nService ADV")


def test_the_journal_keeps_the_whole_text_the_recipient_and_the_language(workspace):
    customer = a_customer(workspace.id, language="en")

    with UnitOfWork(workspace.id) as uow:
        message = inbox.send(uow, actor=ACTOR, to_role="customer", customer_id=customer.id,
                             subject="Your order", body=LETTER + "\r\n", language="")
        uow.commit()

    # the language defaults to the customer's; the browser's CRLF and trailing blanks are dropped
    assert (message.direction, message.read, message.language, message.body) == ("out", True, "en", LETTER)
    assert message.counterpart_email == customer.email and message.counterpart_name == customer.name
    entry = entries(workspace.id, "message.sent")[-1]
    assert entry.actor == ACTOR
    assert entry.refs == {"message": message.reference, "customer": customer.code}
    assert entry.payload == {"to_role": "customer", "to": customer.email, "language": "en",
                             "subject": "Your order", "text": LETTER, "attachments": [],
                             # what lingua and the spelling aid found (sim/writing)
                             "detected_language": "en", "language_confidence": entry.payload["language_confidence"],
                             "mixed_languages": False, "flagged_words": entry.payload["flagged_words"]}


def test_management_and_accounting_are_written_to_at_the_companys_domain(workspace):
    with UnitOfWork(workspace.id, write=False) as uow:
        domain = uow.session.scalars(select(Company)).one().email.split("@")[1]

    with UnitOfWork(workspace.id) as uow:
        boss = inbox.send(uow, actor=ACTOR, to_role="management", subject="Dérogation",
                          body="Puis-je accorder 12 % ?", language="fr")
        uow.commit()
    with UnitOfWork(workspace.id) as uow:
        books = inbox.send(uow, actor=ACTOR, to_role="accounting", subject="Lettrage",
                           body="Merci de lettrer le virement.", language="fr")
        uow.commit()

    assert boss.counterpart_email == f"direction@{domain}" and boss.counterpart_name == "Direction"
    assert books.counterpart_email == f"comptabilite@{domain}"
    assert [e.payload["to_role"] for e in entries(workspace.id, "message.sent")[-2:]] == ["management", "accounting"]


def test_a_supplier_is_written_to_in_its_language_and_journaled_under_its_code(workspace):
    supplier = a_supplier(workspace.id)

    with UnitOfWork(workspace.id) as uow:
        message = inbox.send(uow, actor=ACTOR, to_role="supplier", supplier_id=supplier.id,
                             subject="Relance", body="Où en est notre commande ?", language="")
        uow.commit()

    assert message.language == supplier.language and message.counterpart_email == supplier.email
    assert entries(workspace.id, "message.sent")[-1].refs == {"message": message.reference, "supplier": supplier.code}


def test_sent_threads_are_in_the_sent_box_and_not_in_the_inbox(workspace):
    with UnitOfWork(workspace.id) as uow:
        message = inbox.send(uow, actor=ACTOR, to_role="management", subject="Point hebdo",
                             body="Voici le point.", language="fr")
        uow.commit()

    with UnitOfWork(workspace.id, write=False) as uow:
        sent = {t.id for t in inbox.threads(uow, box="sent")}
        received = {t.id for t in inbox.threads(uow, box="inbox")}
    assert message.id in sent and message.id not in received
