"""A seeded company is believable: its identifiers validate, its documents add
up, its numbering has no gap, its stock and its receivables are consistent.

Each test seeds its own small company (the ``workspace`` fixture, ``SMALL``).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from stdnum import bic, iban

from seed.company import SIM_START
from seed.history import LADDER
from sim.billing.terms import due_date
from sim.crm.identifiers import siren_error, siret_error, vat_error
from sim.sales.pricing import line_net, money

from .helpers import rows

MONEY_COLUMNS = {
    "invoice": ("total_ht", "total_vat", "total_ttc", "amount_due"),
    "invoice_line": ("unit_price", "line_total_ht"),
    "sales_order": ("total_ht", "total_vat", "total_ttc"),
    "product": ("price_ht", "purchase_cost"),
    "payment": ("amount",),
    "customer": ("credit_limit",),
    "company": ("capital", "recovery_indemnity"),
}


def _by(items, key):
    grouped = defaultdict(list)
    for item in items:
        grouped[item[key]].append(item)
    return grouped


def test_every_siren_siret_and_vat_number_validates(workspace, engine):
    """SIREN and SIRET carry a Luhn key, the FR VAT key derives from the SIREN,
    EU and UK VAT numbers pass python-stdnum (sim/crm/identifiers.py); the
    seller's IBAN and BIC are valid too (payment-and-invoicing.md §4)."""
    company = rows(engine, "company", workspace.id)[0]
    assert siren_error(company["siren"]) is None
    assert siret_error(company["siret"], company["siren"]) is None
    assert vat_error(company["vat_number"], "FR") is None
    assert iban.is_valid(company["iban"]) and company["iban"].startswith("FR")
    assert bic.is_valid(company["bic"])
    assert company["legal_form"] in ("SAS", "SARL")

    parties = rows(engine, "customer", workspace.id) + rows(engine, "supplier", workspace.id)
    checked = 0
    for party in parties:
        if party["siren"]:
            assert siren_error(party["siren"]) is None, party["name"]
            checked += 1
        if party.get("siret"):
            assert siret_error(party["siret"], party["siren"]) is None, party["name"]
        if party["vat_number"]:
            assert vat_error(party["vat_number"], party["country"]) is None, party["vat_number"]
    assert checked >= 10

    customers = rows(engine, "customer", workspace.id)
    for customer in customers:
        if customer["country"] == "FR" and customer["kind"] == "b2b":
            assert customer["siren"] and customer["siret"] and customer["vat_number"], customer["name"]
        if customer["kind"] == "b2c":
            assert not customer["siren"] and customer["credit_limit"] == 0
        if customer["country"] != "FR":
            assert not customer["siren"] and customer["language"] == "en"
            assert bool(customer["vat_number"]) == (customer["country"] != "US")


def test_money_comes_back_as_decimal_to_the_cent(workspace, engine):
    """Money is exact (sim/db.py ``Fixed``): Decimal with two places, never float."""
    for table, columns in MONEY_COLUMNS.items():
        for row in rows(engine, table, workspace.id):
            for column in columns:
                value = row[column]
                assert isinstance(value, Decimal), (table, column, value)
                assert value.as_tuple().exponent == -2, (table, column, value)


def test_document_totals_are_the_sum_of_their_lines_with_vat_per_rate(workspace, engine):
    """Each line net is rounded to the cent half up; VAT per rate is the rate ×
    the sum of that rate's nets, rounded; TTC = HT + VAT (payment-and-invoicing.md §6)."""
    for document, lines_table, key in (("invoice", "invoice_line", "invoice_id"),
                                       ("sales_order", "order_line", "order_id"),
                                       ("quote", "quote_line", "quote_id"),
                                       ("credit_note", "credit_note_line", "credit_note_id")):
        lines = _by(rows(engine, lines_table, workspace.id), key)
        documents = rows(engine, document, workspace.id)
        assert documents, document
        for doc in documents:
            its_lines = lines[doc["id"]]
            assert its_lines, doc["number"]
            per_rate = defaultdict(Decimal)
            for line in its_lines:
                assert line["line_total_ht"] == line_net(line["quantity"], line["unit_price"], line["discount_pct"])
                per_rate[line["vat_rate"]] += line["line_total_ht"]
            assert doc["total_ht"] == sum(per_rate.values())
            assert doc["total_vat"] == sum(money(net * rate / 100) for rate, net in per_rate.items())
            assert doc["total_ttc"] == doc["total_ht"] + doc["total_vat"]


def test_each_numbering_series_is_continuous_and_chronological(workspace, engine):
    """One unbroken chronological invoice series (CGI ann. II art. 242 nonies A 7°,
    payment-and-invoicing.md §6); the number series rows continue where the history ends."""
    series = {s["code"]: s for s in rows(engine, "number_series", workspace.id)}
    for code, table, day_column in (("invoice", "invoice", "issue_date"), ("quote", "quote", "issue_date"),
                                    ("order", "sales_order", "order_date"), ("delivery", "delivery", "ship_date"),
                                    ("credit_note", "credit_note", "issue_date"),
                                    ("purchase_order", "purchase_order", "order_date")):
        documents = rows(engine, table, workspace.id)
        numbered = sorted((int(d["number"].rsplit("-", 1)[1]), d) for d in documents)
        assert [n for n, _ in numbered] == list(range(1, len(documents) + 1)), code
        days = [d[day_column] for _, d in numbered]
        assert days == sorted(days), f"{code} numbers are not chronological"
        for n, d in numbered:
            prefix = series[code]["prefix"]
            assert d["number"] == f"{prefix}-{d[day_column].year}-{n:05d}"
        assert series[code]["last_number"] == len(documents)
    assert series["invoice"]["prefix"] == "FA"


def test_every_product_sells_above_its_cost(workspace, engine):
    """Margin rate (price − cost) ÷ price between 25 % and 55 %; the standard VAT rate, books
    (the marking handbooks) the reduced 5.5 % (CGI art. 278-0 bis)."""
    products = rows(engine, "product", workspace.id)
    assert len({p["category"] for p in products}) >= 5
    for product in products:
        margin = (product["price_ht"] - product["purchase_cost"]) / product["price_ht"]
        assert Decimal("0.25") <= margin <= Decimal("0.55"), product["reference"]
        assert product["vat_rate"] == (Decimal("5.50") if "(livre)" in product["name"] else Decimal("20.00"))
        assert product["weight_kg"] > 0 and product["supplier_id"] is not None


def test_invoices_are_due_under_the_customers_terms(workspace, engine):
    """The due date printed on each invoice comes from its terms and the CGV's
    end-of-month method (payment-and-invoicing.md §1)."""
    company = rows(engine, "company", workspace.id)[0]
    assert (company["payment_terms"], company["penalty_rate"], company["recovery_indemnity"]) == (
        "30_net", Decimal("12.15"), Decimal("40.00"))
    for invoice in rows(engine, "invoice", workspace.id):
        assert invoice["due_date"] == due_date(invoice["issue_date"], invoice["payment_terms"], company["eom_method"])
        assert invoice["issue_date"] < SIM_START


def test_most_invoices_are_paid_and_some_are_overdue_when_the_sim_starts(workspace, engine):
    """What is still due = TTC − credit notes − payments allocated; most invoices
    past their due date are paid, a few are not (receivables-recovery.md §6)."""
    invoices = rows(engine, "invoice", workspace.id)
    paid = _by(rows(engine, "payment_allocation", workspace.id), "invoice_id")
    credited = _by(rows(engine, "credit_note", workspace.id), "invoice_id")
    payments = {p["id"]: p for p in rows(engine, "payment", workspace.id)}
    for invoice in invoices:
        received = sum((a["amount"] for a in paid[invoice["id"]]), Decimal("0.00"))
        credit = sum((c["total_ttc"] for c in credited[invoice["id"]]), Decimal("0.00"))
        assert invoice["amount_due"] == invoice["total_ttc"] - credit - received, invoice["number"]
        assert invoice["amount_due"] >= 0
        expected = ("credited" if credit >= invoice["total_ttc"] else "paid" if invoice["amount_due"] == 0
                    else "partial" if received > 0 else "issued")
        assert invoice["status"] == expected, invoice["number"]
        for allocation in paid[invoice["id"]]:
            assert invoice["issue_date"] <= payments[allocation["payment_id"]]["received_on"] < SIM_START
    for payment in payments.values():
        allocations = [a for group in paid.values() for a in group if a["payment_id"] == payment["id"]]
        assert payment["amount"] == sum(a["amount"] for a in allocations)

    due = [i for i in invoices if i["due_date"] < SIM_START]
    overdue = [i for i in due if i["amount_due"] > 0]
    assert overdue, "no overdue invoice to chase"
    assert len(overdue) < len(due) / 2
    assert any(i["due_date"] >= SIM_START and i["amount_due"] > 0 for i in invoices), "nothing open and not due"


def test_reminders_follow_the_recovery_ladder(workspace, engine):
    """Each step is sent in its window relative to the due date D, in the ladder's
    order, and a contested invoice is not chased (receivables-recovery.md §2)."""
    offsets = {level: offset for level, offset, _ in LADDER}
    order = [level for level, _, _ in LADDER]
    invoices = {i["id"]: i for i in rows(engine, "invoice", workspace.id)}
    reminders = rows(engine, "reminder", workspace.id)
    assert reminders
    disputed = {c["invoice_id"]: c["opened_on"] for c in rows(engine, "claim", workspace.id)
                if c["category"] == "billing"}
    for invoice_id, its in _by(reminders, "invoice_id").items():
        invoice = invoices[invoice_id]
        its.sort(key=lambda r: r["sent_on"])
        assert [order.index(r["level"]) for r in its] == sorted(order.index(r["level"]) for r in its)
        for reminder in its:
            late = (reminder["sent_on"] - invoice["due_date"]).days
            # the step's day, moved to the next working day (up to 4 days over a long weekend)
            assert offsets[reminder["level"]] <= late <= offsets[reminder["level"]] + 4, reminder
            assert reminder["sent_on"] < SIM_START
            assert reminder["customer_id"] == invoice["customer_id"]
            if invoice_id in disputed:
                assert reminder["sent_on"] < disputed[invoice_id]


def test_orders_deliveries_and_invoices_agree(workspace, engine):
    """Invoice what was delivered (supply-chain.md §5): delivered and invoiced
    quantities of each order line are the sums of its delivery and invoice lines."""
    delivered = defaultdict(Decimal)
    for line in rows(engine, "delivery_line", workspace.id):
        delivered[line["order_line_id"]] += line["quantity"]
    invoiced = defaultdict(Decimal)
    for line in rows(engine, "invoice_line", workspace.id):
        invoiced[line["order_line_id"]] += line["quantity"]
    for line in rows(engine, "order_line", workspace.id):
        assert line["quantity_delivered"] == delivered[line["id"]]
        assert line["quantity_invoiced"] == invoiced[line["id"]]
        assert line["quantity_delivered"] <= line["quantity"]
    deliveries = rows(engine, "delivery", workspace.id)
    invoiced_deliveries = [i["delivery_id"] for i in rows(engine, "invoice", workspace.id)]
    assert sorted(invoiced_deliveries) == sorted(d["id"] for d in deliveries)
    for delivery in deliveries:
        assert delivery["ship_date"] < SIM_START
        if delivery["status"] == "delivered":
            assert delivery["ship_date"] <= delivery["delivered_date"] < SIM_START


def test_stock_on_hand_is_the_sum_of_its_moves_and_reservations_come_from_open_orders(workspace, engine):
    """Physical stock = its movements; reserved = on-hand units held for open
    orders, so available = physical − reserved is never negative; reorder point
    = daily consumption × lead time + safety stock (supply-chain.md §1)."""
    moves = defaultdict(Decimal)
    for move in rows(engine, "stock_move", workspace.id):
        moves[move["product_id"]] += move["quantity"]
    open_orders = {o["id"] for o in rows(engine, "sales_order", workspace.id)
                   if o["status"] in ("confirmed", "partial")}
    backlog = defaultdict(Decimal)
    for line in rows(engine, "order_line", workspace.id):
        if line["order_id"] in open_orders:
            backlog[line["product_id"]] += line["quantity"] - line["quantity_delivered"]
    products = rows(engine, "product", workspace.id)
    for product in products:
        assert product["stock_on_hand"] == moves[product["id"]], product["reference"]
        assert product["stock_reserved"] == min(product["stock_on_hand"], backlog[product["id"]])
        assert 0 <= product["stock_reserved"] <= product["stock_on_hand"]
        assert product["reorder_point"] >= product["safety_stock"] > 0
    assert sum(p["stock_on_hand"] > p["reorder_point"] for p in products) > len(products) / 2
    assert any(p["stock_on_hand"] - p["stock_reserved"] <= 0 for p in products), "no stock-out to discover"


def test_foreign_customers_are_invoiced_without_french_vat(workspace, engine):
    """Intra-EU B2B supplies and exports are exempt, with the article on the
    invoice (payment-and-invoicing.md §7); French customers pay 20 %."""
    customers = {c["id"]: c for c in rows(engine, "customer", workspace.id)}
    lines = _by(rows(engine, "invoice_line", workspace.id), "invoice_id")
    seen = set()
    for invoice in rows(engine, "invoice", workspace.id):
        customer = customers[invoice["customer_id"]]
        rates = {line["vat_rate"] for line in lines[invoice["id"]]}
        if customer["country"] == "FR":
            assert rates <= {Decimal("20.00"), Decimal("5.50")} and invoice["vat_mention"] == ""
        else:
            assert rates == {Decimal("0.00")} and "Exonération de TVA" in invoice["vat_mention"]
        seen.add(customer["country"] == "FR")
    assert seen == {True, False}


def test_the_history_runs_up_to_the_sim_start(workspace, engine):
    """Three months of history for the small size, nothing on or after SIM_START,
    a few recent orders still waiting, a few quotes still open."""
    assert workspace.sim_date == SIM_START
    orders = rows(engine, "sales_order", workspace.id)
    assert min(o["order_date"] for o in orders) < SIM_START - timedelta(days=60)
    assert max(o["order_date"] for o in orders) < SIM_START
    quotes = rows(engine, "quote", workspace.id)
    assert any(q["status"] == "sent" and q["valid_until"] >= SIM_START for q in quotes)
    assert {q["status"] for q in quotes} >= {"accepted", "sent"}
    claims = rows(engine, "claim", workspace.id)
    assert 2 <= len(claims) <= 4
    assert any(c["in_litigation"] for c in rows(engine, "customer", workspace.id))
    assert any(not i["read"] for i in rows(engine, "interaction", workspace.id)), "an empty inbox"


def test_every_purchase_order_received_has_its_receipt_note_with_each_line_counted(workspace, engine):
    """Goods in are recorded as the candidate records them: a receipt note on the day the goods came,
    each line's expected and counted quantities, a line the supplier did not ship noted short; the
    stock move names the receipt (supply-chain.md §5)."""
    orders = {po["id"]: po for po in rows(engine, "purchase_order", workspace.id)}
    receipts = _by(rows(engine, "goods_receipt", workspace.id), "purchase_order_id")
    lines = _by(rows(engine, "purchase_order_line", workspace.id), "purchase_order_id")
    counted = _by(rows(engine, "goods_receipt_line", workspace.id), "receipt_id")
    received = [po for po in orders.values() if po["status"] in ("received", "partial")]
    assert received, "the history receives goods"
    for po in orders.values():
        if po["status"] not in ("received", "partial"):
            assert po["id"] not in receipts, po["number"]
            continue
        (receipt,) = receipts[po["id"]]
        assert receipt["number"] == f"{po['number']}-R1" and receipt["receipt_date"] == po["received_date"]
        by_line = {line["purchase_order_line_id"]: line for line in counted[receipt["id"]]}
        assert set(by_line) == {line["id"] for line in lines[po["id"]]}
        for line in lines[po["id"]]:
            got = by_line[line["id"]]
            assert (got["expected"], got["received"]) == (line["quantity"], line["quantity_received"])
            assert bool(got["discrepancy"]) == (got["received"] < got["expected"])
    notes = {m["note"].split(" ")[1] for m in rows(engine, "stock_move", workspace.id) if m["kind"] == "receipt"}
    assert notes == {r["number"] for rs in receipts.values() for r in rs}


def test_no_order_is_at_risk_when_the_candidate_takes_over(make_workspace):
    """Orders at risk are what a scenario brings (a supplier delay, a short receipt): at minute one
    every open order's promised date can be kept by the stock and the open purchase orders (the
    « à risque » rule, sim/purchasing/risk.py). Seed 31 at the default size had 12 before."""
    from seed.company import DEFAULT
    from sim.db import UnitOfWork
    from sim.purchasing.risk import order_outlooks

    ws = make_workspace(seed=31, size=DEFAULT)
    with UnitOfWork(ws.id, write=False) as uow:
        waiting = order_outlooks(uow, only_at_risk=False)
        assert waiting, "some orders wait for stock"
        assert [o.order.number for o in waiting if o.at_risk] == []


def test_a_customer_delivered_at_its_warehouse_has_it_as_default_delivery_address(workspace, engine):
    from sim.sales.delivery_address import address_text

    addresses = rows(engine, "delivery_address", workspace.id)
    assert addresses, "seed 7 delivers some customers at their warehouse"
    orders = _by(rows(engine, "sales_order", workspace.id), "customer_id")
    ordering = 0
    for address in addresses:
        assert (address["number"], address["is_default"], address["active"]) == (1, True, True)
        assert address["label"] == f"Entrepôt de {address['city']}"
        printed = address_text(type("A", (), address)())
        if orders[address["customer_id"]]:  # every order of the history went there
            ordering += 1
            assert {o["delivery_address"] for o in orders[address["customer_id"]]} == {printed}
    assert ordering
