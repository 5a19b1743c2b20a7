"""The purchase order list: search, status filter, sort and page in SQL (sim/listing.py)."""
from __future__ import annotations

from sqlalchemy import func

from sim.listing import ListPage, ListParams, ListSpec, read_params, run
from sim.stock.models import PurchaseOrder, PurchaseOrderStatus, Supplier

SORTS = ("number", "date", "supplier", "requested", "confirmed", "total", "status")


def purchase_order_params(params) -> ListParams:
    return read_params(params, sortable=SORTS, default_sort="number", statuses=[s.value for s in PurchaseOrderStatus])


def list_purchase_orders(uow, params: ListParams) -> ListPage:
    spec = ListSpec(
        rows=(PurchaseOrder, Supplier), joins=((Supplier, Supplier.id == PurchaseOrder.supplier_id),),
        search=(PurchaseOrder.number, Supplier.name, Supplier.code),
        sort={"number": PurchaseOrder.number, "date": PurchaseOrder.order_date, "supplier": func.lower(Supplier.name),
              "requested": PurchaseOrder.requested_date,
              "confirmed": func.coalesce(PurchaseOrder.confirmed_date, PurchaseOrder.requested_date),
              "total": PurchaseOrder.total_ht, "status": PurchaseOrder.status},
        tiebreak=(PurchaseOrder.number.desc(),), status=PurchaseOrder.status, day=PurchaseOrder.order_date,
        totals={"total_ht": PurchaseOrder.total_ht})
    return run(uow, spec, params)
