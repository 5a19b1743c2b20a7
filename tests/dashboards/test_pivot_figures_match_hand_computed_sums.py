"""CP6 — « Les tableaux de bord sont conçus et actualisés » : every pivot figure
is the sum a sales assistant would compute by hand on a small fixed company
(tests/dashboards/fixed_company.py). October 2026, by hand:

- revenue HT: invoice FA-1 (10 cartons × 10 € + 2 films × 50 €) 200 €, FA-2 (1 film × 50 €
  less its 10 % global discount) 45 €, less the return of 2 cartons (−20 €) and a 5 € gesture:
  Cartons 80 €, Films 145 €, hors catalogue −5 €, total 220 €;
- margin: Cartons 80 − (10 − 2) × 4 = 48 €, Films 145 − 3 × 30 = 55 €, gesture −5 €: 98 €;
- orders: CO-1 (cartons + films), CO-2 (films), CO-5 (blocked, still received): 3 orders
  (the draft and the cancelled one do not count), basket (200 + 45 + 100) ÷ 3 = 115 €;
- quotes: 4 issued (the draft does not count, the expired one does), 1 accepted: 25 %.
"""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from sim.dashboards.pivot import PivotSpec, build, read_spec
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from tests.dashboards.fixed_company import TODAY, fixed_company


@pytest.fixture(scope="module")
def company():
    return fixed_company()


def pivot(ws, **values):
    spec = PivotSpec(**{"from_month": "2026-10", "to_month": "2026-10", **values})
    with UnitOfWork(ws, write=False) as uow:
        return build(uow, spec, TODAY)


def table(p):
    return [(r.label, r.total) for r in p.rows]


def test_revenue_by_category_nets_discounts_and_credit_notes_sorted_by_value(company):
    p = pivot(company, measure="revenue", rows="category")
    assert table(p) == [("Films", D("145.00")), ("Cartons", D("80.00")), ("(hors catalogue)", D("-5.00"))]
    assert p.total == D("220.00")
    assert [r.share for r in p.rows] == [D("65.9"), D("36.4"), D("-2.3")]
    assert all(isinstance(r.total, D) for r in p.rows)


def test_margin_and_quantities_by_category(company):
    assert table(pivot(company, measure="margin", rows="category", sort="label")) == [
        ("(hors catalogue)", D("-5.00")), ("Cartons", D("48.00")), ("Films", D("55.00"))]
    assert pivot(company, measure="margin", rows="category").total == D("98.00")
    p = pivot(company, measure="quantity", rows="product", sort="value_asc")
    assert table(p) == [("(hors catalogue)", D("0")), ("FIL-1 — Film", D("3")), ("CAR-1 — Carton", D("8"))]
    assert p.total == D("11")


def test_revenue_by_sales_rep_region_and_clientele(company):
    assert table(pivot(company, rows="sales_rep")) == [("Alice Martin", D("180.00")), ("Bruno Petit", D("40.00"))]
    assert table(pivot(company, rows="region")) == [("Auvergne-Rhône-Alpes", D("180.00")),
                                                    ("Île-de-France", D("40.00"))]
    assert table(pivot(company, rows="kind")) == [("Professionnels (B2B)", D("180.00")),
                                                  ("Particuliers (B2C)", D("40.00"))]
    assert table(pivot(company, rows="country", from_month="2026-09")) == [
        ("Belgique", D("300.00")), ("France", D("220.00"))]


def test_filters_narrow_every_figure(company):
    assert table(pivot(company, rows="sales_rep", category="Films")) == [
        ("Alice Martin", D("100.00")), ("Bruno Petit", D("45.00"))]
    assert table(pivot(company, rows="category", sales_rep="alice.martin@example.fr", kind="b2b")) == [
        ("Cartons", D("80.00")), ("Films", D("100.00"))][::-1]
    assert pivot(company, rows="customer", customer="C00002").total == D("40.00")


def test_orders_are_counted_once_in_the_total_and_the_basket_is_their_average(company):
    p = pivot(company, measure="orders", rows="category", sort="label")
    assert table(p) == [("Adhésifs", D("1")), ("Cartons", D("1")), ("Films", D("2"))]
    assert p.total == D("3")  # CO-1 has cartons and films: one order, not two
    basket = pivot(company, measure="basket", rows="category", sort="label")
    assert table(basket) == [("Adhésifs", D("100.00")), ("Cartons", D("100.00")), ("Films", D("72.50"))]
    assert basket.total == D("115.00")
    assert [r.share for r in basket.rows] == [None, None, None]  # an average has no share


def test_quote_conversion_rate(company):
    p = pivot(company, measure="conversion", rows="category", sort="label")
    assert table(p) == [("Adhésifs", D("0.0")), ("Cartons", D("50.0")), ("Films", D("0.0"))]
    assert p.total == D("25.0")


def test_overdue_amount_by_customer_as_of_the_sim_date(company):
    p = pivot(company, measure="overdue", rows="customer", from_month="2025-11", to_month="2026-10")
    assert table(p) == [("Gamma BV (C00003)", D("300.00")), ("Beta Dupont (C00002)", D("20.00"))]
    assert p.total == D("320.00")
    with pytest.raises(ValidationFailed) as refused:
        read_spec({"measure": "overdue", "rows": "category"}, TODAY)
    assert "ne se ventile pas par produit" in refused.value.errors["rows"]


def test_month_on_month_and_year_on_year_variations(company):
    mom = pivot(company, rows="month", compare="previous")
    assert [(r.label, r.total, r.previous, r.variation) for r in mom.rows] == [
        ("oct. 2026", D("220.00"), D("300.00"), D("-26.7"))]
    yoy = pivot(company, rows="month", compare="year")
    assert [(r.total, r.previous, r.variation) for r in yoy.rows] == [(D("220.00"), D("200.00"), D("10.0"))]
    by_category = pivot(company, rows="category", compare="previous")  # October against September
    assert {r.label: (r.previous, r.variation) for r in by_category.rows}["Cartons"] == (D("50.00"), D("60.0"))
    assert (by_category.previous_total, by_category.total_variation) == (D("300.00"), D("-26.7"))


def test_month_by_category_crosstab_has_row_and_column_totals(company):
    p = pivot(company, rows="month", columns="category", from_month="2026-08", chart="stacked")
    assert [r.key for r in p.rows] == ["2026-08", "2026-09", "2026-10"]  # an empty month still shows
    assert p.rows[0].total == D("0")
    assert p.rows[1].cells == {"Adhésifs": D("250.00"), "Cartons": D("50.00"), "Films": D("0"), "": D("0")}
    assert p.rows[2].cells == {"Adhésifs": D("0"), "Cartons": D("80.00"), "Films": D("145.00"), "": D("-5.00")}
    assert p.column_totals == {"Adhésifs": D("250.00"), "Cartons": D("130.00"), "Films": D("145.00"), "": D("-5.00")}
    assert p.total == D("520.00")
    assert [r.total for r in pivot(company, rows="quarter", from_month="2026-07").rows] == [D("300.00"), D("220.00")]


def test_a_bad_spec_is_refused_field_by_field():
    with pytest.raises(ValidationFailed) as refused:
        read_spec({"measure": "profit", "rows": "month", "columns": "month", "from_month": "2026-13",
                   "chart": "stacked", "sort": "x"}, TODAY)
    assert set(refused.value.errors) == {"measure", "columns", "from_month", "to_month", "sort"}
    with pytest.raises(ValidationFailed) as refused:
        read_spec({"chart": "stacked"}, TODAY)
    assert "répartition" in refused.value.errors["chart"]


def test_another_workspace_never_counts(company):
    other = fixed_company()  # the same rows again, in another candidate's workspace
    for ws in (company, other):
        assert pivot(ws, rows="category").total == D("220.00")
        assert pivot(ws, measure="orders", rows="month").total == D("3")
        assert pivot(ws, measure="overdue", rows="customer", from_month="2025-11").total == D("320.00")


def test_overdue_is_net_of_the_customers_unapplied_credit_oldest_due_first():
    """A customer in credit is not overdue (chasing it is a classic exam fault): Gamma owes 300 € due
    15/10 and 100 € due 10/09, and holds a 120 € credit note not yet set against anything: the credit
    clears September first (100 €), then 20 € of October — Gamma is 280 € overdue. Beta owes 20 € and
    overpaid 50 € (a credit): 0 € overdue. A rejected payment is no credit."""
    from datetime import date

    from sim.billing.models import CreditNote, Invoice
    from sim.crm.models import Customer
    from sim.receivables.models import Payment
    from sqlalchemy import select
    from tests.dashboards.fixed_company import _totals

    ws = fixed_company()
    with UnitOfWork(ws) as uow:
        customers = {c.code: c for c in uow.session.scalars(select(Customer))}
        gamma, beta = customers["C00003"], customers["C00002"]
        paid_off = uow.session.scalars(select(Invoice).where(Invoice.number == "FA-2026-00003")).one()
        uow.session.add_all([
            Invoice(workspace_id=ws, number="FA-2026-00009", customer_id=gamma.id, issue_date=date(2026, 8, 11),
                    due_date=date(2026, 9, 10), payment_terms="30_net", amount_due=D("100.00"), status="issued",
                    global_discount_pct=D("0"), **_totals("83.33")),
            CreditNote(workspace_id=ws, number="AV-2026-00009", customer_id=gamma.id, invoice_id=paid_off.id,
                       issue_date=date(2026, 10, 28), reason="Geste", basis="amount", unapplied=D("120.00"), **_totals("100.00")),
            Payment(workspace_id=ws, number="RG-2026-00009", customer_id=beta.id, method="transfer",
                    amount=D("70.00"), received_on=date(2026, 10, 30), unapplied=D("50.00")),
            Payment(workspace_id=ws, number="RG-2026-00010", customer_id=gamma.id, method="lcr",
                    amount=D("1000.00"), received_on=date(2026, 10, 30), unapplied=D("1000.00"), rejected=True),
        ])
        uow.commit()

    by_customer = pivot(ws, measure="overdue", rows="customer", from_month="2025-11", to_month="2026-10")
    assert dict(table(by_customer))["Gamma BV (C00003)"] == D("280.00")
    assert dict(table(by_customer)).get("Beta Dupont (C00002)", D("0")) == D("0")
    assert by_customer.total == D("280.00")
    by_month = pivot(ws, measure="overdue", rows="month", from_month="2026-09", to_month="2026-10")
    assert table(by_month) == [("sept. 2026", D("0")), ("oct. 2026", D("280.00"))]
