"""The purchasing documents, printed like the sales ones (templates/documents/,
WeasyPrint): the purchase order sent to the supplier (bon de commande
fournisseur: quantities, prices, the agreed date, the request for an
acknowledgement) and the receipt note (bon de réception: expected, received,
refused, short per line, the discrepancies and reserves noted)."""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import select

from sim.clock import sim_date
from sim.company.models import Company
from sim.db import NotFound
from sim.documents.rendering import html_to_pdf, render_html
from sim.documents.service import UnknownDocumentKind
from sim.purchasing.models import GoodsReceipt, GoodsReceiptLine
from sim.stock.models import Product, PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatus, Supplier

KINDS = ("purchase_order", "goods_receipt")


@dataclass
class Rendered:
    kind: str
    number: str
    supplier: Supplier
    filename: str
    html: str


def _company(uow) -> Company:
    return uow.session.scalars(select(Company)).one()


def _party(supplier: Supplier) -> SimpleNamespace:
    """The supplier in the shape the shared layout prints its addressee in."""
    return SimpleNamespace(name=supplier.name, address=supplier.address, postcode=supplier.postcode,
                           city=supplier.city, country=supplier.country or "FR", code=supplier.code,
                           siren=supplier.siren, vat_number=supplier.vat_number)


def _purchase_order(uow, po_id: int, as_sent: bool = False) -> dict:
    """``as_sent``: the copy that goes to the supplier (printed while the order is still a draft)."""
    po = uow.get(PurchaseOrder, po_id)
    supplier = uow.session.get(Supplier, po.supplier_id)
    rows = uow.session.execute(select(PurchaseOrderLine, Product).join(Product, Product.id == PurchaseOrderLine.product_id)
                               .where(PurchaseOrderLine.purchase_order_id == po.id)
                               .order_by(PurchaseOrderLine.id)).all()
    english = supplier.language == "en"
    return {"company": _company(uow), "customer": _party(supplier), "supplier": supplier, "is_b2b": True,
            "english": english, "po": po, "draft": po.status == PurchaseOrderStatus.DRAFT and not as_sent,
            "doc": SimpleNamespace(title="Bon de commande", number=po.number,
                                   date=sim_date(uow) if as_sent else po.order_date,
                                   subtitle_en="Purchase order"),
            "lines": [SimpleNamespace(reference=p.reference, designation=p.name_en if english and p.name_en else p.name,
                                      unit=p.unit, quantity=l.quantity, unit_cost=l.unit_cost, total=l.line_total_ht)
                      for l, p in rows]}


def _goods_receipt(uow, receipt_id: int, **_options) -> dict:
    receipt = uow.get(GoodsReceipt, receipt_id)
    po = uow.session.get(PurchaseOrder, receipt.purchase_order_id)
    supplier = uow.session.get(Supplier, po.supplier_id)
    rows = uow.session.execute(select(GoodsReceiptLine, Product).join(Product, Product.id == GoodsReceiptLine.product_id)
                               .where(GoodsReceiptLine.receipt_id == receipt.id).order_by(GoodsReceiptLine.id)).all()
    lines = [SimpleNamespace(reference=p.reference, designation=p.name, unit=p.unit, expected=l.expected,
                             received=l.received, refused=l.refused, accepted=l.accepted, short=l.short,
                             discrepancy=l.discrepancy) for l, p in rows]
    return {"company": _company(uow), "customer": _party(supplier), "supplier": supplier, "is_b2b": True,
            "english": False, "po": po, "receipt": receipt, "lines": lines,
            "has_discrepancy": any(l.short > 0 or l.refused > 0 or l.discrepancy for l in lines),
            "doc": SimpleNamespace(title="Bon de réception", number=receipt.number, date=receipt.receipt_date,
                                   subtitle_en="")}


_BUILDERS = {"purchase_order": (_purchase_order, "documents/purchase_order.html", "Bon-de-commande-fournisseur"),
             "goods_receipt": (_goods_receipt, "documents/goods_receipt.html", "Bon-de-reception")}


def render(uow, kind: str, ref_id: int, **options) -> Rendered:
    if kind not in _BUILDERS:
        raise UnknownDocumentKind(f"Type de document inconnu : {kind!r}.")
    build, template, prefix = _BUILDERS[kind]
    context = build(uow, ref_id, **options)
    number = context["doc"].number
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in number)
    return Rendered(kind, number, context["supplier"], f"{prefix}_{safe}.pdf", render_html(template, context))


def render_pdf(uow, kind: str, ref_id: int) -> tuple[str, bytes]:
    """(filename, PDF bytes); reads only. Another workspace's id raises ``NotFound``."""
    rendered = render(uow, kind, ref_id)
    return rendered.filename, html_to_pdf(rendered.html)


__all__ = ["KINDS", "NotFound", "render", "render_pdf"]
