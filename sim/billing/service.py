"""Invoices and credit notes (domain/payment-and-invoicing.md §4 and §6).

An invoice is issued from a delivery — what was delivered, not what was
ordered — numbered in the company's one continuous series, with its due date
from the customer's terms (capped by the legal maximum). A credit note amends
an invoice and refers to it; an issued invoice is never edited.
"""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import func, select

from sim.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine, InvoiceStatus
from sim.billing.terms import due_date
from sim.billing.vat import vat_mention, vat_regime
from sim.clock import sim_date
from sim.company.models import Company
from sim.company.numbering import next_number
from sim.crm.models import Customer
from sim.errors import SimError, ValidationFailed
from sim.journal import service as journal
from sim.formatting import fr_number
from sim.parsing import read_quantity, read_text
from sim.sales.models import OrderLine, OrderStatus, SalesOrder
from sim.sales.pricing import ZERO, document_totals, line_net
from sim.stock.models import Delivery, Product

LINE_FIELDS = ("product_id", "description", "quantity", "unit_price", "discount_pct", "vat_rate", "line_total_ht",
               "position")


class AlreadyInvoiced(SimError):
    pass


def invoice_delivery(uow, *, actor: str, delivery_id: int, form_token: str | None = None) -> Invoice:
    from sim.workspace.forms import claim

    claim(uow, form_token, "invoice.issued")  # first: a resubmitted form is refused as such (409)
    delivery = uow.get(Delivery, delivery_id)
    if uow.session.scalar(select(Invoice.id).where(Invoice.delivery_id == delivery.id)) is not None:
        raise AlreadyInvoiced(f"Le bon de livraison {delivery.number} est déjà facturé.")
    from sim.stock.models import DeliveryLine

    order = uow.session.get(SalesOrder, delivery.order_id)
    customer = uow.session.get(Customer, delivery.customer_id)
    company = uow.session.scalars(select(Company)).one()
    today = sim_date(uow)
    lines = []
    for dl in uow.session.scalars(select(DeliveryLine).where(DeliveryLine.delivery_id == delivery.id)
                                  .order_by(DeliveryLine.id)):
        ol = uow.session.get(OrderLine, dl.order_line_id)
        ol.quantity_invoiced += dl.quantity
        lines.append({"product_id": ol.product_id, "description": ol.description, "quantity": dl.quantity,
                      "unit_price": ol.unit_price, "discount_pct": ol.discount_pct, "vat_rate": ol.vat_rate,
                      "line_total_ht": line_net(dl.quantity, ol.unit_price, ol.discount_pct),
                      "position": ol.position, "order_line_id": ol.id})
    totals = document_totals([SimpleNamespace(**l) for l in lines], order.global_discount_pct)
    invoice = Invoice(
        workspace_id=uow.workspace_id, number=next_number(uow, "invoice", today), customer_id=customer.id,
        order_id=order.id, delivery_id=delivery.id, status=InvoiceStatus.ISSUED, issue_date=today,
        # the date the goods were delivered, if known by now, else the day they left
        delivery_date=(delivery.delivered_date if delivery.delivered_date and delivery.delivered_date <= today
                       else delivery.ship_date),
        due_date=due_date(today, order.payment_terms, company.eom_method), payment_terms=order.payment_terms,
        customer_po=order.customer_po, vat_mention=vat_mention(vat_regime(customer.country, customer.vat_number,
                                                                          customer.kind)),
        total_ht=totals.total_ht, total_vat=totals.total_vat, total_ttc=totals.total_ttc, amount_due=totals.total_ttc,
        global_discount_pct=order.global_discount_pct,
    )
    uow.session.add(invoice)
    uow.session.flush()
    uow.session.add_all([InvoiceLine(workspace_id=uow.workspace_id, invoice_id=invoice.id, **l) for l in lines])
    order_lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    if all(l.quantity_invoiced >= l.quantity for l in order_lines):
        order.status = OrderStatus.INVOICED
    references = dict(uow.session.execute(select(Product.id, Product.reference).where(
        Product.id.in_({l["product_id"] for l in lines}))).all())
    journal.append(uow, kind="invoice.issued", actor=actor,
                   refs={"invoice": invoice.number, "delivery": delivery.number, "order": order.number,
                         "customer": customer.code},
                   payload={"issue_date": today, "due_date": invoice.due_date, "payment_terms": invoice.payment_terms,
                            "total_ht": invoice.total_ht, "total_vat": invoice.total_vat,
                            "total_ttc": invoice.total_ttc,
                            "vat_by_rate": {str(r): [b, v] for r, (b, v) in totals.by_rate.items()},
                            "lines": [{"product": references[l["product_id"]], "quantity": l["quantity"],
                                       "line_total_ht": l["line_total_ht"]} for l in lines]})
    return invoice


def issue_credit_note(uow, *, actor: str, invoice_id: int, quantities: dict[int, str | Decimal], reason: str,
                      form_token: str | None = None) -> CreditNote:
    """A credit note (avoir) on some or all of an invoice's lines, with its reason.

    It refers to the invoice and reduces what the customer owes on it; whatever
    the customer had already paid beyond the new balance becomes a credit on
    their account (not modelled as a refund here)."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "credit_note.issued")  # first: a resubmitted form is refused as such (409)
    invoice = uow.get(Invoice, invoice_id)
    errors: dict[str, str] = {}
    reason = read_text(reason, "reason", errors, label="Motif", max_length=200)
    if reason == "":
        errors["reason"] = "Indiquez le motif de l'avoir (retour, erreur de prix, geste commercial…)."
    invoice_lines = {l.id: l for l in uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))}
    credited = dict(uow.session.execute(
        select(CreditNoteLine.position, func.sum(CreditNoteLine.quantity))
        .join(CreditNote, CreditNote.id == CreditNoteLine.credit_note_id)
        .where(CreditNote.invoice_id == invoice.id).group_by(CreditNoteLine.position)).all())
    lines = []
    for line_id, raw in quantities.items():
        key = f"qty-{line_id}"
        line = invoice_lines.get(int(line_id))
        if line is None:
            errors[key] = "Cette ligne n'appartient pas à la facture."
            continue
        product_unit = uow.session.scalar(select(Product.unit).where(Product.id == line.product_id))
        qty = read_quantity(raw, key, errors, unit=product_unit, default="0")
        if qty is None:
            continue
        if qty == 0:
            continue
        already = credited.get(line.position) or ZERO  # lines are matched by their position on the invoice
        if qty < 0:
            errors[key] = "La quantité à créditer ne peut pas être négative."
        elif qty > line.quantity - already:
            errors[key] = f"On ne peut créditer plus que facturé ({fr_number(line.quantity - already)} au plus)."
        else:
            lines.append({k: getattr(line, k) for k in LINE_FIELDS} | {
                "quantity": qty, "line_total_ht": line_net(qty, line.unit_price, line.discount_pct)})
    if not lines and not errors:
        errors["quantities"] = "Indiquez au moins une quantité à créditer."
    if errors:
        raise ValidationFailed(errors)
    today = sim_date(uow)
    customer = uow.session.get(Customer, invoice.customer_id)
    totals = document_totals([SimpleNamespace(**l) for l in lines], invoice.global_discount_pct)
    note = CreditNote(workspace_id=uow.workspace_id, number=next_number(uow, "credit_note", today),
                      customer_id=customer.id, invoice_id=invoice.id, issue_date=today, reason=reason.strip()[:200],
                      total_ht=totals.total_ht, total_vat=totals.total_vat, total_ttc=totals.total_ttc)
    uow.session.add(note)
    uow.session.flush()
    uow.session.add_all([CreditNoteLine(workspace_id=uow.workspace_id, credit_note_id=note.id, **l) for l in lines])
    applied = min(note.total_ttc, invoice.amount_due)
    note.unapplied = note.total_ttc - applied
    invoice.amount_due -= applied
    if invoice.amount_due == 0:
        invoice.status = InvoiceStatus.CREDITED if note.total_ttc >= invoice.total_ttc else InvoiceStatus.PAID
    journal.append(uow, kind="credit_note.issued", actor=actor,
                   refs={"credit_note": note.number, "invoice": invoice.number, "customer": customer.code},
                   payload={"reason": note.reason, "total_ht": note.total_ht, "total_vat": note.total_vat,
                            "total_ttc": note.total_ttc, "invoice_amount_due": invoice.amount_due,
                            "customer_credit": note.unapplied})
    return note
