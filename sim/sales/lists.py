"""The quote and order lists: search, filters, sort, page and totals in SQL."""
from __future__ import annotations

from sqlalchemy import and_, func, or_

from sim.clock import sim_date
from sim.crm.models import Customer
from sim.listing import ListPage, ListParams, ListSpec, read_params, run
from sim.sales.models import OrderStatus, Quote, QuoteStatus, SalesOrder

QUOTE_SORTS = ("number", "date", "customer", "valid_until", "status", "ht", "ttc")
ORDER_SORTS = ("number", "date", "customer", "reference", "promised", "status", "ht", "ttc")


def quote_params(params) -> ListParams:
    return read_params(params, sortable=QUOTE_SORTS, default_sort="date",
                       statuses=[s.value for s in QuoteStatus])


def order_params(params) -> ListParams:
    return read_params(params, sortable=ORDER_SORTS, default_sort="date",
                       statuses=[s.value for s in OrderStatus])


def list_quotes(uow, params: ListParams) -> ListPage:
    """Quotes with their customer. "Expiré" is what a sent quote past its
    validity date shows (Quote.status_on), so the filter follows the same rule."""
    spec = ListSpec(
        rows=(Quote, Customer), joins=((Customer, Customer.id == Quote.customer_id),),
        search=(Quote.number, Customer.name, Customer.code),
        sort={"number": Quote.number, "date": Quote.issue_date, "customer": func.lower(Customer.name),
              "valid_until": Quote.valid_until, "status": Quote.status, "ht": Quote.total_ht,
              "ttc": Quote.total_ttc},
        tiebreak=(Quote.number.desc(),), customer_code=Customer.code, day=Quote.issue_date,
        totals={"ht": Quote.total_ht, "ttc": Quote.total_ttc})
    where = []
    today = sim_date(uow)
    if params.status == QuoteStatus.EXPIRED:
        where.append(or_(Quote.status == QuoteStatus.EXPIRED,
                         and_(Quote.status == QuoteStatus.SENT, Quote.valid_until < today)))
    elif params.status == QuoteStatus.SENT:
        where.append(and_(Quote.status == QuoteStatus.SENT, Quote.valid_until >= today))
    elif params.status:
        where.append(Quote.status == params.status)
    return run(uow, spec, params, where)


def list_orders(uow, params: ListParams) -> ListPage:
    """Sales orders with their customer; the search also looks in the customer's PO reference."""
    spec = ListSpec(
        rows=(SalesOrder, Customer), joins=((Customer, Customer.id == SalesOrder.customer_id),),
        search=(SalesOrder.number, Customer.name, Customer.code, SalesOrder.customer_po),
        sort={"number": SalesOrder.number, "date": SalesOrder.order_date, "customer": func.lower(Customer.name),
              "reference": SalesOrder.customer_po, "promised": SalesOrder.promised_date,
              "status": SalesOrder.status, "ht": SalesOrder.total_ht, "ttc": SalesOrder.total_ttc},
        tiebreak=(SalesOrder.number.desc(),), customer_code=Customer.code, status=SalesOrder.status,
        day=SalesOrder.order_date, totals={"ht": SalesOrder.total_ht, "ttc": SalesOrder.total_ttc})
    return run(uow, spec, params)
