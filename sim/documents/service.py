"""Printed documents: quote, order acknowledgement, delivery note, invoice,
credit note and statement of account, as PDFs a customer would accept.

``render_pdf`` reads and renders. Opening a document (a GET) stores nothing:
``record_view`` journals ``document.viewed`` once per version of it (see
``version_of``). ``store``/``keep`` keep the file with the
workspace (``Document``) and journal ``document.generated``: for a document
that is really issued, i.e. attached to a message (the candidate's, or a
scenario's), so the evaluator can see exactly what was sent.

The content follows domain/payment-and-invoicing.md §4 (invoice mentions),
§6 (credit notes), §7 (VAT mentions) and receivables-recovery.md §5
(statement). Documents are in French, the legal language of the invoice; an
English-speaking customer gets English subtitles on the quote and the order
acknowledgement, the two documents they act upon.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import func, select

from sim.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from sim.billing.vat import vat_mention, vat_regime
from sim.clock import sim_date, sim_now
from sim.company.models import SalesRep
from sim.company.service import company_of
from sim.crm.models import Contact, Customer, CustomerKind, PaymentMethod
from sim.db import NotFound, UnitOfWork
from sim.documents.models import Document
from sim.documents.rendering import html_to_pdf, render_html
from sim.errors import SimError
from sim.journal import service as journal
from sim.journal.models import JournalEntry
from sim.receivables.recovery import is_penalty_invoice
from sim.receivables.statement import account_statement
from sim.sales.models import OrderLine, Quote, QuoteLine, SalesOrder
from sim.sales.pricing import ZERO, document_totals, money
from sim.shipping.documents import TEMPLATES as SHIPPING_TEMPLATES
from sim.stock.models import Carrier, Delivery, DeliveryLine, Product

# The consumer mediator the simulated company names on its B2C documents (C. consom. L612-1, L616-1).
CONSUMER_MEDIATOR = ("CM2C — Centre de la médiation de la consommation de conciliateurs de justice, "
                     "14 rue Saint-Jean, 75017 Paris — www.cm2c.net")

KINDS = ("quote", "order_ack", "delivery_note", "invoice", "credit_note", "statement",
         # shipping (sim/shipping/documents.py)
         "proforma", "order_proforma", "packing_list", "carrier_protest")
# Printed only when issued (kept as a Document): the recovery letters (ref_id: the first
# ReminderDetail of the action, sim/receivables/recovery.issue_letter).
RECOVERY_LETTERS = ("reminder_letter", "formal_notice")

MIME_PDF = "application/pdf"

# kind → (template, file name prefix); the file is "<prefix>_<number>.pdf"
_TEMPLATES = {
    "quote": ("documents/quote.html", "Devis"),
    "order_ack": ("documents/order_ack.html", "ARC"),
    "delivery_note": ("documents/delivery_note.html", "Bon-de-livraison"),
    "invoice": ("documents/invoice.html", "Facture"),
    "credit_note": ("documents/credit_note.html", "Avoir"),
    "statement": ("documents/statement.html", "Releve-de-compte"),
    "customer_po": ("documents/customer_po.html", "Bon-de-commande-client"),
    # recovery (sim/receivables/recovery.py): ref_id is the first ReminderDetail row of the action
    "reminder_letter": ("documents/recovery_letter.html", "Relance"),
    "formal_notice": ("documents/recovery_letter.html", "Mise-en-demeure"),
}
_TEMPLATES.update(SHIPPING_TEMPLATES)


class UnknownDocumentKind(SimError):
    status_code = 404


@dataclass
class Rendered:
    kind: str
    number: str  # the document's own number (FA-2026-00008, or the statement's reference)
    customer: Customer
    filename: str
    html: str


# ===== public interface =================================================

def render_pdf(uow, kind: str, ref_id: int) -> tuple[str, bytes]:
    """(filename, PDF bytes) for the document; ref_id is the Quote/SalesOrder/
    Delivery/Invoice/CreditNote id, or the Customer id for "statement".
    Reads only; no commit. Another workspace's id raises ``NotFound``."""
    rendered = render(uow, kind, ref_id)
    return rendered.filename, html_to_pdf(rendered.html)


FACTURX_KINDS = ("invoice", "credit_note")


@dataclass
class FacturX:
    rendered: Rendered  # the printed document it is made from
    xml: bytes  # its CII XML (EN 16931 profile)
    data: object  # what the XML was built from (sim.billing.facturx)

    @property
    def filename(self) -> str:
        return self.rendered.filename.removesuffix(".pdf") + "_factur-x.pdf"

    def viewed_as(self) -> Rendered:
        """The Factur-X file as ``record_view`` journals it: its own file name,
        its version the printed HTML and the XML together."""
        return Rendered(self.rendered.kind, self.rendered.number, self.rendered.customer, self.filename,
                        self.rendered.html + "\n<!-- factur-x.xml -->\n" + self.xml.decode("utf-8"))


def prepare_facturx(uow, kind: str, ref_id: int) -> FacturX:
    """An invoice's or credit note's printed HTML and CII XML (reads only)."""
    from sim.billing import facturx

    if kind not in FACTURX_KINDS:
        raise UnknownDocumentKind(f"Pas de Factur-X pour un document {kind!r}.")
    rendered = render(uow, kind, ref_id)
    data, xml = facturx.build(uow, kind, ref_id)
    return FacturX(rendered, xml, data)


def print_facturx(prepared: FacturX) -> bytes:
    """The Factur-X PDF: the document printed as PDF/A-3 with its XML embedded
    (needs no database: call it with the connection given back)."""
    from sim.billing import facturx

    return facturx.facturx_pdf(html_to_pdf(prepared.rendered.html, variant="pdf/a-3b"), prepared.xml, prepared.data)


def render_facturx(uow, kind: str, ref_id: int) -> tuple[str, bytes]:
    """(filename, Factur-X PDF bytes) of an invoice or a credit note. Reads only."""
    prepared = prepare_facturx(uow, kind, ref_id)
    return prepared.filename, print_facturx(prepared)


def store(uow, *, actor: str, kind: str, ref_id: int) -> Document:
    """Render the PDF, keep it with the workspace and journal ``document.generated``
    (a message that attaches it, a scenario event); the caller commits."""
    return keep(uow, actor=actor, rendered=render(uow, kind, ref_id), ref_id=ref_id)


def keep(uow, *, actor: str, rendered: "Rendered", ref_id: int) -> Document:
    """Print an already rendered document, keep it, journal it and file it in
    its customer's (and order's) folder (sim/documents/filing.py); no commit.
    A copy ``print_ahead`` printed from exactly this HTML is kept as it is."""
    content = uow.session.info.get("printed", {}).get(version_of(rendered)) or html_to_pdf(rendered.html)
    digest = hashlib.sha256(content).hexdigest()
    document = Document(workspace_id=uow.workspace_id, kind=rendered.kind, filename=rendered.filename,
                        mime_type=MIME_PDF, content=content, sha256=digest, ref_kind=rendered.kind, ref_id=ref_id,
                        sim_time=sim_now(uow))
    uow.add(document)
    uow.session.flush()
    journal.append(uow, kind="document.generated", actor=actor,
                   refs={rendered.kind: rendered.number, "customer": rendered.customer.code},
                   payload={"document": rendered.kind, "filename": rendered.filename, "sha256": digest,
                            "bytes": len(content)})
    from sim.documents.filing import auto_file  # the folders build on this module's documents

    auto_file(uow, actor=actor, document=document, kind=rendered.kind, number=rendered.number,
              customer_id=rendered.customer.id, ref_id=ref_id)
    return document


def print_ahead(uow, wanted) -> None:
    """Print the documents a writing unit of work is about to keep ((kind,
    ref_id) pairs, e.g. a message's attachments) before it takes the write lock,
    so that WeasyPrint never runs under it: ``keep`` then uses the copy whose
    HTML is still the document's, and prints again only if it changed meanwhile.
    One that does not exist is skipped: the action refuses it with its message."""
    if uow.session.in_transaction():
        raise RuntimeError("print ahead before the unit of work's first statement")
    rendered = []
    with UnitOfWork(uow.workspace_id, write=False, engine=uow.engine) as reader:
        for kind, ref_id in wanted:
            try:
                rendered.append(render(reader, kind, int(ref_id)))
            except (NotFound, SimError, ValueError, TypeError):
                continue
    uow.session.info["printed"] = {version_of(r): html_to_pdf(r.html) for r in rendered}


def version_of(rendered: "Rendered") -> str:
    """The version of a document: the SHA-256 of the HTML it is printed from.
    Not of the PDF, which WeasyPrint stamps with its creation time: the HTML
    changes exactly when what the document says changes (a payment on a
    statement, the date printed on an order acknowledgement)."""
    return hashlib.sha256(rendered.html.encode("utf-8")).hexdigest()


def record_view(uow, *, actor: str, rendered: "Rendered") -> bool:
    """Journal ``document.viewed`` for this version of the document, unless it
    already is (no commit; returns whether it journaled). Call it in a writing
    transaction: it holds the workspace's lock before looking, so of two tabs
    opening the same version at once only one journals it."""
    version = version_of(rendered)
    # A writing unit of work holds the workspace's lock from its start (sim/db.py):
    # the check below sees what a concurrent tab committed before it.
    seen = uow.session.scalar(
        select(JournalEntry.id).where(JournalEntry.kind == "document.viewed",
                                      JournalEntry.payload["version"].as_string() == version).limit(1))
    if seen is not None:
        return False
    journal.append(uow, kind="document.viewed", actor=actor,
                   refs={rendered.kind: rendered.number, "customer": rendered.customer.code},
                   payload={"document": rendered.kind, "filename": rendered.filename, "version": version})
    return True


def render(uow, kind: str, ref_id: int) -> Rendered:
    """The document as HTML (what the PDF is printed from), with its number and file name."""
    builders = {"quote": _quote, "order_ack": _order_ack, "delivery_note": _delivery_note, "invoice": _invoice,
                "credit_note": _credit_note, "statement": _statement, "customer_po": _customer_po,
                "reminder_letter": _recovery_letter, "formal_notice": _recovery_letter}
    from sim.shipping import documents as shipping

    builders.update(proforma=shipping.proforma, order_proforma=shipping.order_proforma,
                    packing_list=shipping.packing_list, carrier_protest=shipping.carrier_protest)
    if kind not in builders:
        raise UnknownDocumentKind(f"Type de document inconnu : {kind!r}.")
    context = builders[kind](uow, ref_id) if kind not in ("reminder_letter", "formal_notice") \
        else _recovery_letter(uow, ref_id, kind)
    template, prefix = _TEMPLATES[kind]
    number = context["doc"].number
    html = render_html(template, context)
    stem = context.get("file_stem") or number
    return Rendered(kind, number, context["customer"], f"{prefix}_{_safe(stem)}.pdf", html)


# ===== shared pieces ====================================================

def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


def _products(uow, ids) -> dict[int, Product]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {p.id: p for p in uow.session.scalars(select(Product).where(Product.id.in_(ids)))}


def _line_rows(uow, lines) -> list[SimpleNamespace]:
    """Printable lines: catalogue reference and unit next to the priced line."""
    products = _products(uow, [l.product_id for l in lines])
    rows = []
    for line in sorted(lines, key=lambda l: (l.position, l.id)):
        product = products.get(line.product_id)
        rows.append(SimpleNamespace(
            reference=product.reference if product else "", designation=line.description,
            designation_en=(product.name_en if product and product.name_en != line.description else ""),
            quantity=line.quantity,
            unit=product.unit if product else "", unit_price=line.unit_price, discount_pct=line.discount_pct,
            vat_rate=line.vat_rate, total_ht=line.line_total_ht,
            # what a consumer reads (prices shown incl. VAT), per line, rounded to the cent
            unit_price_ttc=money(Decimal(line.unit_price) * (100 + Decimal(line.vat_rate)) / 100),
            total_ttc=money(Decimal(line.line_total_ht) * (100 + Decimal(line.vat_rate)) / 100)))
    return rows


def _totals(lines, global_discount_pct: Decimal) -> SimpleNamespace:
    """Totals as printed: lines, global discount, VAT base and amount per rate, TTC
    (sim.sales.pricing, the same rounding as the stored document)."""
    totals = document_totals(lines, global_discount_pct)
    lines_ht = sum((Decimal(l.line_total_ht) for l in lines), ZERO)
    return SimpleNamespace(
        lines_ht=lines_ht, global_discount_pct=Decimal(global_discount_pct or 0),
        discount_amount=lines_ht - totals.total_ht, total_ht=totals.total_ht, total_vat=totals.total_vat,
        total_ttc=totals.total_ttc,
        by_rate=[SimpleNamespace(rate=rate, base=base, vat=vat) for rate, (base, vat) in totals.by_rate.items()])


def _customer_ctx(customer: Customer) -> dict:
    regime = vat_regime(customer.country, customer.vat_number, customer.kind)
    return {
        "customer": customer,
        "is_b2b": customer.kind == CustomerKind.B2B,
        "mediator": CONSUMER_MEDIATOR,
        "regime": regime,
        "vat_mention": vat_mention(regime),
        # English subtitles only where the customer acts on the document (quote,
        # order acknowledgement): the builders of those two set it.
        "english": False,
    }


def _doc(title: str, number: str, when, subtitle_en: str = "", **extra) -> SimpleNamespace:
    return SimpleNamespace(title=title, number=number, date=when, subtitle_en=subtitle_en, **extra)


def _method_label(code: str) -> str:
    try:
        return PaymentMethod(code).label
    except ValueError:
        return code


def _sales_rep(uow, customer: Customer) -> SalesRep | None:
    if customer.sales_rep_id is None:
        return None
    return uow.session.scalars(select(SalesRep).where(SalesRep.id == customer.sales_rep_id)).first()


def _carrier(uow, carrier_id: int | None) -> Carrier | None:
    if carrier_id is None:
        return None
    return uow.session.scalars(select(Carrier).where(Carrier.id == carrier_id)).first()


# ===== one builder per document =========================================

def _quote(uow, quote_id: int) -> dict:
    quote = uow.get(Quote, quote_id)
    customer = uow.session.get(Customer, quote.customer_id)
    lines = uow.session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote.id)).all()
    return {
        "company": company_of(uow), **_customer_ctx(customer),
        "english": customer.language == "en",
        "doc": _doc("Devis", quote.number, quote.issue_date, "Quotation"),
        "quote": quote, "sales_rep": _sales_rep(uow, customer), "lines": _line_rows(uow, lines), "totals": _totals(lines, quote.global_discount_pct),
    }


def _order_ack(uow, order_id: int) -> dict:
    order = uow.get(SalesOrder, order_id)
    customer = uow.session.get(Customer, order.customer_id)
    lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    quote = uow.session.get(Quote, order.quote_id) if order.quote_id else None
    return {
        "company": company_of(uow), **_customer_ctx(customer),
        "english": customer.language == "en",
        "doc": _doc("Accusé de réception de commande", order.number, sim_date(uow), "Order acknowledgement"),
        "order": order, "quote": quote, "carrier": _carrier(uow, order.carrier_id),
        "sales_rep": _sales_rep(uow, customer),
        "lines": _line_rows(uow, lines), "totals": _totals(lines, order.global_discount_pct),
        "revision": order_revision(uow, order),
    }


def order_revision(uow, order: SalesOrder) -> int:
    """How many times the confirmed order was modified (sim/sales/corrections.modify_order):
    the acknowledgement printed after a change says it supersedes the previous one."""
    from sim.journal.models import JournalEntry

    return sum(1 for refs in uow.session.scalars(select(JournalEntry.refs).where(JournalEntry.kind == "order.modified"))
               if (refs or {}).get("order") == order.number)


def _customer_po(uow, order_id: int) -> dict:
    """The purchase order the customer sent for this order (simulated: the
    scenario engine attaches it to the customer's email)."""
    from datetime import timedelta

    order = uow.get(SalesOrder, order_id)
    customer = uow.session.get(Customer, order.customer_id)
    lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)
                                .order_by(OrderLine.position)).all()
    products = _products(uow, [l.product_id for l in lines])
    contact = uow.session.scalars(select(Contact).where(Contact.customer_id == customer.id)
                                  .order_by(Contact.is_primary.desc(), Contact.id)).first()
    rows = [{"reference": products[l.product_id].reference if l.product_id in products else "",
             "description": l.description, "quantity": l.quantity, "unit_price": l.unit_price,
             "total": money(l.quantity * l.unit_price)} for l in lines]
    number = order.customer_po or f"PO-{order.number}"
    return {"company": company_of(uow), "customer": customer, "english": customer.language == "en", "order": order,
            "doc": _doc("Bon de commande client", number, order.order_date, "Purchase order"), "lines": rows,
            "total": sum((r["total"] for r in rows), ZERO), "requested": order.order_date + timedelta(days=7),
            "buyer": f"{contact.first_name} {contact.last_name}" if contact else customer.name}


def _delivery_note(uow, delivery_id: int) -> dict:
    delivery = uow.get(Delivery, delivery_id)
    order = uow.session.get(SalesOrder, delivery.order_id)
    customer = uow.session.get(Customer, delivery.customer_id)
    delivery_lines = uow.session.scalars(select(DeliveryLine).where(DeliveryLine.delivery_id == delivery.id)
                                         .order_by(DeliveryLine.id)).all()
    order_lines = {l.id: l for l in uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))}
    # What earlier deliveries of the same order already took, per order line.
    before = dict(uow.session.execute(
        select(DeliveryLine.order_line_id, func.sum(DeliveryLine.quantity))
        .join(Delivery, Delivery.id == DeliveryLine.delivery_id)
        .where(Delivery.order_id == order.id, Delivery.id < delivery.id)
        .group_by(DeliveryLine.order_line_id)).all())
    products = _products(uow, [l.product_id for l in delivery_lines])
    rows, weight = [], ZERO
    for dl in sorted(delivery_lines, key=lambda l: (order_lines[l.order_line_id].position, l.id)):
        ol = order_lines[dl.order_line_id]
        product = products.get(dl.product_id)
        previous = Decimal(before.get(ol.id) or 0)
        if product is not None:
            weight += dl.quantity * product.weight_kg
        rows.append(SimpleNamespace(
            reference=product.reference if product else "", designation=ol.description,
            unit=product.unit if product else "", ordered=ol.quantity, previous=previous, delivered=dl.quantity,
            remaining=max(ZERO, ol.quantity - previous - dl.quantity)))
    return {
        "company": company_of(uow), **_customer_ctx(customer),
        "doc": _doc("Bon de livraison", delivery.number, delivery.ship_date or sim_date(uow)),
        "delivery": delivery, "order": order, "carrier": _carrier(uow, delivery.carrier_id), "lines": rows,
        "weight": weight.quantize(Decimal("0.1")), "has_backorder": any(r.remaining > 0 for r in rows),
    }


def _invoice(uow, invoice_id: int) -> dict:
    invoice = uow.get(Invoice, invoice_id)
    customer = uow.session.get(Customer, invoice.customer_id)
    lines = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    order = uow.session.get(SalesOrder, invoice.order_id) if invoice.order_id else None
    delivery = uow.session.get(Delivery, invoice.delivery_id) if invoice.delivery_id else None
    return {
        "company": company_of(uow), **_customer_ctx(customer),
        "doc": _doc("Facture", invoice.number, invoice.issue_date),
        "invoice": invoice, "order": order, "delivery": delivery,
        "lines": _line_rows(uow, lines), "totals": _totals(lines, invoice.global_discount_pct),
        "payment_method": _method_label(customer.payment_method), **_reform_mentions(uow, invoice),
        **({"nature": "Pénalités de retard et indemnités forfaitaires de recouvrement"}
           if is_penalty_invoice(invoice) else {}),
    }


def _reform_mentions(uow, invoice: Invoice) -> dict:
    """The e-invoicing reform's mentions (sim/billing/einvoice.py): nature of the
    operation, delivery address, VAT-on-debits option (the customer's SIREN is
    printed with the customer)."""
    from sim.billing.einvoice import VAT_ON_DEBITS_MENTION, delivery_address, operation_nature

    address, same = delivery_address(uow, invoice)
    lines = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    return {"nature": operation_nature(lines).label, "ship_to": None if same else address.one_line(),
            "vat_on_debits": VAT_ON_DEBITS_MENTION if company_of(uow).vat_on_debits else ""}


def _credit_note(uow, credit_note_id: int) -> dict:
    note = uow.get(CreditNote, credit_note_id)
    customer = uow.session.get(Customer, note.customer_id)
    invoice = uow.session.get(Invoice, note.invoice_id)
    lines = uow.session.scalars(select(CreditNoteLine).where(CreditNoteLine.credit_note_id == note.id)).all()
    return {
        "company": company_of(uow), **_customer_ctx(customer),
        "doc": _doc("Avoir", note.number, note.issue_date),
        "note": note, "invoice": invoice, **_reform_mentions(uow, invoice),
        # the credit note repeats the invoice's global discount (sim.billing.service.issue_credit_note),
        # not one by amount; the last one prints the exact remainder it took
        "lines": _line_rows(uow, lines), "totals": _credit_note_totals(uow, note, invoice, lines),
    }


def _credit_note_totals(uow, note, invoice, lines) -> SimpleNamespace:
    from sim.billing.service import _note_totals

    printed = _totals(lines, ZERO if note.basis == "amount" else invoice.global_discount_pct)
    exact = _note_totals(uow, note)
    printed.total_ht, printed.total_vat, printed.total_ttc = exact.total_ht, exact.total_vat, exact.total_ttc
    printed.discount_amount = printed.lines_ht - exact.total_ht
    printed.by_rate = [SimpleNamespace(rate=rate, base=base, vat=vat) for rate, (base, vat) in exact.by_rate.items()]
    return printed


def _statement(uow, customer_id: int) -> dict:
    statement = account_statement(uow, customer_id)
    customer = statement.customer
    return {
        "company": statement.company, **_customer_ctx(customer),
        "doc": _doc("Relevé de compte", statement.reference, statement.end),
        "statement": statement, "payment_method": _method_label(customer.payment_method),
        "file_stem": f"{customer.code}_{statement.end.isoformat()}",
    }


def _recovery_letter(uow, detail_id: int, kind: str = "formal_notice") -> dict:
    """A 2nd reminder letter or a formal notice (sim/receivables/recovery.letter_context)."""
    from sim.receivables.models import ReminderDetail
    from sim.receivables.recovery import LETTER_KINDS, letter_context

    reminder = uow.get(ReminderDetail, detail_id)
    if LETTER_KINDS.get(reminder.level) != kind:
        raise UnknownDocumentKind(f"La relance {reminder.number} n'est pas un courrier « {kind} ».")
    customer = uow.session.get(Customer, reminder.customer_id)
    title = "Mise en demeure" if kind == "formal_notice" else "Relance"
    return {"company": company_of(uow), **_customer_ctx(customer),
            "doc": _doc(title, reminder.number, reminder.sent_on, kind=kind), **letter_context(uow, detail_id)}
