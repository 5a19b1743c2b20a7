"""The company a workspace starts with: a French B2B distributor of packaging
supplies, its customers (about 15 % abroad), catalogue, suppliers, carriers and
``history_months`` of quotes, orders, deliveries, invoices and payments.

Determinism: every random choice comes from ``random.Random`` instances seeded
from ``seed`` (one per phase) and Faker instances seeded with ``seed_instance``
(one per locale); nothing depends on today's date, on database ids or on set
order. Two workspaces seeded alike hold the same rows, ids apart.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from seed.calendar import months_before
from seed.catalogue import build_catalogue
from seed.history import History
from seed.parties import People, make_carriers, make_company, make_customers, make_sales_reps, make_suppliers
from seed.plan import CompanyPlanSet
from seed.writer import write_company

# The sim date of a freshly seeded company: a Monday, fixed so that the same
# seed gives the same company whatever the day it is generated.
SIM_START = date(2026, 11, 2)


@dataclass(frozen=True)
class CompanySize:
    customers: int
    products: int
    suppliers: int
    carriers: int
    history_months: int


DEFAULT = CompanySize(customers=300, products=150, suppliers=10, carriers=4, history_months=12)
SMALL = CompanySize(customers=30, products=20, suppliers=4, carriers=4, history_months=3)
# Ten times the default, to measure the pages at scale: about 30 000 invoices.
# The catalogue keeps its 150 products (the generator's families hold 156).
LARGE = CompanySize(customers=3000, products=150, suppliers=20, carriers=6, history_months=36)
SIZES = {"small": SMALL, "default": DEFAULT, "large": LARGE}


def generate(seed: int, size: CompanySize = DEFAULT, sim_start: date = SIM_START) -> CompanyPlanSet:
    """The whole company as plain objects, nothing written (see ``seed.plan``)."""
    people = People(seed)

    def rng(phase: str) -> random.Random:
        return random.Random(f"advsim:{seed}:{phase}")

    history_start = months_before(sim_start, size.history_months)
    company = make_company(rng("company"), people)
    reps = make_sales_reps(rng("reps"), people, company)
    suppliers, supplier_contacts = make_suppliers(rng("suppliers"), people, size.suppliers)
    carriers = make_carriers(rng("carriers"), people, size.carriers)
    customers, contacts = make_customers(rng("customers"), people, size.customers, reps, history_start, sim_start)
    products = build_catalogue(rng("catalogue"), size.products, suppliers)
    plans = CompanyPlanSet(company=company, reps=reps, suppliers=suppliers, carriers=carriers,
                           customers=customers, contacts=supplier_contacts + contacts, products=products)
    History(seed, plans, history_start, sim_start).build()
    return plans


def populate(uow, *, seed: int, size: CompanySize = DEFAULT, sim_start: date = SIM_START) -> dict[str, int]:
    """Fill the workspace ``uow.workspace_id`` (already created, its sim_date
    already ``sim_start``) with a whole company whose history ends the day
    before ``sim_start``; return rows written per table.

    Does not commit and does not journal: the caller does both.
    """
    plans = generate(seed, size, sim_start)
    counts = write_company(uow.session, uow.workspace_id, plans)
    _promises_kept(uow)
    return counts


def _promises_kept(uow) -> None:
    """The candidate takes over a desk in order: an open order whose promised date the stock and the
    open purchase orders can no longer keep was re-promised by whoever held the desk before (the
    date the « à risque » rule gives, sim/purchasing/risk.py). Orders at risk are what a scenario
    brings (a supplier delay, a short receipt), never a backlog waiting at minute one."""
    from sqlalchemy import inspect

    from sim.crm.models import Customer
    from sim.purchasing.risk import order_outlooks
    from sim.sales.models import OrderLine, SalesOrder
    from sim.stock.models import Product, PurchaseOrder, PurchaseOrderLine

    found = inspect(uow.session.connection())
    for model in (SalesOrder, OrderLine, Product, PurchaseOrder, PurchaseOrderLine, Customer):
        if not set(model.__table__.c.keys()) <= {c["name"] for c in found.get_columns(model.__tablename__)}:
            return  # a database at an older revision (the migration tests seed one): the models cannot read it
    for _ in range(5):  # a later date moves the order down its products' queues: look again
        late = order_outlooks(uow)
        if not late:
            return
        for outlook in late:
            outlook.order.promised_date = outlook.achievable
        uow.session.flush()
