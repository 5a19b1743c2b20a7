"""The delivery list (bons de livraison): search, filters, sort and page in SQL."""
from __future__ import annotations

from sqlalchemy import func

from sim.crm.models import Customer
from sim.listing import ListPage, ListParams, ListSpec, read_params, run
from sim.sales.models import SalesOrder
from sim.stock.models import Carrier, Delivery, DeliveryStatus

DELIVERY_SORTS = ("number", "date", "delivered", "customer", "order", "carrier", "status")


def delivery_params(params) -> ListParams:
    return read_params(params, sortable=DELIVERY_SORTS, default_sort="number",
                       statuses=[s.value for s in DeliveryStatus])


def list_deliveries(uow, params: ListParams) -> ListPage:
    """Deliveries with their order number, customer and carrier name; the date
    range applies to the ship date (a prepared delivery has none yet)."""
    spec = ListSpec(
        rows=(Delivery, SalesOrder.number, Customer, Carrier.name),
        joins=((SalesOrder, SalesOrder.id == Delivery.order_id), (Customer, Customer.id == Delivery.customer_id),
               (Carrier, Carrier.id == Delivery.carrier_id)),
        search=(Delivery.number, SalesOrder.number, Customer.name, Customer.code, Delivery.tracking_number,
                SalesOrder.customer_po),
        sort={"number": Delivery.number, "date": Delivery.ship_date, "delivered": Delivery.delivered_date,
              "customer": func.lower(Customer.name), "order": SalesOrder.number,
              "carrier": func.coalesce(Carrier.name, ""), "status": Delivery.status},
        tiebreak=(Delivery.number.desc(),), customer_code=Customer.code, status=Delivery.status,
        day=Delivery.ship_date)
    return run(uow, spec, params)
