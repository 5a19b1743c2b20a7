"""The generated company as plain Python objects, before anything is written.

Generation works on these objects only (no database, no ids), which is what
makes it deterministic: two workspaces seeded alike get the same objects, and
only the ids the database assigns differ. ``seed.writer`` turns them into rows;
each ``row()`` returns the table's columns, foreign keys resolved through the
referenced object's ``id`` (set by the writer once that object is inserted).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sim.sales.pricing import document_totals, line_net, money  # noqa: F401  (the app's rounding)

ZERO = Decimal("0.00")


def _id(obj) -> int | None:
    return None if obj is None else obj.id


# ===== parties ==========================================================

@dataclass(eq=False)
class CompanyPlan:
    name: str
    legal_form: str
    siren: str
    siret: str
    vat_number: str
    capital: Decimal
    rcs_city: str
    naf_code: str
    address: str
    postcode: str
    city: str
    phone: str
    email: str
    website: str
    iban: str
    bic: str
    bank_name: str
    payment_terms: str
    eom_method: str
    penalty_rate: Decimal
    recovery_indemnity: Decimal
    early_payment_discount: str
    terms_text: str
    max_discount_pct: Decimal
    max_credit_overrun_pct: Decimal
    max_payment_plan_months: int
    domain: str
    sector: str
    brand_colour: str = "#1f4e79"
    accent_colour: str = "#e07b00"
    id: int | None = None

    def row(self) -> dict:
        return dict(
            name=self.name, legal_form=self.legal_form, siren=self.siren, siret=self.siret,
            vat_number=self.vat_number, capital=self.capital, rcs_city=self.rcs_city,
            naf_code=self.naf_code, address=self.address, postcode=self.postcode, city=self.city,
            country="FR", phone=self.phone, email=self.email, website=self.website, iban=self.iban,
            bic=self.bic, payment_terms=self.payment_terms, eom_method=self.eom_method,
            penalty_rate=self.penalty_rate, recovery_indemnity=self.recovery_indemnity,
            early_payment_discount=self.early_payment_discount, terms_text=self.terms_text,
            max_discount_pct=self.max_discount_pct, max_credit_overrun_pct=self.max_credit_overrun_pct,
            max_payment_plan_months=self.max_payment_plan_months,
            brand_colour=self.brand_colour, accent_colour=self.accent_colour,
        )


@dataclass(eq=False)
class SalesRepPlan:
    first_name: str
    last_name: str
    email: str
    phone: str
    region: str
    sectors: tuple[str, ...]
    id: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def row(self) -> dict:
        return dict(first_name=self.first_name, last_name=self.last_name, email=self.email,
                    phone=self.phone, region=self.region)


@dataclass(eq=False)
class SupplierPlan:
    code: str
    name: str
    siren: str
    vat_number: str
    address: str
    postcode: str
    city: str
    country: str
    language: str
    email: str
    phone: str
    lead_time_days: int
    payment_terms: str
    incoterm: str
    categories: tuple[str, ...]
    id: int | None = None

    def row(self) -> dict:
        return dict(code=self.code, name=self.name, siren=self.siren, vat_number=self.vat_number,
                    address=self.address, postcode=self.postcode, city=self.city, country=self.country,
                    language=self.language, email=self.email, phone=self.phone,
                    lead_time_days=self.lead_time_days, payment_terms=self.payment_terms,
                    incoterm=self.incoterm)


@dataclass(eq=False)
class CarrierPlan:
    name: str
    mode: str
    email: str
    phone: str
    transit_days_fr: int
    transit_days_intl: int
    price_per_kg: Decimal
    min_charge: Decimal
    tracking_url: str
    tracking_prefix: str
    id: int | None = None

    def row(self) -> dict:
        return dict(name=self.name, mode=self.mode, email=self.email, phone=self.phone,
                    transit_days_fr=self.transit_days_fr, transit_days_intl=self.transit_days_intl,
                    price_per_kg=self.price_per_kg, min_charge=self.min_charge,
                    tracking_url=self.tracking_url)


@dataclass(eq=False)
class CustomerPlan:
    code: str
    kind: str
    name: str
    legal_form: str
    siren: str
    siret: str
    vat_number: str
    address: str
    postcode: str
    city: str
    country: str
    language: str
    email: str
    phone: str
    payment_terms: str
    payment_method: str
    credit_limit: Decimal
    risk_rating: str
    gdpr_consent: bool
    gdpr_purpose: str
    gdpr_consent_date: date | None
    sales_rep: SalesRepPlan | None
    created_on: date
    notes: str
    # --- generation only ---
    vat_regime: str  # sim.billing.vat.vat_regime: "fr", "intra_eu" or "export"
    discount_pct: Decimal
    orders_per_year: float
    delivery_address: str
    in_litigation: bool = False
    warehouse: tuple[str, str, str, str] | None = None  # (label, street, postcode, city): its delivery address
    consent_offers_on: date | None = None
    consent_newsletter_on: date | None = None
    consent_events_on: date | None = None
    marketing_objection_on: date | None = None
    contacts: list["ContactPlan"] = field(default_factory=list)
    id: int | None = None

    def row(self) -> dict:
        return dict(
            code=self.code, kind=self.kind, name=self.name, legal_form=self.legal_form,
            siren=self.siren, siret=self.siret, vat_number=self.vat_number, address=self.address,
            postcode=self.postcode, city=self.city, country=self.country, language=self.language,
            email=self.email, phone=self.phone, payment_terms=self.payment_terms,
            payment_method=self.payment_method, credit_limit=self.credit_limit,
            risk_rating=self.risk_rating, in_litigation=self.in_litigation,
            gdpr_consent=self.gdpr_consent, gdpr_purpose=self.gdpr_purpose,
            gdpr_consent_date=self.gdpr_consent_date, consent_offers_on=self.consent_offers_on,
            consent_newsletter_on=self.consent_newsletter_on, consent_events_on=self.consent_events_on,
            marketing_objection_on=self.marketing_objection_on, sales_rep_id=_id(self.sales_rep),
            created_on=self.created_on, notes=self.notes,
        )


@dataclass(eq=False)
class ContactPlan:
    customer: CustomerPlan | None
    supplier: SupplierPlan | None
    first_name: str
    last_name: str
    job_title: str
    email: str
    phone: str
    language: str
    is_primary: bool
    id: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def row(self) -> dict:
        return dict(customer_id=_id(self.customer), supplier_id=_id(self.supplier),
                    first_name=self.first_name, last_name=self.last_name, job_title=self.job_title,
                    email=self.email, phone=self.phone, language=self.language,
                    is_primary=self.is_primary)


@dataclass(eq=False)
class ProductPlan:
    reference: str
    name: str
    name_en: str
    category: str
    description: str
    unit: str
    price_ht: Decimal
    purchase_cost: Decimal
    vat_rate: Decimal
    weight_kg: Decimal
    supplier: SupplierPlan
    lead_time_days: int
    # --- generation only ---
    popularity: float
    quantity_range: tuple[int, int]
    stock_on_hand: Decimal = Decimal(0)
    stock_reserved: Decimal = Decimal(0)
    reorder_point: Decimal = Decimal(0)
    safety_stock: Decimal = Decimal(0)
    id: int | None = None

    def row(self) -> dict:
        return dict(
            reference=self.reference, name=self.name, name_en=self.name_en, category=self.category,
            description=self.description, unit=self.unit, price_ht=self.price_ht,
            purchase_cost=self.purchase_cost, vat_rate=self.vat_rate, weight_kg=self.weight_kg,
            stock_on_hand=self.stock_on_hand, stock_reserved=self.stock_reserved,
            reorder_point=self.reorder_point, safety_stock=self.safety_stock,
            supplier_id=_id(self.supplier), lead_time_days=self.lead_time_days, active=True,
        )


# ===== documents ========================================================

@dataclass(eq=False)
class LinePlan:
    """A quote, order, invoice or credit-note line."""

    product: ProductPlan | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    vat_rate: Decimal
    line_total_ht: Decimal
    position: int
    quantity_delivered: Decimal = Decimal(0)  # order lines
    quantity_invoiced: Decimal = Decimal(0)  # order lines
    quantity_reserved: Decimal = Decimal(0)  # order lines: the product's reservation, per line
    order_line: "LinePlan | None" = None  # invoice lines
    id: int | None = None

    @property
    def remaining(self) -> Decimal:
        return self.quantity - self.quantity_delivered

    def base_row(self) -> dict:
        return dict(product_id=_id(self.product), description=self.description,
                    quantity=self.quantity, unit_price=self.unit_price,
                    discount_pct=self.discount_pct, vat_rate=self.vat_rate,
                    line_total_ht=self.line_total_ht, position=self.position)


def make_line(product, description, quantity, unit_price, discount_pct, vat_rate, position, **kw) -> LinePlan:
    quantity = Decimal(quantity)
    return LinePlan(product=product, description=description, quantity=quantity,
                    unit_price=unit_price, discount_pct=discount_pct, vat_rate=vat_rate,
                    line_total_ht=line_net(quantity, unit_price, discount_pct), position=position, **kw)


class _Totals:
    lines: list[LinePlan]
    total_ht: Decimal
    total_vat: Decimal
    total_ttc: Decimal

    def compute_totals(self) -> None:
        totals = document_totals(self.lines)
        self.total_ht, self.total_vat, self.total_ttc = totals.total_ht, totals.total_vat, totals.total_ttc

    def totals_row(self) -> dict:
        return dict(total_ht=self.total_ht, total_vat=self.total_vat, total_ttc=self.total_ttc)


@dataclass(eq=False)
class QuotePlan(_Totals):
    customer: CustomerPlan
    issue_date: date
    valid_until: date
    status: str
    payment_terms: str
    incoterm: str
    incoterm_place: str
    lines: list[LinePlan]
    notes: str = ""
    number: str = ""
    total_ht: Decimal = ZERO
    total_vat: Decimal = ZERO
    total_ttc: Decimal = ZERO
    id: int | None = None

    def row(self) -> dict:
        return dict(number=self.number, customer_id=self.customer.id, status=self.status,
                    issue_date=self.issue_date, valid_until=self.valid_until,
                    payment_terms=self.payment_terms, incoterm=self.incoterm,
                    incoterm_place=self.incoterm_place, global_discount_pct=ZERO, notes=self.notes,
                    **self.totals_row())


@dataclass(eq=False)
class OrderPlan(_Totals):
    customer: CustomerPlan
    quote: QuotePlan | None
    customer_po: str
    order_date: date
    ship_not_before: date
    promised_date: date
    payment_terms: str
    incoterm: str
    incoterm_place: str
    carrier: CarrierPlan | None
    delivery_address: str
    lines: list[LinePlan]
    status: str = "confirmed"
    notes: str = ""
    number: str = ""
    total_ht: Decimal = ZERO
    total_vat: Decimal = ZERO
    total_ttc: Decimal = ZERO
    deliveries: list["DeliveryPlan"] = field(default_factory=list)
    received_by_email: bool = False
    id: int | None = None

    def row(self) -> dict:
        return dict(number=self.number, customer_id=self.customer.id, quote_id=_id(self.quote),
                    customer_po=self.customer_po, status=self.status, order_date=self.order_date,
                    promised_date=self.promised_date, payment_terms=self.payment_terms,
                    incoterm=self.incoterm, incoterm_place=self.incoterm_place,
                    carrier_id=_id(self.carrier), delivery_address=self.delivery_address,
                    global_discount_pct=ZERO, blocked_reason="", notes=self.notes,
                    **self.totals_row())


@dataclass(eq=False)
class DeliveryPlan:
    order: OrderPlan
    carrier: CarrierPlan | None
    ship_date: date
    delivered_date: date | None
    status: str
    tracking_number: str
    lines: list[tuple[LinePlan, Decimal]]  # (order line, quantity shipped)
    reserves: str = ""
    number: str = ""
    invoice: "InvoicePlan | None" = None
    id: int | None = None

    def row(self) -> dict:
        return dict(number=self.number, order_id=self.order.id, customer_id=self.order.customer.id,
                    carrier_id=_id(self.carrier), status=self.status, ship_date=self.ship_date,
                    delivered_date=self.delivered_date, tracking_number=self.tracking_number,
                    reserves=self.reserves)


@dataclass(eq=False)
class PurchaseOrderPlan:
    supplier: SupplierPlan
    order_date: date
    requested_date: date
    confirmed_date: date | None
    arrival_date: date  # when the goods come (received_date once received)
    incoterm: str
    lines: list[list]  # [product, quantity, quantity_received]
    status: str = "confirmed"
    received_date: date | None = None
    notes: str = ""
    number: str = ""
    id: int | None = None

    def total_ht(self) -> Decimal:
        return sum((money(qty * product.purchase_cost) for product, qty, _ in self.lines), ZERO)

    def row(self) -> dict:
        return dict(number=self.number, supplier_id=self.supplier.id, status=self.status,
                    order_date=self.order_date, requested_date=self.requested_date,
                    confirmed_date=self.confirmed_date, received_date=self.received_date,
                    incoterm=self.incoterm, total_ht=self.total_ht(), notes=self.notes)


@dataclass(eq=False)
class StockMovePlan:
    product: ProductPlan
    kind: str
    quantity: Decimal
    move_date: date
    delivery: DeliveryPlan | None = None
    purchase_order: PurchaseOrderPlan | None = None
    note: str = ""

    def row(self) -> dict:
        return dict(product_id=self.product.id, kind=self.kind, quantity=self.quantity,
                    move_date=self.move_date, delivery_id=_id(self.delivery),
                    purchase_order_id=_id(self.purchase_order), note=self.note)


@dataclass(eq=False)
class InvoicePlan(_Totals):
    customer: CustomerPlan
    order: OrderPlan
    delivery: DeliveryPlan
    issue_date: date
    delivery_date: date | None
    due_date: date
    payment_terms: str
    customer_po: str
    vat_mention: str
    lines: list[LinePlan]
    status: str = "issued"
    amount_due: Decimal = ZERO
    notes: str = ""
    number: str = ""
    total_ht: Decimal = ZERO
    total_vat: Decimal = ZERO
    total_ttc: Decimal = ZERO
    credit_notes: list["CreditNotePlan"] = field(default_factory=list)
    allocations: list["AllocationPlan"] = field(default_factory=list)
    disputed_on: date | None = None
    id: int | None = None

    def credited(self) -> Decimal:
        return sum((note.total_ttc for note in self.credit_notes), ZERO)

    def paid(self) -> Decimal:
        return sum((a.amount for a in self.allocations), ZERO)

    def row(self) -> dict:
        return dict(number=self.number, customer_id=self.customer.id, order_id=self.order.id,
                    delivery_id=self.delivery.id, status=self.status, issue_date=self.issue_date,
                    delivery_date=self.delivery_date, due_date=self.due_date,
                    payment_terms=self.payment_terms, customer_po=self.customer_po,
                    vat_mention=self.vat_mention, global_discount_pct=ZERO, amount_due=self.amount_due,
                    notes=self.notes,
                    **self.totals_row())


@dataclass(eq=False)
class CreditNotePlan(_Totals):
    invoice: InvoicePlan
    issue_date: date
    reason: str
    lines: list[LinePlan]
    notes: str = ""
    number: str = ""
    total_ht: Decimal = ZERO
    total_vat: Decimal = ZERO
    total_ttc: Decimal = ZERO
    id: int | None = None

    def row(self) -> dict:
        return dict(number=self.number, customer_id=self.invoice.customer.id,
                    invoice_id=self.invoice.id, issue_date=self.issue_date, reason=self.reason,
                    notes=self.notes, **self.totals_row())


@dataclass(eq=False)
class PaymentPlan:
    customer: CustomerPlan
    method: str
    amount: Decimal
    received_on: date
    reference: str = ""
    allocations: list["AllocationPlan"] = field(default_factory=list)
    id: int | None = None
    number: str = ""

    def row(self) -> dict:
        return dict(customer_id=self.customer.id, method=self.method, amount=self.amount, number=self.number,
                    received_on=self.received_on, reference=self.reference, rejected=False)


@dataclass(eq=False)
class AllocationPlan:
    payment: PaymentPlan
    invoice: InvoicePlan
    amount: Decimal

    def row(self) -> dict:
        return dict(payment_id=self.payment.id, invoice_id=self.invoice.id, amount=self.amount)


@dataclass(eq=False)
class ReminderPlan:
    customer: CustomerPlan
    invoice: InvoicePlan
    level: str
    channel: str
    sent_on: date
    text: str
    promised_payment_date: date | None = None

    def row(self) -> dict:
        return dict(customer_id=self.customer.id, invoice_id=self.invoice.id, level=self.level,
                    channel=self.channel, sent_on=self.sent_on, text=self.text,
                    promised_payment_date=self.promised_payment_date)


@dataclass(eq=False)
class InteractionPlan:
    channel: str
    direction: str
    language: str
    subject: str
    body: str
    sim_time: datetime
    customer: CustomerPlan | None = None
    supplier: SupplierPlan | None = None
    contact: ContactPlan | None = None
    counterpart_role: str = "customer"
    thread: "InteractionPlan | None" = None
    read: bool = True
    id: int | None = None
    reference: str = ""

    def row(self) -> dict:
        return dict(reference=self.reference, customer_id=_id(self.customer), supplier_id=_id(self.supplier),
                    contact_id=_id(self.contact), channel=self.channel, direction=self.direction,
                    counterpart_role=self.counterpart_role, language=self.language,
                    subject=self.subject, body=self.body, sim_time=self.sim_time,
                    thread_id=_id(self.thread), read=self.read)


@dataclass(eq=False)
class ClaimPlan:
    customer: CustomerPlan
    order: OrderPlan | None
    invoice: InvoicePlan | None
    category: str
    subject: str
    description: str
    language: str
    status: str
    opened_on: date
    closed_on: date | None = None
    resolution: str = ""
    number: str = ""

    def row(self) -> dict:
        return dict(number=self.number, customer_id=self.customer.id, order_id=_id(self.order),
                    invoice_id=_id(self.invoice), category=self.category, subject=self.subject,
                    description=self.description, language=self.language, status=self.status,
                    opened_on=self.opened_on, closed_on=self.closed_on, resolution=self.resolution)


@dataclass(eq=False)
class NumberSeriesPlan:
    code: str
    prefix: str
    last_number: int

    def row(self) -> dict:
        return dict(code=self.code, prefix=self.prefix, last_number=self.last_number)


@dataclass
class CompanyPlanSet:
    """Everything ``populate`` writes, in the order it is written."""

    company: CompanyPlan
    reps: list[SalesRepPlan]
    suppliers: list[SupplierPlan]
    carriers: list[CarrierPlan]
    customers: list[CustomerPlan]
    contacts: list[ContactPlan]
    products: list[ProductPlan]
    quotes: list[QuotePlan] = field(default_factory=list)
    orders: list[OrderPlan] = field(default_factory=list)
    deliveries: list[DeliveryPlan] = field(default_factory=list)
    purchase_orders: list[PurchaseOrderPlan] = field(default_factory=list)
    stock_moves: list[StockMovePlan] = field(default_factory=list)
    invoices: list[InvoicePlan] = field(default_factory=list)
    credit_notes: list[CreditNotePlan] = field(default_factory=list)
    payments: list[PaymentPlan] = field(default_factory=list)
    reminders: list[ReminderPlan] = field(default_factory=list)
    interactions: list[InteractionPlan] = field(default_factory=list)
    claims: list[ClaimPlan] = field(default_factory=list)
    number_series: list[NumberSeriesPlan] = field(default_factory=list)
