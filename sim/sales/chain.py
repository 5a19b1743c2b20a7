"""The document chain: the documents before and after one (quote → order →
deliveries → invoices → credit notes → payments), and each document's workflow
as the steps of a status bar."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from sim.billing.models import CreditNote, Invoice, InvoiceStatus
from sim.receivables.models import Payment, PaymentAllocation
from sim.sales.models import OrderStatus, Quote, QuoteStatus, SalesOrder
from sim.stock.models import Delivery, DeliveryStatus

# kind -> (French name, URL of its page)
KINDS = {"quote": ("Devis", "/quotes"), "order": ("Commande", "/orders"), "delivery": ("Livraison", "/deliveries"),
         "invoice": ("Facture", "/invoices"), "credit_note": ("Avoir", "/credit-notes"),
         "payment": ("Règlement", "/payments")}


@dataclass
class Chain:
    quotes: list = field(default_factory=list)
    orders: list = field(default_factory=list)
    deliveries: list = field(default_factory=list)
    invoices: list = field(default_factory=list)
    credit_notes: list = field(default_factory=list)
    payments: list = field(default_factory=list)

    def links(self, current) -> list[dict]:
        """Every document of the chain in order, the current one marked: what the page's chain bar shows."""
        out = []
        for kind, docs in (("quote", self.quotes), ("order", self.orders), ("delivery", self.deliveries),
                           ("invoice", self.invoices), ("credit_note", self.credit_notes),
                           ("payment", self.payments)):
            name, prefix = KINDS[kind]
            for doc in docs:
                url = f"{prefix}/{doc.id}"
                out.append({"kind": kind, "label": name, "number": doc.number or f"n° {doc.id}", "url": url,
                            "current": doc is current})
        return out


def chain_of(uow, document, *, orders: list | None = None, deliveries: list | None = None,
             invoices: list | None = None) -> Chain:
    """The chain a quote, order, delivery, invoice, credit note or payment belongs to.

    It is anchored on the order (or the quote before an order exists); a
    payment belongs to the chains of the invoices it settles, all of them.

    A page that has already read them passes what it holds, so that they are
    not read again: a quote's ``orders``; an order's ``deliveries`` and
    ``invoices`` (all of them, each list exactly what the chain would read).
    The documents a page loaded by id are found in the session, not re-read."""
    session = uow.session
    chain = Chain()
    known_deliveries, known_invoices = deliveries, invoices
    invoices = []
    if isinstance(document, Quote):
        chain.quotes = [document]
        if orders is None:
            orders = list(session.scalars(select(SalesOrder).where(SalesOrder.quote_id == document.id)))
    elif isinstance(document, SalesOrder):
        orders = [document]
    elif isinstance(document, Delivery):
        orders = [_loaded(uow, SalesOrder, document.order_id)]
    elif isinstance(document, (Invoice, CreditNote, Payment)):
        if isinstance(document, Invoice):
            invoices = [document]
        elif isinstance(document, CreditNote):
            invoices = [_loaded(uow, Invoice, document.invoice_id)]
        else:
            invoices = list(session.scalars(select(Invoice).join(
                PaymentAllocation, PaymentAllocation.invoice_id == Invoice.id)
                .where(PaymentAllocation.payment_id == document.id).order_by(Invoice.id)))
        order_ids = sorted({i.order_id for i in invoices if i.order_id})
        orders = [_loaded(uow, SalesOrder, order_ids[0])] if len(order_ids) == 1 else list(session.scalars(
            select(SalesOrder).where(SalesOrder.id.in_(order_ids)))) if order_ids else []
    else:
        raise TypeError(f"no chain for {type(document).__name__}")
    chain.orders = sorted(orders, key=lambda o: o.id)
    order_ids = [o.id for o in chain.orders]
    if not chain.quotes:
        quote_ids = sorted({o.quote_id for o in chain.orders if o.quote_id})
        chain.quotes = list(session.scalars(select(Quote).where(Quote.id.in_(quote_ids)))) if quote_ids else []
    # what the page passed is the order's own documents: usable only when the chain is that one order's
    known = isinstance(document, SalesOrder)
    if order_ids:
        chain.deliveries = sorted(known_deliveries, key=lambda d: d.id) if known and known_deliveries is not None \
            else list(session.scalars(select(Delivery).where(Delivery.order_id.in_(order_ids)).order_by(Delivery.id)))
        # an order's invoices: a payment's other invoices stay in the chain too
        of_orders = known_invoices if known and known_invoices is not None \
            else session.scalars(select(Invoice).where(Invoice.order_id.in_(order_ids)))
        invoices = sorted({i.id: i for i in [*invoices, *of_orders]}.values(), key=lambda i: i.id)
    chain.invoices = invoices
    invoice_ids = [i.id for i in invoices]
    if invoice_ids:
        chain.credit_notes = list(session.scalars(select(CreditNote).where(CreditNote.invoice_id.in_(invoice_ids))
                                                  .order_by(CreditNote.id)))
        chain.payments = list(session.scalars(select(Payment).join(
            PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
            .where(PaymentAllocation.invoice_id.in_(invoice_ids)).distinct().order_by(Payment.id)))
    return chain


def _loaded(uow, model, id_):
    """The document with this id: the one the session already holds (no round trip), else read (scoped)."""
    from sim.db import NotFound

    found = uow.session.get(model, id_)
    if found is None:
        raise NotFound(f"{model.__name__} {id_}")
    return found


# Each workflow's main path; a side exit (refused, cancelled, credited...) replaces the last step.
_PATHS = {
    "quote": ([QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.ACCEPTED],
              [QuoteStatus.REFUSED, QuoteStatus.EXPIRED, QuoteStatus.CANCELLED]),
    "order": ([OrderStatus.CONFIRMED, OrderStatus.PARTIAL, OrderStatus.DELIVERED, OrderStatus.INVOICED],
              [OrderStatus.CANCELLED]),
    "delivery": ([DeliveryStatus.PREPARED, DeliveryStatus.SHIPPED, DeliveryStatus.DELIVERED],
                 [DeliveryStatus.INCIDENT]),
    "invoice": ([InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID],
                [InvoiceStatus.CREDITED]),
}
_BEFORE_CONFIRMATION = (OrderStatus.DRAFT, OrderStatus.BLOCKED, OrderStatus.PENDING_APPROVAL)


def status_steps(kind: str, status: str, *, disputed: bool = False) -> list[dict]:
    """The status bar: each step with its French label and state (done, current, todo).

    An order before confirmation starts with its own state (Brouillon, Bloquée,
    En attente d'accord); a side exit ends the bar at the step it left from; a
    disputed invoice shows "En litige" after its current step."""
    path, exits = _PATHS[kind]
    enum = type(path[0])
    path = list(path)
    if kind == "order":
        path.insert(0, enum(status) if status in _BEFORE_CONFIRMATION else OrderStatus.DRAFT)
    if status in exits:
        # left the path: the steps passed stay done, the exit is the current step
        # a refused or expired quote had been sent; a transport incident happens once shipped
        passed = 2 if status in (QuoteStatus.REFUSED, QuoteStatus.EXPIRED, DeliveryStatus.INCIDENT) else 1
        steps = [{"label": s.label, "state": "done"} for s in path[:passed]]
        return steps + [{"label": enum(status).label, "state": "current exit"}]
    at = path.index(enum(status))
    steps = [{"label": s.label, "state": "done" if i < at else "current" if i == at else "todo"}
             for i, s in enumerate(path)]
    if disputed:
        steps.append({"label": "En litige", "state": "current exit"})
    return steps


def invoice_disputed(uow, invoice: Invoice) -> bool:
    """An open claim on the invoice puts it "En litige" on its status bar."""
    from sim.crm.models import ACTIVE_CLAIM_STATUSES, Claim

    return uow.session.scalars(select(Claim.id).where(
        Claim.invoice_id == invoice.id, Claim.status.in_(ACTIVE_CLAIM_STATUSES))).first() is not None


def settlement_steps(document) -> list[dict]:
    """The status bar of a credit note or a payment: issued (received), then set
    against invoices; a part left over is a customer credit still to allocate or refund."""
    first = "Émis" if isinstance(document, CreditNote) else "Reçu"
    if isinstance(document, Payment) and document.rejected:
        return [{"label": first, "state": "done"}, {"label": "Rejeté", "state": "current exit"}]
    if document.unapplied > 0:
        return [{"label": first, "state": "done"}, {"label": "Crédit client à imputer", "state": "current"},
                {"label": "Imputé", "state": "todo"}]
    return [{"label": first, "state": "done"}, {"label": "Imputé", "state": "current"}]
