"""The invoice list: search, filters (overdue included), sort, page and the
HT / TTC / due totals of the filtered invoices, in SQL."""
from __future__ import annotations

from sqlalchemy import func

from sim.billing.models import Invoice, InvoiceStatus, invoice_is_open
from sim.clock import sim_date
from sim.crm.models import Customer
from sim.listing import ListPage, ListParams, ListSpec, read_params, run

INVOICE_SORTS = ("number", "date", "customer", "due_date", "status", "ht", "ttc", "due")
OPEN = "open"  # not a stored status: every invoice with something left to pay


def invoice_params(params) -> ListParams:
    return read_params(params, sortable=INVOICE_SORTS, default_sort="date",
                       statuses=[OPEN, *(s.value for s in InvoiceStatus)])


def list_invoices(uow, params: ListParams) -> ListPage:
    spec = ListSpec(
        rows=(Invoice, Customer), joins=((Customer, Customer.id == Invoice.customer_id),),
        search=(Invoice.number, Customer.name, Customer.code, Invoice.customer_po),
        sort={"number": Invoice.number, "date": Invoice.issue_date, "customer": func.lower(Customer.name),
              "due_date": Invoice.due_date, "status": Invoice.status, "ht": Invoice.total_ht,
              "ttc": Invoice.total_ttc, "due": Invoice.amount_due},
        tiebreak=(Invoice.number.desc(),), customer_code=Customer.code, day=Invoice.issue_date,
        totals={"ht": Invoice.total_ht, "ttc": Invoice.total_ttc, "due": Invoice.amount_due})
    where = []
    if params.status == OPEN:
        where.append(invoice_is_open())
    elif params.status:
        where.append(Invoice.status == params.status)
    if params.overdue:
        where += [invoice_is_open(), Invoice.due_date < sim_date(uow)]
    return run(uow, spec, params, where)
