"""Test data named after the case it sets up, written straight into a test
workspace (set-up, not a business action: no journal entry)."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from sim.billing.models import CreditNote, Invoice
from sim.company.models import Company
from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry
from sim.receivables.models import Payment
from sim.sales.models import Quote, SalesOrder
from sim.stock.models import Carrier, Delivery, Product

_codes = itertools.count(1)

ACTOR = "candidate:test"


def make_customer(workspace_id: int, *, credit_limit="10000.00", terms="30_net", country="FR", kind="b2b",
                  vat_number="", in_litigation=False, name=None) -> Customer:
    n = next(_codes)
    with UnitOfWork(workspace_id) as uow:
        customer = Customer(workspace_id=workspace_id, code=f"T{n:05d}", kind=kind, name=name or f"Client test {n}",
                            address="1 rue du Test", postcode="75001", city="Paris", country=country,
                            language="fr" if country == "FR" else "en", payment_terms=terms,
                            credit_limit=Decimal(credit_limit), vat_number=vat_number, in_litigation=in_litigation,
                            created_on=date(2026, 1, 5))
        uow.session.add(customer)
        uow.commit()
        return customer


def make_product(workspace_id: int, *, price="10.00", vat="20.00", stock="100", reserved="0", lead_time=10,
                 name=None, reference=None) -> Product:
    n = next(_codes)
    with UnitOfWork(workspace_id) as uow:
        product = Product(workspace_id=workspace_id, reference=reference or f"TST-{n:05d}", name=name or f"Article test {n}",
                          category="Test", price_ht=Decimal(price), purchase_cost=Decimal(price) / 2,
                          vat_rate=Decimal(vat), weight_kg=Decimal("1"), stock_on_hand=Decimal(stock),
                          stock_reserved=Decimal(reserved), reorder_point=Decimal("5"), safety_stock=Decimal("2"),
                          lead_time_days=lead_time)
        uow.session.add(product)
        uow.commit()
        return product


def set_company(workspace_id: int, **values) -> None:
    with UnitOfWork(workspace_id) as uow:
        company = uow.session.scalars(select(Company)).one()
        for key, value in values.items():
            setattr(company, key, value)
        uow.commit()


def a_carrier(workspace_id: int) -> Carrier:
    with UnitOfWork(workspace_id, write=False) as uow:
        return uow.session.scalars(select(Carrier).order_by(Carrier.id)).first()


@dataclass(frozen=True)
class Snapshot:
    journal: int
    quotes: int
    orders: int
    deliveries: int
    invoices: int
    credit_notes: int
    payments: int
    stock: tuple
    amounts_due: tuple


def snapshot(workspace_id: int) -> Snapshot:
    """What a refused action must leave untouched."""
    with UnitOfWork(workspace_id, write=False) as uow:
        s = uow.session

        def count(model):
            return s.scalar(select(func.count(model.id)))

        return Snapshot(
            journal=count(JournalEntry), quotes=count(Quote), orders=count(SalesOrder), deliveries=count(Delivery),
            invoices=count(Invoice), credit_notes=count(CreditNote), payments=count(Payment),
            stock=tuple(s.execute(select(Product.id, Product.stock_on_hand, Product.stock_reserved)
                                  .order_by(Product.id)).all()),
            amounts_due=tuple(s.execute(select(Invoice.id, Invoice.amount_due).order_by(Invoice.id)).all()),
        )


def last_entry(workspace_id: int, kind: str | None = None) -> JournalEntry:
    with UnitOfWork(workspace_id, write=False) as uow:
        query = select(JournalEntry).order_by(JournalEntry.seq.desc())
        if kind:
            query = query.where(JournalEntry.kind == kind)
        return uow.session.scalars(query).first()
