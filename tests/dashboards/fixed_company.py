"""A small fixed company whose figures are computed by hand in the tests:
2 sales reps, 3 customers, 3 products, 4 invoices, 2 credit notes, 5 orders, 5 quotes."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timezone
from decimal import Decimal as D

from sim.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from sim.company.models import SalesRep
from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.sales.models import OrderLine, Quote, QuoteLine, SalesOrder
from sim.stock.models import Product
from sim.workspace.models import Workspace

TODAY = date(2026, 11, 2)
_numbers = itertools.count(1)


def _totals(ht: str) -> dict:
    ht = D(ht)
    vat = (ht * D("0.2")).quantize(D("0.01"))
    return {"total_ht": ht, "total_vat": vat, "total_ttc": ht + vat}


def _line(model, product, quantity, price, **extra):
    total = (D(quantity) * D(price)).quantize(D("0.01"))
    return model(product_id=product.id if product else None, description=product.name if product else "Geste commercial",
                 quantity=D(quantity), unit_price=D(price), vat_rate=D("20.00"), line_total_ht=total, **extra)


def fixed_company(*, also_start: bool = False) -> int:
    """A bare workspace (no generated history) holding only the rows below; returns its id."""
    now = datetime.now(timezone.utc)
    with UnitOfWork() as uow:
        ws = Workspace(name=f"fixed-{next(_numbers)}-{now.timestamp()}", created_at=now, clock_sim=datetime(2026, 11, 2, 8, 30),
                       clock_wall=now, clock_speed=0)
        uow.session.add(ws)
        uow.session.flush()
        w = ws.id
        add = lambda obj: (setattr(obj, "workspace_id", w), uow.session.add(obj), uow.session.flush(), obj)[-1]  # noqa: E731
        alice = add(SalesRep(first_name="Alice", last_name="Martin", email="alice.martin@example.fr"))
        bruno = add(SalesRep(first_name="Bruno", last_name="Petit", email="bruno.petit@example.fr"))
        common = {"address": "1 rue du Test", "city": "Ville", "credit_limit": D("10000"), "created_on": date(2025, 1, 1)}
        alpha = add(Customer(code="C00001", name="Alpha SARL", kind="b2b", postcode="69003", country="FR",
                             sales_rep_id=alice.id, **common))
        beta = add(Customer(code="C00002", name="Beta Dupont", kind="b2c", postcode="75011", country="FR",
                            sales_rep_id=bruno.id, **common))
        gamma = add(Customer(code="C00003", name="Gamma BV", kind="b2b", postcode="1000", country="BE",
                             sales_rep_id=alice.id, **common))
        stock = {"weight_kg": D("1"), "stock_on_hand": D("100"), "reorder_point": D("5"), "safety_stock": D("2")}
        carton = add(Product(reference="CAR-1", name="Carton", category="Cartons", price_ht=D("10.00"),
                             purchase_cost=D("4.00"), vat_rate=D("20.00"), **stock))
        film = add(Product(reference="FIL-1", name="Film", category="Films", price_ht=D("50.00"),
                           purchase_cost=D("30.00"), vat_rate=D("20.00"), **stock))
        tape = add(Product(reference="ADH-1", name="Adhésif", category="Adhésifs", price_ht=D("2.50"),
                           purchase_cost=D("1.50"), vat_rate=D("5.50"), **stock))

        def invoice(number, customer, issued, due, amount_due, lines, status="issued", discount="0", ht="0"):
            inv = add(Invoice(number=number, customer_id=customer.id, issue_date=issued, due_date=due,
                              payment_terms="30_net", amount_due=D(amount_due), status=status,
                              global_discount_pct=D(discount), **_totals(ht)))
            for n, (product, quantity, price) in enumerate(lines):
                add(_line(InvoiceLine, product, quantity, price, invoice_id=inv.id, position=n))
            return inv

        i1 = invoice("FA-2026-00001", alpha, date(2026, 10, 5), date(2026, 11, 4), "240.00",
                     [(carton, "10", "10.00"), (film, "2", "50.00")], ht="200.00")
        i2 = invoice("FA-2026-00002", beta, date(2026, 10, 20), date(2026, 10, 31), "20.00",
                     [(film, "1", "50.00")], status="partial", discount="10", ht="45.00")
        invoice("FA-2026-00003", gamma, date(2026, 9, 15), date(2026, 10, 15), "300.00",
                [(carton, "5", "10.00"), (tape, "100", "2.50")], ht="300.00")
        invoice("FA-2025-00004", alpha, date(2025, 10, 10), date(2025, 11, 10), "0.00",
                [(carton, "20", "10.00")], status="paid", ht="200.00")
        cn1 = add(CreditNote(number="AV-2026-00001", customer_id=alpha.id, invoice_id=i1.id,
                             issue_date=date(2026, 10, 25), reason="Retour", basis="return", **_totals("20.00")))
        add(_line(CreditNoteLine, carton, "2", "10.00", credit_note_id=cn1.id))
        cn2 = add(CreditNote(number="AV-2026-00002", customer_id=beta.id, invoice_id=i2.id,
                             issue_date=date(2026, 10, 26), reason="Geste", basis="amount", **_totals("5.00")))
        add(_line(CreditNoteLine, None, "1", "5.00", credit_note_id=cn2.id))

        def order(number, customer, day, status, lines, discount="0"):
            o = add(SalesOrder(number=number, customer_id=customer.id, order_date=day, status=status,
                               payment_terms="30_net", global_discount_pct=D(discount), **_totals("0")))
            for n, (product, quantity, price) in enumerate(lines):
                add(_line(OrderLine, product, quantity, price, order_id=o.id, position=n))

        order("CO-2026-00001", alpha, date(2026, 10, 3), "confirmed", [(carton, "10", "10.00"), (film, "2", "50.00")])
        order("CO-2026-00002", beta, date(2026, 10, 18), "invoiced", [(film, "1", "50.00")], discount="10")
        order("CO-2026-00003", alpha, date(2026, 10, 28), "draft", [(carton, "1", "10.00")])
        order("CO-2026-00004", gamma, date(2026, 10, 29), "cancelled", [(carton, "9", "10.00")])
        order("CO-2026-00005", gamma, date(2026, 10, 30), "blocked", [(tape, "40", "2.50")])

        def quote(number, customer, status, product, valid=date(2026, 11, 30)):
            q = add(Quote(number=number, customer_id=customer.id, issue_date=date(2026, 10, 2), valid_until=valid,
                          payment_terms="30_net", status=status, **_totals("0")))
            add(_line(QuoteLine, product, "1", str(product.price_ht), quote_id=q.id))

        quote("DE-2026-00001", alpha, "accepted", carton)
        quote("DE-2026-00002", beta, "refused", film)
        quote("DE-2026-00003", gamma, "sent", carton)
        quote("DE-2026-00004", alpha, "draft", film)
        quote("DE-2026-00005", gamma, "sent", tape, valid=date(2026, 10, 20))  # expired
        uow.commit()
        return w
