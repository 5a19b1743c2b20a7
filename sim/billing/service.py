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
from sim.clock import sim_date, sim_now
from sim.company.models import Company
from sim.company.numbering import next_number
from sim.crm.models import Customer
from sim.errors import SimError, ValidationFailed
from sim.journal import service as journal
from sim.formatting import eur, fr_number
from sim.parsing import read_quantity, read_text
from sim.sales.models import OrderLine, OrderStatus, SalesOrder
from sim.sales.pricing import ZERO, document_totals, line_net
from sim.stock.models import Delivery, Product

LINE_FIELDS = ("product_id", "description", "quantity", "unit_price", "discount_pct", "vat_rate", "line_total_ht",
               "position", "line_kind")  # a credit note's line keeps the invoice line's kind (goods, freight…)


class AlreadyInvoiced(SimError):
    pass


def invoice_delivery(uow, *, actor: str, delivery_id: int, form_token: str | None = None) -> Invoice:
    from sim.workspace.forms import claim

    claim(uow, form_token, "invoice.issued")  # first: a resubmitted form is refused as such (409)
    delivery = uow.get(Delivery, delivery_id)
    if uow.session.scalar(select(Invoice.id).where(Invoice.delivery_id == delivery.id)) is not None:
        raise AlreadyInvoiced(f"Le bon de livraison {delivery.number} est déjà facturé.")
    if delivery.replaces_id is not None:
        raise AlreadyInvoiced(f"Le bon de livraison {delivery.number} remplace une livraison endommagée : "
                              "il ne se facture pas (la marchandise l'est déjà).")
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
    # the order's freight and insurance lines go on its first invoice, at the ordered price
    for ol in uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                          OrderLine.product_id.is_(None),
                                                          OrderLine.quantity_invoiced < OrderLine.quantity)
                                  .order_by(OrderLine.position)):
        quantity = ol.quantity - ol.quantity_invoiced
        ol.quantity_invoiced += quantity
        ol.quantity_delivered = ol.quantity  # a service: rendered with the goods it carries
        lines.append({"product_id": None, "description": ol.description, "quantity": quantity,
                      "unit_price": ol.unit_price, "discount_pct": ol.discount_pct, "vat_rate": ol.vat_rate,
                      "line_total_ht": line_net(quantity, ol.unit_price, ol.discount_pct), "position": ol.position,
                      "order_line_id": ol.id, "line_kind": ol.line_kind})
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
        einvoice_status_at=sim_now(uow),  # deposited on its platform as it is issued (sim/billing/einvoice.py)
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
                            "lines": [{"product": references.get(l["product_id"], l.get("line_kind", "")),
                                       "quantity": l["quantity"], "line_total_ht": l["line_total_ht"]}
                                      for l in lines]})
    return invoice


BASES = ("quantity", "return", "amount")
PRICE_CORRECTION, GESTURE = "Correction de prix", "Geste commercial"


def _credited(uow, invoice: Invoice):
    """What earlier credit notes took from the invoice: quantity and excl.-VAT
    amount per invoice position, and their totals per VAT rate."""
    rows = uow.session.execute(
        select(CreditNoteLine.position, CreditNoteLine.quantity, CreditNoteLine.line_total_ht)
        .join(CreditNote, CreditNote.id == CreditNoteLine.credit_note_id)
        .where(CreditNote.invoice_id == invoice.id, CreditNote.basis != "amount")).all()
    quantity: dict[int, Decimal] = {}
    amount: dict[int, Decimal] = {}
    for position, qty, ht in rows:
        quantity[position] = quantity.get(position, ZERO) + qty
        amount[position] = amount.get(position, ZERO) + ht
    by_rate: dict[Decimal, list[Decimal]] = {}
    for note in uow.session.scalars(select(CreditNote).where(CreditNote.invoice_id == invoice.id)):
        for rate, (base, vat) in _note_totals(uow, note).by_rate.items():
            by_rate.setdefault(rate, [ZERO, ZERO])
            by_rate[rate][0] += base
            by_rate[rate][1] += vat
    return quantity, amount, by_rate


def _note_totals(uow, note: CreditNote):
    """A stored note's totals per rate, from its lines (an amount-based note
    carries no global discount: the amount is what was granted)."""
    invoice = uow.session.get(Invoice, note.invoice_id)
    lines = uow.session.scalars(select(CreditNoteLine).where(CreditNoteLine.credit_note_id == note.id)).all()
    totals = document_totals(lines, ZERO if note.basis == "amount" else invoice.global_discount_pct)
    if totals.total_ttc != note.total_ttc and totals.by_rate:  # the last note took the exact remainder
        rate = max(totals.by_rate, key=lambda r: totals.by_rate[r][0])
        base, vat = totals.by_rate[rate]
        totals.by_rate[rate] = (base + note.total_ht - totals.total_ht, vat + note.total_vat - totals.total_vat)
        totals.total_ht, totals.total_vat, totals.total_ttc = note.total_ht, note.total_vat, note.total_ttc
    return totals


def issue_credit_note(uow, *, actor: str, invoice_id: int, quantities: dict[int, str | Decimal], reason: str,
                      basis: str = "quantity", form_token: str | None = None) -> CreditNote:
    """A credit note (avoir) on some or all of an invoice's lines, with its reason.

    ``basis`` is ``quantity`` (a correction by quantity) or ``return`` (the
    goods came back: they go back into stock). The note that credits the last
    units of a line takes that line's exact remaining amount, and the note
    that credits the whole invoice the invoice's exact remainder, so three
    thirds leave nothing due. It reduces what the customer owes on the
    invoice; what they had already paid beyond becomes a credit on their account."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "credit_note.issued")  # first: a resubmitted form is refused as such (409)
    invoice = uow.get(Invoice, invoice_id)
    errors: dict[str, str] = {}
    if basis not in ("quantity", "return"):
        errors["basis"] = "Choisissez : avoir sur quantité ou retour de marchandise."
    reason = read_text(reason, "reason", errors, label="Motif", max_length=200)
    if reason == "":
        errors["reason"] = "Indiquez le motif de l'avoir (retour, erreur de prix, geste commercial…)."
    invoice_lines = {l.id: l for l in uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))}
    credited_qty, credited_ht, credited_rates = _credited(uow, invoice)
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
        already = credited_qty.get(line.position) or ZERO  # lines are matched by their position on the invoice
        if qty < 0:
            errors[key] = "La quantité à créditer ne peut pas être négative."
        elif qty > line.quantity - already:
            errors[key] = f"On ne peut créditer plus que facturé ({fr_number(line.quantity - already)} au plus)."
        else:
            ht = line_net(qty, line.unit_price, line.discount_pct)
            if qty == line.quantity - already:  # the last units: the line's exact remainder
                ht = line.line_total_ht - (credited_ht.get(line.position) or ZERO)
            lines.append({k: getattr(line, k) for k in LINE_FIELDS} | {"quantity": qty, "line_total_ht": ht})
    if not lines and not errors:
        errors["quantities"] = "Indiquez au moins une quantité à créditer."
    if errors:
        raise ValidationFailed(errors)
    totals = document_totals([SimpleNamespace(**l) for l in lines], invoice.global_discount_pct)
    now = {l["position"]: l["quantity"] for l in lines}
    whole = all((credited_qty.get(l.position) or ZERO) + now.get(l.position, ZERO) >= l.quantity
                for l in invoice_lines.values())
    if whole:  # the whole invoice is now credited: per rate, exactly what is left of it
        invoice_totals = document_totals(list(invoice_lines.values()), invoice.global_discount_pct)
        by_rate = {rate: (base - credited_rates.get(rate, [ZERO, ZERO])[0], vat - credited_rates.get(rate, [ZERO, ZERO])[1])
                   for rate, (base, vat) in invoice_totals.by_rate.items()}
        totals.total_ht = sum((b for b, _ in by_rate.values()), ZERO)
        totals.total_vat = sum((v for _, v in by_rate.values()), ZERO)
        totals.total_ttc = totals.total_ht + totals.total_vat
    left = invoice.total_ttc - sum((b + v for b, v in credited_rates.values()), ZERO)
    if totals.total_ttc > left:
        raise ValidationFailed({"quantities": f"Cet avoir ({eur(totals.total_ttc)}) dépasserait ce qui reste à "
                                              f"créditer sur la facture ({eur(left)}) : un avoir a déjà été fait "
                                              "sur un montant."})
    note = _new_note(uow, actor=actor, invoice=invoice, lines=lines, totals=totals, reason=reason, basis=basis)
    if basis == "return":
        _back_to_stock(uow, note, lines)
    return note


def issue_credit_note_by_amount(uow, *, actor: str, invoice_id: int, amount, reason: str, motive: str = GESTURE,
                                vat_rate=None, form_token: str | None = None,
                                management_approved: bool = False) -> CreditNote:
    """A credit note by amount excl. VAT: a price correction or a commercial
    gesture, at one of the invoice's VAT rates. It never exceeds what is left
    of that rate's base; a gesture stays within the candidate's delegation
    (``Company.max_gesture_pct`` of the invoice excl. VAT, all gestures on the
    invoice together) — beyond, the manager's agreement is needed
    (``management_approved``: management agreed, on an escalated claim)."""
    from sim.company.models import Company
    from sim.parsing import read_amount, read_decimal
    from sim.workspace.forms import claim

    claim(uow, form_token, "credit_note.issued")  # first: a resubmitted form is refused as such (409)
    invoice = uow.get(Invoice, invoice_id)
    company = uow.session.scalars(select(Company)).one()
    errors: dict[str, str] = {}
    if motive not in (PRICE_CORRECTION, GESTURE):
        errors["motive"] = "Choisissez : correction de prix ou geste commercial."
    reason = read_text(reason, "reason", errors, label="Motif", max_length=200)
    if reason == "":
        errors["reason"] = "Indiquez le motif de l'avoir (erreur de prix, geste commercial…)."
    value = read_amount(amount, "amount", errors)
    invoice_lines = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    invoice_totals = document_totals(invoice_lines, invoice.global_discount_pct)
    rates = list(invoice_totals.by_rate)
    rate = None
    if vat_rate in (None, "") and len(rates) == 1:
        rate = rates[0]
    else:
        rate = read_decimal(vat_rate, "vat_rate", errors, "Taux de TVA : nombre attendu.", places=2)
        if rate is not None and rate not in rates:
            errors["vat_rate"] = "Choisissez un des taux de TVA de la facture."
            rate = None
    if value is not None and value <= 0:
        errors["amount"] = "Le montant de l'avoir doit être positif."
    elif value is not None and rate is not None and not errors.get("amount"):
        _, _, credited_rates = _credited(uow, invoice)
        room = invoice_totals.by_rate[rate][0] - credited_rates.get(rate, [ZERO, ZERO])[0]
        if value > room:
            errors["amount"] = (f"Au plus {eur(room)} HT : ce qui reste à créditer sur la facture "
                                f"au taux de {fr_number(rate)} %.")
        elif motive == GESTURE and not management_approved:
            granted = uow.session.scalar(
                select(func.coalesce(func.sum(CreditNoteLine.line_total_ht), 0))
                .join(CreditNote, CreditNote.id == CreditNoteLine.credit_note_id)
                .where(CreditNote.invoice_id == invoice.id, CreditNoteLine.description == GESTURE)) or ZERO
            ceiling = (invoice.total_ht * company.max_gesture_pct / 100).quantize(Decimal("0.01"))
            if granted + value > ceiling:
                errors["amount"] = (f"Geste commercial supérieur à votre délégation "
                                    f"({fr_number(company.max_gesture_pct)} % de la facture HT, soit "
                                    f"{eur(ceiling)}{f', dont {eur(granted)} déjà accordés' if granted else ''}) : "
                                    "demandez l'accord de votre responsable.")
    if errors:
        raise ValidationFailed(errors)
    # the kind of what it credits: the invoice's lines' kind when they all have one (a penalty invoice), else goods
    kinds = {l.line_kind for l in invoice_lines}
    lines = [{"product_id": None, "description": motive, "quantity": Decimal("1"), "unit_price": value,
              "discount_pct": ZERO, "vat_rate": rate, "line_total_ht": value, "position": 0,
              "line_kind": kinds.pop() if len(kinds) == 1 else "goods"}]
    totals = document_totals([SimpleNamespace(**l) for l in lines])
    return _new_note(uow, actor=actor, invoice=invoice, lines=lines, totals=totals, reason=reason, basis="amount",
                     motive=motive)


def _new_note(uow, *, actor: str, invoice: Invoice, lines: list[dict], totals, reason: str, basis: str,
              motive: str = "") -> CreditNote:
    today = sim_date(uow)
    customer = uow.session.get(Customer, invoice.customer_id)
    note = CreditNote(workspace_id=uow.workspace_id, number=next_number(uow, "credit_note", today),
                      customer_id=customer.id, invoice_id=invoice.id, issue_date=today, reason=reason.strip()[:200],
                      basis=basis, total_ht=totals.total_ht, total_vat=totals.total_vat, total_ttc=totals.total_ttc,
                      einvoice_status_at=sim_now(uow))  # deposited on its platform as it is issued (einvoice.py)
    uow.session.add(note)
    uow.session.flush()
    uow.session.add_all([CreditNoteLine(workspace_id=uow.workspace_id, credit_note_id=note.id, **l) for l in lines])
    applied = min(note.total_ttc, invoice.amount_due)
    note.unapplied = note.total_ttc - applied
    invoice.amount_due -= applied
    credited_total = uow.session.scalar(select(func.coalesce(func.sum(CreditNote.total_ttc), 0))
                                        .where(CreditNote.invoice_id == invoice.id))
    if invoice.amount_due == 0:
        invoice.status = InvoiceStatus.CREDITED if credited_total >= invoice.total_ttc else InvoiceStatus.PAID
    references = dict(uow.session.execute(select(Product.id, Product.reference).where(
        Product.id.in_({l["product_id"] for l in lines if l["product_id"]}))).all())
    journal.append(uow, kind="credit_note.issued", actor=actor,
                   refs={"credit_note": note.number, "invoice": invoice.number, "customer": customer.code},
                   payload={"reason": note.reason, "total_ht": note.total_ht, "total_vat": note.total_vat,
                            "total_ttc": note.total_ttc, "invoice_amount_due": invoice.amount_due,
                            "customer_credit": note.unapplied, "basis": basis,
                            **({"motive": motive} if motive else {}),
                            "lines": [{"product": references.get(l["product_id"], ""), "quantity": l["quantity"],
                                       "line_total_ht": l["line_total_ht"]} for l in lines]})
    return note


def _back_to_stock(uow, note: CreditNote, lines: list[dict]) -> None:
    """Returned goods come back on hand (a return move); the note's journal
    entry, basis ``return``, lists them."""
    from sim.stock.models import StockMove, StockMoveKind

    for line in lines:
        product = uow.session.get(Product, line["product_id"])
        if product is None:
            continue
        product.stock_on_hand += line["quantity"]
        uow.session.add(StockMove(workspace_id=uow.workspace_id, product_id=product.id, kind=StockMoveKind.RETURN,
                                  quantity=line["quantity"], move_date=note.issue_date,
                                  note=f"Retour client, avoir {note.number}"))
