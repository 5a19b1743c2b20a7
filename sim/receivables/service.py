"""Payments received and their allocation to invoices (CP1, CP4)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from sim.billing.models import Invoice, InvoiceStatus, invoice_is_open
from sim.clock import sim_date
from sim.company.numbering import next_number
from sim.crm.models import Customer, PaymentMethod
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.formatting import eur
from sim.parsing import read_amount, read_text
from sim.receivables.credit import credit_note_holds, payment_holds
from sim.receivables.models import CreditUse, Payment, PaymentAllocation
from sim.sales.pricing import ZERO


def _amount(raw, key: str, errors: dict[str, str]) -> Decimal | None:
    return read_amount(raw, key, errors, default="0")


def record_payment(uow, *, actor: str, customer_id: int, method: str, amount, allocations: dict[int, str | Decimal],
                   reference: str = "", received_on: date | None = None,
                   form_token: str | None = None) -> Payment:
    """Register a payment and allocate it to one or several open invoices.

    Never more than an invoice still owes. Up to what the customer owes, the
    whole amount must be allocated; a payment larger than what is due pays
    every open invoice and the excess is recorded as a credit on the
    customer's account (``Payment.unapplied``), to set against a later
    invoice or to refund (domain/payment-and-invoicing.md, receivables-recovery.md §5).
    """
    from sim.workspace.forms import claim

    claim(uow, form_token, "payment.recorded")  # first: a resubmitted form is refused as such (409)
    customer = uow.get(Customer, customer_id)
    errors: dict[str, str] = {}
    if method not in {m.value for m in PaymentMethod}:
        errors["method"] = "Choisissez un mode de règlement."
    total = _amount(amount, "amount", errors)
    reference = read_text(reference, "reference", errors, label="Référence", max_length=60)
    if total is not None and total <= 0:
        errors["amount"] = "Le montant doit être positif."
    today = sim_date(uow)
    received_on = received_on or today
    if received_on > today:
        errors["received_on"] = "Un règlement ne peut pas être daté après aujourd'hui."
    open_invoices = {i.id: i for i in uow.session.scalars(
        select(Invoice).where(Invoice.customer_id == customer.id, invoice_is_open()))}
    allocated: list[tuple[Invoice, Decimal]] = []
    for invoice_id, raw in allocations.items():
        key = f"alloc-{invoice_id}"
        value = _amount(raw, key, errors)
        if value is None or value == 0:
            continue
        invoice = open_invoices.get(int(invoice_id))
        if invoice is None:
            errors[key] = "Cette facture n'est pas une facture ouverte de ce client."
        elif value < 0:
            errors[key] = "Montant négatif."
        elif value > invoice.amount_due:
            errors[key] = f"Supérieur au reste dû sur {invoice.number} ({eur(invoice.amount_due)})."
        else:
            allocated.append((invoice, value))
    if total is not None and total > 0 and "amount" not in errors:
        spread = sum((v for _, v in allocated), ZERO)
        due = sum((i.amount_due for i in open_invoices.values()), ZERO)
        if not any(k.startswith("alloc-") for k in errors) and spread != min(total, due):
            errors["allocations"] = (
                f"Le règlement ({eur(total)}) dépasse ce que le client doit ({eur(due)}) : soldez d'abord "
                f"toutes ses factures ouvertes ({eur(spread)} affectés), l'excédent restera à son crédit."
                if total > due else
                f"Le règlement ({eur(total)}) doit être réparti entièrement : {eur(spread)} affectés.")
    if errors:
        raise ValidationFailed(errors)
    payment = Payment(workspace_id=uow.workspace_id, number=next_number(uow, "payment", received_on),
                      customer_id=customer.id, method=method, amount=total, received_on=received_on,
                      reference=reference.strip()[:60], unapplied=total - min(total, due))
    uow.session.add(payment)
    uow.session.flush()
    for invoice, value in allocated:
        uow.session.add(PaymentAllocation(workspace_id=uow.workspace_id, payment_id=payment.id,
                                          invoice_id=invoice.id, amount=value))
        invoice.amount_due -= value
        invoice.status = InvoiceStatus.PAID if invoice.amount_due == 0 else InvoiceStatus.PARTIALLY_PAID
    journal.append(uow, kind="payment.recorded", actor=actor, refs={"payment": payment.number,
                                                                   "customer": customer.code},
                   payload={"amount": total, "method": method, "received_on": received_on,
                            "reference": payment.reference, "excess": payment.unapplied,
                            "allocations": [{"invoice": i.number, "amount": v, "days_late":
                                             max(0, (received_on - i.due_date).days)} for i, v in allocated]})
    return payment


def reject_payment(uow, *, actor: str, invoice_id: int, reason: str, method: str | None = None) -> Payment | None:
    """The bank returns the last payment on an invoice unpaid (a rejected bill of
    exchange): its allocations are undone and the invoice is owed again.
    ``method``: that last payment must have been made so (``bill``: an LCR).
    Part of the caller's transaction."""
    from sim.errors import SimError

    invoice = uow.get(Invoice, invoice_id)
    row = uow.session.execute(
        select(Payment, PaymentAllocation).join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
        .where(PaymentAllocation.invoice_id == invoice.id, Payment.rejected.is_(False))
        .order_by(Payment.received_on.desc(), Payment.id.desc())).first()
    if method is not None and (row is None or row[0].method != method):
        label = PaymentMethod(method).label if method in {m.value for m in PaymentMethod} else method
        raise SimError(f"Le dernier règlement de la facture {invoice.number} n'est pas « {label} » : "
                       "il ne peut pas revenir impayé comme tel.")
    payment = None
    if row is not None:
        payment, _ = row
        payment.rejected = True
        for allocation in uow.session.scalars(select(PaymentAllocation)
                                              .where(PaymentAllocation.payment_id == payment.id)):
            owed = uow.session.get(Invoice, allocation.invoice_id)
            owed.amount_due += allocation.amount
            owed.status = InvoiceStatus.PARTIALLY_PAID if owed.amount_due < owed.total_ttc else InvoiceStatus.ISSUED
        # its excess never existed either: what of it was set against invoices is owed again
        for use in uow.session.scalars(select(CreditUse).where(CreditUse.payment_id == payment.id,
                                                               CreditUse.invoice_id.is_not(None))):
            owed = uow.session.get(Invoice, use.invoice_id)
            owed.amount_due += use.amount
            owed.status = InvoiceStatus.PARTIALLY_PAID if owed.amount_due < owed.total_ttc else InvoiceStatus.ISSUED
        payment.unapplied = ZERO
    customer = uow.session.get(Customer, invoice.customer_id)
    journal.append(uow, kind="payment.rejected", actor=actor,
                   refs={"invoice": invoice.number, "customer": customer.code,
                         **({"payment": payment.number} if payment else {})},
                   payload={"reason": reason, "amount": payment.amount if payment else None,
                            "amount_due": invoice.amount_due})
    return payment


# ===== customer credits ================================================

def open_credits(uow, customer_id: int) -> list[tuple[str, object]]:
    """The credits a customer holds, oldest first, as (form key, row):
    ``cn-<id>`` for a credit note's unapplied part, ``pay-<id>`` for a payment's excess."""
    from sim.billing.models import CreditNote

    notes = uow.session.scalars(select(CreditNote).where(CreditNote.customer_id == customer_id, credit_note_holds())
                                .order_by(CreditNote.issue_date, CreditNote.id)).all()
    payments = uow.session.scalars(select(Payment).where(Payment.customer_id == customer_id, payment_holds())
                                   .order_by(Payment.received_on, Payment.id)).all()
    return [(f"cn-{n.id}", n) for n in notes] + [(f"pay-{p.id}", p) for p in payments]


def _credit_source(uow, customer: Customer, source: str, errors: dict[str, str]):
    credits = dict(open_credits(uow, customer.id))
    row = credits.get(str(source or ""))
    if row is None:
        errors["source"] = "Choisissez un avoir ou un règlement dont le client a encore le crédit."
    return row


def _source_refs(row) -> dict:
    from sim.billing.models import CreditNote

    return {"credit_note": row.number} if isinstance(row, CreditNote) else {"payment": row.number}


def _use(uow, customer: Customer, row, amount: Decimal, invoice: Invoice | None, method: str = "",
         reference: str = "") -> CreditUse:
    from sim.billing.models import CreditNote

    is_note = isinstance(row, CreditNote)
    use = CreditUse(workspace_id=uow.workspace_id, customer_id=customer.id,
                    credit_note_id=row.id if is_note else None, payment_id=None if is_note else row.id,
                    invoice_id=invoice.id if invoice else None, amount=amount, used_on=sim_date(uow),
                    method=method, reference=reference)
    uow.session.add(use)
    row.unapplied -= amount
    return use


def allocate_credit(uow, *, actor: str, customer_id: int, source: str, invoice_id, amount,
                    form_token: str | None = None) -> CreditUse:
    """Set a credit the customer holds (``source``: ``cn-<id>`` or ``pay-<id>``,
    see ``open_credits``) against one of their open invoices (imputation d'avoir),
    journaled ``credit.allocated``."""
    from sim.parsing import read_id
    from sim.workspace.forms import claim

    claim(uow, form_token, "credit.allocated")  # first: a resubmitted form is refused as such (409)
    customer = uow.get(Customer, customer_id)
    errors: dict[str, str] = {}
    row = _credit_source(uow, customer, source, errors)
    value = _amount(amount, "amount", errors)
    id_ = read_id(str(invoice_id or ""))
    invoice = uow.session.scalars(select(Invoice).where(Invoice.id == id_, Invoice.customer_id == customer.id,
                                                        invoice_is_open())).first() if id_ else None
    if invoice is None:
        errors["invoice"] = "Choisissez une facture ouverte de ce client."
    if value is not None and "amount" not in errors:
        if value <= 0:
            errors["amount"] = "Le montant doit être positif."
        elif row is not None and value > row.unapplied:
            errors["amount"] = f"Supérieur au crédit disponible ({eur(row.unapplied)})."
        elif invoice is not None and value > invoice.amount_due:
            errors["amount"] = f"Supérieur au reste dû sur {invoice.number} ({eur(invoice.amount_due)})."
    if errors:
        raise ValidationFailed(errors)
    use = _use(uow, customer, row, value, invoice)
    invoice.amount_due -= value
    invoice.status = InvoiceStatus.PAID if invoice.amount_due == 0 else InvoiceStatus.PARTIALLY_PAID
    journal.append(uow, kind="credit.allocated", actor=actor,
                   refs={"customer": customer.code, "invoice": invoice.number, **_source_refs(row)},
                   payload={"amount": value, "credit_left": row.unapplied, "invoice_amount_due": invoice.amount_due})
    return use


def refund_credit(uow, *, actor: str, customer_id: int, source: str, amount, method: str = "transfer",
                  reference: str = "", form_token: str | None = None) -> CreditUse:
    """Pay a credit back to the customer (by transfer or cheque), journaled
    ``credit.refunded``; the statement of account shows it as a debit."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "credit.refunded")  # first: a resubmitted form is refused as such (409)
    customer = uow.get(Customer, customer_id)
    errors: dict[str, str] = {}
    row = _credit_source(uow, customer, source, errors)
    value = _amount(amount, "amount", errors)
    if method not in ("transfer", "cheque"):
        errors["method"] = "Remboursement par virement ou par chèque."
    reference = read_text(reference, "reference", errors, label="Référence", max_length=60)
    if value is not None and "amount" not in errors:
        if value <= 0:
            errors["amount"] = "Le montant doit être positif."
        elif row is not None and value > row.unapplied:
            errors["amount"] = f"Supérieur au crédit disponible ({eur(row.unapplied)})."
    if errors:
        raise ValidationFailed(errors)
    use = _use(uow, customer, row, value, None, method=method, reference=reference.strip()[:60])
    journal.append(uow, kind="credit.refunded", actor=actor, refs={"customer": customer.code, **_source_refs(row)},
                   payload={"amount": value, "method": method, "reference": use.reference,
                            "credit_left": row.unapplied})
    return use
