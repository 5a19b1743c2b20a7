"""Customer accounts: the list with balances, and the account view (journaled)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from math import ceil

from sqlalchemy import Date, asc, bindparam, case, desc, func, literal, null, or_, select

from sim.billing.models import CreditNote, Invoice, invoice_is_open
from sim.clock import sim_date
from sim.company.models import SalesRep
from sim.crm.models import Contact, Customer, Interaction
from sim.db import Fixed
from sim.journal import service as journal
from sim.receivables.credit import credit_note_holds, payment_holds
from sim.receivables.models import Payment
from sim.sales.models import SalesOrder

ZERO = Decimal("0.00")


# ===== balances =========================================================

def _balances(today: date, customer_id: int | None = None, customer_ids: list[int] | None = None, workspace=None):
    """Per customer: outstanding (invoiced, not yet paid) and the overdue part.

    *Encours* as the REAC's glossary defines it: invoiced and not yet paid
    (domain/receivables-recovery.md §1), less any credit the customer still
    holds (an avoir on an invoice already paid, a payment beyond what was due).
    An invoice is overdue from the day after its due date; a credit the
    customer holds is netted against it (a customer in credit is not late).
    ``customer_id`` / ``customer_ids`` narrow each source first (one customer's
    account, or one page of the list, reads its own rows, not the whole ledger's).
    """
    money = Fixed(2)

    def of(model):
        scoped = (model.workspace_id == workspace,) if workspace is not None else ()
        if customer_ids is not None:
            return (model.customer_id.in_(customer_ids), *scoped)
        return (model.customer_id == customer_id, *scoped) if customer_id is not None else scoped

    owed = (
        select(
            Invoice.customer_id.label("customer_id"),
            Invoice.amount_due.label("due"),
            case((Invoice.due_date < today, Invoice.amount_due), else_=0).label("late"),
            case((Invoice.due_date < today, Invoice.due_date)).label("due_date"),
            literal(0, money).label("credit"),
        ).where(invoice_is_open(), *of(Invoice))
        .union_all(
            select(CreditNote.customer_id, -CreditNote.unapplied, literal(0, money), null(), CreditNote.unapplied)
            .where(credit_note_holds(), *of(CreditNote)),
            select(Payment.customer_id, -Payment.unapplied, literal(0, money), null(), Payment.unapplied)
            .where(payment_holds(), *of(Payment)))
        .subquery()
    )
    late = func.sum(owed.c.late, type_=money)
    credit = func.sum(owed.c.credit, type_=money)
    return (
        select(
            owed.c.customer_id.label("customer_id"),
            func.sum(owed.c.due, type_=money).label("outstanding"),
            case((late > credit, late - credit), else_=literal(0, money)).label("overdue"),
            func.min(owed.c.due_date).label("oldest_due"),
            credit.label("credit"),
        )
        .group_by(owed.c.customer_id)
        .subquery()
    )


def open_orders(uow, customer_id: int) -> tuple[Decimal, Decimal]:
    """What confirmed orders commit the customer to and is not invoiced yet, incl.
    VAT: (ordered, not delivered) and (delivered, not invoiced). Priced per line
    as the invoice will be (sim/sales/pricing.py), with the order's global discount."""
    from types import SimpleNamespace

    from sim.sales.models import OrderLine, OrderStatus
    from sim.sales.pricing import document_totals, line_net

    to_deliver, to_invoice = ZERO, ZERO
    # the open orders and all their lines in one query (an order without lines comes with None)
    orders: dict[int, SalesOrder] = {}
    lines_of: dict[int, list] = {}
    for order, line in uow.session.execute(
            select(SalesOrder, OrderLine).outerjoin(OrderLine, OrderLine.order_id == SalesOrder.id).where(
                SalesOrder.customer_id == customer_id,
                SalesOrder.status.in_((OrderStatus.CONFIRMED, OrderStatus.PARTIAL, OrderStatus.DELIVERED)))
            .order_by(SalesOrder.id, OrderLine.id)):
        orders[order.id] = order
        if line is not None:
            lines_of.setdefault(order.id, []).append(line)
    for order in orders.values():
        lines = lines_of.get(order.id, [])

        def remainder(quantity_of):
            return document_totals([SimpleNamespace(vat_rate=l.vat_rate, line_total_ht=line_net(
                quantity_of(l), l.unit_price, l.discount_pct)) for l in lines if quantity_of(l) > 0],
                order.global_discount_pct).total_ttc

        to_deliver += remainder(lambda l: l.quantity - max(l.quantity_delivered, l.quantity_invoiced))
        to_invoice += remainder(lambda l: max(ZERO, l.quantity_delivered - l.quantity_invoiced))
    return to_deliver, to_invoice


@dataclass
class CustomerRow:
    customer: Customer
    sales_rep: str
    outstanding: Decimal
    overdue: Decimal


@dataclass
class CustomerFilters:
    q: str = ""
    country: str = ""
    sales_rep_id: int | None = None
    overdue_only: bool = False
    sort: str = "name"
    direction: str = "asc"
    page: int = 1
    per_page: int = 25


@dataclass
class Page:
    rows: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))


SORTABLE = ("code", "name", "city", "country", "sales_rep", "outstanding", "overdue")


def list_customers(uow, filters: CustomerFilters) -> Page:
    """One page of customers with their balances. Sorted or filtered by a
    balance, every balance is needed; otherwise the page is chosen first and
    only its 25 balances are totalled (3 000 customers, 30 000 invoices)."""
    today = sim_date(uow)
    if filters.sort not in ("outstanding", "overdue") and not filters.overdue_only:
        return _list_customers_then_balances(uow, filters, today)
    balances = _balances(today)
    outstanding = func.coalesce(balances.c.outstanding, 0)
    overdue = func.coalesce(balances.c.overdue, 0)
    rep_name = func.coalesce(SalesRep.last_name, "")
    query = (
        select(Customer, SalesRep.first_name, SalesRep.last_name, balances.c.outstanding, balances.c.overdue)
        .outerjoin(balances, balances.c.customer_id == Customer.id)
        .outerjoin(SalesRep, SalesRep.id == Customer.sales_rep_id)
    )
    query = _searched(query, filters)
    if filters.overdue_only:
        query = query.where(balances.c.overdue > 0)
    total = uow.session.scalar(select(func.count()).select_from(query.subquery()))
    columns = {"code": Customer.code, "name": func.lower(Customer.name), "city": func.lower(Customer.city),
               "country": Customer.country, "sales_rep": rep_name, "outstanding": outstanding,
               "overdue": overdue}
    order = columns.get(filters.sort, columns["name"])
    direction = desc if filters.direction == "desc" else asc
    query = query.order_by(direction(order), Customer.code)
    page = max(1, filters.page)
    query = query.offset((page - 1) * filters.per_page).limit(filters.per_page)
    rows = [
        CustomerRow(c, f"{first} {last}" if last else "", out or ZERO, over or ZERO)
        for c, first, last, out, over in uow.session.execute(query).all()
    ]
    return Page(rows, total, page, filters.per_page)


def _searched(query, filters: CustomerFilters):
    if filters.q.strip():
        term = f"%{filters.q.strip().lower()}%"
        query = query.where(or_(
            func.lower(Customer.name).like(term), func.lower(Customer.code).like(term),
            func.lower(Customer.city).like(term), Customer.siren.like(term.replace(" ", "")),
            func.lower(Customer.email).like(term),
        ))
    if filters.country:
        query = query.where(Customer.country == filters.country)
    if filters.sales_rep_id:
        query = query.where(Customer.sales_rep_id == filters.sales_rep_id)
    return query


def _list_customers_then_balances(uow, filters: CustomerFilters, today: date) -> Page:
    total = uow.session.scalar(_searched(select(func.count(Customer.id)), filters))
    columns = {"code": Customer.code, "name": func.lower(Customer.name), "city": func.lower(Customer.city),
               "country": Customer.country, "sales_rep": func.coalesce(SalesRep.last_name, "")}
    order = columns.get(filters.sort, columns["name"])
    direction = desc if filters.direction == "desc" else asc
    page = max(1, filters.page)
    query = (_searched(select(Customer, SalesRep.first_name, SalesRep.last_name)
                       .outerjoin(SalesRep, SalesRep.id == Customer.sales_rep_id), filters)
             .order_by(direction(order), Customer.code)
             .offset((page - 1) * filters.per_page).limit(filters.per_page))
    found = uow.session.execute(query).all()
    balances = _balances(today, customer_ids=[c.id for c, _, _ in found])
    figures = {row.customer_id: (row.outstanding, row.overdue)
               for row in uow.session.execute(select(balances))} if found else {}
    rows = [CustomerRow(c, f"{first} {last}" if last else "", *(v or ZERO for v in figures.get(c.id, (ZERO, ZERO))))
            for c, first, last in found]
    return Page(rows, total, page, filters.per_page)


def filter_choices(uow) -> dict:
    countries = uow.session.scalars(select(Customer.country).distinct().order_by(Customer.country)).all()
    reps = uow.session.scalars(select(SalesRep).order_by(SalesRep.last_name)).all()
    return {"countries": countries, "sales_reps": reps}


# ===== the account view ================================================

@dataclass
class AccountBalance:
    outstanding: Decimal
    overdue: Decimal
    credit_limit: Decimal
    oldest_due: date | None
    credit: Decimal = ZERO  # credits the customer holds (credit notes, overpayments), netted above
    orders_not_delivered: Decimal = ZERO  # confirmed, incl. VAT
    delivered_not_invoiced: Decimal = ZERO

    @property
    def exposure(self) -> Decimal:
        """Risque client: invoiced unpaid + confirmed orders not invoiced (delivered or not)."""
        return self.outstanding + self.orders_not_delivered + self.delivered_not_invoiced

    @property
    def credit_available(self) -> Decimal:
        return self.credit_limit - self.exposure


@dataclass
class CustomerAccount:
    customer: Customer
    sales_rep: SalesRep | None
    contacts: list[Contact]
    balance: AccountBalance


@lru_cache(maxsize=1)
def _account_balance():
    """One customer's balance, scoped by hand and built once with bound
    parameters: its cache key and the automatic scoping's walk of the union
    are not paid again on every customer page."""
    return select(_balances(bindparam("today", type_=Date), bindparam("customer"),
                            workspace=bindparam("workspace")))


def customer_balance(uow, customer: Customer) -> AccountBalance:
    today = sim_date(uow)
    row = uow.session.execute(_account_balance(), {"today": today, "customer": customer.id,
                                                   "workspace": uow.workspace_id},
                              execution_options={"all_workspaces": True}).first()
    out, over, oldest, credit = (row.outstanding, row.overdue, row.oldest_due, row.credit) if row \
        else (ZERO, ZERO, None, ZERO)
    not_delivered, not_invoiced = open_orders(uow, customer.id)
    return AccountBalance(out or ZERO, over or ZERO, customer.credit_limit, oldest, credit or ZERO,
                          not_delivered, not_invoiced)


def customer_account(uow, customer_id: int) -> CustomerAccount:
    """A customer's account: identity, contacts, terms and balance (reads only; the
    exchanges, documents and claims are its history, ``sim.crm.timeline``)."""
    from sim.db import NotFound

    # the customer and their sales rep in one query (the rep joined, scoped as the customer)
    row = uow.session.execute(select(Customer, SalesRep).outerjoin(SalesRep, SalesRep.id == Customer.sales_rep_id)
                              .where(Customer.id == customer_id)).first() \
        if isinstance(customer_id, int) and 0 < customer_id <= 2**31 - 1 else None
    if row is None:
        raise NotFound(f"Customer {customer_id}")
    customer, rep = row
    balance = customer_balance(uow, customer)
    contacts = uow.session.scalars(select(Contact).where(Contact.customer_id == customer.id)
                                   .order_by(Contact.is_primary.desc(), Contact.last_name)).all()
    return CustomerAccount(customer=customer, sales_rep=rep, contacts=list(contacts), balance=balance)


def record_account_view(uow, *, actor: str, account: CustomerAccount) -> None:
    """Journal ``customer.account_viewed`` with the figures the candidate saw:
    checking the outstanding before confirming an order is a CP4 criterion.
    A write of its own, so the page's reads never hold the database's write lock."""
    balance = account.balance
    journal.append(uow, kind="customer.account_viewed", actor=actor,
                   refs={"customer": account.customer.code},
                   payload={"outstanding": balance.outstanding, "overdue": balance.overdue,
                            "credit_limit": balance.credit_limit, "exposure": balance.exposure})


def view_customer_account(uow, *, actor: str, customer_id: int) -> CustomerAccount:
    """Open a customer's account and journal that it was seen (one unit of work)."""
    account = customer_account(uow, customer_id)
    record_account_view(uow, actor=actor, account=account)
    return account


# ===== records and calls =================================================

def create_customer(uow, *, actor: str, name: str, code_prefix: str = "C", kind: str = "b2b", siren: str = "",
                    vat_number: str = "", address: str = "", postcode: str = "", city: str = "",
                    country: str = "FR", language: str = "", email: str = "", payment_terms: str = "30_net",
                    credit_limit: Decimal = Decimal("5000.00"), risk_rating: str = "A", in_litigation: bool = False,
                    contact: dict | None = None) -> Customer:
    """A new customer account (with its primary contact), journaled ``customer.created``.

    The code is the next free one of the prefix's series (C for the
    company's own customers, S for those a scenario brings in)."""
    taken = uow.session.scalars(select(Customer.code).where(Customer.code.like(f"{code_prefix}%"))).all()
    numbers = [int(code[len(code_prefix):]) for code in taken if code[len(code_prefix):].isdigit()]
    customer = Customer(
        workspace_id=uow.workspace_id, code=f"{code_prefix}{max(numbers, default=0) + 1:05d}", kind=kind, name=name,
        siren=siren, vat_number=vat_number, address=address, postcode=postcode, city=city, country=country,
        language=language or ("fr" if country == "FR" else "en"), email=email, payment_terms=payment_terms,
        credit_limit=Decimal(credit_limit).quantize(Decimal("0.01")), risk_rating=risk_rating,
        in_litigation=in_litigation, created_on=sim_date(uow))
    uow.add(customer)
    uow.session.flush()
    if contact:
        uow.add(Contact(workspace_id=uow.workspace_id, customer_id=customer.id, first_name=contact["first_name"],
                        last_name=contact["last_name"], email=contact.get("email", ""),
                        job_title=contact.get("job_title", ""), language=customer.language, is_primary=True))
    journal.append(uow, kind="customer.created", actor=actor, refs={"customer": customer.code},
                   payload={"name": customer.name, "kind": customer.kind, "country": customer.country,
                            "language": customer.language, "payment_terms": customer.payment_terms,
                            "credit_limit": customer.credit_limit, "risk_rating": customer.risk_rating,
                            "in_litigation": customer.in_litigation})
    return customer


def log_call(uow, *, actor: str, customer_id: int, note: str, subject: str = "Appel",
             direction: str = "out") -> Interaction:
    """A phone call noted in the customer's record (``call.logged``): the phone
    reminder of the recovery ladder, a customer's call about a claim..."""
    from sim.clock import sim_now
    from sim.company.numbering import next_number

    customer = uow.get(Customer, customer_id)
    call = Interaction(workspace_id=uow.workspace_id, customer_id=customer.id, channel="phone", direction=direction,
                       counterpart_role="customer", language=customer.language, subject=subject, body=note,
                       sim_time=sim_now(uow), read=True, reference=next_number(uow, "message", sim_date(uow)))
    uow.add(call)
    uow.session.flush()
    journal.append(uow, kind="call.logged", actor=actor, refs={"call": call.reference, "customer": customer.code},
                   payload={"direction": direction, "subject": subject, "note": note})
    return call
