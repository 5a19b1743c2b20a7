"""Freight: zones, rate grids, and the freight and insurance lines a quote or an
order carries when its Incoterm puts them on the seller.

A freight line is a document line without a product (``line_kind`` "freight"
or "insurance"), priced once (quantity 1) and rounded to the cent like any
line, with the VAT of the goods it carries (the accessory follows the
principal: 0 % for an export or an intra-EU B2B sale, sim/billing/vat.py). The
document's totals then come from sim/sales/pricing.py as for any line — the
global discount, when there is one, applies to the whole base, freight
included, as it does to every line of the document.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from sim.billing.vat import EU_COUNTRIES, vat_rate_for, vat_regime
from sim.sales.pricing import ZERO, line_net, money
from sim.shipping import incoterms
from sim.shipping.models import CarrierRate, CarrierService
from sim.stock.models import Carrier, Product

PARCEL_MAX_KG = Decimal("30")  # one parcel holds at most 30 kg (messagerie standard)
ZONES = {"FR": "France", "EU": "Union européenne", "WORLD": "Hors Union européenne"}
FREIGHT, INSURANCE, GOODS = "freight", "insurance", "goods"
DUTIES = "duties"  # import duties and taxes the seller pays under DDP, estimated by the candidate


def zone_of(country: str) -> str:
    if country == "FR":
        return "FR"
    return "EU" if country in EU_COUNTRIES else "WORLD"


def parcels_for(weight_kg: Decimal) -> int:
    """Parcels of at most 30 kg, one at least."""
    return max(1, math.ceil(Decimal(weight_kg) / PARCEL_MAX_KG))


def rate_price(rate: CarrierRate, weight_kg: Decimal, parcels: int) -> Decimal:
    """base + weight × per kg + parcels × per parcel, rounded to the cent."""
    return money(Decimal(rate.base_price) + Decimal(weight_kg) * Decimal(rate.price_per_kg)
                 + parcels * Decimal(rate.price_per_parcel))


def rate_for(uow, service_id: int, zone: str, weight_kg: Decimal) -> CarrierRate | None:
    """The band of the service's grid for that zone and weight (from excluded, to included)."""
    return uow.session.scalars(select(CarrierRate).where(
        CarrierRate.service_id == service_id, CarrierRate.zone == zone,
        CarrierRate.weight_from_kg < weight_kg, CarrierRate.weight_to_kg >= weight_kg)
        .order_by(CarrierRate.weight_from_kg)).first()


@dataclass
class Quotation:
    service: CarrierService
    carrier: Carrier
    zone: str
    weight_kg: Decimal
    parcels: int
    price: Decimal


def quote_freight(uow, *, country: str, weight_kg: Decimal, parcels: int | None = None, mode: str = "",
                  service_id: int | None = None, modes: tuple[str, ...] = ()) -> Quotation | None:
    """What carrying ``weight_kg`` to ``country`` costs: with the given service,
    or the cheapest active service of that mode (or of ``modes``) serving the zone."""
    zone = zone_of(country)
    weight = max(Decimal(weight_kg), Decimal("0.001"))
    parcels = parcels or parcels_for(weight)
    query = select(CarrierService).where(CarrierService.active.is_(True))
    if service_id is not None:
        query = query.where(CarrierService.id == service_id)
    elif mode:
        query = query.where(CarrierService.transport_mode == mode)
    elif modes:
        query = query.where(CarrierService.transport_mode.in_(modes))
    best = None
    for service in uow.session.scalars(query.order_by(CarrierService.id)):
        rate = rate_for(uow, service.id, zone, weight)
        if rate is None:
            continue
        price = rate_price(rate, weight, parcels)
        if best is None or price < best.price:
            best = Quotation(service, uow.session.get(Carrier, service.carrier_id), zone, weight, parcels, price)
    return best


def goods_weight(uow, lines: list[dict]) -> Decimal:
    weights = dict(uow.session.execute(select(Product.id, Product.weight_kg).where(
        Product.id.in_({l["product_id"] for l in lines if l.get("product_id")}))).all())
    return sum((Decimal(l["quantity"]) * weights.get(l["product_id"], ZERO) for l in lines if l.get("product_id")),
               ZERO).quantize(Decimal("0.001"))


@dataclass
class Terms:
    """The transport terms of a quote or an order, checked: its freight lines to add."""

    incoterm: str
    place: str
    mode: str
    service_id: int | None
    lines: list[dict]  # freight / insurance lines, priced
    quotation: Quotation | None


def transport_terms(uow, customer, *, incoterm: str, place: str, mode: str, service_id, goods: list[dict],
                    global_discount_pct: Decimal, errors: dict[str, str], duties="") -> Terms:
    """Check the rule against the transport mode and price what the rule puts on
    the seller: the main carriage (C and D rules), the insurance (CIP, CIF) and,
    under DDP, the import duties and taxes the candidate estimated (``duties``, HT).

    Errors go into ``errors`` (field names ``transport_mode``, ``service``,
    ``incoterm``, ``duties``); nothing is written."""
    duties_amount = _duties(duties, incoterm, errors)
    mode = (mode or "").strip()
    if mode and mode not in incoterms.TRANSPORT_MODES:
        errors["transport_mode"] = "Mode de transport inconnu."
        mode = ""
    service = None
    if service_id not in (None, ""):
        try:
            service = uow.session.scalars(select(CarrierService).where(
                CarrierService.id == int(service_id), CarrierService.active.is_(True))).first()
        except (TypeError, ValueError):
            service = None
        if service is None:
            errors["service"] = "Service de transport inconnu."
        elif mode and service.transport_mode != mode:
            errors["service"] = (f"Ce service est en {incoterms.TRANSPORT_MODES[service.transport_mode].lower()}, "
                                 f"pas en {incoterms.TRANSPORT_MODES[mode].lower()}.")
        else:
            mode = service.transport_mode
    found = incoterms.rule(incoterm)
    if found is None or "incoterm" in errors:
        return Terms(incoterm, place, mode, service.id if service else None, [], None)
    refused = incoterms.mode_error(found.code, mode)
    if refused:
        errors["transport_mode" if "service" not in errors else "incoterm"] = refused
        return Terms(found.code, place, mode, service.id if service else None, [], None)
    weight = goods_weight(uow, goods)
    modes = incoterms.SEA_MODES if found.sea_only else ()
    quotation = quote_freight(uow, country=customer.country, weight_kg=weight, mode=mode,
                              service_id=service.id if service else None, modes=modes) if goods else None
    lines: list[dict] = []
    if found.seller_pays_carriage and goods and not errors:
        if quotation is None:
            errors["service"] = (f"Aucun service de transport ne dessert « {incoterms_zone(customer.country)} » "
                                 f"{'en ' + incoterms.TRANSPORT_MODES[mode].lower() + ' ' if mode else ''}"
                                 f"pour {weight} kg : choisissez un autre mode ou un autre service.")
        else:
            mode = mode or quotation.service.transport_mode
            regime = vat_regime(customer.country, customer.vat_number, customer.kind)
            # the accessory follows the principal: the goods' (highest) rate, 0 % when they are exempt
            rate = vat_rate_for(regime, max(Decimal(l["vat_rate"]) for l in goods))
            position = max((l["position"] for l in goods), default=0)
            lines.append(_line(FREIGHT, f"Transport {found.code} {place} — {quotation.carrier.name}, "
                                        f"{quotation.service.name} ({quotation.weight_kg.normalize():f} kg, "
                                        f"{quotation.parcels} colis)", quotation.price, rate, position + 1))
            if found.seller_insures:
                goods_ht = money(sum((Decimal(l["line_total_ht"]) for l in goods), ZERO)
                                 * (100 - Decimal(global_discount_pct or 0)) / 100)
                premium = incoterms.insurance_premium(goods_ht, quotation.price)
                lines.append(_line(INSURANCE, f"Assurance transport ICC ({found.insurance}), 110 % de la valeur "
                                              f"({incoterms.INSURANCE_RATE_PCT} %)", premium, rate, position + 2))
    if duties_amount and goods and not errors:
        regime = vat_regime(customer.country, customer.vat_number, customer.kind)
        position = max((l["position"] for l in goods + lines), default=0)
        lines.append(_line(DUTIES, f"Droits et taxes d'import (DDP {place}), estimation",
                           duties_amount, vat_rate_for(regime, max(Decimal(l["vat_rate"]) for l in goods)),
                           position + 1))
    chosen = service.id if service else (quotation.service.id if any(l["line_kind"] == FREIGHT for l in lines)
                                         else None)
    return Terms(found.code, place, mode, chosen, lines, quotation)


def _duties(raw, incoterm: str, errors: dict[str, str]) -> Decimal | None:
    """The import duties and taxes entered (HT), only under DDP, where the seller pays them."""
    from sim.parsing import read_amount

    if raw is None or not str(raw).strip():
        return None
    amount = read_amount(raw, "duties", errors, message="Droits et taxes d'import : montant attendu (ex. 420,00).")
    if amount is None:
        return None
    if amount < 0:
        errors["duties"] = "Droits et taxes d'import : un montant positif."
        return None
    if (incoterm or "").upper() != "DDP":
        errors["duties"] = ("Seul le DDP met les droits et taxes d'import à la charge du vendeur : "
                            "videz ce champ ou choisissez DDP.")
        return None
    return amount


def incoterms_zone(country: str) -> str:
    return ZONES[zone_of(country)]


def _line(kind: str, description: str, price: Decimal, vat_rate: Decimal, position: int) -> dict:
    return {"product_id": None, "description": description[:200], "quantity": Decimal("1.000"),
            "unit_price": money(price), "discount_pct": Decimal("0.00"), "vat_rate": vat_rate,
            "line_total_ht": line_net(Decimal(1), price), "position": position, "line_kind": kind}


def is_goods(line) -> bool:
    return getattr(line, "product_id", None) is not None if not isinstance(line, dict) else \
        line.get("product_id") is not None


# ===== the carriers' offer (seeded with each company) ======================

# carrier mode → services: (code, name, transport mode, transit days, zones, zone factors,
# base and per-kg multipliers of the carrier's own price, price per parcel)
_SERVICES = {
    "messagerie": [("MES", "Messagerie J+2", "road", 2, ("FR", "EU"), Decimal("1.00"), Decimal("1.50"))],
    "express": [("EXP", "Express J+1", "road", 1, ("FR", "EU"), Decimal("1.00"), Decimal("2.00")),
                ("AIR", "Express aérien", "air", 3, ("WORLD",), Decimal("1.00"), Decimal("3.00"))],
    "affrètement": [("LOT", "Lot complet", "road", 2, ("FR", "EU"), Decimal("1.00"), Decimal("0.00"))],
    "international": [("ROUTE", "Route Europe", "road", 4, ("EU",), Decimal("1.00"), Decimal("1.00")),
                      ("MER", "Maritime groupage (LCL)", "sea", 25, ("WORLD",), Decimal("0.45"), Decimal("0.00")),
                      ("AIRF", "Fret aérien", "air", 5, ("WORLD",), Decimal("1.80"), Decimal("2.00"))],
}
_ZONE_FACTOR = {"FR": Decimal("1.0"), "EU": Decimal("1.6"), "WORLD": Decimal("2.8")}
# weight bands (kg, from excluded, to included) and the share of the price per kg each pays: degressive
_BANDS = ((0, 30, Decimal("0")), (30, 100, Decimal("1.00")), (100, 300, Decimal("0.85")),
          (300, 1000, Decimal("0.70")), (1000, 30000, Decimal("0.55")))


def offer_of(carrier: Carrier) -> list[tuple[dict, list[dict]]]:
    """The services and rate bands a seeded carrier sells, derived from its own
    price per kg and minimum charge (deterministic: same carrier, same grid)."""
    offer = []
    for code, name, mode, days, zones, kg_factor, per_parcel in _SERVICES.get(carrier.mode, _SERVICES["messagerie"]):
        service = {"code": code, "name": name, "transport_mode": mode, "transit_days": days}
        rates = []
        for zone in zones:
            factor = _ZONE_FACTOR[zone]
            base = money(Decimal(carrier.min_charge) * factor * (Decimal(4) if mode == "sea" else Decimal(1)))
            for low, high, share in _BANDS:  # up to 30 kg: the flat base only
                per_kg = money(Decimal(carrier.price_per_kg) * factor * kg_factor * share)
                rates.append({"zone": zone, "weight_from_kg": Decimal(low), "weight_to_kg": Decimal(high),
                              "base_price": base, "price_per_kg": per_kg, "price_per_parcel": per_parcel})
        offer.append((service, rates))
    return offer


def install_offer(session, workspace_id: int, carrier: Carrier) -> int:
    """Write the carrier's services and rates (the seed and the scenarios call it); rows written."""
    written = 0
    for service_row, rates in offer_of(carrier):
        service = CarrierService(workspace_id=workspace_id, carrier_id=carrier.id, **service_row)
        session.add(service)
        session.flush()
        session.add_all([CarrierRate(workspace_id=workspace_id, service_id=service.id, **r) for r in rates])
        written += 1 + len(rates)
    return written
