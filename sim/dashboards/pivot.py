"""The pivot builder: a measure by one dimension (rows), optionally split by a
second one (columns, the series of a stacked chart), over a period of whole
months, with filters, sorting, totals, shares and a comparison (the previous
period or the same period a year earlier).

Every figure is computed by the database (``GROUP BY``) and read back as an
exact ``Decimal``: sums of the exact ``Fixed`` columns (sim/db.py) and of
their products, typed so that both SQLite (integer counts of cents) and
PostgreSQL (NUMERIC) give the same digits. Totals of counts and ratios are
their own ``GROUP BY`` (a number of orders or an average basket is not the sum
of its rows); totals of plain sums add up the finest grouping's sums.

What each measure reads (README, "Dashboards"):

- revenue: invoice lines HT net of the invoice's global discount, minus credit
  note lines (HT), dated by the document's issue date;
- margin: that revenue minus the purchase cost of the units sold (the
  product's purchase cost; units returned on a ``return`` credit note come
  back at that cost);
- quantity: units invoiced minus units credited (quantity or return notes);
- orders / basket: sales orders received (not drafts, not cancelled) by
  order date; basket = their HT / their number;
- overdue: what is still due on invoices whose due date has passed (sim
  date), net of the customer's unapplied credit (credit notes, overpayments:
  set against its oldest overdue invoices first), grouped by due date: it does
  not split by product;
- conversion: quotes accepted / quotes issued (not drafts or cancelled),
  by issue date, in %.
"""
from __future__ import annotations

import calendar
import re
from functools import lru_cache
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Integer, and_, bindparam, case, distinct, extract, func, literal, or_, select, type_coerce
from sqlalchemy.orm import aliased

from sim.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine, invoice_is_open
from sim.company.models import SalesRep
from sim.crm.models import Customer
from sim.db import Fixed
from sim.errors import ValidationFailed
from sim.formatting import country_name
from sim.receivables.credit import credit_note_holds, payment_holds
from sim.receivables.models import Payment
from sim.sales.models import OrderLine, Quote, QuoteLine, SalesOrder
from sim.stock.models import Product

ZERO = Decimal(0)
CENT = Decimal("0.01")

# name -> (label, unit, additive: shares and "sum of rows" make sense)
MEASURES = {
    "revenue": ("Chiffre d'affaires HT", "money", True),
    "margin": ("Marge brute HT", "money", True),
    "quantity": ("Quantités vendues", "quantity", True),
    "orders": ("Nombre de commandes", "count", True),
    "basket": ("Panier moyen HT", "money", False),
    "overdue": ("Montant échu TTC", "money", True),
    "conversion": ("Taux de transformation des devis", "pct", False),
}
DIMENSIONS = {
    "month": "Mois", "quarter": "Trimestre", "category": "Catégorie de produits", "product": "Produit",
    "customer": "Client", "region": "Région", "country": "Pays", "sales_rep": "Commercial",
    "kind": "Clientèle (B2B / B2C)",
}
TIME_DIMENSIONS = ("month", "quarter")
PRODUCT_DIMENSIONS = ("category", "product")
SORTS = {"value_desc": "Valeur décroissante", "value_asc": "Valeur croissante", "label": "Libellé / chronologique"}
COMPARES = {"": "Sans comparaison", "previous": "Période précédente (M-1 par mois)",
            "year": "Même période un an plus tôt (N-1)"}
CHARTS = {"bar": "Histogramme", "line": "Courbe", "pie": "Secteurs (camembert)", "stacked": "Barres empilées",
          "none": "Tableau seul"}
KINDS = {"b2b": "Professionnels (B2B)", "b2c": "Particuliers (B2C)"}
MONTHS_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")

# French regions by the first two digits of the postcode (Corsica: 20).
_REGIONS = {
    "Auvergne-Rhône-Alpes": "01 03 07 15 26 38 42 43 63 69 73 74",
    "Bourgogne-Franche-Comté": "21 25 39 58 70 71 89 90",
    "Bretagne": "22 29 35 56",
    "Centre-Val de Loire": "18 28 36 37 41 45",
    "Corse": "20",
    "Grand Est": "08 10 51 52 54 55 57 67 68 88",
    "Hauts-de-France": "02 59 60 62 80",
    "Île-de-France": "75 77 78 91 92 93 94 95",
    "Normandie": "14 27 50 61 76",
    "Nouvelle-Aquitaine": "16 17 19 23 24 33 40 47 64 79 86 87",
    "Occitanie": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "Pays de la Loire": "44 49 53 72 85",
    "Provence-Alpes-Côte d'Azur": "04 05 06 13 83 84",
    "Outre-mer": "97 98",
}
REGION_OF = {dept: region for region, depts in _REGIONS.items() for dept in depts.split()}

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PivotSpec:
    measure: str = "revenue"
    rows: str = "category"
    columns: str = ""  # a second dimension (series), or none
    from_month: str = ""  # YYYY-MM
    to_month: str = ""
    category: str = ""  # filters
    country: str = ""
    region: str = ""
    sales_rep: str = ""  # the sales rep's e-mail (stable across copies of a workspace)
    kind: str = ""
    customer: str = ""  # customer code
    sort: str = ""  # default: chronological for months, else value_desc
    compare: str = ""
    chart: str = "bar"

    @property
    def effective_sort(self) -> str:
        return self.sort or ("label" if self.rows in TIME_DIMENSIONS else "value_desc")

    def filters(self) -> dict[str, str]:
        return {k: v for k, v in (("category", self.category), ("country", self.country), ("region", self.region),
                                  ("sales_rep", self.sales_rep), ("kind", self.kind),
                                  ("customer", self.customer)) if v}

    def as_dict(self) -> dict:
        return {"measure": self.measure, "rows": self.rows, "columns": self.columns, "from_month": self.from_month,
                "to_month": self.to_month, "sort": self.effective_sort, "compare": self.compare, "chart": self.chart,
                "filters": self.filters()}


@dataclass
class PivotRow:
    key: str
    label: str
    cells: dict[str, Decimal | None]
    total: Decimal | None
    share: Decimal | None = None
    previous: Decimal | None = None
    variation: Decimal | None = None


@dataclass
class Pivot:
    spec: PivotSpec
    measure_label: str
    unit: str
    rows_label: str
    columns_label: str
    period_label: str
    columns: list[tuple[str, str]]
    rows: list[PivotRow]
    column_totals: dict[str, Decimal | None]
    total: Decimal | None
    previous_total: Decimal | None = None
    total_variation: Decimal | None = None
    compare_label: str = ""
    notes: list[str] = field(default_factory=list)


# ===== reading a spec =======================================================

def month_bounds(text: str) -> tuple[date, date] | None:
    match = _MONTH.match(text or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(key: str, months: int) -> str:
    year, month = int(key[:4]), int(key[5:7])
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    found, key = [], first
    while key <= last and len(found) < 1200:
        found.append(key)
        key = add_months(key, 1)
    return found


def default_spec(today: date, **values) -> PivotSpec:
    """The previous month (the month's figures), by category, as a bar chart."""
    last = add_months(month_key(today), -1)
    return PivotSpec(**{"from_month": last, "to_month": last, **values})


def read_spec(values: dict, today: date) -> PivotSpec:
    """A spec from a form or query string; ValidationFailed with a message per field."""
    errors: dict[str, str] = {}
    get = lambda name: (values.get(name) or "").strip()[:100]  # noqa: E731
    measure, rows, columns = get("measure") or "revenue", get("rows") or "category", get("columns")
    if measure not in MEASURES:
        errors["measure"] = "Choisissez un indicateur de la liste."
    if rows not in DIMENSIONS:
        errors["rows"] = "Choisissez un axe d'analyse de la liste."
    if columns and columns not in DIMENSIONS:
        errors["columns"] = "Choisissez une répartition de la liste (ou aucune)."
    elif columns and columns == rows:
        errors["columns"] = "La répartition doit porter sur un autre axe que les lignes."
    if measure == "overdue":
        for name, dim in (("rows", rows), ("columns", columns)):
            if dim in PRODUCT_DIMENSIONS:
                errors[name] = "Le montant échu se lit par facture : il ne se ventile pas par produit ni par catégorie."
        if get("category"):
            errors["category"] = "Le montant échu ne se filtre pas par catégorie de produits."
    default = add_months(month_key(today), -1)
    first, last = get("from_month") or default, get("to_month") or get("from_month") or default
    if month_bounds(first) is None:
        errors["from_month"] = "Mois de début attendu (AAAA-MM)."
    if month_bounds(last) is None:
        errors["to_month"] = "Mois de fin attendu (AAAA-MM)."
    if "from_month" not in errors and "to_month" not in errors:
        if last < first:
            errors["to_month"] = "Le mois de fin est avant le mois de début."
        elif len(months_between(first, last)) > 36:
            errors["to_month"] = "36 mois au plus."
    kind = get("kind")
    if kind and kind not in KINDS:
        errors["kind"] = "Professionnels ou particuliers."
    sort, compare, chart = get("sort"), get("compare"), get("chart") or "bar"
    if sort and sort not in SORTS:
        errors["sort"] = "Choisissez un tri de la liste."
    if compare not in COMPARES:
        errors["compare"] = "Choisissez une comparaison de la liste."
    if chart not in CHARTS:
        errors["chart"] = "Choisissez un type de graphique de la liste."
    elif chart == "stacked" and not columns:
        errors["chart"] = "Des barres empilées demandent une répartition (un second axe)."
    country = get("country").upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        errors["country"] = "Code pays à deux lettres (FR, BE…)."
    if errors:
        raise ValidationFailed(errors)
    return PivotSpec(measure=measure, rows=rows, columns=columns, from_month=first, to_month=last,
                     category=get("category"), country=country, region=get("region"), sales_rep=get("sales_rep"),
                     kind=kind, customer=get("customer").upper(), sort=sort, compare=compare, chart=chart)


# ===== SQL ===================================================================

def _money_literal(value: str):
    # a bound value of the column's own type: on SQLite 100 becomes 10000 (cents), on PostgreSQL 100.00
    return literal(Decimal(value), Fixed(2))


class _Source:
    """One fact table with its date, customer and (maybe) product, and the additive sums a measure needs."""

    def __init__(self, base, joins, day, *, where=()):
        self.base, self.joins, self.day, self.where = base, joins, day, list(where)

    def select(self, *columns):
        """Scoped by hand to the unit of work's workspace (``WORKSPACE``, bound at execution) — every
        table, the outer-joined product in its ON clause, where it keeps the lines without one — so
        that the statement runs with ``all_workspaces``: the automatic scoping's walk of each of a
        pivot's statements was most of its time (sim/crm/timeline.py does the same)."""
        statement = select(*columns).select_from(self.base)
        scoped = [self.base.workspace_id == WORKSPACE]
        for target, on, outer in self.joins:
            if outer:
                statement = statement.outerjoin(target, and_(on, target.workspace_id == WORKSPACE))
            else:
                statement = statement.join(target, on)
                scoped.append(target.workspace_id == WORKSPACE)
        return statement.where(*scoped)


def _dimension_columns(name: str, source: _Source, rep_names: dict) -> tuple[list, callable]:
    """The GROUP BY columns of a dimension and how a result row's values become (key, label)."""
    day = source.day
    if name == "month":
        return [extract("year", day), extract("month", day)], lambda y, m: (
            f"{int(y):04d}-{int(m):02d}", f"{MONTHS_FR[int(m) - 1]} {int(y)}")
    if name == "quarter":
        month = extract("month", day)
        quarter = case((month <= 3, 1), (month <= 6, 2), (month <= 9, 3), else_=4)
        return [extract("year", day), quarter], lambda y, q: (f"{int(y):04d}-T{int(q)}", f"T{int(q)} {int(y)}")
    if name == "category":
        return [Product.category], lambda c: (c or "", c or "(hors catalogue)")
    if name == "product":
        return [Product.reference, Product.name], lambda r, n: (r or "", f"{r} — {n}" if r else "(hors catalogue)")
    if name == "customer":
        return [Customer.code, Customer.name], lambda c, n: (c, f"{n} ({c})")
    if name == "country":
        return [Customer.country], lambda c: (c, country_name(c) or c)
    if name == "region":
        # grouped by country and département, named in Python: a document has one customer, so the
        # départements partition every measure (sums and counts of documents alike) and _aggregate adds
        # them up per region
        return [Customer.country, func.substr(Customer.postcode, 1, 2)], _region_of
    if name == "sales_rep":
        return [Customer.sales_rep_id], lambda i: rep_names.get(i, ("", "(sans commercial)"))
    if name == "kind":
        return [Customer.kind], lambda k: (k, KINDS.get(k, k))
    raise KeyError(name)


def _region_of(country, dept):
    if country != "FR":
        return "Hors de France", "Hors de France"
    region = REGION_OF.get(dept or "", "France (autre)")
    return region, region


def _region_expression():
    dept = func.substr(Customer.postcode, 1, 2)
    whens = [(and_(Customer.country == "FR", dept.in_(depts.split())), literal(region))
             for region, depts in _REGIONS.items()]
    return case(*whens, (Customer.country == "FR", literal("France (autre)")), else_=literal("Hors de France"))


def _filters(spec: PivotSpec, source: _Source, rep_ids: dict) -> list:
    found = []
    if spec.category:
        found.append(Product.category == spec.category)
    if spec.country:
        found.append(Customer.country == spec.country)
    if spec.region:
        found.append(_region_expression() == spec.region)
    if spec.sales_rep:
        found.append(Customer.sales_rep_id == rep_ids.get(spec.sales_rep.lower(), -1))
    if spec.kind:
        found.append(Customer.kind == spec.kind)
    if spec.customer:
        found.append(Customer.code == spec.customer)
    return found


WORKSPACE = bindparam("pivot_workspace", type_=Integer)
TODAY = bindparam("pivot_today", type_=Date)


@lru_cache(maxsize=None)
def _sources(measure: str) -> list[tuple[_Source, list, int]]:
    """(source, the sums it contributes, sign) for a measure (built once: expressions are immutable)."""
    today = TODAY
    hundred = _money_literal("100")
    if measure in ("revenue", "margin", "quantity"):
        invoices = _Source(InvoiceLine, [(Invoice, InvoiceLine.invoice_id == Invoice.id, False),
                                         (Customer, Invoice.customer_id == Customer.id, False),
                                         (Product, InvoiceLine.product_id == Product.id, True)], Invoice.issue_date)
        inv_sums = [func.sum(type_coerce(InvoiceLine.line_total_ht * (hundred - Invoice.global_discount_pct), Fixed(4))),
                    func.sum(type_coerce(InvoiceLine.quantity * Product.purchase_cost, Fixed(5))),
                    func.sum(InvoiceLine.quantity)]
        credits = _Source(CreditNoteLine, [(CreditNote, CreditNoteLine.credit_note_id == CreditNote.id, False),
                                           (Invoice, CreditNote.invoice_id == Invoice.id, False),
                                           (Customer, CreditNote.customer_id == Customer.id, False),
                                           (Product, CreditNoteLine.product_id == Product.id, True)],
                          CreditNote.issue_date)
        factor = case((CreditNote.basis == "amount", hundred), else_=hundred - Invoice.global_discount_pct)
        cn_sums = [func.sum(type_coerce(CreditNoteLine.line_total_ht * factor, Fixed(4))),
                   func.sum(type_coerce(case((CreditNote.basis == "return",
                                              CreditNoteLine.quantity * Product.purchase_cost), else_=0), Fixed(5))),
                   func.sum(type_coerce(case((CreditNote.basis.in_(("quantity", "return")), CreditNoteLine.quantity),
                                             else_=0), Fixed(3)))]
        return [(invoices, inv_sums, 1), (credits, cn_sums, -1)]
    if measure in ("orders", "basket"):
        orders = _Source(OrderLine, [(SalesOrder, OrderLine.order_id == SalesOrder.id, False),
                                     (Customer, SalesOrder.customer_id == Customer.id, False),
                                     (Product, OrderLine.product_id == Product.id, True)], SalesOrder.order_date,
                         where=[SalesOrder.status.not_in(("draft", "cancelled"))])
        return [(orders, [func.count(distinct(SalesOrder.id)),
                          func.sum(type_coerce(OrderLine.line_total_ht * (hundred - SalesOrder.global_discount_pct),
                                               Fixed(4)))], 1)]
    if measure == "conversion":
        quotes = _Source(QuoteLine, [(Quote, QuoteLine.quote_id == Quote.id, False),
                                     (Customer, Quote.customer_id == Customer.id, False),
                                     (Product, QuoteLine.product_id == Product.id, True)], Quote.issue_date,
                         where=[Quote.status.not_in(("draft", "cancelled"))])
        return [(quotes, [func.count(distinct(Quote.id)),
                          func.count(distinct(case((Quote.status == "accepted", Quote.id))))], 1)]
    if measure == "overdue":
        def late(invoice):
            return [invoice.due_date < today, invoice_is_open(invoice), invoice.status.not_in(("paid", "credited"))]

        overdue = _Source(Invoice, [(Customer, Invoice.customer_id == Customer.id, False)], Invoice.due_date,
                          where=late(Invoice))
        return [(overdue, [func.sum(type_coerce(_net_of_credit(Invoice, late), Fixed(2)))], 1)]
    raise KeyError(measure)


def _net_of_credit(invoice, late):
    """What an overdue invoice still weighs once its customer's credit (unapplied credit notes and
    payments) is set against the customer's overdue invoices, oldest due first — the figure the aged
    balance and the customer list show (a customer in credit is not overdue). Summed by customer it
    is max(0, overdue − credit); by month, the credit clears the oldest months first."""
    older = aliased(Invoice)
    before = (select(func.coalesce(func.sum(older.amount_due), 0))
              .where(older.workspace_id == WORKSPACE, older.customer_id == invoice.customer_id, *late(older),
                     or_(older.due_date < invoice.due_date,
                         and_(older.due_date == invoice.due_date, older.id < invoice.id)))
              .scalar_subquery())
    notes = (select(func.coalesce(func.sum(CreditNote.unapplied), 0))
             .where(CreditNote.workspace_id == WORKSPACE, CreditNote.customer_id == invoice.customer_id,
                    credit_note_holds()).scalar_subquery())
    paid = (select(func.coalesce(func.sum(Payment.unapplied), 0))
            .where(Payment.workspace_id == WORKSPACE, Payment.customer_id == invoice.customer_id,
                   payment_holds()).scalar_subquery())
    left = notes + paid - before  # the credit still to set against this invoice
    return case((left <= 0, invoice.amount_due), (left >= invoice.amount_due, 0), else_=invoice.amount_due - left)


def _value(measure: str, sums: list) -> Decimal | None:
    if measure in ("revenue", "margin", "quantity"):
        revenue4, cost5, quantity = sums
        if measure == "revenue":
            return (revenue4 / _HUNDRED).quantize(CENT)
        if measure == "margin":
            return (revenue4 / _HUNDRED - cost5).quantize(CENT)
        return quantity.normalize() if quantity != quantity.to_integral() else quantity.quantize(Decimal(1))
    if measure == "orders":
        return Decimal(int(sums[0]))
    if measure == "basket":
        count, ht4 = sums
        return (ht4 / _HUNDRED / count).quantize(CENT) if count else None
    if measure == "conversion":
        issued, accepted = sums
        return (Decimal(int(accepted)) * _HUNDRED / Decimal(int(issued))).quantize(Decimal("0.1")) if issued else None
    return sums[0].quantize(CENT)


def _aggregate(uow, spec: PivotSpec, dims: list[str], first: date, last: date, today: date,
               rep_names: dict, rep_ids: dict) -> dict[tuple, tuple[tuple, list]]:
    """{(key, …) per dimension: ((label, …), summed components)} for one grouping level."""
    merged: dict[tuple, tuple[tuple, list]] = {}
    for source, sums, sign in _sources(spec.measure):
        columns, readers = [], []
        for dim in dims:
            cols, reader = _dimension_columns(dim, source, rep_names)
            readers.append((len(columns), len(cols), reader))
            columns += cols
        statement = (source.select(*columns, *sums)
                     .where(source.day >= first, source.day <= last, *source.where,
                            *_filters(spec, source, rep_ids)))
        if columns:
            statement = statement.group_by(*columns)
        for row in uow.session.execute(statement, {"pivot_workspace": uow.workspace_id, "pivot_today": today},
                                       execution_options={"all_workspaces": True}):
            keys, labels = [], []
            for start, width, reader in readers:
                key, label = reader(*row[start:start + width])
                keys.append(key)
                labels.append(label)
            values = [Decimal(v) if v is not None else ZERO for v in row[len(columns):]]
            key = tuple(keys)
            _, current = merged.get(key, (tuple(labels), [ZERO] * len(values)))
            merged[key] = (tuple(labels), [c + sign * v for c, v in zip(current, values)])
    return merged


SUMMED = ("revenue", "margin", "quantity", "overdue")


def _fold(level: dict, index: int | None) -> dict:
    """A grouping's sums added up by one of its keys (or all together: ``None``)."""
    folded: dict[tuple, tuple[tuple, list]] = {}
    for key, (labels, sums) in level.items():
        short = (key[index],) if index is not None else ()
        names = (labels[index],) if index is not None else ()
        _, current = folded.get(short, (names, [ZERO] * len(sums)))
        folded[short] = (names, [c + v for c, v in zip(current, sums)])
    return folded


def _reps(uow) -> tuple[dict, dict]:
    names, ids = {}, {}
    for rep in uow.session.scalars(select(SalesRep)):
        names[rep.id] = (rep.email.lower(), f"{rep.first_name} {rep.last_name}")
        ids[rep.email.lower()] = rep.id
    return names, ids


def sales_reps(uow) -> list[tuple[str, str]]:
    """(e-mail, name) of the company's sales reps, for the filter."""
    names, _ = _reps(uow)
    return sorted(names.values(), key=lambda r: r[1])


def categories(uow) -> list[str]:
    return list(uow.session.scalars(select(Product.category).distinct().order_by(Product.category)))


def _variation(value, previous) -> Decimal | None:
    if value is None or previous is None or previous == 0:
        return None
    return ((value - previous) * _HUNDRED / abs(previous)).quantize(Decimal("0.1"))


def _period_label(first: str, last: str) -> str:
    label = lambda k: f"{MONTHS_FR[int(k[5:]) - 1]} {k[:4]}"  # noqa: E731
    return label(first) if first == last else f"{label(first)} à {label(last)}"


def _time_keys(dim: str, first: str, last: str) -> list[tuple[str, str]]:
    if dim == "month":
        return [(k, f"{MONTHS_FR[int(k[5:]) - 1]} {k[:4]}") for k in months_between(first, last)]
    quarters = []
    for k in months_between(first, last):
        q = f"{k[:4]}-T{(int(k[5:]) + 2) // 3}"
        if q not in [x for x, _ in quarters]:
            quarters.append((q, f"T{q[-1]} {k[:4]}"))
    return quarters


def _shift_key(dim: str, key: str, months: int) -> str:
    if dim == "month":
        return add_months(key, months)
    if dim == "quarter":
        year, quarter = int(key[:4]), int(key[-1])
        index = year * 4 + quarter - 1 + months // 3
        return f"{index // 4:04d}-T{index % 4 + 1}"
    return key


def build(uow, spec: PivotSpec, today: date) -> Pivot:
    """The pivot table of ``spec`` as of the sim date ``today``: every figure from SQL, exact Decimals."""
    first, _ = month_bounds(spec.from_month)
    _, last = month_bounds(spec.to_month)
    rep_names, rep_ids = _reps(uow)
    measure = spec.measure
    label, unit, additive = MEASURES[measure]
    value = lambda sums: _value(measure, sums) if sums is not None else None  # noqa: E731

    dims = [spec.rows] + ([spec.columns] if spec.columns else [])
    level = lambda dims_: _aggregate(uow, spec, dims_, first, last, today, rep_names, rep_ids)  # noqa: E731
    if measure in SUMMED:
        # plain sums: the totals are the sums of the finest grouping's sums (one GROUP BY per source)
        finest = level(dims)
        cells = finest if spec.columns else {}
        row_level = _fold(finest, 0) if spec.columns else finest
        col_level = _fold(finest, 1) if spec.columns else {}
        grand = _fold(finest, None)
    else:
        # counts of distinct documents and ratios: each total is its own GROUP BY
        cells = level(dims) if spec.columns else {}
        row_level = level([spec.rows])
        col_level = level([spec.columns]) if spec.columns else {}
        grand = level([])
    total = value(grand.get((), (None, None))[1])

    def keys_of(dim, level):
        found = {k[0]: labels[0] for k, (labels, _) in level.items()}
        if dim in TIME_DIMENSIONS:
            return _time_keys(dim, spec.from_month, spec.to_month)
        return list(found.items())

    columns = keys_of(spec.columns, col_level) if spec.columns else []
    rows = []
    for key, row_label in keys_of(spec.rows, row_level):
        sums = row_level.get((key,), (None, None))[1]
        row_value = value(sums) if sums is not None else (ZERO if additive else None)
        row_cells = {}
        for col_key, _ in columns:
            cell = cells.get((key, col_key))
            row_cells[col_key] = value(cell[1]) if cell else (ZERO if additive else None)
        share = (row_value * _HUNDRED / total).quantize(Decimal("0.1")) \
            if additive and total and row_value is not None else None
        rows.append(PivotRow(key=key, label=row_label, cells=row_cells, total=row_value, share=share))
    column_totals = {}
    for col_key, _ in columns:
        sums = col_level.get((col_key,), (None, None))[1]
        column_totals[col_key] = value(sums) if sums is not None else (ZERO if additive else None)

    pivot = Pivot(spec=spec, measure_label=label, unit=unit, rows_label=DIMENSIONS[spec.rows],
                  columns_label=DIMENSIONS.get(spec.columns, ""), period_label=_period_label(spec.from_month,
                                                                                              spec.to_month),
                  columns=columns, rows=rows, column_totals=column_totals,
                  total=total if total is not None else (ZERO if additive else None))
    if spec.compare:
        _compare(uow, pivot, today, rep_names, rep_ids)
    _sort(pivot)
    if measure == "margin":
        pivot.notes.append("Marge = chiffre d'affaires HT − coût d'achat actuel des produits vendus.")
    if measure == "overdue":
        pivot.notes.append(f"Reste dû au {today:%d/%m/%Y} des factures échues, par date d'échéance, net des avoirs et "
                           "trop-perçus non affectés du client (imputés sur ses plus anciennes échéances).")
    return pivot


def _compare(uow, pivot: Pivot, today: date, rep_names, rep_ids) -> None:
    spec = pivot.spec
    span = len(months_between(spec.from_month, spec.to_month))
    if spec.compare == "year":
        shift = 12
    elif spec.rows == "month":
        shift = 1
    elif spec.rows == "quarter":
        shift = 3
    else:
        shift = span
    earlier = replace(spec, from_month=add_months(spec.from_month, -shift), to_month=add_months(spec.to_month, -shift))
    # each row against the same row `shift` months before (a month against M-1 or N-1; any other
    # axis against the previous period of the same length, or the same period a year earlier)
    first, _ = month_bounds(earlier.from_month)
    _, last = month_bounds(earlier.to_month)
    level = _aggregate(uow, earlier, [spec.rows], first, last, today, rep_names, rep_ids)
    grand = _fold(level, None) if spec.measure in SUMMED else _aggregate(uow, earlier, [], first, last, today,
                                                                          rep_names, rep_ids)
    _, _, additive = MEASURES[spec.measure]
    if spec.rows not in TIME_DIMENSIONS:
        # a row of the earlier period that has nothing in this one still shows (a category that stopped
        # selling): the rows then add up to the earlier total too
        shown = {row.key for row in pivot.rows}
        for (key,), (labels, _) in level.items():
            if key not in shown:
                pivot.rows.append(PivotRow(key=key, label=labels[0],
                                           cells={k: ZERO if additive else None for k, _ in pivot.columns},
                                           total=ZERO if additive else None,
                                           share=ZERO if additive and pivot.total else None))
    for row in pivot.rows:
        old_key = _shift_key(spec.rows, row.key, -shift)
        sums = level.get((old_key,), (None, None))[1]
        row.previous = _value(spec.measure, sums) if sums is not None else (ZERO if additive else None)
        row.variation = _variation(row.total, row.previous)
    sums = grand.get((), (None, None))[1]
    pivot.previous_total = _value(spec.measure, sums) if sums is not None else (ZERO if additive else None)
    pivot.total_variation = _variation(pivot.total, pivot.previous_total)
    pivot.compare_label = (f"{_period_label(earlier.from_month, earlier.to_month)}"
                           if spec.rows not in TIME_DIMENSIONS else
                           ("N-1" if spec.compare == "year" else ("M-1" if spec.rows == "month" else "T-1")))


def _sort(pivot: Pivot) -> None:
    how = pivot.spec.effective_sort
    if how == "label":
        if pivot.spec.rows in TIME_DIMENSIONS:
            pivot.rows.sort(key=lambda r: r.key)
        else:
            pivot.rows.sort(key=lambda r: r.label.casefold())
    else:
        pivot.rows.sort(key=lambda r: (r.total is None, r.total if r.total is not None else ZERO, r.label.casefold()),
                        reverse=False)
        if how == "value_desc":
            present = [r for r in pivot.rows if r.total is not None]
            present.sort(key=lambda r: (-r.total, r.label.casefold()))
            pivot.rows = present + [r for r in pivot.rows if r.total is None]


# ===== stored figures (a panel's snapshot) ===================================

def _text(value):
    return None if value is None else str(value)


def _dec(value):
    return None if value is None else Decimal(value)


def to_dict(pivot: Pivot) -> dict:
    return {"spec": pivot.spec.__dict__, "measure_label": pivot.measure_label, "unit": pivot.unit,
            "rows_label": pivot.rows_label, "columns_label": pivot.columns_label, "period_label": pivot.period_label,
            "columns": [list(c) for c in pivot.columns],
            "rows": [{"key": r.key, "label": r.label, "cells": {k: _text(v) for k, v in r.cells.items()},
                      "total": _text(r.total), "share": _text(r.share), "previous": _text(r.previous),
                      "variation": _text(r.variation)} for r in pivot.rows],
            "column_totals": {k: _text(v) for k, v in pivot.column_totals.items()}, "total": _text(pivot.total),
            "previous_total": _text(pivot.previous_total), "total_variation": _text(pivot.total_variation),
            "compare_label": pivot.compare_label, "notes": pivot.notes}


def from_dict(data: dict) -> Pivot:
    return Pivot(spec=PivotSpec(**data["spec"]), measure_label=data["measure_label"], unit=data["unit"],
                 rows_label=data["rows_label"], columns_label=data["columns_label"],
                 period_label=data["period_label"], columns=[tuple(c) for c in data["columns"]],
                 rows=[PivotRow(key=r["key"], label=r["label"], cells={k: _dec(v) for k, v in r["cells"].items()},
                                total=_dec(r["total"]), share=_dec(r["share"]), previous=_dec(r["previous"]),
                                variation=_dec(r["variation"])) for r in data["rows"]],
                 column_totals={k: _dec(v) for k, v in data["column_totals"].items()}, total=_dec(data["total"]),
                 previous_total=_dec(data["previous_total"]), total_variation=_dec(data["total_variation"]),
                 compare_label=data["compare_label"], notes=list(data["notes"]))
