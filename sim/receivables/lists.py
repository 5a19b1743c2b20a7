"""The payment list (règlements reçus): search, filters, sort, page and totals in SQL."""
from __future__ import annotations

from sqlalchemy import func

from sim.crm.models import Customer, PaymentMethod
from sim.listing import ListPage, ListParams, ListSpec, read_params, run
from sim.receivables.models import Payment

PAYMENT_SORTS = ("number", "date", "customer", "method", "reference", "amount", "unapplied")
REJECTED = "rejected"  # the "status" filter: a payment method, or the rejected ones (an unpaid LCR)


def payment_params(params) -> ListParams:
    return read_params(params, sortable=PAYMENT_SORTS, default_sort="date",
                       statuses=[*(m.value for m in PaymentMethod), REJECTED])


def list_payments(uow, params: ListParams) -> ListPage:
    spec = ListSpec(
        rows=(Payment, Customer), joins=((Customer, Customer.id == Payment.customer_id),),
        search=(Payment.number, Customer.name, Customer.code, Payment.reference),
        sort={"number": Payment.number, "date": Payment.received_on, "customer": func.lower(Customer.name),
              "method": Payment.method, "reference": Payment.reference, "amount": Payment.amount,
              "unapplied": Payment.unapplied},
        tiebreak=(Payment.id.desc(),), customer_code=Customer.code, day=Payment.received_on,
        totals={"amount": Payment.amount, "unapplied": Payment.unapplied})
    where = []
    if params.status == REJECTED:
        where.append(Payment.rejected.is_(True))
    elif params.status:
        where.append(Payment.method == params.status)
    return run(uow, spec, params, where)
