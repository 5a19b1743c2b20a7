"""Shipping a delivery: the carrier booking, the tracking, the receipt (proof of
delivery, reserves), the carrier protest and the replacement shipment.

Each public function is one business action, journaled in the caller's
transaction (the caller commits, sim/db.py); a refusal raises before anything
is written. A writing unit of work holds the workspace's lock from its start,
so the state checks below (already booked, already protested...) see what a
concurrent tab committed first: an action happens once.

The protest (Code de commerce L133-3): "La réception des objets transportés
éteint toute action contre le voiturier pour avarie ou perte partielle si dans
les trois jours, non compris les jours fériés, qui suivent celui de cette
réception, le destinataire n'a pas notifié au voiturier, par acte
extrajudiciaire ou par lettre recommandée, sa protestation motivée." The three
days run from the day after the receipt; Sundays and public holidays are not
counted (sim/sales/working_days.py); a protest sent later is still recorded,
marked late (the claim is then time-barred unless the carrier accepts it).
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from sim.billing.vat import vat_regime
from sim.clock import sim_date
from sim.company.numbering import next_number
from sim.crm.models import Customer
from sim.errors import ValidationFailed
from sim.formatting import fr_number
from sim.journal import service as journal
from sim.parsing import read_id, read_quantity, read_text
from sim.sales.errors import WrongStatus
from sim.sales.models import OrderLine, SalesOrder
from sim.sales.pricing import ZERO, line_net
from sim.sales.working_days import is_working_day, public_holidays
from sim.shipping import incoterms
from sim.shipping.freight import parcels_for, rate_for, rate_price, zone_of
from sim.shipping.models import CarrierProtest, CarrierService, TrackingEvent, TrackingKind
from sim.stock.models import Carrier, Delivery, DeliveryLine, DeliveryStatus, Product, StockMove, StockMoveKind

PROTEST_DAYS = 3


# ===== reading ===========================================================

def service_choices(uow) -> list[SimpleNamespace]:
    """Every active service, labelled "Carrier — Service (mode)", for the select boxes."""
    rows = uow.session.execute(select(CarrierService, Carrier.name).join(Carrier, Carrier.id == CarrierService.carrier_id)
                               .where(CarrierService.active.is_(True))
                               .order_by(Carrier.name, CarrierService.code)).all()
    return [SimpleNamespace(id=s.id, carrier_id=s.carrier_id, label=f"{name} — {s.name} "
                            f"({incoterms.TRANSPORT_MODES.get(s.transport_mode, s.transport_mode).lower()})",
                            mode=s.transport_mode) for s, name in rows]


def tracking_of(uow, delivery_id: int) -> list[TrackingEvent]:
    return list(uow.session.scalars(select(TrackingEvent).where(TrackingEvent.delivery_id == delivery_id)
                                    .order_by(TrackingEvent.event_date, TrackingEvent.id)))


def protest_of(uow, delivery_id: int) -> CarrierProtest | None:
    return uow.session.scalars(select(CarrierProtest).where(CarrierProtest.delivery_id == delivery_id)).first()


def replacement_of(uow, delivery_id: int) -> Delivery | None:
    return uow.session.scalars(select(Delivery).where(Delivery.replaces_id == delivery_id)).first()


def protest_deadline(received: date) -> date:
    """The last day to notify the carrier: the third day after the receipt,
    Sundays and public holidays not counted (C. com. L133-3)."""
    day, counted = received, 0
    while counted < PROTEST_DAYS:
        day += timedelta(days=1)
        if day.weekday() != 6 and day not in public_holidays(day.year):
            counted += 1
    return day


def damaged_lines(uow, delivery: Delivery, events: list[TrackingEvent] | None = None) -> list[dict]:
    """What the receipt's reserves (or else the carrier's damage and loss reports)
    name, per delivery line: [{"line_id", "product", "designation", "quantity", "damage"}].
    ``events``: the delivery's tracking (``tracking_of``), when the caller has read it."""
    events = tracking_of(uow, delivery.id) if events is None else events
    receipt = [e for e in events if e.kind == TrackingKind.DELIVERED and e.lines]
    reported = receipt[-1:] or [e for e in events if e.kind in (TrackingKind.DAMAGED, TrackingKind.LOST) and e.lines]
    if not reported:  # nothing reported: no line to read
        return []
    lines = {dl.product_id: dl for dl in uow.session.scalars(select(DeliveryLine).where(
        DeliveryLine.delivery_id == delivery.id))}
    products = {p.id: p for p in uow.session.scalars(select(Product).where(Product.id.in_(set(lines))))}
    by_reference = {products[pid].reference: dl for pid, dl in lines.items()}
    found: dict[str, dict] = {}
    for event in reported:
        for item in event.lines:
            dl = by_reference.get(item["product"])
            if dl is None:
                continue
            row = found.setdefault(item["product"], {
                "line_id": dl.id, "order_line_id": dl.order_line_id, "product": item["product"],
                "product_id": dl.product_id, "designation": products[dl.product_id].name,
                "quantity": ZERO, "damage": "perte" if event.kind == TrackingKind.LOST else "avarie"})
            row["quantity"] = min(dl.quantity, row["quantity"] + Decimal(str(item["quantity"])))
    return list(found.values())


# ===== shared checks =====================================================

def _delivery(uow, delivery_id: int) -> tuple[Delivery, SalesOrder, Customer]:
    delivery = uow.get(Delivery, delivery_id)
    return delivery, uow.session.get(SalesOrder, delivery.order_id), uow.session.get(Customer, delivery.customer_id)


def _refs(delivery: Delivery, order: SalesOrder, customer: Customer) -> dict:
    return {"delivery": delivery.number, "order": order.number, "customer": customer.code}


def _read_date(raw, field: str, errors: dict[str, str], label: str) -> date | None:
    if isinstance(raw, date):
        return raw
    text = (raw or "").strip() if isinstance(raw, str) else ""
    if not text:
        errors[field] = f"{label} : date attendue."
        return None
    for parse in (date.fromisoformat, lambda t: date(int(t[6:10]), int(t[3:5]), int(t[0:2]))):
        try:
            return parse(text)
        except (ValueError, IndexError):
            continue
    errors[field] = f"{label} : date attendue (jj/mm/aaaa)."
    return None


def _item_lines(uow, delivery: Delivery, quantities: dict, errors: dict[str, str], *, prefix: str) -> list[dict]:
    """Quantities typed per delivery line ({line_id: text}) as [{"product", "quantity"}], checked."""
    lines = {dl.id: dl for dl in uow.session.scalars(select(DeliveryLine).where(DeliveryLine.delivery_id == delivery.id))}
    items = []
    for raw_id, raw in (quantities or {}).items():
        line = lines.get(read_id(str(raw_id)) or -1)
        key = f"{prefix}-{raw_id}"
        if line is None:
            errors[key] = "Cette ligne n'appartient pas à la livraison."
            continue
        product = uow.session.get(Product, line.product_id)
        qty = read_quantity(raw, key, errors, unit=product.unit, default="0")
        if qty is None or qty == 0:
            continue
        if qty < 0:
            errors[key] = "Quantité négative."
        elif qty > line.quantity:
            errors[key] = f"Livré sur cette ligne : {fr_number(line.quantity)} au plus."
        else:
            items.append({"product": product.reference, "quantity": qty})
    return items


# ===== booking ===========================================================

def book_carrier(uow, *, actor: str, delivery_id: int, service_id, pickup_date, parcels="", weight_kg="",
                 form_token: str | None = None) -> Delivery:
    """Book the carrier's pickup for a delivery: service, pickup date, parcels and
    weight, priced from the service's grid for the customer's zone; the
    carrier's tracking number comes with the booking."""
    from sim.stock.service import _tracking_number
    from sim.workspace.forms import claim

    claim(uow, form_token, "delivery.booked")
    delivery, order, customer = _delivery(uow, delivery_id)
    events = tracking_of(uow, delivery.id)
    if delivery.status != DeliveryStatus.SHIPPED or any(e.kind != TrackingKind.BOOKED for e in events):
        raise WrongStatus(f"La livraison {delivery.number} est déjà prise en charge par le transporteur : "
                          "l'enlèvement ne se réserve plus.")
    errors: dict[str, str] = {}
    service = None
    sid = read_id(str(service_id or ""))
    if sid:
        service = uow.session.scalars(select(CarrierService).where(CarrierService.id == sid,
                                                                   CarrierService.active.is_(True))).first()
    if service is None:
        errors["service"] = "Choisissez un service de transport."
    today = sim_date(uow)
    pickup = _read_date(pickup_date, "pickup_date", errors, "Date d'enlèvement")
    if pickup is not None:
        if pickup < today:
            errors["pickup_date"] = "L'enlèvement ne peut pas être dans le passé."
        elif not is_working_day(pickup):
            errors["pickup_date"] = "Le transporteur n'enlève pas un week-end ou un jour férié."
        elif pickup > today + timedelta(days=30):
            errors["pickup_date"] = "Enlèvement dans les 30 jours au plus."
    goods = uow.session.execute(select(DeliveryLine.quantity, Product.weight_kg).join(
        Product, Product.id == DeliveryLine.product_id).where(DeliveryLine.delivery_id == delivery.id)).all()
    computed = sum((q * w for q, w in goods), ZERO).quantize(Decimal("0.001"))
    weight = read_quantity(weight_kg, "weight_kg", errors, unit="kg", default=str(computed)) if weight_kg not in (
        None, "") else computed
    if weight is not None and weight <= 0:
        errors["weight_kg"] = "Poids strictement positif."
    count = None
    text = str(parcels or "").strip()
    if text:
        if not (text.isascii() and text.isdigit()):
            errors["parcels"] = "Nombre de colis : entier attendu."
        elif not 1 <= int(text) <= 999:
            errors["parcels"] = "Entre 1 et 999 colis."
        else:
            count = int(text)
    if errors:
        raise ValidationFailed(errors)
    count = count or parcels_for(weight)
    zone = zone_of(customer.country)
    rate = rate_for(uow, service.id, zone, weight)
    if rate is None:
        raise ValidationFailed({"service": f"Ce service ne dessert pas la zone {zone} pour {fr_number(weight)} kg."})
    refused = incoterms.mode_error(delivery.incoterm or order.incoterm, service.transport_mode)
    if refused:
        raise ValidationFailed({"service": refused})
    carrier = uow.session.get(Carrier, service.carrier_id)
    delivery.carrier_id, delivery.service_id = carrier.id, service.id
    delivery.pickup_date, delivery.parcels, delivery.weight_kg = pickup, count, weight
    delivery.freight_cost = rate_price(rate, weight, count)
    delivery.tracking_number = _tracking_number(carrier, delivery.number, pickup)
    uow.session.add(TrackingEvent(workspace_id=uow.workspace_id, delivery_id=delivery.id, kind=TrackingKind.BOOKED,
                                  event_date=today, location="", source="candidate" if actor.startswith(
                                      "candidate") else "carrier",
                                  note=f"Enlèvement le {pickup:%d/%m/%Y}, {count} colis, {fr_number(weight)} kg"))
    journal.append(uow, kind="delivery.booked", actor=actor, refs=_refs(delivery, order, customer),
                   payload={"carrier": carrier.name, "service": service.name, "transport_mode": service.transport_mode,
                            "pickup_date": pickup, "parcels": count, "weight_kg": weight,
                            "freight_cost": delivery.freight_cost, "tracking_number": delivery.tracking_number})
    return delivery


# ===== tracking ==========================================================

def record_tracking(uow, *, actor: str, delivery_id: int, kind: str, event_date: date | None = None,
                    location: str = "", note: str = "", lines: list[dict] | None = None,
                    source: str = "carrier") -> TrackingEvent:
    """What the carrier reports (picked up, in transit, delayed, delivered,
    damaged, lost), with the lines affected ([{"product": reference, "quantity"}])."""
    delivery, order, customer = _delivery(uow, delivery_id)
    if kind not in {k.value for k in TrackingKind} or kind == TrackingKind.BOOKED:
        raise ValidationFailed({"kind": "Événement de suivi inconnu."})
    day = event_date or sim_date(uow)
    references = dict(uow.session.execute(select(Product.reference, DeliveryLine.quantity).join(
        DeliveryLine, DeliveryLine.product_id == Product.id).where(DeliveryLine.delivery_id == delivery.id)).all())
    items = []
    for item in lines or []:
        if item["product"] not in references:
            raise ValidationFailed({"lines": f"{item['product']} n'est pas sur la livraison {delivery.number}."})
        items.append({"product": item["product"],
                      "quantity": str(min(Decimal(str(item["quantity"])), references[item["product"]]))})
    event = TrackingEvent(workspace_id=uow.workspace_id, delivery_id=delivery.id, kind=kind, event_date=day,
                          location=location[:120], note=note[:500], lines=items, source=source)
    uow.session.add(event)
    if kind == TrackingKind.DELIVERED:
        delivery.status, delivery.delivered_date = DeliveryStatus.DELIVERED, day
    elif kind in (TrackingKind.DELAYED, TrackingKind.DAMAGED, TrackingKind.LOST):
        delivery.status = DeliveryStatus.INCIDENT
    journal.append(uow, kind="delivery.tracked", actor=actor, refs=_refs(delivery, order, customer),
                   payload={"event": kind, "event_date": day, "location": location[:120], "note": note[:500],
                            "lines": items})
    return event


# ===== receipt: proof of delivery and reserves ==========================

def record_receipt(uow, *, actor: str, delivery_id: int, received_date, received_by: str, proof: str = "",
                   reserves: str = "", damaged: dict | None = None, form_token: str | None = None) -> Delivery:
    """The customer's receipt, as the signed delivery receipt (CMR, récépissé)
    says: when, who signed, the proof kept, and the reserves written on it with
    the lines they concern. Reserves open the 3 days of the carrier protest."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "delivery.received")
    delivery, order, customer = _delivery(uow, delivery_id)
    if delivery.received_by:
        raise WrongStatus(f"La réception de la livraison {delivery.number} est déjà enregistrée.")
    if delivery.replaces_id is None and delivery.status == DeliveryStatus.PREPARED:
        raise WrongStatus(f"La livraison {delivery.number} n'est pas partie.")
    errors: dict[str, str] = {}
    day = _read_date(received_date, "received_date", errors, "Date de réception")
    today = sim_date(uow)
    if day is not None and day > today:
        errors["received_date"] = "La réception ne peut pas être dans le futur."
    elif day is not None and delivery.ship_date and day < delivery.ship_date:
        errors["received_date"] = f"Avant l'expédition du {delivery.ship_date:%d/%m/%Y}."
    received_by = read_text(received_by, "received_by", errors, label="Signataire", max_length=120) or ""
    if not received_by.strip() and "received_by" not in errors:
        errors["received_by"] = "Qui a signé le récépissé (nom, qualité) ?"
    proof = read_text(proof, "proof", errors, label="Preuve de livraison", max_length=200) or ""
    reserves = read_text(reserves, "reserves", errors, label="Réserves", max_length=2000, multiline=True) or ""
    items = _item_lines(uow, delivery, damaged or {}, errors, prefix="damaged")
    if items and not reserves.strip() and "reserves" not in errors:
        errors["reserves"] = "Recopiez les réserves écrites sur le récépissé (nature et étendue des dommages)."
    if errors:
        raise ValidationFailed(errors)
    carrier = uow.session.get(Carrier, delivery.carrier_id) if delivery.carrier_id else None
    delivery.received_by = received_by.strip()
    delivery.proof_of_delivery = (proof.strip() or f"Récépissé {carrier.name if carrier else 'transporteur'} "
                                                   f"n° {delivery.tracking_number} signé le {day:%d/%m/%Y}")[:200]
    delivery.reserves = reserves.strip()
    delivery.status, delivery.delivered_date = DeliveryStatus.DELIVERED, day
    uow.session.add(TrackingEvent(workspace_id=uow.workspace_id, delivery_id=delivery.id,
                                  kind=TrackingKind.DELIVERED, event_date=day, source="candidate",
                                  note=("Livré avec réserves : " + delivery.reserves) if delivery.reserves
                                  else "Livré sans réserve", lines=[{**i, "quantity": str(i["quantity"])}
                                                                    for i in items]))
    regime = vat_regime(customer.country, customer.vat_number, customer.kind)
    journal.append(uow, kind="delivery.received", actor=actor, refs=_refs(delivery, order, customer),
                   payload={"received_date": day, "received_by": delivery.received_by,
                            "proof_of_delivery": delivery.proof_of_delivery, "reserves": delivery.reserves,
                            "with_reserves": bool(delivery.reserves), "lines": items,
                            "protest_deadline": protest_deadline(day) if delivery.reserves else None,
                            # the transport proof an intra-EU VAT exemption needs (CGI 262 ter I)
                            "transport_proof": regime == "intra_eu"})
    return delivery


# ===== carrier protest ===================================================

def send_protest(uow, *, actor: str, delivery_id: int, facts: str, form_token: str | None = None) -> CarrierProtest:
    """The reasoned protest to the carrier (lettre recommandée), on the lines
    damaged or lost, claiming their value excl. VAT (the letter: sim/shipping/documents.py)."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "carrier.protest_sent")
    delivery, order, customer = _delivery(uow, delivery_id)
    if protest_of(uow, delivery.id) is not None:
        raise WrongStatus(f"La protestation sur la livraison {delivery.number} est déjà envoyée.")
    if delivery.carrier_id is None:
        raise WrongStatus(f"La livraison {delivery.number} n'a pas de transporteur.")
    lines = damaged_lines(uow, delivery)
    if not lines:
        raise WrongStatus("Aucune ligne endommagée ou perdue sur cette livraison : enregistrez d'abord la réception "
                          "avec ses réserves.")
    errors: dict[str, str] = {}
    facts = read_text(facts, "facts", errors, label="Faits", max_length=4000, multiline=True) or ""
    if not facts.strip() and "facts" not in errors:
        errors["facts"] = "Décrivez les dommages constatés (nature, étendue, réserves portées au récépissé)."
    if errors:
        raise ValidationFailed(errors)
    today = sim_date(uow)
    received = delivery.delivered_date or today
    deadline = protest_deadline(received)
    order_lines = {l.id: l for l in uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))}
    rows, claimed = [], ZERO
    for line in lines:
        ol = order_lines[line["order_line_id"]]
        value = line_net(line["quantity"], ol.unit_price, ol.discount_pct)
        claimed += value
        rows.append({"product": line["product"], "designation": line["designation"],
                     "quantity": str(line["quantity"]), "damage": line["damage"], "unit_price": str(ol.unit_price),
                     "value": str(value)})
    carrier = uow.session.get(Carrier, delivery.carrier_id)
    protest = CarrierProtest(workspace_id=uow.workspace_id, number=f"RES-{delivery.number}"[:24],
                             delivery_id=delivery.id, carrier_id=carrier.id, sent_date=today, received_date=received,
                             deadline=deadline, on_time=today <= deadline, lines=rows, claimed_amount=claimed,
                             facts=facts.strip())
    uow.session.add(protest)
    uow.session.flush()
    journal.append(uow, kind="carrier.protest_sent", actor=actor,
                   refs={**_refs(delivery, order, customer), "protest": protest.number},
                   payload={"carrier": carrier.name, "sent_date": today, "received_date": received,
                            "deadline": deadline, "on_time": protest.on_time, "lines": rows,
                            "claimed_amount": claimed, "facts": protest.facts})
    # the letter is printed and filed by itself in the customer's and the order's folders, as the company's
    # other documents are (document.generated; sim/documents/filing.py)
    from sim.documents.service import keep, render

    keep(uow, actor=actor, rendered=render(uow, "carrier_protest", protest.id), ref_id=protest.id)
    return protest


# ===== replacement =======================================================

def ship_replacement(uow, *, actor: str, delivery_id: int, form_token: str | None = None) -> Delivery:
    """Ship again, at no charge, what arrived damaged or was lost: a new delivery
    note that replaces the first (not invoiced: the order's quantities stay)."""
    from sim.stock.service import _tracking_number
    from sim.workspace.forms import claim

    claim(uow, form_token, "delivery.replacement_shipped")
    original, order, customer = _delivery(uow, delivery_id)
    if replacement_of(uow, original.id) is not None:
        raise WrongStatus(f"Le remplacement de la livraison {original.number} est déjà expédié.")
    lines = damaged_lines(uow, original)
    if not lines:
        raise WrongStatus("Rien à remplacer : aucune ligne endommagée ou perdue n'est enregistrée sur cette livraison.")
    errors: dict[str, str] = {}
    for line in lines:
        product = uow.session.get(Product, line["product_id"])
        free = product.stock_on_hand - product.stock_reserved
        if line["quantity"] > free:
            errors[f"replace-{line['line_id']}"] = (f"{product.reference} : {fr_number(free)} disponible(s) pour "
                                                    f"{fr_number(line['quantity'])} à remplacer.")
    if errors:
        raise ValidationFailed(errors)
    today = sim_date(uow)
    number = next_number(uow, "delivery", today)
    carrier = uow.session.get(Carrier, original.carrier_id) if original.carrier_id else None
    delivery = Delivery(workspace_id=uow.workspace_id, number=number, order_id=order.id, customer_id=customer.id,
                        carrier_id=original.carrier_id, service_id=original.service_id,
                        status=DeliveryStatus.SHIPPED, ship_date=today,
                        tracking_number=_tracking_number(carrier, number, today) if carrier else "",
                        incoterm=original.incoterm, incoterm_place=original.incoterm_place, replaces_id=original.id)
    uow.session.add(delivery)
    uow.session.flush()
    shipped = []
    for line in lines:
        product = uow.session.get(Product, line["product_id"])
        uow.session.add(DeliveryLine(workspace_id=uow.workspace_id, delivery_id=delivery.id,
                                     order_line_id=line["order_line_id"], product_id=product.id,
                                     quantity=line["quantity"]))
        uow.session.add(StockMove(workspace_id=uow.workspace_id, product_id=product.id, kind=StockMoveKind.SHIPMENT,
                                  quantity=-line["quantity"], move_date=today, delivery_id=delivery.id,
                                  note=f"Remplacement de {original.number}"))
        product.stock_on_hand -= line["quantity"]
        shipped.append({"product": product.reference, "quantity": line["quantity"]})
    journal.append(uow, kind="delivery.replacement_shipped", actor=actor,
                   refs={"delivery": original.number, "replacement": delivery.number, "order": order.number,
                         "customer": customer.code},
                   payload={"lines": shipped, "carrier": carrier.name if carrier else "",
                            "tracking_number": delivery.tracking_number, "ship_date": today})
    return delivery
