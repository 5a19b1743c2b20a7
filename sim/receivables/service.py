"""Payments received and their allocation to invoices (CP1, CP4)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from sim.billing.models import Invoice, InvoiceStatus
from sim.clock import sim_date
from sim.company.numbering import next_number
from sim.crm.models import Customer, PaymentMethod
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.formatting import eur
from sim.parsing import read_amount, read_text
from sim.receivables.models import Payment, PaymentAllocation
from sim.sales.pricing import ZERO


def _amount(raw, key: str, errors: dict[str, str]) -> Decimal | None:
    return read_amount(raw, key, errors, default="0")


def record_payment(uow, *, actor: str, customer_id: int, method: str, amount, allocations: dict[int, str | Decimal],
                   reference: str = "", received_on: date | None = None,
                   form_token: str | None = None) -> Payment:
    """Register a payment and allocate it to one or several open invoices.

    The whole amount must be allocated, and never more than an invoice still
    owes: a payment larger than what is due is refused (it would be a credit
    to refund, which the candidate must clarify with the customer first).
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
        select(Invoice).where(Invoice.customer_id == customer.id, Invoice.amount_due > 0))}
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
        if total > due:
            errors["amount"] = f"Montant supérieur à ce que le client doit ({eur(due)})."
        elif not any(k.startswith("alloc-") for k in errors) and spread != total:
            errors["allocations"] = f"Le règlement ({eur(total)}) doit être réparti entièrement : {eur(spread)} affectés."
    if errors:
        raise ValidationFailed(errors)
    payment = Payment(workspace_id=uow.workspace_id, number=next_number(uow, "payment", received_on),
                      customer_id=customer.id, method=method, amount=total, received_on=received_on,
                      reference=reference.strip()[:60])
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
                            "reference": payment.reference,
                            "allocations": [{"invoice": i.number, "amount": v, "days_late":
                                             max(0, (received_on - i.due_date).days)} for i, v in allocated]})
    return payment


def reject_payment(uow, *, actor: str, invoice_id: int, reason: str) -> Payment | None:
    """The bank returns the last payment on an invoice unpaid (a rejected bill of
    exchange): its allocations are undone and the invoice is owed again.
    Part of the caller's transaction."""
    invoice = uow.get(Invoice, invoice_id)
    row = uow.session.execute(
        select(Payment, PaymentAllocation).join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
        .where(PaymentAllocation.invoice_id == invoice.id, Payment.rejected.is_(False))
        .order_by(Payment.received_on.desc(), Payment.id.desc())).first()
    payment = None
    if row is not None:
        payment, _ = row
        payment.rejected = True
        for allocation in uow.session.scalars(select(PaymentAllocation)
                                              .where(PaymentAllocation.payment_id == payment.id)):
            owed = uow.session.get(Invoice, allocation.invoice_id)
            owed.amount_due += allocation.amount
            owed.status = InvoiceStatus.PARTIALLY_PAID if owed.amount_due < owed.total_ttc else InvoiceStatus.ISSUED
    customer = uow.session.get(Customer, invoice.customer_id)
    journal.append(uow, kind="payment.rejected", actor=actor,
                   refs={"invoice": invoice.number, "customer": customer.code,
                         **({"payment": payment.number} if payment else {})},
                   payload={"reason": reason, "amount": payment.amount if payment else None,
                            "amount_due": invoice.amount_due})
    return payment
