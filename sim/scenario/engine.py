"""Plays a scenario on a workspace: installs its company, fires its events.

The same code serves the dry run (a virtual clock, full speed) and live exam
sessions (the wall clock, APScheduler as the alarm): ``fire_due`` fires every
pending event whose sim time has come, each in its own transaction, claimed
with a conditional UPDATE so that two processes never fire one event twice.
"""
from __future__ import annotations

import fnmatch
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from sim.clock import set_clock, sim_now
from sim.crm.models import Contact, Customer, Interaction
from sim.db import UnitOfWork
from sim.journal import service as journal
from sim.journal.models import JournalEntry
from sim.scenario.durations import parse_delay
from sim.scenario.events import registry
from sim.scenario.models import EventStatus, ScenarioEntity, ScenarioEvent
from sim.stock.models import Carrier, Product, PurchaseOrder, Supplier
from sim.workspace.models import Workspace

ACTOR = "scenario"
MODELS = {"customer": Customer, "supplier": Supplier, "product": Product, "carrier": Carrier,
          "purchase_order": PurchaseOrder}


def _parse(text) -> datetime:
    return datetime.fromisoformat(str(text).replace(" ", "T"))


# ===== the context an event handler works in ============================

class EventContext:
    def __init__(self, uow: UnitOfWork, event_key: str = "", actor: str = ACTOR):
        self.uow, self.event_key, self.actor = uow, event_key, actor

    @staticmethod
    def decimal(value) -> Decimal:
        return Decimal(str(value).replace(",", "."))

    def entity(self, kind: str, name: str):
        row = self.uow.session.scalars(select(ScenarioEntity).where(
            ScenarioEntity.kind == kind, ScenarioEntity.name == name)).first()
        if row is None:
            raise LookupError(f"entité de scénario inconnue : {kind} « {name} »")
        model = MODELS.get(kind) or _late_model(kind)
        return self.uow.get(model, row.ref_id)

    def line_inputs(self, lines: list[dict]):
        """A scenario's lines ({product: name, quantity}) as the sales services take them."""
        from sim.sales.service import LineInput

        return [LineInput(self.entity("product", l["product"]).id, str(l["quantity"])) for l in lines]

    def register(self, kind: str, name: str, obj) -> None:
        self.uow.session.add(ScenarioEntity(workspace_id=self.uow.workspace_id, kind=kind, name=name,
                                            ref_id=obj.id))
        self.uow.session.flush()

    def create_customer(self, name: str, spec: dict) -> Customer:
        customer = _create_customer(self.uow, spec, self.actor)
        self.register("customer", name, customer)
        return customer

    def document(self, kind: str, of: str) -> int:
        """A generated PDF to attach: ``quote`` / ``order_ack`` / ``invoice`` of an entity, ``statement`` of a customer."""
        entity_kind = {"statement": "customer", "order_ack": "order", "invoice": "invoice", "quote": "quote"}[kind]
        return self.document_of(kind, self.entity(entity_kind, of).id)

    def document_of(self, kind: str, ref_id: int) -> int:
        from sim.documents.service import store

        return store(self.uow, actor=self.actor, kind=kind, ref_id=ref_id).id

    def _party(self, party: dict) -> dict:
        """Sender details for a message: role, name, address, customer or supplier."""
        if party.get("customer") or party.get("customer_id"):
            customer = (self.entity("customer", party["customer"]) if party.get("customer")
                        else self.uow.get(Customer, party["customer_id"]))
            contact = self.uow.session.scalars(select(Contact).where(Contact.customer_id == customer.id)
                                               .order_by(Contact.is_primary.desc(), Contact.id)).first()
            name = f"{contact.first_name} {contact.last_name} — {customer.name}" if contact else customer.name
            return {"role": "customer", "name": name, "email": (contact.email if contact and contact.email
                                                                else customer.email),
                    "customer_id": customer.id, "language": customer.language}
        if party.get("supplier") or party.get("supplier_id"):
            supplier = (self.entity("supplier", party["supplier"]) if party.get("supplier")
                        else self.uow.get(Supplier, party["supplier_id"]))
            return {"role": "supplier", "name": supplier.name, "email": supplier.email,
                    "supplier_id": supplier.id, "language": supplier.language}
        if party.get("carrier") or party.get("carrier_id"):
            carrier = (self._named_carrier(party["carrier"]) if party.get("carrier")
                       else self.uow.get(Carrier, party["carrier_id"]))
            return {"role": "carrier", "name": carrier.name if carrier else party.get("carrier", "Transporteur"),
                    "email": carrier.email if carrier else party.get("email", ""), "language": "fr"}
        role = party.get("role", "management")
        from sim.company.models import Company

        company = self.uow.session.scalars(select(Company)).one()
        domain = company.email.split("@")[-1] if "@" in company.email else "entreprise.fr"
        defaults = {"management": ("Direction commerciale", f"direction@{domain}"),
                    "accounting": ("Service comptabilité", f"comptabilite@{domain}"),
                    "bank": ("Banque", "effets@banque.example")}
        name, email = defaults.get(role, (role, ""))
        return {"role": role if role != "bank" else "accounting", "name": party.get("name", name),
                "email": party.get("email", email), "language": "fr"}

    def _named_carrier(self, name: str) -> Carrier | None:
        """A carrier of the scenario's ``carriers`` section by its name there, else by its company name."""
        try:
            return self.entity("carrier", name)
        except LookupError:
            return self.uow.session.scalars(select(Carrier).where(Carrier.name == name)).first()

    def deliver(self, party: dict, message: dict, *, attachments=(), thread_id=None) -> Interaction:
        from sim.inbox.service import deliver

        who = self._party(party)
        return deliver(self.uow, actor=self.actor, role=who["role"], name=who["name"], email=who["email"],
                       subject=message["subject"], body=message["body"],
                       language=message.get("language", who.get("language", "fr")),
                       customer_id=who.get("customer_id"), supplier_id=who.get("supplier_id"),
                       thread_id=thread_id, event_key=self.event_key, attachments=list(attachments))

    def last_message_to(self, party: dict) -> Interaction | None:
        who = self._party(party)
        query = select(Interaction).where(Interaction.channel == "email", Interaction.direction == "out")
        if who.get("customer_id"):
            query = query.where(Interaction.customer_id == who["customer_id"])
        elif who.get("supplier_id"):
            query = query.where(Interaction.supplier_id == who["supplier_id"])
        return self.uow.session.scalars(query.order_by(Interaction.sim_time.desc(), Interaction.id.desc())).first()


def _late_model(kind: str):
    from sim.billing.models import Invoice
    from sim.communication.models import CommunicationSupport
    from sim.crm.models import Claim
    from sim.dashboards.models import Dashboard
    from sim.projects.models import Project, SupplierQuote
    from sim.sales.models import Quote, SalesOrder
    from sim.stock.models import Delivery

    return {"order": SalesOrder, "invoice": Invoice, "quote": Quote, "support": CommunicationSupport,
            "delivery": Delivery, "dashboard": Dashboard, "claim": Claim, "project": Project,
            "supplier_quote": SupplierQuote}[kind]


# a scenario's customer written without a street: invoices need one (sim/crm/records.py IDENTITY_FIELDS)
PLACEHOLDER_ADDRESS = "1 Main Street"


def _create_customer(uow, spec: dict, actor: str) -> Customer:
    from sim.crm.service import create_customer

    return create_customer(
        uow, actor=actor, code_prefix="S", name=spec["name"], kind=spec.get("kind", "b2b"),
        siren=spec.get("siren", ""), vat_number=spec.get("vat_number", ""),
        address=spec.get("address", PLACEHOLDER_ADDRESS), postcode=spec.get("postcode", ""), city=spec.get("city", ""),
        country=spec.get("country", "FR"), language=spec.get("language", ""), email=spec.get("email", ""),
        payment_terms=spec.get("payment_terms", "30_net"),
        credit_limit=Decimal(str(spec.get("credit_limit", "5000"))), risk_rating=spec.get("risk_rating", "A"),
        in_litigation=bool(spec.get("in_litigation", False)), contact=spec.get("contact"))


# ===== installing a scenario =============================================

def install(uow: UnitOfWork, scenario: dict) -> None:
    """Create the scenario's named entities and event rows in a seeded workspace
    (the caller's transaction; the caller commits). The clock ends at the start."""
    from sim.billing.service import invoice_delivery
    from sim.receivables.service import record_payment
    from sim.sales.models import OrderLine
    from sim.sales.service import confirm_order
    from sim.stock.service import create_product, create_purchase_order, create_supplier, receive_stock, ship_delivery

    ctx = EventContext(uow, actor="scenario:setup")
    start = _parse(scenario["start"])
    company = scenario["company"]
    workspace = uow.session.get(Workspace, uow.workspace_id)
    workspace.scenario_id = scenario["id"]

    def at_day(day: str | None, default: datetime) -> None:
        set_clock(uow, sim_time=datetime.combine(date.fromisoformat(day), start.time()) if day else default, speed=0)

    at_day(None, start)
    uow.session.info["journal_sim_time"] = start
    if company.get("delegation"):
        from sim.company.service import set_delegation

        set_delegation(uow, actor=ctx.actor, **company["delegation"])
    if "vat_on_debits" in company:
        from sim.company.service import set_vat_on_debits

        set_vat_on_debits(uow, actor=ctx.actor, opted=company["vat_on_debits"])
    if company.get("recovery_procedure"):
        from sim.receivables.recovery import set_procedure

        set_procedure(uow, actor=ctx.actor, steps=company["recovery_procedure"])
    for name, spec in (company.get("customers") or {}).items():
        customer = ctx.create_customer(name, spec)
        customer.incoterm, customer.incoterm_place = spec.get("incoterm", ""), spec.get("incoterm_place", "")[:80]
        _recovery_data(uow, customer, spec, start.date())
        _delivery_addresses(uow, ctx, customer, spec)
    for name, spec in (company.get("carriers") or {}).items():
        ctx.register("carrier", name, _create_carrier(uow, spec))
    for name, spec in (company.get("suppliers") or {}).items():
        supplier = create_supplier(uow, actor=ctx.actor, name=spec["name"], country=spec.get("country", "FR"),
                                   language=spec.get("language", "fr"), email=spec.get("email", ""),
                                   lead_time_days=spec.get("lead_time_days", 10))
        ctx.register("supplier", name, supplier)
    for name, spec in (company.get("products") or {}).items():
        price = ctx.decimal(spec["price"])
        supplier = ctx.entity("supplier", spec["supplier"]) if spec.get("supplier") else None
        product = create_product(
            uow, actor=ctx.actor, reference=spec.get("reference") or f"SCN-{name.upper()[:12]}", name=spec["name"],
            category=spec.get("category", "Scénario"), price_ht=price,
            purchase_cost=ctx.decimal(spec.get("cost", price * Decimal("0.6"))),
            vat_rate=ctx.decimal(spec.get("vat", "20.00")), supplier_id=supplier.id if supplier else None,
            lead_time_days=spec.get("lead_time_days", supplier.lead_time_days if supplier else 10),
            stock=ctx.decimal(spec.get("stock", 0)))
        ctx.register("product", name, product)
    for name, spec in (company.get("purchase_orders") or {}).items():
        at_day(spec.get("date"), start)
        po = create_purchase_order(uow, actor=ctx.actor, supplier_id=ctx.entity("supplier", spec["supplier"]).id,
                                   lines=[(ctx.entity("product", l["product"]).id, ctx.decimal(l["quantity"]))
                                          for l in spec["lines"]],
                                   order_date=sim_now(uow).date(), requested_date=date.fromisoformat(spec["expected"]))
        ctx.register("purchase_order", name, po)
    for name, spec in (company.get("invoices") or {}).items():
        # an invoice from the past: order, delivery and invoice on its date, paid in part or not at all
        at_day(spec["date"], start)
        customer = ctx.entity("customer", spec["customer"])
        order = _setup_order(uow, ctx, customer, spec["lines"], spec.get("customer_po", ""))
        confirm = confirm_order(uow, actor=ctx.actor, order_id=order.id)
        lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                            OrderLine.product_id.is_not(None))).all()
        for l in lines:  # the goods left: they had come in first
            receive_stock(uow, actor=ctx.actor, product_id=l.product_id, quantity=l.quantity,
                          reason=f"Réception pour la commande {order.number}")
        delivery = ship_delivery(uow, actor=ctx.actor, order_id=confirm.id,
                                 quantities={l.id: l.quantity for l in lines},
                                 carrier_id=uow.session.scalars(select(Carrier.id)).first())
        invoice = invoice_delivery(uow, actor=ctx.actor, delivery_id=delivery.id)
        paid = spec.get("paid")
        if paid:
            # paid: 1200 (by transfer, on the invoice's day), or {amount, method, date, reference}
            paid = paid if isinstance(paid, dict) else {"amount": paid}
            if paid.get("date"):
                at_day(paid["date"], start)
            record_payment(uow, actor=ctx.actor, customer_id=customer.id, method=paid.get("method", "transfer"),
                           amount=str(paid["amount"]), allocations={invoice.id: str(paid["amount"])},
                           reference=paid.get("reference", ""))
        if spec.get("disputed"):
            from sim.receivables.recovery import flag_dispute

            flag_dispute(uow, actor=ctx.actor, invoice_id=invoice.id, reason=spec["disputed"]["reason"],
                         withhold_payment=bool(spec["disputed"].get("withhold_payment", False)))
        ctx.register("invoice", name, invoice)
    for name, spec in (company.get("orders") or {}).items():
        at_day(spec.get("date"), start)
        order = _setup_order(uow, ctx, ctx.entity("customer", spec["customer"]), spec["lines"],
                             spec.get("customer_po", ""), terms=spec)
        if spec.get("status", "confirmed") == "confirmed":
            order = confirm_order(uow, actor=ctx.actor, order_id=order.id)
        ctx.register("order", name, order)
    for name, spec in (company.get("deliveries") or {}).items():
        # a past shipment: the whole order leaves on its date, with the named carrier
        at_day(spec.get("date"), start)
        order = ctx.entity("order", spec["order"])
        lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id,
                                                            OrderLine.product_id.is_not(None))).all()
        carrier = ctx.entity("carrier", spec["carrier"]) if spec.get("carrier") else None
        delivery = ship_delivery(uow, actor=ctx.actor, order_id=order.id,
                                 quantities={l.id: l.quantity - l.quantity_delivered for l in lines},
                                 carrier_id=carrier.id if carrier else uow.session.scalars(select(Carrier.id)).first())
        ctx.register("delivery", name, delivery)
    # the timeline
    for position, event in enumerate(scenario.get("timeline", [])):
        due = _parse(event["at"]) if "at" in event else None
        after = event.get("after") or {}
        spec = {k: v for k, v in event.items() if k not in ("id", "kind", "at", "after", "when", "manual", "note")}
        uow.session.add(ScenarioEvent(workspace_id=uow.workspace_id, key=event["id"], kind=event["kind"],
                                      position=position, due_at=due, after_key=after.get("event", ""),
                                      after_seconds=int(parse_delay(after["delay"]).total_seconds())
                                      if after.get("delay") else 0,
                                      when=event.get("when") or {}, spec=spec))
    set_clock(uow, sim_time=start, speed=0)
    uow.session.info.pop("journal_sim_time", None)
    journal.append(uow, kind="scenario.installed", actor=ctx.actor, refs={"scenario": scenario["id"]},
                   payload={"title": scenario["title"], "start": start, "events": len(scenario.get("timeline", []))})


def address_values(spec: dict) -> dict:
    """A scenario's delivery address as the customer page's form sends it."""
    return {**{k: str(spec.get(k, "")) for k in ("label", "recipient", "address", "postcode", "city",
                                                  "instructions")},
            "country": spec.get("country", "FR"), "is_default": "on" if spec.get("default") else "", "active": "on"}


def _delivery_addresses(uow, ctx, customer: Customer, spec: dict) -> None:
    from sim.crm.records import save_delivery_address

    for address in spec.get("delivery_addresses") or []:
        save_delivery_address(uow, actor=ctx.actor, customer_id=customer.id, values=address_values(address))


def _recovery_data(uow, customer: Customer, spec: dict, start: date) -> None:
    """A customer's payment method and simulated credit report, as the scenario sets them."""
    if spec.get("payment_method"):
        customer.payment_method = spec["payment_method"]
    report = spec.get("credit_report")
    if report:
        from sim.receivables.models import CreditReport

        uow.session.add(CreditReport(
            workspace_id=uow.workspace_id, customer_id=customer.id, agency=report.get("agency", "Creditsafe (simulé)"),
            as_of=date.fromisoformat(report["as_of"]) if report.get("as_of") else start, score=int(report["score"]),
            incidents="\n".join(report.get("incidents") or []),
            recommended_limit=Decimal(str(report["recommended_limit"])), comment=report.get("comment", "")))


def _setup_order(uow, ctx, customer, lines, customer_po="", terms=None):
    from sim.sales.service import create_order

    terms = terms or {}
    return create_order(uow, actor=ctx.actor, customer_id=customer.id, lines=ctx.line_inputs(lines),
                        customer_po=customer_po, incoterm=terms.get("incoterm", ""),
                        incoterm_place=terms.get("incoterm_place", ""),
                        transport_mode=terms.get("transport_mode", ""))


def _create_carrier(uow, spec: dict) -> Carrier:
    """A scenario's carrier, with the services and rates of its mode (sim/shipping/freight.py)."""
    from sim.shipping.freight import install_offer

    carrier = Carrier(workspace_id=uow.workspace_id, name=spec["name"], mode=spec.get("mode", "messagerie"),
                      email=spec.get("email", ""), price_per_kg=Decimal(str(spec.get("price_per_kg", "0.50"))),
                      min_charge=Decimal(str(spec.get("min_charge", "12.00"))))
    uow.session.add(carrier)
    uow.session.flush()
    install_offer(uow.session, uow.workspace_id, carrier)
    return carrier


# ===== firing =============================================================

def _match(entry: JournalEntry, when: dict, resolve) -> bool:
    if not fnmatch.fnmatch(entry.kind, when["journal"]):
        return False
    for field_name in ("customer", "supplier", "order", "invoice"):
        if field_name in when:
            wanted = resolve(field_name, when[field_name])
            if wanted is None or entry.refs.get(field_name) != wanted:
                return False
    return True


def waiting_for_the_journal():
    """The condition of a pending event no clock time is set for yet: a ``when``
    trigger waiting for its journal entry (or a ``manual`` one, for the trainer)."""
    return (ScenarioEvent.status == EventStatus.PENDING) & ScenarioEvent.due_at.is_(None) & (
        ScenarioEvent.after_key == "")


def _waiting(uow: UnitOfWork):
    return select(ScenarioEvent).where(waiting_for_the_journal())


def needs_arming(uow: UnitOfWork) -> bool:
    """New journal entries since the last look, and a ``when`` event waiting for one."""
    workspace = uow.session.get(Workspace, uow.workspace_id)
    if workspace.journal_seq <= workspace.trigger_seq:
        return False
    return uow.session.scalar(_waiting(uow).with_only_columns(ScenarioEvent.id).limit(1)) is not None


def arm_triggers(uow: UnitOfWork) -> int:
    """Give a due time to every pending ``when`` event whose journal pattern has
    appeared since the last look (``Workspace.trigger_seq``): each journal entry
    is looked at once, not once per waiting event and tick."""
    workspace = uow.session.get(Workspace, uow.workspace_id)
    seen, head = workspace.trigger_seq, workspace.journal_seq
    if head <= seen:
        return 0
    waiting = [e for e in uow.session.scalars(_waiting(uow)).all() if e.when]
    armed = 0
    if waiting:
        ctx = EventContext(uow)

        def resolve(kind, name):
            try:
                obj = ctx.entity(kind, name)
            except LookupError:  # named by an event that has not fired yet: nothing can match it
                return None
            return getattr(obj, "code", None) or getattr(obj, "number", None)

        # what the scenario itself did never arms a trigger
        entries = uow.session.scalars(select(JournalEntry).where(
            JournalEntry.seq > seen, JournalEntry.seq <= head, ~JournalEntry.actor.startswith(ACTOR))
            .order_by(JournalEntry.seq)).all()
        for event in waiting:
            for entry in entries:
                if _match(entry, event.when, resolve):
                    delay = parse_delay(event.when["delay"]) if event.when.get("delay") else timedelta(0)
                    event.due_at = entry.sim_time + delay
                    armed += 1
                    break
    workspace.trigger_seq = head
    return armed


def next_due(uow: UnitOfWork) -> datetime | None:
    return uow.session.scalar(select(ScenarioEvent.due_at).where(
        ScenarioEvent.status == EventStatus.PENDING, ScenarioEvent.due_at.is_not(None))
        .order_by(ScenarioEvent.due_at, ScenarioEvent.position).limit(1))


def fire(engine, workspace_id: int, event_id: int) -> bool:
    """Fire one event in its own transaction; False if another process took it first.

    A handler that fails leaves nothing half-done (its transaction rolls back);
    the event is then set aside as failed, with its error, and the timeline goes on."""
    try:
        return _fire(engine, workspace_id, event_id)
    except Exception as exc:  # noqa: BLE001 - any failure of a trainer's event is reported, not fatal
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        with UnitOfWork(workspace_id, engine=engine) as uow:
            table = ScenarioEvent.__table__
            if uow.session.execute(update(table).where(table.c.id == event_id, table.c.status == EventStatus.PENDING)
                                   .values(status=EventStatus.FAILED, error=message[:500])).rowcount:
                event = uow.session.get(ScenarioEvent, event_id)
                journal.append(uow, kind="scenario.event_failed", actor=ACTOR, refs={"event": event.key},
                               payload={"kind": event.kind, "error": message[:500]})
                uow.commit()
        return False


def _fire(engine, workspace_id: int, event_id: int) -> bool:
    with UnitOfWork(workspace_id, engine=engine) as uow:
        table = ScenarioEvent.__table__
        claimed = uow.session.execute(update(table).where(table.c.id == event_id,
                                                          table.c.status == EventStatus.PENDING)
                                      .values(status=EventStatus.FIRED)).rowcount
        if not claimed:
            return False
        event = uow.session.get(ScenarioEvent, event_id)
        now = sim_now(uow)
        event.fired_at = now
        ctx = EventContext(uow, event_key=event.key)
        journal.append(uow, kind="scenario.event_fired", actor=ACTOR, refs={"event": event.key},
                       payload={"kind": event.kind, "due_at": event.due_at})
        registry()[event.kind].handle(ctx, event.spec)
        # events that follow this one are now due
        for follower in uow.session.scalars(select(ScenarioEvent).where(
                ScenarioEvent.after_key == event.key, ScenarioEvent.status == EventStatus.PENDING)):
            follower.due_at = now + timedelta(seconds=follower.after_seconds)
        uow.commit()
    return True


def fire_due(engine, workspace_id: int) -> list[str]:
    """Fire, in order, every pending event whose time has come on the workspace's
    clock: the one tick that the dry run and the live scheduler both drive. An
    idle tick only reads: it writes when a trigger is to be armed or an event fired."""
    fired = []
    while True:
        with UnitOfWork(workspace_id, engine=engine, write=False) as reader:
            arming = needs_arming(reader)
        if arming:
            with UnitOfWork(workspace_id, engine=engine) as uow:
                arm_triggers(uow)
                uow.commit()
        with UnitOfWork(workspace_id, engine=engine, write=False) as reader:
            now = sim_now(reader)
            event = reader.session.scalars(select(ScenarioEvent).where(
                ScenarioEvent.status == EventStatus.PENDING, ScenarioEvent.due_at <= now)
                .order_by(ScenarioEvent.due_at, ScenarioEvent.position)).first()
            if event is None:
                return fired
            event_id, key = event.id, event.key
        if fire(engine, workspace_id, event_id):
            fired.append(key)
