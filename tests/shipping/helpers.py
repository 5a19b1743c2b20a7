"""A carrier with a known rate grid, for worked figures (set-up, not a business action)."""
from __future__ import annotations

from decimal import Decimal as D

from sim.db import UnitOfWork
from sim.shipping.models import CarrierRate, CarrierService
from sim.stock.models import Carrier

# zone -> (base, per kg, per parcel) for the band 30–100 kg and for 0–30 kg
GRID = {"FR": (D("20.00"), D("0.30"), D("1.00")), "EU": (D("40.00"), D("0.50"), D("2.00")),
        "WORLD": (D("90.00"), D("1.20"), D("0.00"))}


def a_priced_service(workspace_id: int, *, mode: str = "road", name: str = "Transports Grille Test",
                     zones=("FR", "EU", "WORLD")) -> CarrierService:
    with UnitOfWork(workspace_id) as uow:
        carrier = Carrier(workspace_id=workspace_id, name=name, mode="messagerie", email="exploitation@grille.test",
                          price_per_kg=D("0.50"), min_charge=D("10.00"))
        uow.session.add(carrier)
        uow.session.flush()
        service = CarrierService(workspace_id=workspace_id, carrier_id=carrier.id, code=mode.upper()[:6],
                                 name=f"Service {mode}", transport_mode=mode, transit_days=2)
        uow.session.add(service)
        uow.session.flush()
        for zone in zones:
            base, per_kg, per_parcel = GRID[zone]
            for low, high in ((0, 30), (30, 100), (100, 30000)):
                uow.session.add(CarrierRate(workspace_id=workspace_id, service_id=service.id, zone=zone,
                                            weight_from_kg=D(low), weight_to_kg=D(high), base_price=base,
                                            price_per_kg=per_kg, price_per_parcel=per_parcel))
        uow.commit()
        return service
