"""Purchasing: the candidate's purchase orders to suppliers, from entry to receipt.

A purchase order is entered as a draft (supplier, lines at the product's
purchase cost, the delivery date agreed with the supplier), then sent: its PDF
is printed, kept with the workspace and attached to an email to the supplier.
The supplier's acknowledgement (accusé de réception de commande, ARC) gives
the confirmed date — a scenario's ``supplier_ack`` event, or the candidate
recording the reply. The candidate chases a supplier (relance), records a new
date negotiated with them, and books goods receipts, full or partial, with
what was refused and the discrepancy noted (domain/supply-chain.md §2, §3).
A receipt takes the accepted units into stock and reserves them for the
customer orders waiting for the product, earliest promised date first.

Every action journals in its own transaction and flushes, never commits; each
checks the purchase order's state after the workspace's write lock is held
(``UnitOfWork`` takes it at its first statement), so a double click or a
second tab is refused with the state's message, not done twice.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from sim.clock import sim_date, sim_now
from sim.company.numbering import next_number
from sim.documents.models import Document
from sim.errors import SimError, ValidationFailed
from sim.formatting import fr_number
from sim.journal import service as journal
from sim.parsing import read_quantity, read_text
from sim.purchasing.models import GoodsReceipt, GoodsReceiptLine
from sim.sales.errors import WrongStatus
from sim.sales.models import OrderLine, OrderStatus, SalesOrder
from sim.stock.models import (
    OPEN_PURCHASE_STATUSES, Product, PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatus, StockMove, StockMoveKind,
    Supplier,
)

ZERO = Decimal("0.000")
MAX_LINES = 50


@dataclass
class POLineInput:
    product: int | str  # a product id, or its reference as typed
    quantity: str | Decimal


# ===== reading dates and products ========================================

def read_day(raw, key: str, errors: dict, today: date | None, *, label: str, required: bool = True) -> date | None:
    """A date typed in a form (ISO from a date field, or jj/mm/aaaa): not before
    ``today``, within a year of it (``today`` None: any date, a supplier's own)."""
    text = "" if raw is None else str(raw).strip()[:10]
    if not text:
        if required:
            errors[key] = f"{label} : à remplir (jj/mm/aaaa)."
        return None
    value = raw if isinstance(raw, date) else None
    if value is None:
        try:
            if "/" in text:
                d, m, y = (int(part) for part in text.split("/"))
                value = date(y, m, d)
            else:
                value = date.fromisoformat(text)
        except ValueError:
            errors[key] = f"{label} : jj/mm/aaaa attendu."
            return None
    if today is None:
        return value
    if value < today:
        errors[key] = f"{label} : la date ne peut pas être passée (aujourd'hui : {today:%d/%m/%Y})."
        return None
    if (value - today).days > 366:
        errors[key] = f"{label} : plus d'un an après aujourd'hui, vérifiez l'année."
        return None
    return value


def _product(uow, raw) -> Product | None:
    if isinstance(raw, int):
        return uow.session.scalars(select(Product).where(Product.id == raw)).first()
    text = str(raw or "").split(" — ")[0].strip()
    if not text or len(text) > 40 or "\x00" in text:
        return None
    return uow.session.scalars(select(Product).where(func.upper(Product.reference) == text.upper())).first()


def _locked(uow, purchase_order_id: int) -> PurchaseOrder:
    """The purchase order, read under the workspace's write lock (NotFound: 404)."""
    return uow.get(PurchaseOrder, purchase_order_id)


def _lines(uow, po: PurchaseOrder) -> list[PurchaseOrderLine]:
    return list(uow.session.scalars(select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == po.id)
                                    .order_by(PurchaseOrderLine.id)))


def _expected(po: PurchaseOrder) -> date:
    return po.confirmed_date or po.requested_date


# ===== entry ==============================================================

def create_purchase_order(uow, *, actor: str, supplier_id: int | None, lines: list[POLineInput], requested_date,
                          notes: str = "", form_token: str | None = None) -> PurchaseOrder:
    """A draft purchase order, journaled ``purchase_order.created``; refused
    with ``ValidationFailed`` (field → message: supplier, date, lines-<i>-product/quantity)."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "purchase_order.created")
    today = sim_date(uow)
    errors: dict[str, str] = {}
    supplier = uow.session.scalars(select(Supplier).where(Supplier.id == supplier_id)).first() \
        if supplier_id else None
    if supplier is None:
        errors["supplier"] = "Choisissez un fournisseur."
    when = read_day(requested_date, "requested_date", errors, today, label="Date de livraison convenue")
    notes = read_text(notes, "notes", errors, label="Observations", max_length=2000, multiline=True) or ""
    picked: list[tuple[Product, Decimal]] = []
    if len(lines) > MAX_LINES:
        errors["lines"] = f"{MAX_LINES} lignes au plus."
        lines = []
    for i, line in enumerate(lines):
        product = _product(uow, line.product)
        if product is None:
            errors[f"lines-{i}-product"] = "Produit inconnu : choisissez-le dans la liste."
            continue
        qty = read_quantity(line.quantity, f"lines-{i}-quantity", errors, unit=product.unit)
        if qty is None:
            continue
        if qty <= 0:
            errors[f"lines-{i}-quantity"] = "Quantité : plus de 0 attendu."
            continue
        if any(p.id == product.id for p, _ in picked):
            errors[f"lines-{i}-product"] = f"{product.reference} est déjà sur une autre ligne."
            continue
        picked.append((product, qty))
    if not picked and not any(k.startswith("lines") for k in errors):
        errors["lines"] = "Ajoutez au moins une ligne (produit et quantité)."
    if errors:
        raise ValidationFailed(errors)
    po = PurchaseOrder(workspace_id=uow.workspace_id, number=next_number(uow, "purchase_order", today),
                       supplier_id=supplier.id, status=PurchaseOrderStatus.DRAFT, order_date=today,
                       requested_date=when, incoterm=supplier.incoterm, total_ht=Decimal("0.00"), notes=notes)
    uow.add(po)
    uow.session.flush()
    total = Decimal("0.00")
    journaled = []
    for product, qty in picked:
        line_total = (product.purchase_cost * qty).quantize(Decimal("0.01"))
        total += line_total
        uow.add(PurchaseOrderLine(workspace_id=uow.workspace_id, purchase_order_id=po.id, product_id=product.id,
                                  quantity=qty, unit_cost=product.purchase_cost, line_total_ht=line_total))
        journaled.append({"product": product.reference, "quantity": qty, "unit_cost": product.purchase_cost})
    po.total_ht = total
    journal.append(uow, kind="purchase_order.created", actor=actor,
                   refs={"purchase_order": po.number, "supplier": supplier.code},
                   payload={"lines": journaled, "requested_date": when, "total_ht": total})
    return po


# ===== the printed purchase order ========================================

def print_ahead(uow, purchase_order_id: int) -> None:
    """Print the purchase order before the writing unit of work takes its lock
    (WeasyPrint never runs under it); ``send_purchase_order`` uses the copy if
    the order has not changed meanwhile."""
    from sim.db import NotFound, UnitOfWork
    from sim.documents.rendering import html_to_pdf
    from sim.purchasing.documents import render

    if uow.session.in_transaction():
        raise RuntimeError("print ahead before the unit of work's first statement")
    with UnitOfWork(uow.workspace_id, write=False, engine=uow.engine) as reader:
        try:
            rendered = render(reader, "purchase_order", purchase_order_id, as_sent=True)
        except (NotFound, SimError):
            return
    uow.session.info.setdefault("printed", {})[_version(rendered.html)] = html_to_pdf(rendered.html)


def _version(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def keep_document(uow, *, kind: str, ref_id: int, **options) -> Document:
    """Print (or take the copy printed ahead), keep the purchasing document with the workspace."""
    from sim.documents.rendering import html_to_pdf
    from sim.purchasing.documents import render

    rendered = render(uow, kind, ref_id, **options)
    content = uow.session.info.get("printed", {}).get(_version(rendered.html)) or html_to_pdf(rendered.html)
    document = Document(workspace_id=uow.workspace_id, kind=kind, filename=rendered.filename,
                        mime_type="application/pdf", content=content, sha256=hashlib.sha256(content).hexdigest(),
                        ref_kind=kind, ref_id=ref_id, sim_time=sim_now(uow))
    uow.add(document)
    uow.session.flush()
    return document


def documents_of(uow, kind: str, ref_id: int) -> list[Document]:
    """The kept copies of a purchasing document, newest first (what the PO page's folder lists)."""
    from sqlalchemy.orm import defer

    return list(uow.session.scalars(select(Document).options(defer(Document.content))
                                    .where(Document.ref_kind == kind, Document.ref_id == ref_id)
                                    .order_by(Document.id.desc())))


def default_message(uow, po: PurchaseOrder, supplier: Supplier) -> tuple[str, str]:
    """Subject and body of the email that carries the purchase order, in the supplier's language."""
    from sim.company.models import Company

    company = uow.session.scalars(select(Company)).one()
    if supplier.language == "en":
        return (f"Purchase order {po.number}",
                f"Dear Sir or Madam,\n\nPlease find attached our purchase order {po.number}, for delivery on "
                f"{po.requested_date:%d/%m/%Y}.\nKindly send us your order acknowledgement with the confirmed "
                f"delivery date.\n\nBest regards,\nSales administration — {company.name}")
    return (f"Commande {po.number}",
            f"Bonjour,\n\nVeuillez trouver ci-joint notre commande {po.number}, pour une livraison le "
            f"{po.requested_date:%d/%m/%Y}.\nMerci de nous retourner votre accusé de réception de commande avec la "
            f"date de livraison confirmée.\n\nCordialement,\nService ADV — {company.name}")


def send_purchase_order(uow, *, actor: str, purchase_order_id: int, subject: str = "", body: str = "",
                        form_token: str | None = None) -> PurchaseOrder:
    """Send a draft: its PDF by email to the supplier; journaled ``message.sent``
    and ``purchase_order.sent``. The order is then open: it counts as on order."""
    from sim.inbox.service import send
    from sim.workspace.forms import claim

    claim(uow, form_token, "purchase_order.sent")
    po = _locked(uow, purchase_order_id)
    if po.status != PurchaseOrderStatus.DRAFT:
        raise WrongStatus(f"La commande {po.number} est « {PurchaseOrderStatus(po.status).label} » : "
                          "elle a déjà été envoyée.")
    supplier = uow.session.get(Supplier, po.supplier_id)
    default_subject, default_body = default_message(uow, po, supplier)
    document = keep_document(uow, kind="purchase_order", ref_id=po.id, as_sent=True)
    try:
        message = send(uow, actor=actor, to_role="supplier", supplier_id=supplier.id,
                       subject=subject.strip() if isinstance(subject, str) and subject.strip() else default_subject,
                       body=body if isinstance(body, str) and body.strip() else default_body,
                       language=supplier.language or "fr", attachment_document_ids=[document.id])
    except ValidationFailed as refused:
        errors = dict(refused.errors)
        if "to" in errors or "supplier" in errors:
            errors["form"] = f"Le fournisseur {supplier.name} n'a pas d'adresse courriel valide : complétez sa fiche."
        raise ValidationFailed(errors) from None
    po.status = PurchaseOrderStatus.SENT
    po.order_date = sim_date(uow)
    journal.append(uow, kind="purchase_order.sent", actor=actor,
                   refs={"purchase_order": po.number, "supplier": supplier.code, "message": message.reference},
                   payload={"requested_date": po.requested_date, "total_ht": po.total_ht,
                            "filename": document.filename, "sha256": document.sha256})
    return po


# ===== the supplier's answer, reminders, new dates ======================

def record_acknowledgement(uow, *, actor: str, purchase_order_id: int, confirmed_date, note: str = "",
                           form_token: str | None = None, check_past: bool = True) -> PurchaseOrder:
    """The supplier's ARC: the confirmed date (which may differ from the agreed
    one: then it is a new offer, C. civ. 1118, to accept or discuss).
    Journaled ``purchase_order.acknowledged``."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "purchase_order.acknowledged")
    po = _locked(uow, purchase_order_id)
    if po.status not in (PurchaseOrderStatus.SENT, PurchaseOrderStatus.CONFIRMED):
        raise WrongStatus(f"La commande {po.number} est « {PurchaseOrderStatus(po.status).label} » : "
                          "pas d'accusé de réception à enregistrer.")
    errors: dict[str, str] = {}
    today = sim_date(uow)
    day = read_day(confirmed_date, "confirmed_date", errors, today if check_past else None,
                   label="Date confirmée")
    note = read_text(note, "note", errors, label="Commentaire", max_length=500, multiline=True) or ""
    if errors:
        raise ValidationFailed(errors)
    po.confirmed_date, po.status = day, PurchaseOrderStatus.CONFIRMED
    supplier = uow.session.get(Supplier, po.supplier_id)
    journal.append(uow, kind="purchase_order.acknowledged", actor=actor,
                   refs={"purchase_order": po.number, "supplier": supplier.code},
                   payload={"requested_date": po.requested_date, "confirmed_date": day,
                            "days_late": (day - po.requested_date).days, "note": note})
    return po


def remind_supplier(uow, *, actor: str, purchase_order_id: int, subject: str = "", body: str,
                    form_token: str | None = None) -> PurchaseOrder:
    """A reminder (relance) to the supplier, by email; journaled ``message.sent``
    and ``purchase_order.reminded`` (with how many reminders so far)."""
    from sim.inbox.service import send
    from sim.journal.models import JournalEntry
    from sim.workspace.forms import claim

    claim(uow, form_token, "purchase_order.reminded")
    po = _locked(uow, purchase_order_id)
    if po.status not in OPEN_PURCHASE_STATUSES:
        raise WrongStatus(f"La commande {po.number} est « {PurchaseOrderStatus(po.status).label} » : "
                          "il n'y a rien à relancer.")
    supplier = uow.session.get(Supplier, po.supplier_id)
    subject = subject.strip() if isinstance(subject, str) and subject.strip() else (
        f"Reminder — purchase order {po.number}" if supplier.language == "en" else f"Relance — commande {po.number}")
    try:
        message = send(uow, actor=actor, to_role="supplier", supplier_id=supplier.id, subject=subject, body=body,
                       language=supplier.language or "fr")
    except ValidationFailed as refused:
        errors = dict(refused.errors)
        if "to" in errors:
            errors["form"] = f"Le fournisseur {supplier.name} n'a pas d'adresse courriel valide : complétez sa fiche."
        raise ValidationFailed(errors) from None
    count = 1 + sum(1 for refs in uow.session.scalars(select(JournalEntry.refs).where(
        JournalEntry.kind == "purchase_order.reminded")) if (refs or {}).get("purchase_order") == po.number)
    journal.append(uow, kind="purchase_order.reminded", actor=actor,
                   refs={"purchase_order": po.number, "supplier": supplier.code, "message": message.reference},
                   payload={"expected_date": _expected(po), "acknowledged": po.confirmed_date is not None,
                            "reminder": count})
    return po


def agree_new_date(uow, *, actor: str, purchase_order_id: int, new_date, reason: str,
                   form_token: str | None = None) -> PurchaseOrder:
    """A new delivery date negotiated with the supplier (earlier or later);
    journaled ``purchase_order.rescheduled``."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "purchase_order.rescheduled")
    po = _locked(uow, purchase_order_id)
    if po.status not in OPEN_PURCHASE_STATUSES:
        raise WrongStatus(f"La commande {po.number} est « {PurchaseOrderStatus(po.status).label} » : "
                          "sa date ne se négocie plus.")
    errors: dict[str, str] = {}
    day = read_day(new_date, "new_date", errors, sim_date(uow), label="Nouvelle date")
    reason = read_text(reason, "reason", errors, label="Motif", max_length=300, required=True)
    if day is not None and day == _expected(po) and "new_date" not in errors:
        errors["new_date"] = f"C'est déjà la date attendue ({day:%d/%m/%Y})."
    if errors:
        raise ValidationFailed(errors)
    previous = _expected(po)
    po.confirmed_date = day
    supplier = uow.session.get(Supplier, po.supplier_id)
    journal.append(uow, kind="purchase_order.rescheduled", actor=actor,
                   refs={"purchase_order": po.number, "supplier": supplier.code},
                   payload={"previous_date": previous, "new_date": day, "reason": reason,
                            "days_late": (day - previous).days})
    return po


# ===== goods receipt =====================================================

def receive_goods(uow, *, actor: str, purchase_order_id: int, received: dict, refused: dict | None = None,
                  discrepancies: dict | None = None, supplier_note: str = "", note: str = "",
                  form_token: str | None = None) -> GoodsReceipt:
    """Book what came in against the purchase order, line by line (ids of its
    lines → quantity counted; refused → damaged units sent back). The accepted
    units enter stock (stock moves of kind receipt) and go to the customer
    orders that wait for them; what is short or refused stays to receive (the
    order is then « reçue partiellement »). Journaled ``purchase_order.received``."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "purchase_order.received")
    po = _locked(uow, purchase_order_id)
    if po.status not in OPEN_PURCHASE_STATUSES:
        raise WrongStatus(f"La commande {po.number} est « {PurchaseOrderStatus(po.status).label} » : "
                          "il n'y a rien à réceptionner.")
    refused, discrepancies = refused or {}, discrepancies or {}
    lines = {line.id: line for line in _lines(uow, po)}
    errors: dict[str, str] = {}
    for line_id in {*received, *refused, *discrepancies}:
        if line_id not in lines:
            errors["lines"] = "Une des lignes n'appartient pas à cette commande fournisseur."
    booked: list[tuple[PurchaseOrderLine, Product, Decimal, Decimal, Decimal, str]] = []
    for line_id, line in lines.items():
        product = uow.session.get(Product, line.product_id)
        rest = line.quantity - line.quantity_received
        qty = read_quantity(received.get(line_id, ""), f"received-{line_id}", errors, unit=product.unit,
                            default="0")
        bad = read_quantity(refused.get(line_id, ""), f"refused-{line_id}", errors, unit=product.unit, default="0",
                            message="Refusé : nombre attendu.")
        text = read_text(discrepancies.get(line_id, ""), f"discrepancy-{line_id}", errors, label="Écart",
                         max_length=200) or ""
        if qty is None or bad is None:
            continue
        if qty < 0:
            errors[f"received-{line_id}"] = "La quantité reçue ne peut pas être négative."
        elif bad < 0:
            errors[f"refused-{line_id}"] = "La quantité refusée ne peut pas être négative."
        elif bad > qty:
            errors[f"refused-{line_id}"] = f"On ne refuse pas plus que reçu ({fr_number(qty)})."
        elif qty > rest:
            errors[f"received-{line_id}"] = (f"Reste à recevoir : {fr_number(rest)} — un excédent se refuse "
                                             "(ou fait l'objet d'une nouvelle commande).")
        elif qty > 0 or text:
            booked.append((line, product, rest, qty, bad, text))
    if not any(qty > 0 for _, _, _, qty, _, _ in booked) and not errors:
        errors["received"] = "Indiquez au moins une quantité reçue."
    supplier_note = read_text(supplier_note, "supplier_note", errors, label="N° de BL fournisseur",
                              max_length=40) or ""
    note = read_text(note, "note", errors, label="Observations", max_length=2000, multiline=True) or ""
    if errors:
        raise ValidationFailed(errors)
    today = sim_date(uow)
    count = uow.session.scalar(select(func.count(GoodsReceipt.id)).where(GoodsReceipt.purchase_order_id == po.id))
    receipt = GoodsReceipt(workspace_id=uow.workspace_id, number=f"{po.number}-R{count + 1}", purchase_order_id=po.id,
                           receipt_date=today, supplier_note=supplier_note, note=note, recorded_by=actor[:80])
    uow.add(receipt)
    uow.session.flush()
    journaled, touched = [], []
    for line, product, rest, qty, bad, text in booked:
        uow.add(GoodsReceiptLine(workspace_id=uow.workspace_id, receipt_id=receipt.id, purchase_order_line_id=line.id,
                                 product_id=product.id, expected=rest, received=qty, refused=bad, discrepancy=text))
        accepted = qty - bad
        if accepted > 0:
            product.stock_on_hand += accepted
            line.quantity_received += accepted
            uow.add(StockMove(workspace_id=uow.workspace_id, product_id=product.id, kind=StockMoveKind.RECEIPT,
                              quantity=accepted, move_date=today, purchase_order_id=po.id,
                              note=f"Réception {receipt.number}"[:200]))
            touched.append(product)
        journaled.append({"product": product.reference, "expected": rest, "received": qty, "refused": bad,
                          "short": rest - qty, "discrepancy": text})
    remaining = [{"product": uow.session.get(Product, l.product_id).reference, "quantity": l.quantity - l.quantity_received}
                 for l in lines.values() if l.quantity > l.quantity_received]
    po.status = PurchaseOrderStatus.PARTIAL if remaining else PurchaseOrderStatus.RECEIVED
    if not remaining:
        po.received_date = today
    uow.session.flush()
    allocated = []
    for product in touched:
        allocated += reserve_for_waiting_orders(uow, product)
    supplier = uow.session.get(Supplier, po.supplier_id)
    journal.append(uow, kind="purchase_order.received", actor=actor,
                   refs={"purchase_order": po.number, "supplier": supplier.code, "receipt": receipt.number},
                   payload={"lines": journaled, "complete": not remaining, "remaining": remaining,
                            "allocated": allocated, "note": note, "receipt_date": today})
    return receipt


def reserve_for_waiting_orders(uow, product: Product) -> list[dict]:
    """Set the product's free units aside for the confirmed orders that still
    need it, earliest promised date first; what was reserved, per order."""
    from sim.purchasing.risk import _LAST

    free = product.stock_on_hand - product.stock_reserved
    done = []
    if free <= 0:
        return done
    rows = uow.session.execute(
        select(OrderLine, SalesOrder).join(SalesOrder, SalesOrder.id == OrderLine.order_id)
        .where(OrderLine.product_id == product.id,
               SalesOrder.status.in_((OrderStatus.CONFIRMED, OrderStatus.PARTIAL)),
               OrderLine.quantity > OrderLine.quantity_delivered + OrderLine.quantity_reserved)).all()
    for line, order in sorted(rows, key=lambda r: (r[1].promised_date or _LAST, r[1].number, r[0].position)):
        if free <= 0:
            break
        units = min(free, line.quantity - line.quantity_delivered - line.quantity_reserved)
        line.quantity_reserved += units
        product.stock_reserved += units
        free -= units
        done.append({"order": order.number, "product": product.reference, "quantity": units})
    return done


# ===== lists and pages ====================================================

def purchase_order_page(uow, purchase_order_id: int) -> dict:
    po = uow.get(PurchaseOrder, purchase_order_id)
    supplier = uow.session.get(Supplier, po.supplier_id)
    rows = uow.session.execute(select(PurchaseOrderLine, Product).join(Product, Product.id == PurchaseOrderLine.product_id)
                               .where(PurchaseOrderLine.purchase_order_id == po.id)
                               .order_by(PurchaseOrderLine.id)).all()
    receipts = list(uow.session.scalars(select(GoodsReceipt).where(GoodsReceipt.purchase_order_id == po.id)
                                        .order_by(GoodsReceipt.id)))
    receipt_lines = {}
    if receipts:
        for rl, product in uow.session.execute(
                select(GoodsReceiptLine, Product).join(Product, Product.id == GoodsReceiptLine.product_id)
                .where(GoodsReceiptLine.receipt_id.in_([r.id for r in receipts])).order_by(GoodsReceiptLine.id)):
            receipt_lines.setdefault(rl.receipt_id, []).append((rl, product))
    return {"po": po, "supplier": supplier, "rows": rows, "receipts": receipts, "receipt_lines": receipt_lines,
            "documents": documents_of(uow, "purchase_order", po.id), "expected": _expected(po),
            "history": history(uow, po)}


def history(uow, po: PurchaseOrder) -> list:
    """What happened to this purchase order, oldest first: (sim time, French sentence)."""
    from sim.journal.models import JournalEntry

    entries = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind.like("purchase_order.%"))
                                  .order_by(JournalEntry.seq)).all()
    from sim.journal.sentences import sentence

    return [(e.sim_time, sentence(e.kind, e.refs, e.payload)) for e in entries
            if (e.refs or {}).get("purchase_order") == po.number]


def record_position_view(uow, *, actor: str, pos) -> None:
    """Journal ``product.position_viewed`` with the figures the candidate saw on
    the product page (checking stock and incoming before promising a date)."""
    journal.append(uow, kind="product.position_viewed", actor=actor, refs={"product": pos.product.reference},
                   payload={"on_hand": pos.on_hand, "reserved": pos.reserved, "available": pos.available,
                            "incoming": pos.incoming_total})
