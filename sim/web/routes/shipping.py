"""Shipping pages: the carriers' services and rates, and the actions on a
delivery (booking, receipt with reserves, carrier protest, replacement); the
shipping PDFs (pro forma, packing list, protest letter)."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from sqlalchemy import select

from sim.accounts.models import User
from sim.db import UnitOfWork
from sim.errors import SimError, ValidationFailed
from sim.formatting import fr_date
from sim.shipping import service as shipping
from sim.shipping.freight import ZONES
from sim.shipping.incoterms import TRANSPORT_MODES
from sim.shipping.models import CarrierProtest, CarrierRate, CarrierService
from sim.stock.models import Carrier
from sim.web.deps import actor, candidate_only, candidate_or_inspector, viewing_uow, writing_uow
from sim.web.flash import flash
from sim.web.rendering import render
from sim.web.routes import form_data, router as routes_router
from sim.web.pdf import document_pdf
from sim.web.shell import shell

router = routes_router()


@router.get("/carriers")
def carrier_list(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    """Every carrier, its services (mode, transit time) and their rate grid per zone."""
    carriers = uow.session.scalars(select(Carrier).order_by(Carrier.name)).all()
    services = uow.session.scalars(select(CarrierService).order_by(CarrierService.carrier_id, CarrierService.code)).all()
    rates = uow.session.scalars(select(CarrierRate).order_by(CarrierRate.service_id, CarrierRate.zone,
                                                             CarrierRate.weight_from_kg)).all()
    by_carrier: dict[int, list] = {}
    for s in services:
        by_carrier.setdefault(s.carrier_id, []).append(s)
    by_service: dict[int, list] = {}
    for r in rates:
        by_service.setdefault(r.service_id, []).append(r)
    return render(request, "shipping/carrier_list.html",
                  {"carriers": carriers, "services": by_carrier, "rates": by_service, "zones": ZONES,
                   "modes": TRANSPORT_MODES, **shell(uow, "carriers")})


def _back(request: Request, uow: UnitOfWork, delivery_id: int, refused: SimError):
    """The delivery page again with the refusal, after releasing the write lock."""
    from sim.web.routes.billing import _delivery_context

    uow.rollback()
    with UnitOfWork(uow.workspace_id, write=False) as reader:
        errors = refused.errors if isinstance(refused, ValidationFailed) else {}
        message = "; ".join(errors.values()) if errors else refused.message
        return render(request, "billing/delivery_page.html",
                      {**_delivery_context(reader, delivery_id), "error": message, "errors": errors,
                       **shell(reader, "orders")}, status_code=refused.status_code)


def _act(request: Request, uow: UnitOfWork, delivery_id: int, action, done: str):
    try:
        result = action()
        uow.commit()
    except SimError as refused:
        return _back(request, uow, delivery_id, refused)
    flash(request, done if isinstance(done, str) else done(result))
    target = getattr(result, "id", delivery_id) if done is _replacement_done else delivery_id
    return RedirectResponse(f"/deliveries/{target}", status_code=303)


def _replacement_done(delivery) -> str:
    return f"Remplacement expédié : bon de livraison {delivery.number} (non facturé)."


@router.post("/deliveries/{delivery_id}/booking")
def delivery_booking(request: Request, delivery_id: int, user: User = Depends(candidate_only),
                     uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _act(request, uow, delivery_id, lambda: shipping.book_carrier(
        uow, actor=actor(user), delivery_id=delivery_id, service_id=form.get("service", ""),
        pickup_date=form.get("pickup_date", ""), parcels=form.get("parcels", ""), weight_kg=form.get("weight_kg", ""),
        form_token=form.get("form_token")),
        lambda d: f"Enlèvement réservé le {fr_date(d.pickup_date)} : {d.parcels} colis, suivi {d.tracking_number}.")


@router.post("/deliveries/{delivery_id}/receipt")
def delivery_receipt(request: Request, delivery_id: int, user: User = Depends(candidate_only),
                     uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    damaged = {key.removeprefix("damaged-"): value for key, value in form.items() if key.startswith("damaged-")}
    return _act(request, uow, delivery_id, lambda: shipping.record_receipt(
        uow, actor=actor(user), delivery_id=delivery_id, received_date=form.get("received_date", ""),
        received_by=form.get("received_by", ""), proof=form.get("proof", ""), reserves=form.get("reserves", ""),
        damaged=damaged, form_token=form.get("form_token")),
        lambda d: "Réception enregistrée" + (f" avec réserves : protestation à envoyer au plus tard le "
                                             f"{fr_date(shipping.protest_deadline(d.delivered_date))}."
                                             if d.reserves else " sans réserve."))


@router.post("/deliveries/{delivery_id}/protest")
def delivery_protest(request: Request, delivery_id: int, user: User = Depends(candidate_only),
                     uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _act(request, uow, delivery_id, lambda: shipping.send_protest(
        uow, actor=actor(user), delivery_id=delivery_id, facts=form.get("facts", ""),
        form_token=form.get("form_token")),
        lambda p: f"Protestation {p.number} envoyée au transporteur" + (
            "." if p.on_time else f" HORS DÉLAI (il expirait le {fr_date(p.deadline)})."))


@router.post("/deliveries/{delivery_id}/replacement")
def delivery_replacement(request: Request, delivery_id: int, user: User = Depends(candidate_only),
                         uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    return _act(request, uow, delivery_id, lambda: shipping.ship_replacement(
        uow, actor=actor(user), delivery_id=delivery_id, form_token=form.get("form_token")), _replacement_done)


# ===== PDFs ===============================================================

@router.get("/quotes/{quote_id}/proforma.pdf")
def quote_proforma_pdf(quote_id: int, user: User = Depends(candidate_or_inspector),
                       uow: UnitOfWork = Depends(viewing_uow)):
    return document_pdf(uow, user, "proforma", quote_id)


@router.get("/orders/{order_id}/proforma.pdf")
def order_proforma_pdf(order_id: int, user: User = Depends(candidate_or_inspector),
                       uow: UnitOfWork = Depends(viewing_uow)):
    return document_pdf(uow, user, "order_proforma", order_id)


@router.get("/deliveries/{delivery_id}/packing-list.pdf")
def packing_list_pdf(delivery_id: int, user: User = Depends(candidate_or_inspector),
                     uow: UnitOfWork = Depends(viewing_uow)):
    return document_pdf(uow, user, "packing_list", delivery_id)


@router.get("/protests/{protest_id}/pdf")
def protest_pdf(protest_id: int, user: User = Depends(candidate_or_inspector),
                uow: UnitOfWork = Depends(viewing_uow)):
    uow.get(CarrierProtest, protest_id)  # another workspace's: 404
    return document_pdf(uow, user, "carrier_protest", protest_id)


def shipping_context(uow, delivery) -> dict:
    """What the delivery page shows of its shipping: booking, tracking, receipt,
    protest and its deadline, replacement, the transport proof of an intra-EU sale."""
    from sim.billing.vat import vat_regime
    from sim.crm.models import Customer
    from sim.sales.models import SalesOrder
    from sim.stock.models import Delivery

    customer = uow.session.get(Customer, delivery.customer_id)
    order = uow.session.get(SalesOrder, delivery.order_id)
    protest = shipping.protest_of(uow, delivery.id)
    tracking = shipping.tracking_of(uow, delivery.id)
    damaged = shipping.damaged_lines(uow, delivery, tracking)
    deadline = shipping.protest_deadline(delivery.delivered_date) if delivery.delivered_date else None
    return {
        "tracking": tracking,
        "service": uow.session.get(CarrierService, delivery.service_id) if delivery.service_id else None,
        "services": shipping.service_choices(uow),
        "protest": protest, "damaged": damaged, "protest_deadline": deadline,
        "replacement": shipping.replacement_of(uow, delivery.id),
        "replaced": uow.session.get(Delivery, delivery.replaces_id) if delivery.replaces_id else None,
        "regime": vat_regime(customer.country, customer.vat_number, customer.kind),
        "incoterm_code": delivery.incoterm or order.incoterm,
        "incoterm_place": delivery.incoterm_place or order.incoterm_place,
        "transport_mode": order.transport_mode,
        "tracking_labels": {k.value: k.label for k in shipping.TrackingKind},
    }
