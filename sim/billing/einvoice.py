"""Electronic invoicing (domain/payment-and-invoicing.md §4 and §5).

Since the reform (LF 2024 art. 91), an invoice goes through a *plateforme
agréée* which reports its life cycle back to the issuer. advsim keeps on each
invoice the status its platform last reported — the four statuses every
platform must carry: *Déposée* (200, at issue), *Reçue* (202), *Refusée* (210,
with the buyer's reason) and *Encaissée* (212) — which a scenario event
(``einvoice_status``) moves as a platform would; each move is journaled
(``invoice.einvoice_status``).

The reform's four new mentions are computed here for both the printed invoice
and its Factur-X XML: the customer's SIREN (on the customer), the delivery
address, the nature of the operation and the VAT-on-debits option.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from sim.billing.models import CreditNote, EInvoiceStatus, Invoice
from sim.clock import sim_now
from sim.crm.models import Customer
from sim.errors import SimError, ValidationFailed
from sim.journal import service as journal

#: The reform's code of each status (the platforms' life-cycle messages).
STATUS_CODES = {EInvoiceStatus.DEPOSITED: "200", EInvoiceStatus.RECEIVED: "202",
                EInvoiceStatus.REFUSED: "210", EInvoiceStatus.COLLECTED: "212"}

#: Where each status may go next: refused and collected are final (a refused
#: invoice is cancelled by a credit note and invoiced again).
NEXT = {
    EInvoiceStatus.DEPOSITED: (EInvoiceStatus.RECEIVED, EInvoiceStatus.REFUSED, EInvoiceStatus.COLLECTED),
    EInvoiceStatus.RECEIVED: (EInvoiceStatus.REFUSED, EInvoiceStatus.COLLECTED),
    EInvoiceStatus.REFUSED: (),
    EInvoiceStatus.COLLECTED: (),
}

VAT_ON_DEBITS_MENTION = "Option pour le paiement de la taxe d'après les débits"


class StatusMoveRefused(SimError):
    status_code = 409


def status_label(status: str) -> str:
    try:
        return EInvoiceStatus(status).label
    except ValueError:
        return status


def move_status(uow, *, actor: str, invoice_id: int, status: str, reason: str = "", event: str = "") -> Invoice:
    """The platform reports a new status for the invoice: check it follows from
    the current one (a writing unit of work holds the workspace's lock: of two
    reports at once, the second sees the first's status), keep it with the sim time, journal it. A refusal needs its reason."""
    if status not in STATUS_CODES:
        raise ValidationFailed({"status": f"Statut inconnu : {status!r} (déposée, reçue, refusée, encaissée)."})
    reason = " ".join((reason or "").split())[:200]
    if status == EInvoiceStatus.REFUSED and not reason:
        raise ValidationFailed({"reason": "Un refus indique son motif."})
    invoice = uow.get(Invoice, invoice_id)
    previous = invoice.einvoice_status
    if status not in NEXT.get(previous, ()):
        raise StatusMoveRefused(f"Facture {invoice.number} : le statut « {status_label(previous)} » ne peut "
                                f"pas devenir « {status_label(status)} ».")
    invoice.einvoice_status = status
    invoice.einvoice_status_at = sim_now(uow)
    invoice.einvoice_reason = reason if status == EInvoiceStatus.REFUSED else ""
    customer = uow.session.get(Customer, invoice.customer_id)
    journal.append(uow, kind="invoice.einvoice_status", actor=actor,
                   refs={"invoice": invoice.number, "customer": customer.code, **({"event": event} if event else {})},
                   payload={"status": status, "code": STATUS_CODES[status], "previous": previous,
                            "reason": invoice.einvoice_reason})
    return invoice


def move_credit_note_status(uow, *, actor: str, credit_note_id: int, status: str, reason: str = "",
                            event: str = "") -> CreditNote:
    """The platform reports a new status for a credit note: the same life cycle as
    an invoice's (a credit note is an invoice that amends another), journaled
    ``credit_note.einvoice_status``."""
    if status not in STATUS_CODES:
        raise ValidationFailed({"status": f"Statut inconnu : {status!r} (déposé, reçu, refusé, encaissé)."})
    reason = " ".join((reason or "").split())[:200]
    if status == EInvoiceStatus.REFUSED and not reason:
        raise ValidationFailed({"reason": "Un refus indique son motif."})
    note = uow.get(CreditNote, credit_note_id)
    previous = note.einvoice_status
    if status not in NEXT.get(previous, ()):
        raise StatusMoveRefused(f"Avoir {note.number} : le statut « {status_label(previous)} » ne peut "
                                f"pas devenir « {status_label(status)} ».")
    note.einvoice_status = status
    note.einvoice_status_at = sim_now(uow)
    note.einvoice_reason = reason if status == EInvoiceStatus.REFUSED else ""
    customer = uow.session.get(Customer, note.customer_id)
    invoice = uow.session.get(Invoice, note.invoice_id)
    journal.append(uow, kind="credit_note.einvoice_status", actor=actor,
                   refs={"credit_note": note.number, "invoice": invoice.number, "customer": customer.code,
                         **({"event": event} if event else {})},
                   payload={"status": status, "code": STATUS_CODES[status], "previous": previous,
                            "reason": note.einvoice_reason})
    return note


# ===== the reform's new mentions ========================================

@dataclass(frozen=True)
class Nature:
    code: str  # goods | services | both
    label: str  # as printed
    process: str  # the French "cadre de facturation" (BT-23): B1 goods, S1 services, M1 both


GOODS = Nature("goods", "Livraison de biens", "B1")
SERVICES = Nature("services", "Prestation de services", "S1")
BOTH = Nature("both", "Livraison de biens et prestation de services", "M1")


def operation_nature(lines) -> Nature:
    """Goods, services or both (CGI ann. II art. 242 nonies A 8° bis). A line
    of a catalogue product is a delivery of goods (the catalogue holds stocked
    goods only); a line without a product (a price correction or a gesture on a
    credit note) takes the nature of the invoice it amends, goods here."""
    has_goods = any(getattr(l, "product_id", None) for l in lines)
    has_services = False  # no service in the catalogue: see the docstring
    if has_goods and has_services:
        return BOTH
    return SERVICES if has_services else GOODS


@dataclass(frozen=True)
class Address:
    name: str
    line: str
    postcode: str
    city: str
    country: str

    def one_line(self) -> str:
        return ", ".join(p for p in (self.line, f"{self.postcode} {self.city}".strip()) if p)


def delivery_address(uow, invoice: Invoice) -> tuple[Address, bool]:
    """Where the goods went, and whether it is the billing address: the order's
    delivery address if it has one (same country as the customer), else the
    customer's own address."""
    from sim.sales.models import SalesOrder

    customer = uow.session.get(Customer, invoice.customer_id)
    order = uow.session.get(SalesOrder, invoice.order_id) if invoice.order_id else None
    if order is not None and order.delivery_address.strip():
        return Address(customer.name, " ".join(order.delivery_address.split()), "", "", customer.country), False
    return Address(customer.name, customer.address, customer.postcode, customer.city, customer.country), True


def status_history(uow, invoice: Invoice) -> list[dict]:
    """The invoice's platform statuses, oldest first: its deposit at issue, then
    each move the journal recorded."""
    from sim.journal.models import JournalEntry

    history = [{"status": EInvoiceStatus.DEPOSITED, "label": EInvoiceStatus.DEPOSITED.label, "code": "200",
                "at": None, "reason": ""}]
    entries = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "invoice.einvoice_status")
                                  .order_by(JournalEntry.id)).all()
    for entry in entries:
        if (entry.refs or {}).get("invoice") != invoice.number:
            continue
        status = entry.payload.get("status", "")
        history.append({"status": status, "label": status_label(status), "code": entry.payload.get("code", ""),
                        "at": entry.sim_time, "reason": entry.payload.get("reason", "")})
    return history
