"""Each list's search, filters and sort at the service level, on rows of one
test customer (the seeded company's own documents are filtered out by its code)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sim.billing.lists import invoice_params, list_invoices
from sim.clock import sim_date
from sim.db import UnitOfWork
from sim.listing import PER_PAGE, read_params, search_term
from sim.receivables.lists import list_payments, payment_params
from sim.receivables.models import Payment
from sim.sales.lists import list_orders, list_quotes, order_params, quote_params
from sim.sales.models import Quote, SalesOrder
from sim.stock.lists import delivery_params, list_deliveries
from sim.stock.models import Delivery
from tests.factories import a_carrier, make_customer

D = Decimal


def _money(ht: str) -> dict:
    ht = D(ht)
    return {"total_ht": ht, "total_vat": ht / 5, "total_ttc": ht * D("1.2")}


def _add(workspace_id: int, *rows) -> None:
    with UnitOfWork(workspace_id) as uow:
        uow.session.add_all(rows)
        uow.commit()


def _today(workspace_id):
    with UnitOfWork(workspace_id, write=False) as uow:
        return sim_date(uow)


def test_read_params_never_fails_and_falls_back():
    sorts = ("number", "date")
    p = read_params({"sort": "drop table", "dir": "up", "page": "-4", "per_page": "7", "status": "x",
                     "from": "2024-02-30", "to": "2024-03-01", "customer": "c0'1", "q": " a\x00b "},
                    sortable=sorts, default_sort="date", statuses=["sent"])
    assert (p.sort, p.direction, p.page, p.per_page, p.status) == ("date", "desc", 1, PER_PAGE, "")
    assert p.date_from is None and p.date_to == date(2024, 3, 1) and p.customer == "" and p.q == "a b"
    p = read_params({"sort": "number", "page": "9" * 30, "per_page": "100", "customer": "c00042"},
                    sortable=sorts, default_sort="date")
    assert (p.sort, p.direction, p.page, p.per_page, p.customer) == ("number", "asc", 1, 100, "C00042")
    p = read_params({"page": "12"}, sortable=sorts, default_sort="date")
    assert p.page == 12 and p.query(page=3) == "page=3" and p.sorted_by("number") == "sort=number&dir=asc"
    assert search_term("50%_x") == "%50\\%\\_x%"


def test_quotes_search_by_number_and_name_and_the_expired_status(workspace):
    customer = make_customer(workspace.id, name="Quincaillerie Zéphyr")
    today = _today(workspace.id)
    common = dict(workspace_id=workspace.id, customer_id=customer.id, payment_terms="30_net", issue_date=today)
    _add(workspace.id,
         Quote(number="DV-T-0001", status="sent", valid_until=today - timedelta(days=1), **common, **_money("100")),
         Quote(number="DV-T-0002", status="sent", valid_until=today + timedelta(days=30), **common, **_money("300")),
         Quote(number="DV-T-0003", status="accepted", valid_until=today, **common, **_money("200")))
    with UnitOfWork(workspace.id, write=False) as uow:
        expired = list_quotes(uow, quote_params({"customer": customer.code, "status": "expired"}))
        sent = list_quotes(uow, quote_params({"customer": customer.code, "status": "sent"}))
        by_name = list_quotes(uow, quote_params({"q": "zéphyr", "sort": "ht", "dir": "desc"}))
        by_number = list_quotes(uow, quote_params({"q": "dv-t-0003"}))
    assert [q.number for q, _ in expired.rows] == ["DV-T-0001"]
    assert [q.number for q, _ in sent.rows] == ["DV-T-0002"]
    assert [q.number for q, _ in by_name.rows] == ["DV-T-0002", "DV-T-0003", "DV-T-0001"]
    assert by_name.totals == {"ht": D("600.00"), "ttc": D("720.00")}
    assert [q.number for q, _ in by_number.rows] == ["DV-T-0003"]


def test_orders_search_the_customer_reference_filter_status_and_dates_sort_by_total(workspace):
    customer = make_customer(workspace.id)
    common = dict(workspace_id=workspace.id, customer_id=customer.id, payment_terms="30_net")
    _add(workspace.id,
         SalesOrder(number="CO-T-0001", status="confirmed", order_date=date(2026, 3, 1), customer_po="PO-ALPHA",
                    **common, **_money("50")),
         SalesOrder(number="CO-T-0002", status="confirmed", order_date=date(2026, 4, 1), customer_po="PO-BETA",
                    **common, **_money("500")),
         SalesOrder(number="CO-T-0003", status="cancelled", order_date=date(2026, 4, 2), customer_po="PO-ALPHA-2",
                    **common, **_money("5")))
    with UnitOfWork(workspace.id, write=False) as uow:
        alpha = list_orders(uow, order_params({"q": "po-alpha", "sort": "number", "dir": "asc"}))
        confirmed = list_orders(uow, order_params({"customer": customer.code, "status": "confirmed",
                                                   "sort": "ttc", "dir": "desc"}))
        april = list_orders(uow, order_params({"customer": customer.code, "from": "2026-04-01", "to": "2026-04-30"}))
    assert [o.number for o, _ in alpha.rows] == ["CO-T-0001", "CO-T-0003"]
    assert [o.number for o, _ in confirmed.rows] == ["CO-T-0002", "CO-T-0001"] and confirmed.totals["ht"] == D("550")
    assert april.total == 2 and april.totals["ttc"] == D("606.00")


def test_deliveries_search_by_order_number_and_tracking_filter_by_status(workspace):
    customer = make_customer(workspace.id)
    carrier = a_carrier(workspace.id)
    order = SalesOrder(workspace_id=workspace.id, number="CO-T-0100", customer_id=customer.id, status="partial",
                       order_date=date(2026, 5, 1), payment_terms="30_net", **_money("10"))
    _add(workspace.id, order)
    _add(workspace.id,
         Delivery(workspace_id=workspace.id, number="BL-T-0001", order_id=order.id, customer_id=customer.id,
                  carrier_id=carrier.id, status="delivered", ship_date=date(2026, 5, 2), tracking_number="TRK123"),
         Delivery(workspace_id=workspace.id, number="BL-T-0002", order_id=order.id, customer_id=customer.id,
                  status="prepared"))
    with UnitOfWork(workspace.id, write=False) as uow:
        by_order = list_deliveries(uow, delivery_params({"q": "CO-T-0100", "sort": "number", "dir": "asc"}))
        by_tracking = list_deliveries(uow, delivery_params({"q": "trk123"}))
        prepared = list_deliveries(uow, delivery_params({"customer": customer.code, "status": "prepared"}))
    assert [d.number for d, *_ in by_order.rows] == ["BL-T-0001", "BL-T-0002"]
    assert [(d.number, number, name) for d, number, _, name in by_tracking.rows] == [
        ("BL-T-0001", "CO-T-0100", carrier.name)]
    assert [d.number for d, *_ in prepared.rows] == ["BL-T-0002"]


def test_payments_filter_by_method_and_rejected_search_the_bank_reference_and_total(workspace):
    customer = make_customer(workspace.id)
    common = dict(workspace_id=workspace.id, customer_id=customer.id, received_on=date(2026, 6, 1))
    _add(workspace.id,
         Payment(number="RG-T-1", method="transfer", amount=D("100.00"), reference="VIR ACME 42", **common),
         Payment(number="RG-T-2", method="cheque", amount=D("40.00"), unapplied=D("15.00"), reference="CHQ 7",
                 **common),
         Payment(number="RG-T-3", method="bill", amount=D("60.00"), rejected=True, reference="LCR 9", **common))
    with UnitOfWork(workspace.id, write=False) as uow:
        everything = list_payments(uow, payment_params({"customer": customer.code, "sort": "amount", "dir": "asc"}))
        cheques = list_payments(uow, payment_params({"customer": customer.code, "status": "cheque"}))
        rejected = list_payments(uow, payment_params({"customer": customer.code, "status": "rejected"}))
        by_reference = list_payments(uow, payment_params({"q": "vir acme"}))
    assert [p.number for p, _ in everything.rows] == ["RG-T-2", "RG-T-3", "RG-T-1"]
    assert everything.totals == {"amount": D("200.00"), "unapplied": D("15.00")}
    assert [p.number for p, _ in cheques.rows] == ["RG-T-2"] and [p.number for p, _ in rejected.rows] == ["RG-T-3"]
    assert [p.number for p, _ in by_reference.rows] == ["RG-T-1"]


def test_invoices_search_sort_and_an_empty_filter_has_zero_totals(workspace):
    from sim.billing.models import Invoice

    customer = make_customer(workspace.id, name="Verrerie Ostrogoth")
    today = _today(workspace.id)
    common = dict(workspace_id=workspace.id, customer_id=customer.id, payment_terms="30_net", issue_date=today)
    _add(workspace.id,
         Invoice(number="FA-T-1", due_date=today - timedelta(days=5), amount_due=D("120.00"), customer_po="BC-77",
                 **common, **_money("100")),
         Invoice(number="FA-T-2", status="paid", due_date=today - timedelta(days=5), amount_due=D("0.00"),
                 **common, **_money("300")),
         Invoice(number="FA-T-3", due_date=today + timedelta(days=25), amount_due=D("240.00"),
                 **common, **_money("200")))
    with UnitOfWork(workspace.id, write=False) as uow:
        overdue = list_invoices(uow, invoice_params({"q": "ostrogoth", "overdue": "1"}))
        by_po = list_invoices(uow, invoice_params({"q": "bc-77"}))
        by_due = list_invoices(uow, invoice_params({"customer": customer.code, "sort": "due", "dir": "desc"}))
        paid = list_invoices(uow, invoice_params({"customer": customer.code, "status": "paid"}))
        nothing = list_invoices(uow, invoice_params({"q": "no such invoice anywhere", "page": "7"}))
    assert [i.number for i, _ in overdue.rows] == ["FA-T-1"] and overdue.totals["due"] == D("120.00")
    assert [i.number for i, _ in by_po.rows] == ["FA-T-1"]
    assert [i.number for i, _ in by_due.rows] == ["FA-T-3", "FA-T-1", "FA-T-2"]
    assert [i.number for i, _ in paid.rows] == ["FA-T-2"]
    assert (nothing.total, nothing.page, nothing.first, nothing.rows) == (0, 1, 0, [])
    assert nothing.totals == {"ht": D("0.00"), "ttc": D("0.00"), "due": D("0.00")}


def test_a_list_never_shows_another_workspace_s_rows(make_workspace):
    first, second = make_workspace(), make_workspace()
    customer = make_customer(first.id)
    _add(first.id, Payment(workspace_id=first.id, number="RG-T-X", customer_id=customer.id, method="cheque",
                           amount=D("10.00"), received_on=date(2026, 1, 2)))
    with UnitOfWork(second.id, write=False) as uow:
        page = list_payments(uow, payment_params({"q": "RG-T-X"}))
    assert page.total == 0 and page.totals["amount"] == D("0.00")


def test_a_list_is_counted_without_the_joins_no_filter_needs(workspace, engine):
    """The listed table drives: its count and totals read it alone (at 30 000
    rows, joining every customer first made the delivery list cost 130 ms),
    and a filter on the customer brings the customer's table back in."""
    from sqlalchemy import event

    seen: list[str] = []

    def record(conn, cursor, statement, *_):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with UnitOfWork(workspace.id, write=False) as uow:
            for lister, params, table in ((list_quotes, quote_params, "quote"), (list_orders, order_params, "sales_order"),
                                          (list_invoices, invoice_params, "invoice"),
                                          (list_payments, payment_params, "payment"),
                                          (list_deliveries, delivery_params, "delivery")):
                for query, joined in (({}, False), ({"q": "zz"}, True), ({"customer": "C00001"}, True)):
                    seen.clear()
                    page = lister(uow, params(query))
                    [count] = [s for s in seen if "count(*)" in s]
                    assert (" JOIN " in count) is joined, (table, query, count)
                    if not query:
                        assert page.total > 0 and len(page.rows) == min(page.total, PER_PAGE)
    finally:
        event.remove(engine, "before_cursor_execute", record)
