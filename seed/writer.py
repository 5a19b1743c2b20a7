"""Writes a generated company into one workspace, table by table.

Rows are plain dictionaries, written in bulk on the unit of work's own
connection, so they commit or roll back with it. Building 25 000 SQLModel
objects and flushing them through the ORM costs about ten times as much, for
nothing: the seeding transaction never reads them back.

- SQLite: one multi-row INSERT per table batch (SQLAlchemy's insertmanyvalues),
  with ``RETURNING id`` in parameter order when later tables need the ids.
- PostgreSQL: the ids are drawn from the table's sequence in one query, then
  the rows go in with ``COPY ... FROM STDIN`` (multi-row INSERTs with thousands
  of parameters spend their time in psycopg's query parser).

Either way every value goes through the column type's bind processing, so the
``Fixed`` decimal type still refuses floats and quantizes to its scale.
"""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Iterable

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from seed.plan import CompanyPlanSet, money
from sim.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from sim.company.models import Company, NumberSeries, SalesRep
from sim.crm.models import Claim, Contact, Customer, DeliveryAddress, Interaction
from sim.purchasing.models import GoodsReceipt, GoodsReceiptLine
from sim.receivables.models import Payment, PaymentAllocation, Reminder
from sim.sales.models import OrderLine, Quote, QuoteLine, SalesOrder
from sim.stock.models import (
    Carrier, Delivery, DeliveryLine, Product, PurchaseOrder, PurchaseOrderLine, StockMove, Supplier,
)


# Every table ``write_company`` fills, in the order it fills them.
SEEDED_MODELS = (Company, NumberSeries, SalesRep, Supplier, Carrier, Customer, Contact, DeliveryAddress, Product,
                 Quote, QuoteLine, SalesOrder, OrderLine, Delivery, DeliveryLine, PurchaseOrder, PurchaseOrderLine,
                 GoodsReceipt, GoodsReceiptLine, StockMove,
                 Invoice, InvoiceLine, CreditNote, CreditNoteLine, Payment, PaymentAllocation, Reminder,
                 Interaction, Claim)
SEEDED_TABLES = tuple(model.__table__.name for model in SEEDED_MODELS)


class _Writer:
    def __init__(self, session: Session, workspace_id: int):
        self.connection = session.connection()
        self.dialect = self.connection.dialect
        self.postgres = self.dialect.name == "postgresql"
        self.workspace_id = workspace_id
        self.counts: dict[str, int] = {}
        self._checked: set[str] = set()
        self._present: dict[str, set[str]] = {}

    def _check(self, model, row: dict) -> None:
        """Every NOT NULL column without a default is given, and nothing else."""
        table = model.__table__
        if table.name in self._checked:
            return
        unknown = [key for key in row if key not in table.c]
        missing = [c.name for c in table.c if not c.nullable and not c.primary_key and c.default is None
                   and c.server_default is None and c.name not in row]
        if unknown or missing:
            raise ValueError(f"{table.name}: unknown columns {unknown}, missing columns {missing}")
        self._checked.add(table.name)

    def _columns(self, table_name: str) -> set[str]:
        """The columns the database's table has: a database still at an older
        revision (the migration tests seed one) lacks the newest defaulted ones."""
        if table_name not in self._present:
            from sqlalchemy import inspect

            self._present[table_name] = {c["name"] for c in inspect(self.connection).get_columns(table_name)}
        return self._present[table_name]

    def write(self, model, rows: list[dict], owners: Iterable | None = None) -> None:
        """Insert ``rows``; when ``owners`` is given, set each owner's ``id`` from RETURNING."""
        table = model.__table__
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        if not rows:
            return
        present = self._columns(table.name)
        defaults = {c.name: c.default.arg for c in table.c
                    if c.default is not None and c.default.is_scalar and c.name not in rows[0]
                    and c.name in present}
        for row in rows:
            row["workspace_id"] = self.workspace_id
            row.update(defaults)  # COPY does not apply SQLAlchemy's client-side defaults
        self._check(model, rows[0])
        if self.postgres:
            if owners is not None:
                ids = self._next_ids(table, len(rows))
                for row, owner, new_id in zip(rows, owners, ids, strict=True):
                    row["id"] = owner.id = new_id
            self._copy(table, rows)
            return
        table = self._target(table)
        if owners is None:
            self.connection.execute(insert(table), rows)
        else:
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            ids = self.connection.execute(statement, rows).scalars().all()
            for owner, new_id in zip(owners, ids, strict=True):
                owner.id = new_id

    def _target(self, table):
        """The table as the database has it: its present columns only, so that no
        client-side default of a newer column is sent to an older schema."""
        from sqlalchemy import Column, MetaData, Table

        present = self._columns(table.name)
        if all(c.name in present for c in table.c):
            return table
        return Table(table.name, MetaData(), *[Column(c.name, c.type, primary_key=c.primary_key)
                                               for c in table.c if c.name in present])

    def _next_ids(self, table, count: int) -> list[int]:
        ids = self.connection.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": table.name, "count": count}).scalars().all()
        return sorted(ids)

    def _copy(self, table, rows: list[dict]) -> None:
        from psycopg import sql

        names = list(rows[0])
        processors = []
        for name in names:
            processor = table.c[name].type.bind_processor(self.dialect)
            processors.append(processor)
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(n) for n in names))
        driver = self.connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([value if processor is None or value is None else processor(value)
                                for processor, value in zip(processors, (row[n] for n in names))])

    def objects(self, model, plans: list, need_ids: bool = True) -> None:
        self.write(model, [plan.row() for plan in plans], plans if need_ids else None)


def _line_rows(documents, key: str, extra=None) -> list[dict]:
    rows = []
    for document in documents:
        for line in document.lines:
            row = line.base_row()
            row[key] = document.id
            if extra:
                row.update(extra(line))
            rows.append(row)
    return rows


def write_company(session: Session, workspace_id: int, p: CompanyPlanSet) -> dict[str, int]:
    w = _Writer(session, workspace_id)
    w.objects(Company, [p.company], need_ids=False)
    w.objects(NumberSeries, p.number_series, need_ids=False)
    w.objects(SalesRep, p.reps)
    w.objects(Supplier, p.suppliers)
    w.objects(Carrier, p.carriers)
    _carrier_offers(session, workspace_id, w)
    w.objects(Customer, p.customers)
    w.objects(Contact, p.contacts)
    _delivery_addresses(w, p.customers)
    w.objects(Product, p.products)

    w.objects(Quote, p.quotes)
    w.write(QuoteLine, _line_rows(p.quotes, "quote_id"))
    w.objects(SalesOrder, p.orders)
    order_lines = [line for order in p.orders for line in order.lines]
    w.write(OrderLine, _line_rows(p.orders, "order_id", lambda l: {
        "quantity_delivered": l.quantity_delivered, "quantity_invoiced": l.quantity_invoiced,
        "quantity_reserved": l.quantity_reserved}), order_lines)
    w.objects(Delivery, p.deliveries)
    w.write(DeliveryLine, [
        {"delivery_id": d.id, "order_line_id": line.id, "product_id": line.product.id, "quantity": qty}
        for d in p.deliveries for line, qty in d.lines])
    w.objects(PurchaseOrder, p.purchase_orders)
    po_lines = [(po, SimpleNamespace(id=None), product, qty, received)
                for po in p.purchase_orders for product, qty, received in po.lines]
    w.write(PurchaseOrderLine, [
        {"purchase_order_id": po.id, "product_id": product.id, "quantity": qty, "quantity_received": received,
         "unit_cost": product.purchase_cost, "line_total_ht": money(qty * product.purchase_cost)}
        for po, _, product, qty, received in po_lines], [line for _, line, *_ in po_lines])
    _goods_receipts(w, p.purchase_orders, po_lines)
    w.objects(StockMove, p.stock_moves, need_ids=False)

    w.objects(Invoice, p.invoices)
    w.write(InvoiceLine, _line_rows(p.invoices, "invoice_id", lambda l: {"order_line_id": l.order_line.id}))
    w.objects(CreditNote, p.credit_notes)
    w.write(CreditNoteLine, _line_rows(p.credit_notes, "credit_note_id"))
    w.objects(Payment, p.payments)
    w.write(PaymentAllocation, [a.row() for pay in p.payments for a in pay.allocations])
    w.objects(Reminder, p.reminders, need_ids=False)

    roots = [i for i in p.interactions if i.thread is None]
    w.objects(Interaction, roots)
    w.objects(Interaction, [i for i in p.interactions if i.thread is not None], need_ids=False)
    w.objects(Claim, p.claims, need_ids=False)
    return w.counts


def _delivery_addresses(w: "_Writer", customers) -> None:
    """A customer delivered at its warehouse has it as delivery address L1, the default one, as the
    customer page records it (the orders of the history print its text)."""
    from sqlalchemy import inspect

    if not inspect(w.connection).has_table(DeliveryAddress.__tablename__):
        return  # a database at a revision before delivery addresses (the migration tests seed one)
    w.write(DeliveryAddress, [
        {"customer_id": c.id, "number": 1, "label": label, "recipient": "", "address": street, "postcode": postcode,
         "city": city, "country": "FR", "instructions": "", "is_default": True, "active": True}
        for c in customers if c.warehouse for label, street, postcode, city in [c.warehouse]])


def _goods_receipts(w: "_Writer", purchase_orders, po_lines) -> None:
    """The receipt note of each purchase order the history received (in full or in part), as the
    candidate's own receipts record them (sim/purchasing/service.py): one receipt on the day the
    goods came, every line counted, a line the supplier did not ship noted short."""
    from sqlalchemy import inspect

    if not inspect(w.connection).has_table(GoodsReceipt.__tablename__):
        return  # a database at a revision before goods receipts (the migration tests seed one)
    received = [po for po in purchase_orders if po.received_date is not None]
    receipts = [SimpleNamespace(id=None, po=po) for po in received]
    w.write(GoodsReceipt, [
        {"number": f"{po.number}-R1", "purchase_order_id": po.id, "receipt_date": po.received_date,
         "supplier_note": f"BL {po.supplier.code}-{po.number[-5:]}", "note": po.notes if po.status == "partial" else "",
         "recorded_by": "Magasin (historique)"} for po in received], receipts)
    receipt_of = {id(r.po): r for r in receipts}
    w.write(GoodsReceiptLine, [
        {"receipt_id": receipt_of[id(po)].id, "purchase_order_line_id": line.id, "product_id": product.id,
         "expected": qty, "received": got, "refused": Decimal("0.000"),
         "discrepancy": "" if got >= qty else "Non livré : reliquat fournisseur"}
        for po, line, product, qty, got in po_lines if id(po) in receipt_of])


def _carrier_offers(session: Session, workspace_id: int, w: "_Writer") -> None:
    """Each carrier's services and rate grid (sim/shipping/freight.py), derived from its prices."""
    from sqlalchemy import inspect, select

    from sim.shipping.freight import install_offer

    if not inspect(session.connection()).has_table("carrier_service"):
        return  # a database at a revision before the shipping tables (tests of older migrations)
    written = 0
    for carrier in session.scalars(select(Carrier).where(Carrier.workspace_id == workspace_id)):
        written += install_offer(session, workspace_id, carrier)
    w.counts["carrier_offer"] = written

