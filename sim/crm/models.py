"""Customers, their contacts, interactions (emails, calls, notes) and claims."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field

from sim.db import WorkspaceOwned, money_field, rate_field
from sim.labels import Labelled


class CustomerKind(Labelled):
    B2B = "b2b", "Professionnel"
    B2C = "b2c", "Particulier"


class CustomerStatus(Labelled):
    CUSTOMER = "customer", "Client"
    PROSPECT = "prospect", "Prospect"


class PaymentMethod(Labelled):
    TRANSFER = "transfer", "Virement"
    CHEQUE = "cheque", "Chèque"
    CARD = "card", "Carte bancaire"
    BILL = "bill", "Lettre de change (LCR)"
    DIRECT_DEBIT = "direct_debit", "Prélèvement SEPA"


class RiskRating(Labelled):
    A = "A", "A — risque faible"
    B = "B", "B — risque modéré"
    C = "C", "C — sous surveillance"
    D = "D", "D — risque élevé"


class Customer(WorkspaceOwned, table=True):
    __table_args__ = (UniqueConstraint("workspace_id", "code"),
                      # the customer list's default order (by name, case-insensitive, then account number):
                      # its page read in index order instead of sorting the 3 000 customers
                      Index("ix_customer_list", "workspace_id", text("lower(name)"), "code"))

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(12))  # account number, e.g. C00042
    kind: str = Field(default=CustomerKind.B2B, sa_type=String(4))
    # A prospect has a record (and calls, meetings, quotes) before its first order.
    status: str = Field(default=CustomerStatus.CUSTOMER, sa_type=String(10),
                        sa_column_kwargs={"server_default": "customer"})
    name: str = Field(sa_type=String(160), index=True)
    legal_form: str = Field(default="", sa_type=String(40))
    siren: str = Field(default="", sa_type=String(9))
    siret: str = Field(default="", sa_type=String(14))
    vat_number: str = Field(default="", sa_type=String(20))
    address: str = Field(sa_type=String(200))
    postcode: str = Field(sa_type=String(12))
    city: str = Field(sa_type=String(80))
    country: str = Field(default="FR", sa_type=String(2), index=True)
    language: str = Field(default="fr", sa_type=String(2))
    email: str = Field(default="", sa_type=String(120))
    phone: str = Field(default="", sa_type=String(30))
    payment_terms: str = Field(default="30_net", sa_type=String(16))
    payment_method: str = Field(default=PaymentMethod.TRANSFER, sa_type=String(16))
    credit_limit: Decimal = money_field()
    risk_rating: str = Field(default=RiskRating.A, sa_type=String(1))
    in_litigation: bool = False
    gdpr_consent: bool = False
    gdpr_purpose: str = Field(default="", sa_type=String(200))
    gdpr_consent_date: date | None = None
    # Consent per purpose (sim/communication/segments.py): the day it was given, None if never.
    consent_offers_on: date | None = None
    consent_newsletter_on: date | None = None
    consent_events_on: date | None = None
    # The customer objected to any marketing (droit d'opposition, RGPD art. 21): it overrides the consents.
    marketing_objection_on: date | None = None
    sales_rep_id: int | None = Field(default=None, foreign_key="sales_rep.id", index=True)
    # the customer's usual Incoterm® 2020 (proposed on its quotes and orders)
    incoterm: str = Field(default="", sa_type=String(3), sa_column_kwargs={"server_default": ""})
    incoterm_place: str = Field(default="", sa_type=String(80), sa_column_kwargs={"server_default": ""})
    created_on: date
    notes: str = Field(default="", sa_type=Text)


class Contact(WorkspaceOwned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    supplier_id: int | None = Field(default=None, foreign_key="supplier.id", index=True)
    first_name: str = Field(sa_type=String(60))
    last_name: str = Field(sa_type=String(60))
    job_title: str = Field(default="", sa_type=String(80))
    email: str = Field(default="", sa_type=String(120))
    phone: str = Field(default="", sa_type=String(30))
    language: str = Field(default="fr", sa_type=String(2))
    is_primary: bool = False


class DeliveryAddress(WorkspaceOwned, table=True):
    """One of a customer's delivery addresses (the billing address stays on Customer).

    ``number`` counts per customer (1, 2, ...): the journal names an address
    ``C00042-L2``, never by its id."""

    __tablename__ = "delivery_address"
    __table_args__ = (UniqueConstraint("customer_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    number: int
    label: str = Field(sa_type=String(60))  # "Entrepôt de Lens", "Magasin"
    recipient: str = Field(default="", sa_type=String(120))
    address: str = Field(sa_type=String(200))
    postcode: str = Field(sa_type=String(12))
    city: str = Field(sa_type=String(80))
    country: str = Field(default="FR", sa_type=String(2))
    instructions: str = Field(default="", sa_type=String(200))  # opening hours, dock, appointment
    is_default: bool = False
    active: bool = True

    @property
    def key(self) -> str:
        return f"L{self.number}"


class InteractionChannel(Labelled):
    EMAIL = "email", "Courriel"
    PHONE = "phone", "Appel"
    LETTER = "letter", "Courrier"
    MEETING = "meeting", "Rendez-vous"
    NOTE = "note", "Note"


class Interaction(WorkspaceOwned, table=True):
    """A message or a call with a customer, supplier, carrier or colleague."""

    __table_args__ = (
        # the unread count in every page's header (sim/inbox/service.unread_count) and the threads of a
        # mailbox's box, index only (box_threads: thread_id and id are what a thread's key is made of)
        Index("ix_interaction_box", "workspace_id", "channel", "direction", "read", "thread_id", "id"),
        # the mailbox list walks the threads in order of last activity (threads_by_activity): no sort
        Index("ix_interaction_activity", "workspace_id", "channel", "sim_time", "id", "thread_id"),
        # a thread's replies: most messages begin a thread (thread_id NULL), which a full index would
        # count as one huge group, and the planners would then scan instead of looking replies up
        Index("ix_interaction_thread", "thread_id", sqlite_where=text("thread_id IS NOT NULL"),
              postgresql_where=text("thread_id IS NOT NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(default="", sa_type=String(20))  # MSG-2026-00042: the journal's key for it
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    supplier_id: int | None = Field(default=None, foreign_key="supplier.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    channel: str = Field(sa_type=String(10))
    direction: str = Field(sa_type=String(3))  # "in" or "out"
    counterpart_role: str = Field(default="customer", sa_type=String(16))  # customer, supplier, carrier, management, accounting
    counterpart_name: str = Field(default="", sa_type=String(160))
    counterpart_email: str = Field(default="", sa_type=String(160))
    # The scenario event that delivered it, if any (its name in the scenario file).
    event_key: str = Field(default="", sa_type=String(80))
    language: str = Field(default="fr", sa_type=String(2))
    subject: str = Field(default="", sa_type=String(200))
    body: str = Field(default="", sa_type=Text)
    sim_time: datetime = Field(sa_type=DateTime(timezone=False))
    thread_id: int | None = Field(default=None, foreign_key="interaction.id")
    read: bool = False
    # a phone call's answer (sim/calls): "recording" (a Document attached) or "summary" (typed), and
    # the recording's length in seconds
    answer_mode: str = Field(default="", sa_type=String(10))
    duration_s: int | None = None


class ClaimStatus(Labelled):
    RECEIVED = "received", "Reçue"
    ANALYSED = "analysed", "Analysée"
    PROPOSED = "proposed", "Solution proposée"
    ESCALATED = "escalated", "Transmise à la direction"
    ACCEPTED = "accepted", "Acceptée par le client"
    REFUSED = "refused", "Refusée par le client"
    CLOSED = "closed", "Clôturée"


# A claim still to be dealt with (an invoice under claim is not chased, sim/sales/chain.py).
ACTIVE_CLAIM_STATUSES = (ClaimStatus.RECEIVED, ClaimStatus.ANALYSED, ClaimStatus.PROPOSED, ClaimStatus.ESCALATED,
                         ClaimStatus.ACCEPTED, ClaimStatus.REFUSED)


class ClaimCategory(Labelled):
    DELAY = "delay", "Retard de livraison"
    DAMAGE = "damage", "Marchandise endommagée"
    ERROR = "error", "Erreur de produit ou de quantité"
    BILLING = "billing", "Contestation de facture"
    QUALITY = "quality", "Défaut de qualité"


class ClaimSolution(Labelled):
    CREDIT_NOTE = "credit_note", "Avoir (geste commercial)"
    DISCOUNT = "discount", "Remise sur la prochaine commande"
    REPLACEMENT = "replacement", "Remplacement de la marchandise"
    FREE_SHIPPING = "free_shipping", "Port offert"
    RETURN = "return", "Retour de la marchandise"


class Claim(WorkspaceOwned, table=True):
    """A customer claim (réclamation): damaged goods, late delivery, invoice error...

    Its workflow (sim/crm/claims.py): received → analysed → solution proposed
    (or escalated to management beyond the delegation) → accepted / refused by
    the customer → closed."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(20))
    customer_id: int = Field(foreign_key="customer.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="sales_order.id")
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id")
    category: str = Field(sa_type=String(20))  # ClaimCategory
    subject: str = Field(sa_type=String(200))
    description: str = Field(default="", sa_type=Text)
    language: str = Field(default="fr", sa_type=String(2))
    status: str = Field(default=ClaimStatus.RECEIVED, sa_type=String(12))
    opened_on: date
    closed_on: date | None = None
    resolution: str = Field(default="", sa_type=Text)
    # how it came (email, phone, letter, event) and the message or call it came with
    channel: str = Field(default="email", sa_type=String(10))
    message_id: int | None = Field(default=None, foreign_key="interaction.id")
    event_key: str = Field(default="", sa_type=String(80))
    respond_by: date | None = None  # the answer is due by then (a solution proposed)
    analysis: str = Field(default="", sa_type=Text)
    solution: str = Field(default="", sa_type=String(20))  # ClaimSolution
    solution_amount: Decimal = money_field(default=Decimal("0.00"))  # a credit note's amount excl. VAT
    solution_pct: Decimal = rate_field(default=Decimal("0.00"))  # a discount on the next order
    solution_note: str = Field(default="", sa_type=Text)  # what is offered, in the candidate's words
    credit_note_id: int | None = Field(default=None, foreign_key="credit_note.id")
    customer_answer: str = Field(default="", sa_type=Text)
    # management's answer to an escalated claim (sim.sales.service.DECISIONS keys, or "") and its comment
    management_decision: str = Field(default="", sa_type=String(30))
    management_comment: str = Field(default="", sa_type=Text)


class MessageAttachment(WorkspaceOwned, table=True):
    """A generated document attached to a message (a quote PDF, a customer's purchase order...)."""

    __tablename__ = "message_attachment"

    id: int | None = Field(default=None, primary_key=True)
    interaction_id: int = Field(foreign_key="interaction.id", index=True)
    document_id: int = Field(foreign_key="document.id")
