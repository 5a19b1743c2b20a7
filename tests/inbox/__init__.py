"""The mailbox: helpers shared by the tests of this package."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from sim.crm.models import Customer, Interaction, MessageAttachment
from sim.db import UnitOfWork
from sim.documents.models import Document
from sim.journal.models import JournalEntry
from sim.sales.models import Quote
from sim.stock.models import Supplier

ACTOR = "candidate:inbox"
SCENARIO = "scenario:test"


@dataclass(frozen=True)
class Counts:
    messages: int
    attachments: int
    documents: int
    journal: int


def counts(workspace_id: int) -> Counts:
    with UnitOfWork(workspace_id, write=False) as uow:
        def n(column):
            return uow.session.scalar(select(func.count(column)))
        return Counts(n(Interaction.id), n(MessageAttachment.id), n(Document.id), n(JournalEntry.id))


def entries(workspace_id: int, kind: str) -> list[JournalEntry]:
    with UnitOfWork(workspace_id, write=False) as uow:
        return list(uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == kind)
                                        .order_by(JournalEntry.seq)))


def a_customer_with_a_quote(workspace_id: int, language: str | None = None) -> tuple[Customer, Quote]:
    """A seeded customer (of that language, if given) and its most recent quote."""
    with UnitOfWork(workspace_id, write=False) as uow:
        query = select(Customer, Quote).join(Quote, Quote.customer_id == Customer.id)
        if language:
            query = query.where(Customer.language == language)
        return tuple(uow.session.execute(query.order_by(Quote.id.desc())).first())


def a_customer(workspace_id: int, language: str = "fr") -> Customer:
    with UnitOfWork(workspace_id, write=False) as uow:
        return uow.session.scalars(select(Customer).where(Customer.language == language, Customer.email != "")
                                   .order_by(Customer.id)).first()


def a_supplier(workspace_id: int) -> Supplier:
    with UnitOfWork(workspace_id, write=False) as uow:
        return uow.session.scalars(select(Supplier).order_by(Supplier.id)).first()


def delivered(workspace_id: int, **kw) -> Interaction:
    """A message a scenario event delivers (committed, as the engine's transaction would be)."""
    from sim.inbox.service import deliver

    customer = kw.pop("customer", None)
    fields = {"actor": SCENARIO, "role": "customer", "name": "Jeanne Martin", "email": "j.martin@client.example",
              "subject": "Commande urgente", "body": "Bonjour,\npouvez-vous livrer lundi ?\nMerci.",
              "customer_id": customer.id if customer else None} | kw
    with UnitOfWork(workspace_id) as uow:
        message = deliver(uow, **fields)
        uow.commit()
        return message


def a_message_with_an_attachment(workspace_id: int) -> Interaction:
    """A sent message carrying a quote PDF: every kind of object the inbox URLs name."""
    from sim.inbox.service import send

    customer, quote = a_customer_with_a_quote(workspace_id)
    with UnitOfWork(workspace_id) as uow:
        result = send(uow, actor=ACTOR, to_role="customer", customer_id=customer.id, subject=f"Devis {quote.number}",
                    body="Veuillez trouver notre devis ci-joint.", language="", attach=[("quote", quote.id)])
        uow.commit()
        return result
