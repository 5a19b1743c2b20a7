"""The shipping documents, printed by sim/documents/service.py like the others:

- ``proforma`` (of a quote) and ``order_proforma`` (of an order): the pro-forma
  invoice an export needs before shipment (customs value, prepayment): the
  priced lines with freight and insurance, the Incoterm written in full, the
  origin of the goods, weights, the VAT exemption mention — and "sans valeur
  comptable": it is not an invoice and takes no number of the invoice series;
- ``packing_list`` (of a delivery): what each parcel holds, net and gross
  weights, the carrier, the tracking number and the Incoterm;
- ``carrier_protest`` (of a protest): the reasoned protest letter to the
  carrier, by registered letter within 3 days of the receipt (C. com. L133-3).
"""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from sim.crm.models import Contact, Customer
from sim.sales.models import OrderLine, Quote, QuoteLine, SalesOrder
from sim.sales.pricing import ZERO
from sim.shipping import incoterms
from sim.shipping.freight import PARCEL_MAX_KG, parcels_for
from sim.shipping.models import CarrierProtest, CarrierService
from sim.stock.models import Carrier, Delivery, DeliveryLine, Product

TEMPLATES = {
    "proforma": ("documents/proforma.html", "Pro-forma"),
    "order_proforma": ("documents/proforma.html", "Pro-forma"),
    "packing_list": ("documents/packing_list.html", "Liste-de-colisage"),
    "carrier_protest": ("documents/carrier_protest.html", "Protestation-transporteur"),
}


def _weight(uow, lines) -> Decimal:
    ids = {l.product_id for l in lines if l.product_id is not None}
    weights = dict(uow.session.execute(select(Product.id, Product.weight_kg).where(Product.id.in_(ids))).all()) \
        if ids else {}
    return sum((Decimal(l.quantity) * weights.get(l.product_id, ZERO) for l in lines if l.product_id), ZERO)


def _terms(code: str, place: str, mode: str) -> SimpleNamespace | None:
    rule = incoterms.rule(code)
    if rule is None:
        return None
    return SimpleNamespace(rule=rule, written=rule.written(place), mode=incoterms.TRANSPORT_MODES.get(mode, ""))


def _proforma(uow, document, lines, customer: Customer, number: str, when, *, source: str) -> dict:
    from sim.documents.service import company_of, _customer_ctx, _doc, _line_rows, _totals

    return {
        "company": company_of(uow), **_customer_ctx(customer), "english": customer.language == "en",
        "doc": _doc("Facture pro forma", f"PF-{number}", when, "Pro forma invoice"),
        "document": document, "source": source, "source_number": number,
        "lines": _line_rows(uow, lines), "totals": _totals(lines, document.global_discount_pct),
        "terms": _terms(document.incoterm, document.incoterm_place, document.transport_mode),
        "weight": _weight(uow, lines).quantize(Decimal("0.1")), "file_stem": number,
    }


def proforma(uow, quote_id: int) -> dict:
    quote = uow.get(Quote, quote_id)
    customer = uow.session.get(Customer, quote.customer_id)
    lines = uow.session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote.id)).all()
    return {**_proforma(uow, quote, lines, customer, quote.number, quote.issue_date, source="devis"),
            "valid_until": quote.valid_until}


def order_proforma(uow, order_id: int) -> dict:
    from sim.clock import sim_date

    order = uow.get(SalesOrder, order_id)
    customer = uow.session.get(Customer, order.customer_id)
    lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    return {**_proforma(uow, order, lines, customer, order.number, sim_date(uow), source="commande"),
            "valid_until": None}


def packing_list(uow, delivery_id: int) -> dict:
    """Parcels of at most 30 kg filled line by line, in the order of the delivery
    (the number booked with the carrier when there is one)."""
    from sim.documents.service import company_of, _customer_ctx, _doc

    delivery = uow.get(Delivery, delivery_id)
    order = uow.session.get(SalesOrder, delivery.order_id)
    customer = uow.session.get(Customer, delivery.customer_id)
    rows = uow.session.execute(select(DeliveryLine, Product).join(Product, Product.id == DeliveryLine.product_id)
                               .where(DeliveryLine.delivery_id == delivery.id).order_by(DeliveryLine.id)).all()
    lines, net = [], ZERO
    for dl, product in rows:
        weight = (dl.quantity * product.weight_kg).quantize(Decimal("0.001"))
        net += weight
        lines.append(SimpleNamespace(reference=product.reference, designation=product.name,
                                     designation_en=product.name_en, unit=product.unit, quantity=dl.quantity,
                                     unit_weight=product.weight_kg, weight=weight))
    parcels = delivery.parcels or parcels_for(net)
    packing = (Decimal("0.5") * parcels).quantize(Decimal("0.1"))  # carton and strapping, 0.5 kg a parcel
    gross = (delivery.weight_kg if delivery.weight_kg else net + packing).quantize(Decimal("0.1"))
    carrier = uow.session.get(Carrier, delivery.carrier_id) if delivery.carrier_id else None
    service = uow.session.get(CarrierService, delivery.service_id) if delivery.service_id else None
    return {
        "company": company_of(uow), **_customer_ctx(customer), "english": customer.language == "en",
        "doc": _doc("Liste de colisage", f"PL-{delivery.number}", delivery.ship_date, "Packing list"),
        "delivery": delivery, "order": order, "carrier": carrier, "service": service, "lines": lines,
        "net": net.quantize(Decimal("0.1")), "gross": gross, "parcels": parcels, "parcel_max": PARCEL_MAX_KG,
        "terms": _terms(delivery.incoterm or order.incoterm, delivery.incoterm_place or order.incoterm_place,
                        service.transport_mode if service else order.transport_mode),
        "file_stem": delivery.number,
    }


def carrier_protest(uow, protest_id: int) -> dict:
    from sim.documents.service import company_of, _customer_ctx, _doc

    protest = uow.get(CarrierProtest, protest_id)
    delivery = uow.session.get(Delivery, protest.delivery_id)
    order = uow.session.get(SalesOrder, delivery.order_id)
    customer = uow.session.get(Customer, delivery.customer_id)
    carrier = uow.session.get(Carrier, protest.carrier_id)
    contact = uow.session.scalars(select(Contact).where(Contact.customer_id == customer.id)
                                  .order_by(Contact.is_primary.desc(), Contact.id)).first()
    lines = [SimpleNamespace(**{**line, "quantity": Decimal(line["quantity"]), "value": Decimal(line["value"]),
                                "unit_price": Decimal(line["unit_price"])}) for line in protest.lines]
    # a letter to the carrier (its own layout), filed in the customer's folder
    return {
        "company": company_of(uow), **_customer_ctx(customer), "contact": contact, "english": False,
        "doc": _doc("Protestation motivée", protest.number, protest.sent_date),
        "protest": protest, "delivery": delivery, "order": order, "carrier": carrier, "lines": lines,
        "file_stem": protest.number,
    }
