"""Twelve months (or ``history_months``) of trading before the sim starts.

The history is simulated day by day, so that every document follows from the
ones before it: orders come in (some from a quote), ship from stock when there
is stock (otherwise part of the order waits as a backorder, domain/supply-chain.md
§5), each delivery is invoiced on its ship date, the stock is replenished by
supplier purchase orders when the inventory position falls to the reorder
point (supply-chain.md §1), and customers pay on or after the due date
according to their risk profile (receivables-recovery.md).

Everything here is plain Python on ``seed.plan`` objects and one
``random.Random`` per phase: no database, no clock, no set iteration.
"""
from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from seed.calendar import add_working_days, next_working_day, previous_working_day, working_days
from seed.catalogue import ceil_int, order_quantity
from seed.plan import (
    ZERO, AllocationPlan, CarrierPlan, ClaimPlan, CompanyPlan, CompanyPlanSet, CreditNotePlan,
    CustomerPlan, DeliveryPlan, InteractionPlan, InvoicePlan, LinePlan, NumberSeriesPlan, OrderPlan,
    PaymentPlan, ProductPlan, PurchaseOrderPlan, QuotePlan, ReminderPlan, StockMovePlan, make_line,
    money,
)
from sim.billing.terms import due_date
from sim.billing.vat import vat_mention, vat_rate_for

# The amicable recovery ladder, days from the due date D (receivables-recovery.md §2).
LADDER: tuple[tuple[str, int, str], ...] = (
    ("courtesy", -5, "email"),
    ("first", 5, "email"),
    ("phone", 12, "phone"),
    ("second", 25, "email"),
    ("formal_notice", 38, "letter"),
    ("escalated", 52, "letter"),
)

# Orders per working day, by month, relative to the year's average: a packaging distributor's
# year — a quiet August (the French summer break), a strong autumn peaking in November (e-commerce,
# end-of-year shipping), the Christmas weeks and January slower, spring steady.
SEASONALITY = {1: 0.85, 2: 0.95, 3: 1.05, 4: 1.0, 5: 0.95, 6: 1.0, 7: 0.85, 8: 0.5, 9: 1.1, 10: 1.25, 11: 1.4,
               12: 1.05}


def seasonal_weights(days: list[date]) -> list[float]:
    """Cumulative weights for drawing an order's day among ``days`` (working days) with the seasonality."""
    return list(itertools.accumulate(SEASONALITY[d.month] for d in days))


# Payment behaviour per risk rating: share of invoices paid late, range of days late.
LATENESS = {"A": (0.06, 1, 8), "B": (0.20, 2, 20), "C": (0.45, 5, 35), "D": (0.65, 10, 50)}

NUMBER_PREFIXES = (("quote", "DE"), ("order", "CO"), ("delivery", "BL"), ("invoice", "FA"),
                   ("credit_note", "AV"), ("purchase_order", "CF"), ("payment", "RG"), ("message", "MSG"))


def number(prefix: str, day: date, n: int) -> str:
    """Document numbers: one continuous counter per series, the year for reading."""
    return f"{prefix}-{day.year}-{n:05d}"


def _at(rng: random.Random, day: date, start_hour: int = 8, end_hour: int = 17) -> datetime:
    return datetime.combine(day, time(rng.randint(start_hour, end_hour), rng.choice((0, 10, 15, 20, 30, 40, 45, 50))))


def _fr_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


def _en_date(day: date) -> str:
    """E.g. "17 October 2026", whatever the process locale (strftime's %B is not)."""
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def _fr_money(amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return "\u202f".join(groups) + "," + cents + "\u00a0€"


def _en_money(amount: Decimal) -> str:
    return f"€{amount:,.2f}"


@dataclass
class _Stock:
    on_hand: dict = field(default_factory=dict)  # product -> int
    on_order: dict = field(default_factory=dict)
    backlog: dict = field(default_factory=dict)  # remaining quantity of open orders
    reorder_qty: dict = field(default_factory=dict)


class History:
    """Builds the history into ``plans`` (a ``CompanyPlanSet`` already holding the parties)."""

    def __init__(self, seed: int, plans: CompanyPlanSet, start: date, end: date):
        self.seed = seed
        self.plans = plans
        self.company: CompanyPlan = plans.company
        self.start = start
        self.end = end  # SIM_START: nothing in the history happens on or after it
        self.days = working_days(start, end)
        self.seasonal = seasonal_weights(self.days)
        self.carriers_by_mode: dict[str, CarrierPlan] = {}
        for carrier in plans.carriers:
            self.carriers_by_mode.setdefault(carrier.mode, carrier)
        self.stock = _Stock()
        self.cum_popularity = list(itertools.accumulate(p.popularity for p in plans.products))
        self.stockouts: dict = {}  # product -> day its stock runs out for good
        self.disputed: InvoicePlan | None = None  # the contested invoice (an open claim)
        self.escalated: list[CustomerPlan] = []  # debts handed over to litigation
        self.overdue_customers: list[CustomerPlan] = []
        self.schedule: dict[int, list[list]] = {}

    def rng(self, phase: str) -> random.Random:
        return random.Random(f"advsim:{self.seed}:{phase}")

    # ===== build ========================================================

    def build(self) -> None:
        orders = self._plan_orders(self.rng("orders"))
        self._plan_lost_quotes(self.rng("quotes"), accepted=sum(1 for o in orders if o.quote))
        self._stock_policy(self.rng("stock"), orders)
        self._run_days(self.rng("days"), orders)
        self._invoice_deliveries()
        self._credit_notes(self.rng("credit-notes"))
        self._number_documents()
        self._payments(self.rng("payments"))
        self._reminders(self.rng("reminders"))
        self._claims(self.rng("claims"))
        self._finish()
        self._interactions(self.rng("interactions"))
        self._number_payments_and_messages()

    def _number_payments_and_messages(self) -> None:
        """Payments and messages are numbered in date order (the journal's keys for
        them), without moving them in the plan."""
        p = self.plans
        prefixes = dict(NUMBER_PREFIXES)
        for n, payment in enumerate(sorted(p.payments, key=lambda pay: pay.received_on), start=1):
            payment.number = number(prefixes["payment"], payment.received_on, n)
        for n, message in enumerate(sorted(p.interactions, key=lambda i: i.sim_time), start=1):
            message.reference = number(prefixes["message"], message.sim_time, n)
        p.number_series += [NumberSeriesPlan(code="payment", prefix=prefixes["payment"], last_number=len(p.payments)),
                            NumberSeriesPlan(code="message", prefix=prefixes["message"],
                                             last_number=len(p.interactions)),
                            # claims are numbered RC-… as they open (sim/crm/claims.py goes on from here)
                            NumberSeriesPlan(code="claim", prefix="RC", last_number=len(p.claims))]

    # ===== orders and quotes ============================================

    def _lines(self, rng: random.Random, customer: CustomerPlan, count: int, scale: float = 1.0) -> list[LinePlan]:
        products = self.plans.products
        chosen: list[ProductPlan] = []
        while len(chosen) < min(count, len(products)):
            product = rng.choices(products, cum_weights=self.cum_popularity, k=1)[0]
            if product not in chosen:
                chosen.append(product)
        lines = []
        for position, product in enumerate(chosen, start=1):
            qty = max(1, round(order_quantity(rng, product, customer.kind == "b2c") * scale))
            lines.append(self._line(customer, product, qty, position))
        return lines

    def _line(self, customer: CustomerPlan, product: ProductPlan, qty: int, position: int) -> LinePlan:
        vat = vat_rate_for(customer.vat_regime, product.vat_rate)
        description = product.name_en if customer.language == "en" else product.name
        return make_line(product, description, qty, product.price_ht, customer.discount_pct, vat, position)

    def _copy_lines(self, lines: list[LinePlan]) -> list[LinePlan]:
        return [make_line(l.product, l.description, l.quantity, l.unit_price, l.discount_pct, l.vat_rate,
                          l.position) for l in lines]

    def _carrier(self, rng: random.Random, customer: CustomerPlan, lines: list[LinePlan]) -> CarrierPlan:
        weight = sum((l.quantity * l.product.weight_kg for l in lines), Decimal(0))
        if customer.country != "FR":
            mode = "international"
        elif weight > 400:
            mode = "affrètement"
        elif rng.random() < 0.12:
            mode = "express"
        else:
            mode = "messagerie"
        return self.carriers_by_mode.get(mode) or self.plans.carriers[0]

    def _transit(self, carrier: CarrierPlan, customer: CustomerPlan) -> int:
        return carrier.transit_days_fr if customer.country == "FR" else carrier.transit_days_intl

    def _incoterm(self, customer: CustomerPlan) -> tuple[str, str]:
        if customer.country == "FR":
            return "", ""
        return "DAP", customer.city.split(",")[0]

    def _customer_po(self, rng: random.Random, customer: CustomerPlan, day: date) -> str:
        if customer.kind == "b2c" or rng.random() < 0.35:
            return ""
        style = int(customer.code[1:]) % 4
        if style == 0:
            return f"BC-{day.year}-{rng.randint(100, 9999):04d}"
        if style == 1:
            return f"4500{rng.randint(0, 999_999):06d}"
        if style == 2:
            return f"PO{rng.randint(10_000, 99_999)}"
        return f"CMD{day:%y%m}{rng.randint(10, 999):03d}"

    def _make_order(self, rng: random.Random, customer: CustomerPlan, day: date, lines: list[LinePlan],
                    quote: QuotePlan | None = None, ship: date | None = None) -> OrderPlan:
        carrier = self._carrier(rng, customer, lines)
        transit = self._transit(carrier, customer)
        notes = ""
        if ship is None:
            ship = day if rng.random() < 0.35 else add_working_days(day, 1)
            if customer.kind == "b2b" and rng.random() < 0.08:
                # The customer wants the goods later: the order waits, its stock reserved.
                ship = add_working_days(day, rng.randint(5, 15))
                notes = f"Livraison demandée pour le {_fr_date(add_working_days(ship, transit))}."
        incoterm, place = self._incoterm(customer)
        order = OrderPlan(
            customer=customer, quote=quote, customer_po=self._customer_po(rng, customer, day),
            order_date=day, ship_not_before=ship, promised_date=add_working_days(ship, transit),
            payment_terms=customer.payment_terms, incoterm=incoterm, incoterm_place=place,
            carrier=carrier, delivery_address=customer.delivery_address, lines=lines, notes=notes,
            received_by_email=customer.kind == "b2b" and rng.random() < 0.3,
        )
        order.compute_totals()
        return order

    def _plan_orders(self, rng: random.Random) -> list[OrderPlan]:
        orders: list[OrderPlan] = []
        years = (self.end - self.start).days / 365.0
        for customer in self.plans.customers:
            first_day = max(self.start, customer.created_on + timedelta(days=1))
            days = [d for d in self.days if d >= first_day]
            if not days or customer.orders_per_year <= 0:
                continue
            share = len(days) / max(1, len(self.days))
            count = _poisson(rng, customer.orders_per_year * years * share)
            weights = seasonal_weights(days)
            for day in sorted(rng.choices(days, cum_weights=weights, k=count)):
                lines = self._lines(rng, customer, rng.choices((1, 2, 3, 4, 5), weights=(30, 27, 20, 13, 10))[0])
                quote = None
                quote_share = 0.6 if customer.country != "FR" else 0.1 if customer.kind == "b2c" else 0.4
                if rng.random() < quote_share:
                    issued = add_working_days(day, -rng.randint(2, 12))
                    if issued >= self.start:
                        quote = self._make_quote(customer, issued, self._copy_lines(lines), "accepted")
                order = self._make_order(rng, customer, day, lines, quote)
                if rng.random() < 0.01 and day < self.end - timedelta(days=20):
                    order.status = "cancelled"
                    order.notes = "Annulée à la demande du client avant expédition."
                orders.append(order)
        abroad = [c for c in self.plans.customers if c.country != "FR" and c.created_on < self.start]
        first_half = self.days[len(self.days) // 2]
        if abroad and not any(o.customer.country != "FR" and o.order_date < first_half for o in orders):
            # Every company trades abroad a little (REAC CP3): at least one export order.
            customer = abroad[0]
            day = rng.choice(self.days[: max(1, len(self.days) // 2)])
            orders.append(self._make_order(rng, customer, day, self._lines(rng, customer, 2)))
        orders.sort(key=lambda o: (o.order_date, o.customer.code))
        return orders

    def _make_quote(self, customer: CustomerPlan, day: date, lines: list[LinePlan], status: str,
                    notes: str = "") -> QuotePlan:
        incoterm, place = self._incoterm(customer)
        quote = QuotePlan(customer=customer, issue_date=day, valid_until=day + timedelta(days=30),
                          status=status, payment_terms=customer.payment_terms, incoterm=incoterm,
                          incoterm_place=place, lines=lines, notes=notes)
        quote.compute_totals()
        self.plans.quotes.append(quote)
        return quote

    def _plan_lost_quotes(self, rng: random.Random, accepted: int) -> None:
        """Quotes that did not become orders: refused, expired, or still open."""
        buyers = [c for c in self.plans.customers if c.kind == "b2b"]
        if not buyers:
            return
        count = max(3, round(accepted * 0.8))
        still_open = max(2, round(count * 0.08))
        reasons = ("Refusé : prix jugé trop élevé.", "Refusé : le client a retenu un concurrent.",
                   "Refusé : projet reporté.", "Refusé : délai de livraison trop long.")
        last_days = [d for d in self.days if d >= self.end - timedelta(days=20)]
        for k in range(count):
            customer = rng.choice(buyers)
            if k < still_open and last_days:
                day = rng.choice(last_days)
            else:
                day = rng.choices(self.days, cum_weights=self.seasonal)[0]
            if day <= customer.created_on:
                day = max(d for d in self.days[-5:])
            lines = self._lines(rng, customer, rng.choice((1, 2, 2, 3, 4)), scale=rng.uniform(1.0, 2.5))
            valid_until = day + timedelta(days=30)
            if k < still_open and valid_until >= self.end:
                status, notes = "sent", ""  # still open: the customer has not answered yet
            elif valid_until >= self.end:
                status, notes = ("refused", rng.choice(reasons)) if rng.random() < 0.2 else ("sent", "")
            elif rng.random() < 0.45:
                status, notes = "refused", rng.choice(reasons)
            else:
                status, notes = "expired", ""
            self._make_quote(customer, day, lines, status, notes)

    # ===== stock policy and the day loop ================================

    def _stock_policy(self, rng: random.Random, orders: list[OrderPlan]) -> None:
        """Safety stock, reorder point and opening stock from the demand of the period."""
        demand: dict = {p: 0 for p in self.plans.products}
        sizes: dict = {p: [] for p in self.plans.products}
        for order in orders:
            for line in order.lines:
                demand[line.product] += int(line.quantity)
                sizes[line.product].append(int(line.quantity))
        span = max(1, (self.end - self.start).days)
        for product in self.plans.products:
            daily = max(demand[product] / span, 0.05)
            # Safety stock: some days of consumption, and at least a usual big order
            # (demand comes in lumps: one order can take a week's consumption).
            usual = sorted(sizes[product])[int(len(sizes[product]) * 0.9)] if sizes[product] else 1
            safety = max(1, ceil_int(daily * rng.randint(5, 10)), usual)
            reorder = ceil_int(daily * product.lead_time_days) + safety
            product.safety_stock = Decimal(safety)
            product.reorder_point = Decimal(reorder)
            self.stock.reorder_qty[product] = max(3, usual, ceil_int(daily * rng.randint(30, 60)))
            self.stock.on_hand[product] = reorder + ceil_int(self.stock.reorder_qty[product] * rng.uniform(0.5, 1.0))
            self.stock.on_order[product] = 0
            self.stock.backlog[product] = 0
            self.plans.stock_moves.append(StockMovePlan(
                product=product, kind="adjustment", quantity=Decimal(self.stock.on_hand[product]),
                move_date=self.start, note=f"Stock initial (inventaire du {_fr_date(self.start)})"))
        # A few popular products run out at the end of the period: the supplier's
        # reliquat has not come, and customers' orders wait (stock-outs to discover).
        ranked = sorted(self.plans.products, key=lambda p: (-demand[p], p.reference))
        candidates = ranked[len(ranked) // 10: max(len(ranked) // 10 + 1, len(ranked) // 2)]
        count = max(1, int(len(self.plans.products) * 0.025 + 0.5))
        late_days = [d for d in self.days if self.end - timedelta(days=16) <= d <= self.end - timedelta(days=6)]
        for product in rng.sample(candidates, min(count, len(candidates))):
            self.stockouts[product] = rng.choice(late_days)

    def _run_days(self, rng: random.Random, orders: list[OrderPlan]) -> None:
        stock = self.stock
        by_day: dict[date, list[OrderPlan]] = {}
        for order in orders:
            by_day.setdefault(order.order_date, []).append(order)
        open_orders: list[OrderPlan] = []
        arrivals: dict[date, list[PurchaseOrderPlan]] = {}
        injections: dict[date, list[ProductPlan]] = {}
        for product, day in self.stockouts.items():
            injections.setdefault(day, []).append(product)
        big_buyers = [c for c in self.plans.customers if c.kind == "b2b" and c.country == "FR"
                      and c.orders_per_year > 3 and c.created_on < self.start]

        for day in self.days:
            # 1. supplier receipts (the goods are booked in the morning)
            for po in arrivals.pop(day, []):
                self._receive(rng, po, day)
            # 2. today's orders
            for order in by_day.get(day, []):
                self.plans.orders.append(order)
                if order.status == "cancelled":
                    continue
                open_orders.append(order)
                for line in order.lines:
                    stock.backlog[line.product] += int(line.quantity)
            for product in injections.get(day, []):
                if not big_buyers:
                    break
                customer = rng.choice(big_buyers)
                qty = stock.on_hand[product] + rng.randint(4, 12)
                order = self._make_order(rng, customer, day, [self._line(customer, product, qty, 1)], ship=day)
                order.notes = "Commande exceptionnelle (ouverture d'un nouveau site)."
                self.plans.orders.append(order)
                open_orders.append(order)
                stock.backlog[product] += qty
            # 3. shipments, first come first served
            still_open = []
            for order in open_orders:
                if order.ship_not_before <= day:
                    self._ship(rng, order, day)
                if any(line.remaining > 0 for line in order.lines):
                    still_open.append(order)
            open_orders = still_open
            # 4. replenishment: inventory position at or below the reorder point
            todays: dict = {}
            for product in self.plans.products:
                position = stock.on_hand[product] + stock.on_order[product] - stock.backlog[product]
                if position <= int(product.reorder_point):
                    qty = stock.reorder_qty[product] + int(product.reorder_point) - position
                    po = todays.get(product.supplier)
                    if po is None:
                        po = todays[product.supplier] = self._new_po(rng, product.supplier, day)
                        arrivals.setdefault(po.arrival_date, []).append(po)
                    po.lines.append([product, Decimal(qty), Decimal(0)])
                    stock.on_order[product] += qty
        for po in self.plans.purchase_orders:
            if po.received_date is None and po.status != "partial":
                recent = po.order_date >= add_working_days(self.end, -2)
                po.status = "sent" if recent else "confirmed"
                if recent:
                    po.confirmed_date = None
        for product in self.plans.products:
            product.stock_on_hand = Decimal(stock.on_hand[product])

    def _new_po(self, rng: random.Random, supplier, day: date) -> PurchaseOrderPlan:
        requested = next_working_day(day + timedelta(days=supplier.lead_time_days))
        shift = rng.choices((0, rng.randint(1, 4), -rng.randint(1, 2)), weights=(70, 20, 10))[0]
        confirmed = next_working_day(requested + timedelta(days=shift))
        late = rng.choices((0, rng.randint(1, 3)), weights=(85, 15))[0]
        arrival = next_working_day(confirmed + timedelta(days=late))
        if arrival <= day:
            arrival = add_working_days(day, 1)
        po = PurchaseOrderPlan(supplier=supplier, order_date=day, requested_date=requested,
                               confirmed_date=confirmed, arrival_date=arrival, incoterm=supplier.incoterm,
                               lines=[])
        self.plans.purchase_orders.append(po)
        return po

    def _receive(self, rng: random.Random, po: PurchaseOrderPlan, day: date) -> None:
        missing = []
        for line in po.lines:
            product, qty, _ = line
            if product in self.stockouts and day >= self.stockouts[product]:
                missing.append(product)
                continue
            line[2] = qty
            self.stock.on_hand[product] += int(qty)
            self.stock.on_order[product] -= int(qty)
            self.plans.stock_moves.append(StockMovePlan(product=product, kind="receipt", quantity=qty,
                                                        move_date=day, purchase_order=po))
        announced = next_working_day(self.end + timedelta(days=rng.randint(3, 10)))
        if not missing:
            po.status, po.received_date = "received", day
        elif len(missing) < len(po.lines):
            po.status, po.received_date = "partial", day
            refs = ", ".join(p.reference for p in missing)
            po.notes = f"Reliquat fournisseur sur {refs} : livraison annoncée le {_fr_date(announced)}."
        else:
            po.status, po.confirmed_date = "confirmed", announced
            po.notes = f"Retard annoncé par le fournisseur : nouvelle date {_fr_date(announced)}."

    def _ship(self, rng: random.Random, order: OrderPlan, day: date) -> None:
        shipped = []
        for line in order.lines:
            qty = min(int(line.remaining), self.stock.on_hand[line.product])
            if qty > 0:
                shipped.append((line, Decimal(qty)))
        if not shipped:
            return
        customer = order.customer
        transit = self._transit(order.carrier, customer)
        arrives = add_working_days(day, transit)
        delivered = arrives < self.end
        delivery = DeliveryPlan(
            order=order, carrier=order.carrier, ship_date=day, delivered_date=arrives if delivered else None,
            status="delivered" if delivered else "shipped",
            tracking_number=f"{order.carrier.tracking_prefix}{rng.randint(10**9, 10**10 - 1)}FR",
            lines=shipped,
        )
        for line, qty in shipped:
            line.quantity_delivered += qty
            self.stock.on_hand[line.product] -= int(qty)
            self.stock.backlog[line.product] -= int(qty)
            self.plans.stock_moves.append(StockMovePlan(product=line.product, kind="shipment", quantity=-qty,
                                                        move_date=day, delivery=delivery))
        order.deliveries.append(delivery)
        self.plans.deliveries.append(delivery)

    # ===== invoices and credit notes ====================================

    def _invoice_deliveries(self) -> None:
        for delivery in self.plans.deliveries:
            order = delivery.order
            lines = []
            for order_line, qty in delivery.lines:  # positions as on the order (sim.billing.service)
                lines.append(make_line(order_line.product, order_line.description, qty, order_line.unit_price,
                                       order_line.discount_pct, order_line.vat_rate, order_line.position,
                                       order_line=order_line))
                order_line.quantity_invoiced += qty
            invoice = InvoicePlan(
                customer=order.customer, order=order, delivery=delivery, issue_date=delivery.ship_date,
                delivery_date=delivery.ship_date,  # invoiced on shipment: the goods left that day
                due_date=due_date(delivery.ship_date, order.payment_terms, self.company.eom_method),
                payment_terms=order.payment_terms, customer_po=order.customer_po,
                vat_mention=vat_mention(order.customer.vat_regime), lines=lines,
            )
            invoice.compute_totals()
            delivery.invoice = invoice
            self.plans.invoices.append(invoice)

    def _credit_notes(self, rng: random.Random) -> None:
        """A handful of credit notes, as sim.billing.service issues them: quantities
        of invoice lines (matched by position) at the invoiced price, never more
        than was invoiced (an avoir amends an invoice, CGI 289 I-5)."""
        candidates = [inv for inv in self.plans.invoices
                      if inv.customer.kind == "b2b" and inv.customer.country == "FR"
                      and inv.delivery.delivered_date is not None
                      and inv.issue_date <= self.end - timedelta(days=25)]
        count = max(1, int(len(self.plans.invoices) * 0.005 + 0.5))
        used: list[InvoicePlan] = []
        for k in range(count):
            pool = [inv for inv in candidates if inv not in used and inv.customer not in [u.customer for u in used]]
            if not pool:
                break
            invoice = rng.choice(pool)
            used.append(invoice)
            day = add_working_days(invoice.delivery.delivered_date, rng.randint(3, 8))
            line = max(invoice.lines, key=lambda l: (l.line_total_ht, l.position))
            qty = max(Decimal(1), Decimal(ceil_int(float(line.quantity) * 0.25)))
            credit_lines = [make_line(line.product, line.description, qty, line.unit_price,
                                      line.discount_pct, line.vat_rate, line.position)]
            if k % 2 == 0:
                invoice.delivery.reserves = (
                    f"Colis abîmé à la livraison : {qty:g} {line.product.unit}(s) de {line.product.reference} "
                    f"endommagé(s), réserves précises portées sur le bon du transporteur.")
                reason = "Marchandise endommagée pendant le transport (réserves sur le bon de livraison)"
            else:
                reason = "Retour de marchandise non conforme à la commande"
                self.plans.stock_moves.append(StockMovePlan(
                    product=line.product, kind="return", quantity=qty, move_date=day,
                    note="Retour client, marchandise remise en stock"))
                line.product.stock_on_hand += qty
            note = CreditNotePlan(invoice=invoice, issue_date=day, reason=reason, lines=credit_lines)
            note.compute_totals()
            invoice.credit_notes.append(note)
            self.plans.credit_notes.append(note)

    # ===== numbering ====================================================

    def _number_documents(self) -> None:
        p = self.plans
        series = {}
        def assign(code, items, day_of):
            prefix = dict(NUMBER_PREFIXES)[code]
            for n, item in enumerate(items, start=1):
                item.number = number(prefix, day_of(item), n)
            series[code] = len(items)

        p.quotes.sort(key=lambda q: (q.issue_date, q.customer.code))
        assign("quote", p.quotes, lambda q: q.issue_date)
        p.orders.sort(key=lambda o: o.order_date)  # stable: arrival order within a day
        assign("order", p.orders, lambda o: o.order_date)
        order_rank = {id(o): k for k, o in enumerate(p.orders)}
        p.deliveries.sort(key=lambda d: (d.ship_date, order_rank[id(d.order)]))
        assign("delivery", p.deliveries, lambda d: d.ship_date)
        delivery_rank = {id(d): k for k, d in enumerate(p.deliveries)}
        p.invoices.sort(key=lambda i: (i.issue_date, delivery_rank[id(i.delivery)]))
        assign("invoice", p.invoices, lambda i: i.issue_date)
        invoice_rank = {id(i): k for k, i in enumerate(p.invoices)}
        p.credit_notes.sort(key=lambda c: (c.issue_date, invoice_rank[id(c.invoice)]))
        assign("credit_note", p.credit_notes, lambda c: c.issue_date)
        p.purchase_orders.sort(key=lambda po: (po.order_date, po.supplier.code))
        assign("purchase_order", p.purchase_orders, lambda po: po.order_date)
        p.number_series = [NumberSeriesPlan(code=code, prefix=prefix, last_number=series[code])
                           for code, prefix in NUMBER_PREFIXES if code in series]
        for move in p.stock_moves:
            if move.delivery is not None:
                move.note = f"Expédition {move.delivery.number} ({move.delivery.order.customer.code})"
            elif move.purchase_order is not None:
                move.note = f"Réception {move.purchase_order.number}-R1 ({move.purchase_order.supplier.code})"
        for note in p.credit_notes:
            note.notes = f"Avoir sur la facture {note.invoice.number} du {_fr_date(note.invoice.issue_date)}."

    # ===== payments =====================================================

    def _payments(self, rng: random.Random) -> None:
        end = self.end
        schedule: dict[int, list[list]] = {}  # id(invoice) -> [[day, amount], ...]
        for invoice in self.plans.invoices:
            amount = invoice.total_ttc - invoice.credited()
            customer = invoice.customer
            earliest = max([invoice.issue_date] + [n.issue_date + timedelta(days=2) for n in invoice.credit_notes])
            if invoice.payment_terms == "comptant":
                schedule[id(invoice)] = [[invoice.issue_date, amount]]
                continue
            share, low, high = LATENESS[customer.risk_rating]
            if rng.random() < share:
                day = invoice.due_date + timedelta(days=rng.randint(low, high))
            elif customer.payment_method in ("bill", "direct_debit") or invoice.payment_terms.endswith("fdm"):
                day = invoice.due_date
            else:
                day = invoice.due_date - timedelta(days=rng.choice((0, 0, 1, 2, 3, 5, 7)))
            day = next_working_day(max(day, earliest + timedelta(days=1)))
            if rng.random() < 0.04 and amount > 200:
                first = money(amount * Decimal(str(round(rng.uniform(0.3, 0.7), 2))))
                later = next_working_day(day + timedelta(days=rng.randint(10, 30)))
                schedule[id(invoice)] = [[day, first], [later, amount - first]]
            else:
                schedule[id(invoice)] = [[day, amount]]

        def unpaid_after(invoice, keep_share: Decimal = ZERO) -> None:
            amount = invoice.total_ttc - invoice.credited()
            later = end + timedelta(days=rng.randint(5, 40))
            if keep_share > 0:
                first_day = next_working_day(invoice.due_date + timedelta(days=rng.randint(0, 10)))
                if first_day < end:
                    part = money(amount * keep_share)
                    schedule[id(invoice)] = [[first_day, part], [later, amount - part]]
                    return
            schedule[id(invoice)] = [[later, amount]]

        invoices_of: dict[str, list[InvoicePlan]] = {}
        for invoice in self.plans.invoices:
            invoices_of.setdefault(invoice.customer.code, []).append(invoice)

        def window(customer, oldest: int, newest: int) -> list[InvoicePlan]:
            """The customer's invoices due between ``oldest`` and ``newest`` days before the start."""
            return [inv for inv in invoices_of.get(customer.code, []) if inv.payment_terms != "comptant"
                    and end - timedelta(days=oldest) <= inv.due_date <= end - timedelta(days=newest)]

        buyers = [c for c in self.plans.customers if c.kind == "b2b"]
        risk_order = {"D": 0, "C": 1, "B": 2, "A": 3}

        def by_risk(customers):
            keyed = [(risk_order[c.risk_rating], rng.random(), c.code, c) for c in customers]
            return [item[-1] for item in sorted(keyed, key=lambda item: item[:3])]

        # Litigation: one disputed invoice (a claim is open), and debts handed
        # over to litigation after the whole ladder (escalated, D+52 and later).
        n_litigation = max(1, int(len(self.plans.customers) * 0.015 + 0.5))
        french = by_risk([c for c in buyers if c.country == "FR"])
        # Preferably an invoice a few weeks overdue; in a short history, any recent one.
        candidates = [(c, window(c, oldest, newest)) for oldest, newest in ((40, 8), (75, 3), (60, -60))
                      for c in french]
        for customer, invoices in candidates:
            if invoices:
                self.disputed = invoices[-1]
                unpaid_after(self.disputed)
                received = self.disputed.delivery.delivered_date or self.disputed.issue_date
                self.disputed.disputed_on = next_working_day(received + timedelta(days=rng.randint(3, 10)))
                customer.in_litigation = True
                break
        for customer in by_risk(buyers):
            if len(self.escalated) >= n_litigation - 1:
                break
            if customer.in_litigation:
                continue
            invoices = window(customer, 110, 58)
            if invoices:
                unpaid_after(invoices[0])
                customer.in_litigation = True
                self.escalated.append(customer)

        def overdue_customers() -> list[CustomerPlan]:
            result = []
            for invoice in self.plans.invoices:
                if invoice.due_date < end and any(day >= end for day, _ in schedule[id(invoice)]):
                    if invoice.customer not in result:
                        result.append(invoice.customer)
            return result

        def chased(invoice) -> bool:  # unpaid, not contested, overdue long enough to be chased
            return (invoice.disputed_on is None and invoice.due_date <= end - timedelta(days=8)
                    and any(day >= end for day, _ in schedule[id(invoice)]))

        # About 7 % of customers owe an overdue amount at the start of the sim,
        # at least one of them long enough to have had reminders.
        target = max(2, int(len(self.plans.customers) * 0.07 + 0.5))
        current = overdue_customers()
        keep = [c for c in current if c.in_litigation]
        late_enough = [inv.customer for inv in self.plans.invoices if chased(inv)]
        others = by_risk([c for c in current if not c.in_litigation])
        others.sort(key=lambda c: c not in late_enough)  # stable: the riskiest first within each group
        keep += others[: max(0, target - len(keep))]
        if not any(c in late_enough for c in keep):
            for customer in by_risk([c for c in buyers if not c.in_litigation]):
                invoices = [inv for inv in window(customer, 75, 8) if inv.disputed_on is None]
                if invoices:
                    unpaid_after(invoices[-1])
                    replaceable = [c for c in keep if not c.in_litigation and c is not customer]
                    if len(keep) >= target and replaceable:
                        keep.remove(replaceable[-1])
                    if customer not in keep:
                        keep.append(customer)
                    break
        for invoice in self.plans.invoices:  # the others paid (late) before the sim starts
            if invoice.customer in keep or invoice.due_date >= end:
                continue
            entries = schedule[id(invoice)]
            if any(day >= end for day, _ in entries):
                # Paid late, but before the sim starts: one payment for the whole balance.
                last = previous_working_day(end - timedelta(days=1))
                day = next_working_day(invoice.due_date + timedelta(days=rng.randint(1, 12)))
                day = min(last, max(day, entries[0][0] if entries[0][0] < end else day))
                schedule[id(invoice)] = [[day, sum((a for _, a in entries), ZERO)]]
        for customer in by_risk([c for c in buyers if c not in keep]):
            if len(keep) >= target:
                break
            invoices = window(customer, 75, 3)
            if not invoices:
                continue
            keep.append(customer)
            for invoice in invoices[-(2 if rng.random() < 0.25 else 1):]:
                unpaid_after(invoice, Decimal("0.4") if rng.random() < 0.3 else ZERO)
        self.overdue_customers = keep

        # Record what was received before the sim starts, grouped per remittance.
        payments: dict[tuple, PaymentPlan] = {}
        for invoice in self.plans.invoices:
            for day, amount in schedule[id(invoice)]:
                if day >= end or amount <= 0:
                    continue
                customer = invoice.customer
                method = customer.payment_method
                key = (customer.code, day, method) if method != "card" else (customer.code, day, invoice.number)
                payment = payments.get(key)
                if payment is None:
                    payment = payments[key] = PaymentPlan(customer=customer, method=method, amount=ZERO, received_on=day)
                    self.plans.payments.append(payment)
                allocation = AllocationPlan(payment=payment, invoice=invoice, amount=amount)
                payment.allocations.append(allocation)
                payment.amount += amount
                invoice.allocations.append(allocation)
        self.schedule = schedule
        self.plans.payments.sort(key=lambda pay: (pay.received_on, pay.customer.code))
        for payment in self.plans.payments:
            payment.reference = self._payment_reference(rng, payment)
        for invoice in self.plans.invoices:
            invoice.amount_due = invoice.total_ttc - invoice.credited() - invoice.paid()
            if invoice.credited() >= invoice.total_ttc:
                invoice.status = "credited"
            elif invoice.amount_due == 0:
                invoice.status = "paid"
            elif invoice.paid() > 0:
                invoice.status = "partial"
            else:
                invoice.status = "issued"

    def _payment_reference(self, rng: random.Random, payment: PaymentPlan) -> str:
        numbers = " ".join(a.invoice.number for a in payment.allocations)
        method = payment.method
        if method == "transfer":
            text = f"VIR {payment.customer.name.upper()} {numbers}"
        elif method == "cheque":
            text = f"Chèque n° {rng.randint(1_000_000, 9_999_999)}"
        elif method == "bill":
            text = f"LCR échéance {_fr_date(payment.received_on)} {numbers}"
        elif method == "direct_debit":
            text = f"Prélèvement SEPA {numbers}"
        else:
            text = f"CB ****{rng.randint(0, 9999):04d} {numbers}"
        return text[:60]

    # ===== reminders ====================================================

    def _reminders(self, rng: random.Random) -> None:
        end = self.end
        for invoice in self.plans.invoices:
            if invoice.payment_terms == "comptant":
                continue
            entries = self.schedule[id(invoice)]
            settled = max(day for day, _ in entries)  # the day the last euro arrives
            open_at_end = settled >= end
            customer = invoice.customer
            steps = []
            for level, offset, channel in LADDER:
                day = next_working_day(invoice.due_date + timedelta(days=offset))
                if day >= end or day >= settled:
                    break
                if level == "courtesy" and customer.risk_rating not in ("C", "D"):
                    continue
                if invoice.disputed_on is not None and day >= invoice.disputed_on:
                    break  # a contested invoice is not chased (receivables-recovery.md §2)
                if channel == "email" and level == "second" and customer.kind == "b2c":
                    channel = "letter"
                steps.append((level, channel, day))
            escalated = customer in self.escalated and open_at_end
            if open_at_end and len(steps) > 1 and not escalated and rng.random() < 0.35:
                steps.pop()  # the latest step is due and not done yet: the candidate's job
            for level, channel, day in steps:
                promised = None
                if level == "phone":
                    promised = (next_working_day(day + timedelta(days=rng.randint(3, 12))) if open_at_end
                                else min(settled, next_working_day(day + timedelta(days=rng.randint(2, 8)))))
                self.plans.reminders.append(ReminderPlan(
                    customer=customer, invoice=invoice, level=level, channel=channel, sent_on=day,
                    text=self._reminder_text(level, invoice, promised), promised_payment_date=promised))
        self.plans.reminders.sort(key=lambda r: (r.sent_on, r.invoice.number, r.level))

    def _reminder_text(self, level: str, invoice: InvoicePlan, promised: date | None) -> str:
        amount = invoice.total_ttc - invoice.credited()
        n, due = invoice.number, invoice.due_date
        if invoice.customer.language == "en":
            texts = {
                "courtesy": f"Friendly reminder: invoice {n} ({_en_money(amount)}) falls due on {_en_date(due)}.",
                "first": f"Our records show that invoice {n} ({_en_money(amount)}, due {_en_date(due)}) "
                         f"is still unpaid. Please find a copy attached.",
                "phone": f"Phone call to accounts payable about invoice {n}."
                         + (f" Payment promised for {_en_date(promised)}." if promised else ""),
                "second": f"Second reminder: invoice {n} is overdue. Late-payment interest and the "
                          f"€40 recovery fee are due under our terms. Statement of account attached.",
                "formal_notice": f"Formal notice to pay invoice {n} ({_en_money(amount)}) within 8 days.",
                "escalated": f"Invoice {n} handed over to our debt recovery department.",
            }
        else:
            texts = {
                "courtesy": f"Rappel de courtoisie : la facture {n} ({_fr_money(amount)}) arrive à échéance "
                            f"le {_fr_date(due)}.",
                "first": f"Sauf erreur de notre part, la facture {n} ({_fr_money(amount)}, échue le "
                         f"{_fr_date(due)}) reste impayée. Vous en trouverez une copie jointe.",
                "phone": f"Appel au service comptable au sujet de la facture {n}."
                         + (f" Règlement promis pour le {_fr_date(promised)}." if promised else ""),
                "second": f"2e relance : la facture {n} est échue. Nous vous rappelons que des pénalités de "
                          f"retard et l'indemnité forfaitaire de 40 € sont dues. Relevé de compte joint.",
                "formal_notice": f"Mise en demeure de régler la facture {n} ({_fr_money(amount)}) sous 8 jours "
                                 f"(lettre recommandée avec AR).",
                "escalated": f"Dossier de la facture {n} transmis au service contentieux.",
            }
        return texts[level]

    # ===== claims =======================================================

    def _claims(self, rng: random.Random) -> None:
        claims = self.plans.claims
        damaged = [n for n in self.plans.credit_notes if n.invoice.delivery.reserves]
        if damaged:
            note = damaged[0]
            invoice = note.invoice
            claims.append(ClaimPlan(
                customer=invoice.customer, order=invoice.order, invoice=invoice, category="damage",
                subject=f"Colis endommagé – {invoice.delivery.number}",
                description=invoice.delivery.reserves, language=invoice.customer.language, status="closed",
                opened_on=add_working_days(invoice.delivery.delivered_date, 1), closed_on=note.issue_date,
                resolution=f"Avoir {note.number} de {_fr_money(note.total_ttc)} TTC émis."))
        if self.disputed is not None:
            invoice = self.disputed
            line = invoice.lines[0]
            claims.append(ClaimPlan(
                customer=invoice.customer, order=invoice.order, invoice=invoice, category="billing",
                subject=f"Contestation de la facture {invoice.number}",
                description=(f"Le client conteste la quantité facturée de {line.product.reference} : "
                             f"il affirme n'avoir reçu qu'une partie des {line.quantity:g} {line.product.unit}(s) "
                             f"du bon de livraison {invoice.delivery.number}. Il suspend le règlement."),
                language=invoice.customer.language, status="received", opened_on=invoice.disputed_on))
        if len(self.plans.customers) >= 100:
            waiting = [o for o in self.plans.orders if o.status != "cancelled" and o.deliveries
                       and any(l.remaining > 0 for l in o.lines) and o.customer.language == "fr"]
            if waiting:
                order = waiting[-1]
                claims.append(ClaimPlan(
                    customer=order.customer, order=order, invoice=None, category="delay",
                    subject=f"Reliquat de la commande {order.number}",
                    description="Le client réclame le reliquat de sa commande, livrée partiellement, "
                                "et demande une date ferme.",
                    language="fr", status="received", opened_on=previous_working_day(self.end - timedelta(days=1))))
            abroad = [i for i in self.plans.invoices if i.customer.language == "en"
                      and i.delivery.delivered_date is not None
                      and i.issue_date >= self.end - timedelta(days=60) and not i.credit_notes]
            if abroad:
                invoice = rng.choice(abroad)
                line = invoice.lines[0]
                claims.append(ClaimPlan(
                    customer=invoice.customer, order=invoice.order, invoice=invoice, category="quality",
                    subject=f"Quality issue on order {invoice.order.number}",
                    description=(f"Several units of {line.description} do not match the specification "
                                 f"we ordered. We would like a replacement or a credit note."),
                    language="en", status="analysed",
                    opened_on=add_working_days(invoice.delivery.delivered_date, 2)))
        claims.sort(key=lambda c: (c.opened_on, c.customer.code))
        for n, claim in enumerate(claims, start=1):
            claim.number = number("RC", claim.opened_on, n)

    # ===== interactions =================================================

    def _interactions(self, rng: random.Random) -> None:
        out = self.plans.interactions

        def contact_of(customer):
            return customer.contacts[0] if customer.contacts else None

        for quote in self.plans.quotes:
            if rng.random() >= 0.4:
                continue
            c = quote.customer
            en = c.language == "en"
            out.append(InteractionPlan(
                channel="email", direction="out", language=c.language, customer=c, contact=contact_of(c),
                subject=f"Your quotation {quote.number}" if en else f"Votre devis {quote.number}",
                body=(f"Please find attached our quotation {quote.number} ({_en_money(quote.total_ht)} excl. VAT), "
                      f"valid until {_en_date(quote.valid_until)}." if en else
                      f"Veuillez trouver ci-joint notre devis {quote.number} d'un montant de "
                      f"{_fr_money(quote.total_ht)} HT, valable jusqu'au {_fr_date(quote.valid_until)}."),
                sim_time=_at(rng, quote.issue_date)))
        for order in self.plans.orders:
            if not order.received_by_email:
                continue
            c = order.customer
            en = c.language == "en"
            ref = order.customer_po or order.number
            out.append(InteractionPlan(
                channel="email", direction="in", language=c.language, customer=c, contact=contact_of(c),
                subject=f"Purchase order {ref}" if en else f"Commande {ref}",
                body=("Please find our purchase order attached. Kindly confirm the delivery date." if en else
                      "Bonjour, veuillez trouver ci-joint notre bon de commande. Merci de nous confirmer "
                      "la date de livraison."),
                sim_time=_at(rng, order.order_date, 8, 12)))
        for reminder in self.plans.reminders:
            if reminder.channel != "phone":
                continue
            c = reminder.customer
            out.append(InteractionPlan(
                channel="phone", direction="out", language=c.language, customer=c, contact=contact_of(c),
                subject=("Payment reminder " if c.language == "en" else "Relance téléphonique ") + reminder.invoice.number,
                body=reminder.text, sim_time=_at(rng, reminder.sent_on, 9, 16)))
        for claim in self.plans.claims:
            c = claim.customer
            first = InteractionPlan(
                channel="email", direction="in", language=claim.language, customer=c, contact=contact_of(c),
                subject=claim.subject, body=claim.description, sim_time=_at(rng, claim.opened_on, 8, 11),
                read=claim.status != "received" or claim.opened_on < add_working_days(self.end, -1))
            out.append(first)
            if claim.status in ("analysed", "closed"):
                en = claim.language == "en"
                out.append(InteractionPlan(
                    channel="email", direction="out", language=claim.language, customer=c, contact=contact_of(c),
                    subject="RE: " + claim.subject,
                    body=("Thank you for letting us know. We are looking into it and will come back to you "
                          "shortly." if en else
                          "Nous avons bien reçu votre réclamation et revenons vers vous au plus vite."),
                    sim_time=_at(rng, claim.opened_on, 13, 17), thread=first))
        for po in self.plans.purchase_orders:
            if not po.notes:
                continue
            supplier = po.supplier
            en = supplier.language == "en"
            contact = next((k for k in self.plans.contacts if k.supplier is supplier), None)
            day = add_working_days(max(po.requested_date, po.order_date), 1)
            if day >= self.end:
                day = previous_working_day(self.end - timedelta(days=1))
            chase = InteractionPlan(
                channel="email", direction="out", language=supplier.language, supplier=supplier,
                contact=contact, counterpart_role="supplier",
                subject=(f"Order {po.number}: delivery date?" if en else f"Relance commande {po.number}"),
                body=(f"Our order {po.number} was due on {_en_date(po.requested_date)}. Please confirm the "
                      f"shipping date." if en else
                      f"Notre commande {po.number} était attendue le {_fr_date(po.requested_date)}. Merci de "
                      f"nous confirmer la date d'expédition du reliquat."),
                sim_time=_at(rng, day, 9, 11))
            out.append(chase)
            out.append(InteractionPlan(
                channel="email", direction="in", language=supplier.language, supplier=supplier,
                contact=contact, counterpart_role="supplier", subject="RE: " + chase.subject, body=po.notes,
                sim_time=_at(rng, day, 14, 17), thread=chase))
        for customer in self.plans.customers:
            if customer.kind != "b2b" or customer.country != "FR" or rng.random() >= 0.08:
                continue
            day = rng.choice(self.days)
            rep = customer.sales_rep
            out.append(InteractionPlan(
                channel="meeting", direction="out", language="fr", customer=customer,
                contact=contact_of(customer), counterpart_role="customer",
                subject=f"Visite de {rep.full_name if rep else 'notre commercial'}",
                body=rng.choice(("Point sur les besoins en emballage du trimestre ; catalogue remis.",
                                 "Présentation de la gamme calage écologique ; demande de devis à suivre.",
                                 "Visite de courtoisie ; le client prévoit une hausse d'activité en fin d'année.")),
                sim_time=_at(rng, day, 9, 16)))
        self._inbox(rng)
        out.sort(key=lambda i: (i.sim_time, i.subject))

    def _inbox(self, rng: random.Random) -> None:
        """Unread messages waiting on the first morning of the sim."""
        last = previous_working_day(self.end - timedelta(days=1))
        customers = [c for c in self.plans.customers if c.kind == "b2b" and not c.in_litigation]
        if not customers:
            return
        fr = [c for c in customers if c.language == "fr"]
        if not fr:
            return
        invoiced = [i.customer for i in self.plans.invoices]
        en = [c for c in customers if c.language == "en" and c in invoiced] or fr
        waiting = [o.customer for o in self.plans.orders if o.status in ("confirmed", "partial")
                   and o.customer.language == "fr" and not o.customer.in_litigation] or fr
        paying = [c for c in self.overdue_customers if not c.in_litigation and c.language == "fr"]
        messages = [
            (rng.choice(fr), "Demande de devis", "Bonjour, pourriez-vous nous faire une offre pour 20 lots de "
             "cartons double cannelure 600×400×400 et 10 lots de ruban adhésif ? Livraison sous 10 jours."),
            (rng.choice(en), "Copy of invoice", "Hello, could you please send us a copy of your last invoice? "
             "Our accounts department cannot find it. Many thanks."),
            (rng.choice(waiting), "Date de livraison", "Bonjour, pouvez-vous me confirmer la date de livraison "
             "de notre dernière commande ? Notre quai est fermé vendredi après-midi."),
        ]
        if len(self.plans.customers) >= 100:
            messages += [
                (rng.choice(fr), "Changement d'adresse de facturation", "Bonjour, notre service comptable "
                 "déménage : merci de mettre à jour l'adresse de facturation à compter du mois prochain."),
                (rng.choice(en), "Price list 2027", "Good morning, could you send us your 2027 price list "
                 "and confirm whether your prices will change in January?"),
            ]
            if paying:
                messages.append((rng.choice(paying), "Règlement en cours", "Bonjour, le virement pour vos "
                                 "factures échues part cette semaine. Cordialement."))
        for customer, subject, body in messages:
            self.plans.interactions.append(InteractionPlan(
                channel="email", direction="in", language=customer.language, customer=customer,
                contact=customer.contacts[0] if customer.contacts else None, subject=subject, body=body,
                sim_time=_at(rng, last, 14, 18), read=False))

    # ===== statuses at the start of the sim =============================

    def _finish(self) -> None:
        for product in self.plans.products:
            # Reserved = on-hand units allocated to open orders; what stock cannot
            # cover stays a backorder (as sim.sales.service reserves on confirmation).
            product.stock_reserved = min(Decimal(self.stock.backlog[product]), product.stock_on_hand)
        # ... held line by line, oldest order first (the product's total is their sum)
        left = {product: product.stock_reserved for product in self.plans.products}
        for order in sorted(self.plans.orders, key=lambda o: o.order_date):
            if order.status == "cancelled":
                continue
            for line in order.lines:
                if line.product is not None and line.remaining > 0 and left.get(line.product, 0) > 0:
                    line.quantity_reserved = min(line.remaining, left[line.product])
                    left[line.product] -= line.quantity_reserved
        for order in self.plans.orders:
            if order.status == "cancelled":
                continue
            delivered = sum((l.quantity_delivered for l in order.lines), ZERO)
            if all(l.remaining == 0 for l in order.lines):
                order.status = "invoiced"
            elif delivered > 0:
                order.status = "partial"
            else:
                order.status = "confirmed"


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; fine for the small means used here."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, mean ** 0.5)))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1

