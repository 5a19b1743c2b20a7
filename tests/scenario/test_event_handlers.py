"""Each kind of scenario event, fired through the engine on a small company, does
to the database what its services do when a person acts — and journals it.

The rule (DESIGN.md, "How data flows"): the scenario engine calls the same
domain services as the candidate's clicks, and a service writes its journal
entry in the same transaction. So each test below installs a scenario of one
or two events, moves the paused clock past them, calls ``fire_due`` and reads
back the real rows (orders, stock, invoices, messages) and the journal.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from sim.billing.models import Invoice, InvoiceStatus
from sim.clock import set_clock
from sim.company.models import Company
from sim.crm.models import Contact, Customer, Interaction, MessageAttachment
from sim.crm.service import customer_balance
from sim.tradeshow.models import Visitor
from sim.db import UnitOfWork, get_engine
from sim.documents.models import Document
from sim.inbox.service import send
from sim.journal.models import JournalEntry
from sim.receivables.models import Payment, PaymentAllocation
from sim.receivables.service import record_payment
from sim.sales.models import OrderLine, OrderStatus, SalesOrder
from sim.sales.service import LineInput, create_quote
from sim.scenario.engine import EventContext, fire_due, install
from sim.scenario.events import registry
from sim.scenario.models import ScenarioEntity
from sim.stock.models import Carrier, Delivery, DeliveryStatus, Product, PurchaseOrder, StockMove, StockMoveKind
from sim.stock.service import ship_delivery

CANDIDATE = "candidate:test"
START = datetime(2026, 11, 2, 8, 30)  # Monday, the office opens


# ===== a small scenario, installed and played ===========================

def pdf_text(content: bytes) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
                          ).stdout.decode()


def company(**sections) -> dict:
    """Durand (a French customer with a buyer), Nordfil (a supplier) and two of
    its products; each test adds the sections its event needs."""
    base = {
        "seed": 5, "size": "small",
        "customers": {"durand": {"name": "Durand Emballages", "credit_limit": 50000,
                                 "contact": {"first_name": "Claire", "last_name": "Durand",
                                             "email": "c.durand@durand-emballages.fr", "job_title": "Acheteuse"}}},
        "suppliers": {"nordfil": {"name": "Nordfil Emballages", "email": "adv@nordfil.example",
                                  "lead_time_days": 12}},
        "products": {"film": {"name": "Film étirable 23 µm", "reference": "FIL-9001", "price": "48.90",
                              "cost": "29.10", "stock": 50, "supplier": "nordfil"},
                     "tape": {"name": "Adhésif PP 48 mm", "reference": "ADH-4801", "price": "2.40",
                              "cost": "1.05", "stock": 0, "supplier": "nordfil"}},
    }
    for name, value in sections.items():
        base[name] = {**base.get(name, {}), **value} if isinstance(value, dict) else value
    return base


def scenario(*timeline: dict, **sections) -> dict:
    return {"id": "handlers", "title": "Un événement à la fois", "start": START.isoformat(),
            "company": company(**sections), "timeline": list(timeline)}


_played: list[int] = []


@pytest.fixture(autouse=True)
def every_entry_matches_the_catalogue():
    """Whatever an event does, what it journals has the catalogue's shape."""
    from sim.journal.catalogue import problems

    _played.clear()
    yield
    for ws in _played:
        with UnitOfWork(ws, write=False) as uow:
            found = [f"#{e.seq} {e.kind}: {p}" for e in uow.session.scalars(select(JournalEntry))
                     for p in problems(e.kind, e.refs, e.payload, e.version)]
        assert found == []


def installed(make_workspace, scn: dict, **kw) -> int:
    ws = make_workspace(**kw).id
    _played.append(ws)
    with UnitOfWork(ws) as uow:
        install(uow, scn)
        uow.commit()
    return ws


def play_until(ws: int, moment: datetime) -> list[str]:
    """Move the paused clock to ``moment`` and fire what has come due."""
    with UnitOfWork(ws) as uow:
        set_clock(uow, sim_time=moment, speed=0)
        uow.commit()
    return fire_due(get_engine(), ws)


def entity(ws: int, kind: str, name: str):
    with UnitOfWork(ws, write=False) as uow:
        return EventContext(uow).entity(kind, name)


def entries(ws: int, kind: str) -> list[JournalEntry]:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == kind)
                                   .order_by(JournalEntry.seq)).all()


def one_entry(ws: int, kind: str) -> JournalEntry:
    [entry] = entries(ws, kind)
    return entry


def message_of(ws: int, event_key: str) -> Interaction:
    """The one inbound message the event delivered."""
    with UnitOfWork(ws, write=False) as uow:
        [message] = uow.session.scalars(select(Interaction).where(Interaction.event_key == event_key)).all()
        return message


def assert_received(ws: int, message: Interaction, event_key: str, **refs) -> JournalEntry:
    """The message is unread in the inbox at the event's time, journaled
    ``message.received`` with the event's key and the party's code."""
    assert (message.channel, message.direction, message.read) == ("email", "in", False)
    [entry] = [e for e in entries(ws, "message.received") if e.refs["message"] == message.reference]
    assert entry.actor == "scenario"
    assert entry.refs == {"message": message.reference, "event": event_key, **refs}
    assert entry.payload["subject"] == message.subject
    assert entry.sim_time == message.sim_time
    return entry


def fired_entry(ws: int, key: str) -> JournalEntry:
    [entry] = [e for e in entries(ws, "scenario.event_fired") if e.refs == {"event": key}]
    return entry


def msg(subject: str, body: str = "Bonjour,\n\nCordialement.", **kw) -> dict:
    return {"subject": subject, "body": body, **kw}


# ===== the inbox ========================================================

def test_every_event_kind_of_the_library_has_a_test_here():
    """Adding an event kind is adding a module (events/__init__.py): it needs its test too."""
    tested = {"email", "customer_order", "supplier_delay", "carrier_incident", "payment_missed",
              "partial_payment", "bill_rejected", "new_customer", "stock_shortage", "price_increase",
              "trade_show_announced", "trade_show_day", "management_request", "management_decision", "reply",
              "einvoice_status", "communication_request", "promise_broken", "invoice_disputed",
              "customer_claim", "phone_call", "visitor",
              # in test_purchasing_events_act_on_the_candidates_purchase_order.py
              "supplier_ack", "goods_received",
              # in tests/projects/test_trade_show_project_in_scenarios.py
              "supplier_quote"}
    assert set(registry()) == tested


def test_an_email_lands_unread_in_the_inbox_with_the_invoice_and_quote_pdfs_it_attaches(make_workspace):
    """email: an inbound message from a scenario customer; ``attach`` prints the
    named documents (sim/documents/service.store) and attaches them."""
    scn = scenario({"id": "durand_writes", "kind": "email", "at": "2026-11-02T10:00",
                    "from": {"customer": "durand"},
                    "message": msg("Votre facture et votre devis", "Bonjour,\nPouvez-vous vérifier ?"),
                    "attach": [{"document": "invoice", "of": "oct_invoice"},
                               {"document": "quote", "of": "durand_quote"}]},
                   invoices={"oct_invoice": {"customer": "durand", "date": "2026-10-20",
                                             "lines": [{"product": "film", "quantity": 2}]}})
    ws = installed(make_workspace, scn)
    # a quote the customer received earlier, named so that the event can attach it
    durand = entity(ws, "customer", "durand")
    with UnitOfWork(ws) as uow:
        quote = create_quote(uow, actor=CANDIDATE, customer_id=durand.id,
                             lines=[LineInput(entity(ws, "product", "tape").id, "100")])
        uow.commit()
    with UnitOfWork(ws) as uow:
        EventContext(uow).register("quote", "durand_quote", quote)
        uow.commit()
    invoice = entity(ws, "invoice", "oct_invoice")

    assert play_until(ws, datetime(2026, 11, 2, 10, 0)) == ["durand_writes"]

    message = message_of(ws, "durand_writes")
    assert (message.subject, message.body) == ("Votre facture et votre devis", "Bonjour,\nPouvez-vous vérifier ?")
    # sent by the customer's buyer (the primary contact), in the customer's language
    assert (message.counterpart_role, message.customer_id) == ("customer", durand.id)
    assert message.counterpart_name == "Claire Durand — Durand Emballages"
    assert message.counterpart_email == "c.durand@durand-emballages.fr"
    assert message.language == "fr" and message.sim_time == datetime(2026, 11, 2, 10, 0)
    with UnitOfWork(ws, write=False) as uow:
        assert message.contact_id == uow.session.scalars(select(Contact.id).where(
            Contact.customer_id == durand.id)).one()
        documents = uow.session.scalars(
            select(Document).join(MessageAttachment, MessageAttachment.document_id == Document.id)
            .where(MessageAttachment.interaction_id == message.id).order_by(MessageAttachment.id)).all()
    # two PDFs, in the order given, each the real printed document of its entity
    assert [(d.kind, d.ref_id) for d in documents] == [("invoice", invoice.id), ("quote", quote.id)]
    assert [d.filename for d in documents] == [f"Facture_{invoice.number}.pdf", f"Devis_{quote.number}.pdf"]
    assert all(d.mime_type == "application/pdf" and d.content.startswith(b"%PDF") for d in documents)
    entry = assert_received(ws, message, "durand_writes", customer=durand.code)
    assert entry.payload["attachments"] == [d.filename for d in documents]
    assert entry.payload["role"] == "customer"
    # each PDF is journaled as generated, by the scenario, before the message that carries it
    generated = [e for e in entries(ws, "document.generated") if e.actor == "scenario"]
    assert [e.refs for e in generated] == [{"invoice": invoice.number, "customer": durand.code},
                                          {"quote": quote.number, "customer": durand.code}]
    assert all(e.seq < entry.seq for e in generated)
    assert fired_entry(ws, "durand_writes").seq < generated[0].seq


# ===== sales, stock and purchasing =======================================

def test_a_customer_order_is_entered_as_a_draft_with_its_lines_and_the_customers_message(make_workspace):
    """customer_order: the order is entered (sales.create_order) but left in draft,
    for the candidate to check and confirm; the customer's email comes with it."""
    scn = scenario({"id": "durand_orders", "kind": "customer_order", "at": "2026-11-02T11:00",
                    "customer": "durand", "customer_po": "DE-4412", "name": "durand_order",
                    "lines": [{"product": "film", "quantity": 12}, {"product": "tape", "quantity": "36"}],
                    "message": msg("Commande DE-4412")})
    ws = installed(make_workspace, scn)
    durand = entity(ws, "customer", "durand")

    play_until(ws, datetime(2026, 11, 2, 11, 30))

    order = entity(ws, "order", "durand_order")  # registered under its scenario name
    assert (order.customer_id, order.customer_po, order.status) == (durand.id, "DE-4412", OrderStatus.DRAFT)
    assert order.order_date == date(2026, 11, 2)
    with UnitOfWork(ws, write=False) as uow:
        lines = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)
                                    .order_by(OrderLine.position)).all()
    # priced from the catalogue: 12 × 48.90 = 586.80; 36 × 2.40 = 86.40
    assert [(l.product_id, l.quantity, l.line_total_ht) for l in lines] == [
        (entity(ws, "product", "film").id, D("12.000"), D("586.80")),
        (entity(ws, "product", "tape").id, D("36.000"), D("86.40"))]
    assert order.total_ht == D("673.20")
    # a draft reserves nothing: stock is untouched until the candidate confirms
    assert entity(ws, "product", "film").stock_reserved == D("0")
    created = one_entry(ws, "order.created")
    assert (created.actor, created.refs) == ("scenario", {"order": order.number, "customer": durand.code})
    assert created.payload["customer_po"] == "DE-4412" and created.payload["total_ht"] == "673.20"
    assert entries(ws, "order.confirmed") == []
    message = message_of(ws, "durand_orders")
    assert message.subject == "Commande DE-4412" and message.customer_id == durand.id
    assert_received(ws, message, "durand_orders", customer=durand.code)
    # the customer's own purchase order comes attached, as a PDF with their number and lines
    with UnitOfWork(ws, write=False) as uow:
        [document] = uow.session.scalars(select(Document).join(
            MessageAttachment, MessageAttachment.document_id == Document.id).where(
            MessageAttachment.interaction_id == message.id)).all()
    assert document.kind == "customer_po" and document.content.startswith(b"%PDF")
    text = pdf_text(document.content)
    assert "BON DE COMMANDE" in text and "DE-4412" in text and "586,80" in text


def test_a_supplier_delay_moves_the_purchase_orders_confirmed_date(make_workspace):
    """supplier_delay: the supplier's new acknowledged date replaces the confirmed
    one (stock.move_purchase_order_date); domain/supply-chain.md, purchase follow-up."""
    scn = scenario({"id": "nordfil_late", "kind": "supplier_delay", "at": "2026-11-02T10:15",
                    "purchase_order": "po_film", "new_date": "2026-11-16", "reason": "Panne d'extrusion",
                    "message": msg("Report de livraison")},
                   purchase_orders={"po_film": {"supplier": "nordfil", "date": "2026-10-26",
                                                "expected": "2026-11-04",
                                                "lines": [{"product": "film", "quantity": 200}]}})
    ws = installed(make_workspace, scn)
    po = entity(ws, "purchase_order", "po_film")
    assert (po.requested_date, po.confirmed_date) == (date(2026, 11, 4), date(2026, 11, 4))

    play_until(ws, datetime(2026, 11, 2, 10, 15))

    with UnitOfWork(ws, write=False) as uow:
        po = uow.session.get(PurchaseOrder, po.id)
    # the confirmed date moves 12 days; what the company asked for stays on record
    assert (po.requested_date, po.confirmed_date) == (date(2026, 11, 4), date(2026, 11, 16))
    nordfil = entity(ws, "supplier", "nordfil")
    delayed = one_entry(ws, "purchase_order.delayed")
    assert (delayed.actor, delayed.refs) == ("scenario", {"purchase_order": po.number, "supplier": nordfil.code})
    assert delayed.payload == {"previous_date": "2026-11-04", "new_date": "2026-11-16",
                               "reason": "Panne d'extrusion", "days_late": 12}
    message = message_of(ws, "nordfil_late")
    assert (message.counterpart_role, message.supplier_id, message.counterpart_email) == (
        "supplier", nordfil.id, "adv@nordfil.example")
    assert_received(ws, message, "nordfil_late", supplier=nordfil.code)


def test_a_carrier_incident_marks_the_last_delivery_of_the_order_and_the_carrier_writes(make_workspace):
    """carrier_incident: the incident is on the order's last delivery
    (stock.record_carrier_incident); earlier deliveries are untouched."""
    scn = scenario({"id": "parcel_damaged", "kind": "carrier_incident", "at": "2026-11-03T09:00",
                    "order": "durand_order", "incident": "damaged", "new_date": "2026-11-06",
                    "message": msg("Avarie sur votre envoi")},
                   orders={"durand_order": {"customer": "durand", "date": "2026-10-30",
                                            "lines": [{"product": "film", "quantity": 10}]}})
    ws = installed(make_workspace, scn)
    order = entity(ws, "order", "durand_order")
    assert order.status == OrderStatus.CONFIRMED
    # the candidate ships the order in two parcels on Monday
    with UnitOfWork(ws, write=False) as uow:
        [line] = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
        carrier = uow.session.scalars(select(Carrier).order_by(Carrier.id)).first()
    parcels = []
    for quantity in ("4", "6"):
        with UnitOfWork(ws) as uow:
            parcels.append(ship_delivery(uow, actor=CANDIDATE, order_id=order.id, quantities={line.id: quantity},
                                         carrier_id=carrier.id))
            uow.commit()

    play_until(ws, datetime(2026, 11, 3, 9, 0))

    with UnitOfWork(ws, write=False) as uow:
        first, last = (uow.session.get(Delivery, p.id) for p in parcels)
    assert (first.status, last.status) == (DeliveryStatus.SHIPPED, DeliveryStatus.INCIDENT)
    durand = entity(ws, "customer", "durand")
    incident = one_entry(ws, "delivery.incident")
    assert (incident.actor, incident.refs) == ("scenario", {"delivery": last.number, "order": order.number,
                                                            "customer": durand.code})
    assert incident.payload == {"incident": "damaged", "new_date": "2026-11-06"}
    message = message_of(ws, "parcel_damaged")  # from the carrier of that delivery
    assert (message.counterpart_role, message.counterpart_name, message.counterpart_email) == (
        "carrier", carrier.name, carrier.email)
    assert message.customer_id is None and message.supplier_id is None
    assert_received(ws, message, "parcel_damaged")


def test_a_stock_shortage_lowers_stock_on_hand_with_an_adjustment_move(make_workspace):
    """stock_shortage: an inventory difference (stock.adjust_stock), one signed
    stock move of kind adjustment; domain/supply-chain.md, stock."""
    scn = scenario({"id": "broken_pallet", "kind": "stock_shortage", "at": "2026-11-02T14:00",
                    "product": "film", "quantity_lost": 8, "reason": "Palette renversée",
                    "message": msg("Palette endommagée")})
    ws = installed(make_workspace, scn)
    film = entity(ws, "product", "film")
    assert film.stock_on_hand == D("50")

    play_until(ws, datetime(2026, 11, 2, 14, 0))

    with UnitOfWork(ws, write=False) as uow:
        film = uow.session.get(Product, film.id)
        opening, move = uow.session.scalars(select(StockMove).where(StockMove.product_id == film.id)
                                            .order_by(StockMove.id)).all()
    assert film.stock_on_hand == D("42.000")  # 50 − 8
    assert (opening.kind, opening.quantity) == (StockMoveKind.RECEIPT, D("50.000"))  # the scenario's opening stock
    assert (move.kind, move.quantity, move.move_date, move.note) == (
        StockMoveKind.ADJUSTMENT, D("-8.000"), date(2026, 11, 2), "Palette renversée")
    adjusted = one_entry(ws, "stock.adjusted")
    assert (adjusted.actor, adjusted.refs) == ("scenario", {"product": "FIL-9001"})
    assert D(adjusted.payload["quantity"]) == D("-8") and D(adjusted.payload["stock_on_hand"]) == D("42")
    assert adjusted.payload["reason"] == "Palette renversée"
    message = message_of(ws, "broken_pallet")  # from the warehouse, an internal mailbox
    assert (message.counterpart_role, message.counterpart_name) == ("management", "Entrepôt")
    assert_received(ws, message, "broken_pallet")


def test_a_price_increase_raises_the_purchase_cost_of_the_suppliers_products_only(make_workspace):
    """price_increase: each of the supplier's products costs ``percent`` more,
    rounded to the cent (stock.raise_supplier_prices); selling prices stay."""
    scn = scenario({"id": "nordfil_prices", "kind": "price_increase", "at": "2026-11-02T09:00",
                    "supplier": "nordfil", "percent": "4.5", "effective": "2026-12-01",
                    "message": msg("Nouveaux tarifs au 1er décembre")},
                   suppliers={"other": {"name": "Autre Fournisseur"}},
                   products={"box": {"name": "Carton double cannelure", "reference": "CAR-0101", "price": "3.20",
                                     "cost": "1.90", "supplier": "other"}})
    ws = installed(make_workspace, scn)

    play_until(ws, datetime(2026, 11, 2, 9, 0))

    film, tape, box = (entity(ws, "product", n) for n in ("film", "tape", "box"))
    # 29.10 × 1.045 = 30.4095 → 30.41; 1.05 × 1.045 = 1.09725 → 1.10
    assert (film.purchase_cost, tape.purchase_cost) == (D("30.41"), D("1.10"))
    assert (film.price_ht, tape.price_ht) == (D("48.90"), D("2.40"))
    assert box.purchase_cost == D("1.90")  # another supplier's product
    nordfil = entity(ws, "supplier", "nordfil")
    raised = one_entry(ws, "supplier.prices_raised")
    assert (raised.actor, raised.refs) == ("scenario", {"supplier": nordfil.code})
    assert raised.payload == {"percent": "4.5", "effective": "2026-12-01", "products": ["FIL-9001", "ADH-4801"]}
    message = message_of(ws, "nordfil_prices")
    assert (message.counterpart_role, message.supplier_id) == ("supplier", nordfil.id)
    assert_received(ws, message, "nordfil_prices", supplier=nordfil.code)


def test_a_price_increase_rounds_a_half_cent_up_as_every_amount_in_advsim(make_workspace):
    """advsim rounds money to the cent half up, never banker's rounding
    (sim/sales/pricing.py ``money``; domain/payment-and-invoicing.md §6)."""
    scn = scenario({"id": "nordfil_prices", "kind": "price_increase", "at": "2026-11-02T09:00",
                    "supplier": "nordfil", "percent": "3.4", "message": msg("Nouveaux tarifs")},
                   products={"film": {"name": "Film étirable 23 µm", "reference": "FIL-9001", "price": "48.90",
                                      "cost": "12.50", "stock": 50, "supplier": "nordfil"}})
    ws = installed(make_workspace, scn)

    play_until(ws, datetime(2026, 11, 2, 9, 0))

    # 12.50 × 1.034 = 12.925 exactly: half a cent, rounded up
    assert entity(ws, "product", "film").purchase_cost == D("12.93")


# ===== receivables =======================================================

def _invoice_section(paid=None) -> dict:
    # invoiced on 20 Oct: 2 × 48.90 = 97.80 HT, VAT 19.56, 117.36 TTC; 30 days net → due 19 Nov
    spec = {"customer": "durand", "date": "2026-10-20", "lines": [{"product": "film", "quantity": 2}]}
    return {"oct_invoice": {**spec, **({"paid": paid} if paid else {})}}


def test_a_missed_payment_leaves_the_invoice_open_and_overdue_once_its_due_date_has_passed(make_workspace):
    """payment_missed: nothing is paid; the invoice stays open and is overdue from
    the day after its due date (crm.service ``_balances``; receivables-recovery.md §1)."""
    scn = scenario({"id": "no_transfer", "kind": "payment_missed", "at": "2026-11-19T17:00",
                    "invoice": "oct_invoice", "message": msg("Virement Durand non reçu")},
                   invoices=_invoice_section())
    ws = installed(make_workspace, scn)
    invoice = entity(ws, "invoice", "oct_invoice")
    durand = entity(ws, "customer", "durand")
    assert (invoice.total_ttc, invoice.due_date) == (D("117.36"), date(2026, 11, 19))

    # on the due date itself: the payment did not come, the invoice is open but not late yet
    assert play_until(ws, datetime(2026, 11, 19, 17, 0)) == ["no_transfer"]
    with UnitOfWork(ws, write=False) as uow:
        invoice = uow.session.get(Invoice, invoice.id)
        balance = customer_balance(uow, uow.session.get(Customer, durand.id))
        payments = uow.session.scalars(select(Payment).where(Payment.customer_id == durand.id)).all()
    assert (invoice.amount_due, invoice.status) == (D("117.36"), InvoiceStatus.ISSUED)
    assert payments == []
    assert (balance.outstanding, balance.overdue) == (D("117.36"), D("0.00"))
    missed = one_entry(ws, "payment.not_received")
    assert (missed.actor, missed.refs) == ("scenario", {"invoice": invoice.number, "event": "no_transfer"})
    assert missed.payload == {"due_date": "2026-11-19", "amount_due": "117.36"}
    assert entries(ws, "payment.recorded") == []
    message = message_of(ws, "no_transfer")  # accounting tells the candidate
    assert message.counterpart_role == "accounting"
    assert_received(ws, message, "no_transfer")

    # the next morning it is overdue, for its whole amount
    play_until(ws, datetime(2026, 11, 20, 8, 30))
    with UnitOfWork(ws, write=False) as uow:
        balance = customer_balance(uow, uow.session.get(Customer, durand.id))
        assert uow.session.get(Invoice, invoice.id).amount_due == D("117.36")
    assert (balance.overdue, balance.oldest_due) == (D("117.36"), date(2026, 11, 19))


def test_a_partial_payment_lowers_what_is_due_and_marks_the_invoice_partly_paid(make_workspace):
    """partial_payment: a payment for part of the invoice, allocated to it
    (receivables.record_payment)."""
    scn = scenario({"id": "durand_pays_half", "kind": "partial_payment", "at": "2026-11-05T10:00",
                    "invoice": "oct_invoice", "amount": "50,00", "method": "cheque",
                    "message": msg("Règlement partiel", "Voici un premier chèque de 50 €.")},
                   invoices=_invoice_section())
    ws = installed(make_workspace, scn)
    invoice = entity(ws, "invoice", "oct_invoice")
    durand = entity(ws, "customer", "durand")

    play_until(ws, datetime(2026, 11, 5, 10, 0))

    with UnitOfWork(ws, write=False) as uow:
        invoice = uow.session.get(Invoice, invoice.id)
        [payment] = uow.session.scalars(select(Payment).where(Payment.customer_id == durand.id)).all()
        [allocation] = uow.session.scalars(select(PaymentAllocation)
                                           .where(PaymentAllocation.payment_id == payment.id)).all()
    assert (invoice.amount_due, invoice.status) == (D("67.36"), InvoiceStatus.PARTIALLY_PAID)  # 117.36 − 50.00
    assert (payment.amount, payment.method, payment.received_on, payment.rejected) == (
        D("50.00"), "cheque", date(2026, 11, 5), False)
    assert (allocation.invoice_id, allocation.amount) == (invoice.id, D("50.00"))
    recorded = one_entry(ws, "payment.recorded")
    assert (recorded.actor, recorded.refs) == ("scenario", {"customer": durand.code, "payment": payment.number})
    assert recorded.payload["amount"] == "50.00" and recorded.payload["method"] == "cheque"
    assert recorded.payload["allocations"] == [{"invoice": invoice.number, "amount": "50.00", "days_late": 0}]
    message = message_of(ws, "durand_pays_half")
    assert message.customer_id == durand.id
    assert_received(ws, message, "durand_pays_half", customer=durand.code)


def test_a_rejected_bill_cancels_the_payment_and_the_invoice_is_owed_again(make_workspace):
    """bill_rejected: the bank returns the bill of exchange (LCR) unpaid; the
    payment is marked rejected and its allocation undone (receivables.reject_payment)."""
    scn = scenario({"id": "lcr_paid", "kind": "partial_payment", "at": "2026-11-19T09:00",
                    "invoice": "oct_invoice", "amount": "117.36", "method": "bill"},
                   {"id": "lcr_returned", "kind": "bill_rejected", "at": "2026-11-24T09:00",
                    "invoice": "oct_invoice", "reason": "Provision insuffisante",
                    "message": msg("LCR impayée — Durand Emballages")},
                   invoices=_invoice_section())
    ws = installed(make_workspace, scn)
    invoice = entity(ws, "invoice", "oct_invoice")
    durand = entity(ws, "customer", "durand")

    # the bill is paid at its due date: nothing is owed any more
    assert play_until(ws, datetime(2026, 11, 19, 9, 0)) == ["lcr_paid"]
    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.get(Invoice, invoice.id).status == InvoiceStatus.PAID

    # five days later the bank returns it unpaid
    assert play_until(ws, datetime(2026, 11, 24, 9, 0)) == ["lcr_returned"]
    with UnitOfWork(ws, write=False) as uow:
        invoice = uow.session.get(Invoice, invoice.id)
        [payment] = uow.session.scalars(select(Payment).where(Payment.customer_id == durand.id)).all()
        balance = customer_balance(uow, uow.session.get(Customer, durand.id))
    assert payment.rejected and payment.method == "bill"
    assert (invoice.amount_due, invoice.status) == (D("117.36"), InvoiceStatus.ISSUED)
    assert (balance.outstanding, balance.overdue) == (D("117.36"), D("117.36"))  # due 19 Nov, now late
    rejected = one_entry(ws, "payment.rejected")
    assert rejected.actor == "scenario"
    assert rejected.refs == {"invoice": invoice.number, "customer": durand.code, "payment": payment.number}
    assert rejected.payload == {"reason": "Provision insuffisante", "amount": "117.36", "amount_due": "117.36"}
    message = message_of(ws, "lcr_returned")  # from the bank, shown as accounting
    assert (message.counterpart_role, message.counterpart_name) == ("accounting", "Banque — service des effets")
    assert_received(ws, message, "lcr_returned")


def test_the_e_invoicing_platform_moves_the_invoice_status_and_the_journal_keeps_each_move(make_workspace):
    """einvoice_status: the platform reports the invoice received by the buyer's
    platform, then refused with the buyer's reason (sim/billing/einvoice.py); a
    refused invoice is final, so a later "collected" fails and changes nothing."""
    scn = scenario({"id": "received", "kind": "einvoice_status", "at": "2026-11-02T09:00",
                    "invoice": "oct_invoice", "status": "received"},
                   {"id": "refused", "kind": "einvoice_status", "at": "2026-11-03T11:00",
                    "invoice": "oct_invoice", "status": "refused", "reason": "Prix non conforme à la commande",
                    "message": msg("Facture refusée par le destinataire")},
                   {"id": "too_late", "kind": "einvoice_status", "at": "2026-11-04T09:00",
                    "invoice": "oct_invoice", "status": "collected"},
                   invoices=_invoice_section())
    ws = installed(make_workspace, scn)
    invoice = entity(ws, "invoice", "oct_invoice")
    durand = entity(ws, "customer", "durand")
    assert invoice.einvoice_status == "deposited"  # deposited on its platform as it was issued

    assert play_until(ws, datetime(2026, 11, 2, 9, 0)) == ["received"]
    assert entity(ws, "invoice", "oct_invoice").einvoice_status == "received"
    assert play_until(ws, datetime(2026, 11, 3, 11, 0)) == ["refused"]
    refused = entity(ws, "invoice", "oct_invoice")
    assert (refused.einvoice_status, refused.einvoice_reason) == ("refused", "Prix non conforme à la commande")
    assert refused.einvoice_status_at == datetime(2026, 11, 3, 11, 0)
    moves = entries(ws, "invoice.einvoice_status")
    assert [(e.refs, e.payload) for e in moves] == [
        ({"invoice": invoice.number, "customer": durand.code, "event": "received"},
         {"status": "received", "code": "202", "previous": "deposited", "reason": ""}),
        ({"invoice": invoice.number, "customer": durand.code, "event": "refused"},
         {"status": "refused", "code": "210", "previous": "received", "reason": "Prix non conforme à la commande"}),
    ]
    message = message_of(ws, "refused")
    assert message.counterpart_name == "Plateforme agréée — facturation électronique"

    play_until(ws, datetime(2026, 11, 4, 9, 0))
    assert entity(ws, "invoice", "oct_invoice").einvoice_status == "refused"
    assert len(entries(ws, "invoice.einvoice_status")) == 2
    failed = one_entry(ws, "scenario.event_failed")
    assert failed.refs == {"event": "too_late"} and "ne peut pas devenir « Encaissée »" in failed.payload["error"]


def test_a_bill_rejected_after_a_part_payment_leaves_the_invoice_partly_paid(make_workspace):
    """Only the last payment is returned: an earlier one still counts."""
    scn = scenario({"id": "lcr_returned", "kind": "bill_rejected", "at": "2026-11-24T09:00",
                    "invoice": "oct_invoice", "message": msg("LCR impayée")},
                   invoices=_invoice_section(paid="17.36"))
    ws = installed(make_workspace, scn)
    invoice = entity(ws, "invoice", "oct_invoice")
    durand = entity(ws, "customer", "durand")
    with UnitOfWork(ws) as uow:  # the candidate records the customer's bill for the rest
        set_clock(uow, sim_time=datetime(2026, 11, 19, 9, 0), speed=0)
        record_payment(uow, actor=CANDIDATE, customer_id=durand.id, method="bill", amount="100.00",
                       allocations={invoice.id: "100.00"}, reference="LCR 0042")
        uow.commit()

    play_until(ws, datetime(2026, 11, 24, 9, 0))

    with UnitOfWork(ws, write=False) as uow:
        invoice = uow.session.get(Invoice, invoice.id)
        payments = uow.session.scalars(select(Payment).where(Payment.customer_id == durand.id)
                                       .order_by(Payment.id)).all()
    assert [(p.amount, p.rejected) for p in payments] == [(D("17.36"), False), (D("100.00"), True)]
    assert (invoice.amount_due, invoice.status) == (D("100.00"), InvoiceStatus.PARTIALLY_PAID)
    assert one_entry(ws, "payment.rejected").payload["amount"] == "100.00"


def test_a_bill_rejected_is_a_real_lcr_or_the_event_fails(make_workspace):
    """bill_rejected returns a bill of exchange: an invoice paid by transfer cannot come back so."""
    from sim.scenario.models import EventStatus, ScenarioEvent

    scn = scenario({"id": "lcr_returned", "kind": "bill_rejected", "at": "2026-11-24T09:00",
                    "invoice": "oct_invoice", "message": msg("LCR impayée")},
                   invoices=_invoice_section(paid={"amount": "117.36", "method": "transfer", "date": "2026-10-30"}))
    ws = installed(make_workspace, scn)
    play_until(ws, datetime(2026, 11, 24, 9, 0))
    with UnitOfWork(ws, write=False) as uow:
        event = uow.session.scalars(select(ScenarioEvent).where(ScenarioEvent.key == "lcr_returned")).one()
        [payment] = uow.session.scalars(select(Payment).where(Payment.amount == D("117.36"))).all()
    assert event.status == EventStatus.FAILED and not payment.rejected
    assert "n'est pas « Lettre de change (LCR) »" in entries(ws, "scenario.event_failed")[0].payload["error"]


def test_a_past_invoice_paid_by_lcr_on_its_date_and_the_customers_recovery_data(make_workspace):
    """paid: {amount, method, date}; customer_po; a customer's payment method and credit report;
    the company's recovery procedure."""
    from sim.receivables.models import CreditReport, RecoveryStep

    scn = scenario(invoices={"oct_invoice": {**_invoice_section()["oct_invoice"], "customer_po": "PO-77",
                                             "paid": {"amount": "117.36", "method": "bill", "date": "2026-10-31",
                                                      "reference": "LCR 0077"}}})
    scn["company"]["customers"]["durand"] |= {"payment_method": "bill", "credit_report": {
        "score": 35, "incidents": ["LCR impayée"], "recommended_limit": 2000}}
    scn["company"]["recovery_procedure"] = [{"level": "first", "offset_days": 3},
                                            {"level": "formal_notice", "offset_days": 20}]
    ws = installed(make_workspace, scn)
    invoice = entity(ws, "invoice", "oct_invoice")
    durand = entity(ws, "customer", "durand")
    with UnitOfWork(ws, write=False) as uow:
        [payment] = uow.session.scalars(select(Payment).where(Payment.customer_id == durand.id)).all()
        report = uow.session.scalars(select(CreditReport).where(CreditReport.customer_id == durand.id)).one()
        steps = uow.session.scalars(select(RecoveryStep).order_by(RecoveryStep.position)).all()
    assert (payment.method, payment.received_on, payment.reference) == ("bill", date(2026, 10, 31), "LCR 0077")
    assert invoice.customer_po == "PO-77" and durand.payment_method == "bill"
    assert (report.score, report.incidents, report.recommended_limit) == (35, "LCR impayée", D("2000.00"))
    assert [(s.level, s.offset_days, s.channel) for s in steps] == [("first", 3, "email"),
                                                                     ("formal_notice", 20, "registered")]


def test_a_promise_not_kept_is_marked_broken(make_workspace):
    """promise_broken: the latest promise noted on the invoice is broken (promise.broken); without
    one only the message arrives."""
    from sim.receivables.recovery import log_reminder_call

    scn = scenario({"id": "no_money", "kind": "promise_broken", "at": "2026-11-27T09:00", "invoice": "oct_invoice",
                    "message": msg("Virement promis non reçu")},
                   {"id": "still_nothing", "kind": "promise_broken", "at": "2026-11-30T09:00",
                    "invoice": "oct_invoice"},
                   invoices=_invoice_section())
    ws = installed(make_workspace, scn)
    invoice = entity(ws, "invoice", "oct_invoice")
    assert play_until(ws, datetime(2026, 11, 27, 9, 0)) == ["no_money"]  # nothing promised yet: the message only
    assert entries(ws, "promise.broken") == []
    assert message_of(ws, "no_money").counterpart_role == "accounting"
    with UnitOfWork(ws) as uow:
        log_reminder_call(uow, actor=CANDIDATE, customer_id=invoice.customer_id, invoice_ids=[invoice.id],
                          note="Virement promis pour le 29.", promised_date="2026-11-29")
        uow.commit()
    assert play_until(ws, datetime(2026, 11, 30, 9, 0)) == ["still_nothing"]
    entry = one_entry(ws, "promise.broken")
    assert entry.refs["event"] == "still_nothing" and entry.payload["promised_date"] == "2026-11-29"


def test_an_invoice_contested_with_payment_withheld_pauses_its_reminders(make_workspace):
    """invoice_disputed: the invoice is flagged (withhold_payment), its reminders pause."""
    from sim.receivables.recovery import invoice_states

    scn = scenario({"id": "contested", "kind": "invoice_disputed", "at": "2026-11-25T09:00",
                    "invoice": "oct_invoice", "reason": "Film livré percé", "withhold_payment": True,
                    "message": msg("Nous ne paierons pas cette facture")}, invoices=_invoice_section())
    ws = installed(make_workspace, scn)
    assert play_until(ws, datetime(2026, 11, 25, 9, 0)) == ["contested"]
    with UnitOfWork(ws, write=False) as uow:
        [state] = invoice_states(uow, customer_id=entity(ws, "customer", "durand").id)
    assert state.dispute.withhold_payment and state.paused.startswith("Paiement suspendu par le client")
    assert one_entry(ws, "invoice.dispute_flagged").payload["reason"] == "Film livré percé"


# ===== customers ==========================================================

def test_a_new_customer_is_created_registered_under_its_name_with_a_draft_first_order(make_workspace):
    """new_customer: the customer's record, its buyer, a first order in draft and
    its email, all in the event's transaction; the name serves later events."""
    scn = scenario({"id": "prospect_orders", "kind": "new_customer", "at": "2026-11-03T15:00",
                    "customer": "bakery", "name": "bakery_order", "customer_po": "BK-001",
                    "details": {"name": "Boulangerie Martin", "country": "FR", "city": "Lyon",
                                "payment_terms": "45_fdm", "credit_limit": "8000",
                                "contact": {"first_name": "Paul", "last_name": "Martin",
                                            "email": "paul@boulangerie-martin.fr"}},
                    "lines": [{"product": "film", "quantity": 40}],
                    "message": msg("Première commande")})
    ws = installed(make_workspace, scn)

    play_until(ws, datetime(2026, 11, 3, 15, 0))

    customer = entity(ws, "customer", "bakery")
    assert (customer.name, customer.city, customer.country, customer.language) == (
        "Boulangerie Martin", "Lyon", "FR", "fr")
    assert (customer.payment_terms, customer.credit_limit, customer.created_on) == (
        "45_fdm", D("8000.00"), date(2026, 11, 3))
    with UnitOfWork(ws, write=False) as uow:
        registered = uow.session.scalars(select(ScenarioEntity).where(ScenarioEntity.name == "bakery")).one()
        [contact] = uow.session.scalars(select(Contact).where(Contact.customer_id == customer.id)).all()
        [order] = uow.session.scalars(select(SalesOrder).where(SalesOrder.customer_id == customer.id)).all()
    assert (registered.kind, registered.ref_id) == ("customer", customer.id)
    assert (contact.email, contact.is_primary) == ("paul@boulangerie-martin.fr", True)
    assert entity(ws, "order", "bakery_order").id == order.id
    assert (order.status, order.customer_po, order.total_ht) == (OrderStatus.DRAFT, "BK-001", D("1956.00"))
    assert order.payment_terms == "45_fdm"  # the new customer's terms
    created = one_entry(ws, "order.created")
    assert (created.actor, created.refs) == ("scenario", {"order": order.number, "customer": customer.code})
    message = message_of(ws, "prospect_orders")
    assert (message.customer_id, message.counterpart_email) == (customer.id, "paul@boulangerie-martin.fr")
    assert message.counterpart_name == "Paul Martin — Boulangerie Martin"
    assert_received(ws, message, "prospect_orders", customer=customer.code)


def test_a_prospect_met_at_the_stand_who_orders_is_completed_not_created_twice(make_workspace):
    """new_customer: a prospect of the same company name (case, accents and legal form aside) is the
    customer: its blank fields are filled from the order's details, the credit limit granted with the
    order is set, both journaled; no second record."""
    from sim.crm.service import create_customer

    scn = scenario({"id": "first_order", "kind": "new_customer", "at": "2026-11-03T15:00",
                    "customer": "becker", "name": "becker_order",
                    "details": {"name": "Becker Versand GmbH", "country": "DE", "vat_number": "DE136695976",
                                "address": "Große Elbstraße 145", "postcode": "22767", "city": "Hamburg",
                                "credit_limit": 15000, "payment_terms": "30_net"},
                    "lines": [{"product": "film", "quantity": 10}], "message": msg("First order")})
    ws = installed(make_workspace, scn)
    with UnitOfWork(ws) as uow:
        prospect = create_customer(uow, actor=CANDIDATE, name="becker versand", country="DE", language="en",
                                   credit_limit=D("0"))
        prospect.status = "prospect"
        uow.commit()
        prospect_id, before = prospect.id, uow.session.scalar(select(func.count(Customer.id)))

    play_until(ws, datetime(2026, 11, 3, 15, 0))

    customer = entity(ws, "customer", "becker")
    assert customer.id == prospect_id
    assert (customer.vat_number, customer.city, customer.postcode, customer.credit_limit, customer.country) == (
        "DE136695976", "Hamburg", "22767", D("15000.00"), "DE")
    assert customer.name == "becker versand"  # what the candidate wrote stays
    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.scalar(select(func.count(Customer.id))) == before
        [order] = uow.session.scalars(select(SalesOrder).where(SalesOrder.customer_id == prospect_id)).all()
    updated = one_entry(ws, "customer.updated")
    assert (updated.actor, updated.refs) == ("scenario", {"customer": customer.code, "event": "first_order"})
    assert set(updated.payload["changes"]) == {"vat_number", "address", "postcode", "city", "credit_limit"}
    assert one_entry(ws, "customer.credit_limit_changed").payload["new"] == "15000.00"
    assert entity(ws, "order", "becker_order").id == order.id


# ===== management and the trade show ====================================

def _assert_from_management(ws: int, key: str) -> Interaction:
    message = message_of(ws, key)
    with UnitOfWork(ws, write=False) as uow:
        domain = uow.session.scalars(select(Company)).one().email.split("@")[-1]
    assert (message.counterpart_role, message.counterpart_name, message.counterpart_email) == (
        "management", "Direction commerciale", f"direction@{domain}")
    assert_received(ws, message, key)
    return message


def test_a_trade_show_announcement_is_journaled_with_its_details_and_management_writes(make_workspace):
    """trade_show_announced (CP7): the show's name, date, place, budget and
    objectives are in the journal for the evaluator."""
    scn = scenario({"id": "show_news", "kind": "trade_show_announced", "at": "2026-11-02T09:30",
                    "show": {"name": "Emballage Expo", "date": "2026-11-20", "place": "Lyon Eurexpo",
                             "budget": 3500, "objectives": ["20 contacts qualifiés", "5 devis"]},
                    "message": msg("Salon Emballage Expo", "Merci d'organiser notre présence.")})
    ws = installed(make_workspace, scn)

    play_until(ws, datetime(2026, 11, 2, 9, 30))

    announced = one_entry(ws, "trade_show.announced")
    assert (announced.actor, announced.refs) == ("scenario", {"event": "show_news"})
    assert announced.payload == {"name": "Emballage Expo", "date": "2026-11-20", "place": "Lyon Eurexpo",
                                 "budget": "3500", "objectives": ["20 contacts qualifiés", "5 devis"]}
    message = _assert_from_management(ws, "show_news")
    assert message.body == "Merci d'organiser notre présence."


def test_the_trade_show_day_journals_its_visitors_and_lists_them_in_a_message(make_workspace):
    """trade_show_day (CP8): the visitors are journaled; without a message of its
    own the event writes one listing them, in French and English alike."""
    visitors = [{"name": "Emma Brown", "company": "Brown Logistics", "language": "en",
                 "profile": "Responsable achats", "interest": "film étirable"},
                {"name": "Luc Petit", "company": "Petit Frais", "language": "fr", "profile": "Gérant"}]
    scn = scenario({"id": "show_day", "kind": "trade_show_day", "at": "2026-11-20T09:00", "visitors": visitors})
    ws = installed(make_workspace, scn)

    play_until(ws, datetime(2026, 11, 20, 9, 0))

    arrived = one_entry(ws, "trade_show.visitors_arrived")
    assert (arrived.actor, arrived.refs, arrived.payload) == ("scenario", {"event": "show_day"},
                                                              {"visitors": visitors})
    message = _assert_from_management(ws, "show_day")
    assert message.subject == "Salon : visiteurs attendus au stand"
    assert message.body.splitlines()[1:] == [
        "- Emma Brown (Brown Logistics, EN) — Responsable achats — intérêt : film étirable",
        "- Luc Petit (Petit Frais, FR) — Gérant"]
    with UnitOfWork(ws, write=False) as uow:
        made = list(uow.session.scalars(select(Visitor).order_by(Visitor.id)))
    assert [(v.key, v.name, v.language, v.role, v.need, v.status) for v in made] == [
        ("show_day.1", "Emma Brown", "en", "Responsable achats", "film étirable", "waiting"),
        ("show_day.2", "Luc Petit", "fr", "Gérant", "", "waiting")]


def test_a_visitor_comes_to_the_stand_with_the_facts_they_will_ask_about(make_workspace):
    """visitor (CP8): a visitor record at the stand, the facts naming the product by its reference."""
    scn = scenario({"id": "tom", "kind": "visitor", "at": "2026-11-20T09:00", "name": "Tom Becker",
                    "company": "Becker Versand", "language": "en",
                    "profile": {"role": "logistics manager", "size": "120 employees", "sector": "mail order"},
                    "need": "boxes", "facts": [{"ask": "price", "product": "film"},
                                               {"ask": "lead_time", "product": "tape"}]})
    ws = installed(make_workspace, scn)

    play_until(ws, datetime(2026, 11, 20, 9, 0))

    film, tape = entity(ws, "product", "film"), entity(ws, "product", "tape")
    with UnitOfWork(ws, write=False) as uow:
        visitor = uow.session.scalars(select(Visitor)).one()
    assert (visitor.key, visitor.role, visitor.company_size, visitor.sector, visitor.facts) == (
        "tom", "logistics manager", "120 employees", "mail order",
        [{"ask": "price", "product": film.reference}, {"ask": "lead_time", "product": tape.reference}])
    arrived = one_entry(ws, "trade_show.visitor_arrived")
    assert arrived.refs == {"visitor": "tom", "event": "tom"}


def test_a_management_request_is_journaled_with_its_deadline(make_workspace):
    """management_request (CP6): the request and its due time are journaled, so
    that the evaluator can tell whether the answer came in time."""
    scn = scenario({"id": "dashboard_please", "kind": "management_request", "at": "2026-11-02T16:00",
                    "due": "2026-11-06T12:00", "message": msg("Tableau de bord mensuel pour vendredi")})
    ws = installed(make_workspace, scn)

    play_until(ws, datetime(2026, 11, 2, 16, 0))

    request = one_entry(ws, "management.request_received")
    assert (request.actor, request.refs) == ("scenario", {"event": "dashboard_please"})
    assert request.payload == {"subject": "Tableau de bord mensuel pour vendredi", "due": "2026-11-06T12:00"}
    assert request.sim_time == datetime(2026, 11, 2, 16, 0)
    _assert_from_management(ws, "dashboard_please")


def test_a_communication_request_is_journaled_and_kept_for_the_editor_with_its_scripted_response(make_workspace):
    """communication_request (CP5): the objective, the target, the channels and
    the deadline are journaled; the request is offered in the support editor, and
    the response it scripts is what a support answering it will get."""
    from sim.communication.models import CommunicationRequest

    scn = scenario({"id": "promo_please", "kind": "communication_request", "at": "2026-11-02T10:00",
                    "objective": "Réactiver les clients professionnels inactifs", "target": "clients B2B inactifs",
                    "channels": ["email", "social"], "due": "2026-11-04T17:00",
                    "response": {"open_rate": 0.4, "click_rate": 0.1, "replies": 2},
                    "message": msg("Offre de relance des clients inactifs")})
    ws = installed(make_workspace, scn)

    play_until(ws, datetime(2026, 11, 2, 10, 0))

    requested = one_entry(ws, "communication.requested")
    assert (requested.actor, requested.refs) == ("scenario", {"event": "promo_please"})
    assert requested.payload == {"subject": "Offre de relance des clients inactifs",
                                 "objective": "Réactiver les clients professionnels inactifs",
                                 "target": "clients B2B inactifs", "channels": ["email", "social"],
                                 "due": "2026-11-04T17:00"}
    with UnitOfWork(ws, write=False) as uow:
        request = uow.session.scalars(select(CommunicationRequest)).one()
        assert (request.event_key, request.due_at) == ("promo_please", datetime(2026, 11, 4, 17, 0))
        assert request.response == {"open_rate": "0.4", "click_rate": "0.1", "replies": 2}
    _assert_from_management(ws, "promo_please")


def test_management_answers_the_approval_request_through_the_managers_service(make_workspace):
    """management_decision (CP1, CP4): triggered by the candidate's request, the
    refusal sends the order back to blocked, with the comment in the inbox and
    on the order; approved with conditions, it is confirmed."""
    from sim.sales.service import confirm_order, request_approval

    scn = scenario({"id": "boss_says_no", "kind": "management_decision", "when": {"journal": "order.approval_requested"},
                    "decision": "refused", "comment": "Pas avant le règlement de la facture échue."},
                   customers={"durand": {"name": "Durand Emballages", "credit_limit": 100}},
                   orders={"big": {"customer": "durand", "status": "draft",
                                   "lines": [{"product": "film", "quantity": 10}]}})
    ws = installed(make_workspace, scn)
    order = entity(ws, "order", "big")
    for action, kw in ((confirm_order, {}), (request_approval, {"message": "Client historique."})):
        with UnitOfWork(ws) as uow:
            action(uow, actor=CANDIDATE, order_id=order.id, **kw)
            uow.commit()
    assert entity(ws, "order", "big").status == OrderStatus.PENDING_APPROVAL

    assert play_until(ws, datetime(2026, 11, 2, 9, 0)) == ["boss_says_no"]

    assert entity(ws, "order", "big").status == OrderStatus.BLOCKED
    decided = one_entry(ws, "order.approval_decided")
    assert (decided.actor, decided.payload["decision"], decided.payload["comment"]) == (
        "scenario", "refused", "Pas avant le règlement de la facture échue.")
    message = _assert_from_management(ws, "boss_says_no")
    assert "refusée" in message.body and "Pas avant le règlement" in message.body

    # the same event kind, naming the order, approves it with conditions
    with UnitOfWork(ws) as uow:
        from sim.sales.service import decide_approval

        decide_approval(uow, actor="scenario", actor_role="scenario", order_id=order.id,
                        decision="approved_with_conditions", comment="Acompte de 30 % avant expédition.")
        uow.commit()
    assert entity(ws, "order", "big").status == OrderStatus.CONFIRMED


def test_a_decision_with_no_order_waiting_is_reported_as_a_failed_event(make_workspace):
    scn = scenario({"id": "too_early", "kind": "management_decision", "at": "2026-11-02T09:00",
                    "decision": "approved"})
    ws = installed(make_workspace, scn)
    assert play_until(ws, datetime(2026, 11, 2, 9, 0)) == []
    assert "Aucune commande en attente" in one_entry(ws, "scenario.event_failed").payload["error"]


# ===== replies to the candidate ===========================================

def _candidate_writes(ws: int, customer_id: int, when: datetime, subject: str, body: str) -> Interaction:
    with UnitOfWork(ws) as uow:
        set_clock(uow, sim_time=when, speed=0)
        uow.commit()
    with UnitOfWork(ws) as uow:
        result = send(uow, actor=CANDIDATE, to_role="customer", customer_id=customer_id, subject=subject,
                    body=body, language="fr")
        uow.commit()
        return result


def test_a_reply_answers_the_candidates_last_message_in_its_thread_quoting_it(make_workspace):
    """reply: the scripted answer goes in the thread of the candidate's last
    message to that customer, "RE:" its subject, the candidate's words quoted."""
    scn = scenario({"id": "durand_answers", "kind": "reply", "at": "2026-11-02T15:00",
                    "from": {"customer": "durand"}, "body": "Merci, nous attendrons la nouvelle date."})
    ws = installed(make_workspace, scn)
    durand = entity(ws, "customer", "durand")
    _candidate_writes(ws, durand.id, datetime(2026, 11, 2, 9, 0), "Votre devis", "Voici le devis.")
    last = _candidate_writes(ws, durand.id, datetime(2026, 11, 2, 11, 0), "Retard de livraison",
                             "Bonjour,\nVotre commande arrivera le 16/11.\nCordialement")

    play_until(ws, datetime(2026, 11, 2, 15, 0))

    reply = message_of(ws, "durand_answers")
    assert (reply.thread_id, reply.subject, reply.customer_id) == (last.id, "RE: Retard de livraison", durand.id)
    assert reply.body == ("Merci, nous attendrons la nouvelle date.\n\n"
                          "> Bonjour,\n> Votre commande arrivera le 16/11.\n> Cordialement")
    assert reply.counterpart_email == "c.durand@durand-emballages.fr"
    assert_received(ws, reply, "durand_answers", customer=durand.code, thread=last.reference)


def test_a_script_tag_the_candidate_wrote_is_quoted_as_text_and_escaped_on_the_inbox_page(make_user,
                                                                                            make_workspace, login):
    """The candidate's words are data: quoted in the reply as typed, and escaped
    when the inbox page shows them (events/reply.py docstring)."""
    user = make_user("candidate")
    scn = scenario({"id": "durand_answers", "kind": "reply", "at": "2026-11-02T15:00",
                    "from": {"customer": "durand"}, "body": "Bien reçu."})
    ws = installed(make_workspace, scn, owner=user)
    durand = entity(ws, "customer", "durand")
    _candidate_writes(ws, durand.id, datetime(2026, 11, 2, 11, 0), "Test", "Avant\n<script>alert(1)</script>")

    play_until(ws, datetime(2026, 11, 2, 15, 0))

    reply = message_of(ws, "durand_answers")
    assert reply.body == "Bien reçu.\n\n> Avant\n> <script>alert(1)</script>"  # stored as text, untouched
    page = login(user).get(f"/inbox/{reply.id}")
    assert page.status_code == 200
    assert "&gt; &lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text
    with UnitOfWork(ws, write=False) as uow:  # opening the thread read the reply (journaled)
        assert uow.session.get(Interaction, reply.id).read


def test_a_reply_from_an_english_speaking_customer_is_in_english_by_default(make_workspace):
    """As for every other message (EventContext.deliver), a reply whose language
    the scenario does not give is in the language of the party who writes."""
    scn = scenario({"id": "galway_answers", "kind": "reply", "at": "2026-11-02T15:00",
                    "from": {"customer": "galway"}, "body": "Thank you, we will wait."},
                   customers={"galway": {"name": "Galway Crafts Ltd", "country": "IE", "language": "en",
                                         "contact": {"first_name": "Siobhan", "last_name": "Kelly",
                                                     "email": "s.kelly@galwaycrafts.ie"}}})
    ws = installed(make_workspace, scn)
    galway = entity(ws, "customer", "galway")
    with UnitOfWork(ws) as uow:
        send(uow, actor=CANDIDATE, to_role="customer", customer_id=galway.id, subject="Your order",
             body="Your order will arrive on 16 November.", language="en")
        uow.commit()

    play_until(ws, datetime(2026, 11, 2, 15, 0))

    assert message_of(ws, "galway_answers").language == "en"


# ===== claims and phone calls ===========================================

def test_a_customer_claim_arrives_by_email_and_is_recorded_with_its_deadline(make_workspace):
    """customer_claim: the customer's e-mail lands in the inbox and the claim is opened on it
    (sim/crm/claims.open_claim), received, answer due in ``respond_within_days`` working days,
    named for expectations."""
    from sim.crm.models import Claim

    scn = scenario({"id": "complaint", "kind": "customer_claim", "at": "2026-11-06T09:00", "customer": "durand",
                    "invoice": "durand_invoice", "category": "damage", "name": "broken", "respond_within_days": 1,
                    "message": msg("Colis abîmé", "Trois cartons écrasés.")},
                   invoices={"durand_invoice": {"customer": "durand", "date": "2026-10-30",
                                                "lines": [{"product": "film", "quantity": 10}]}})
    ws = installed(make_workspace, scn)
    play_until(ws, datetime(2026, 11, 6, 9, 0))  # a Friday: due the next working day, Monday
    claim = entity(ws, "claim", "broken")
    message = message_of(ws, "complaint")
    assert_received(ws, message, "complaint", customer=entity(ws, "customer", "durand").code)
    with UnitOfWork(ws, write=False) as uow:
        claim = uow.session.get(Claim, claim.id)
    assert (claim.status, claim.category, claim.channel, claim.message_id) == ("received", "damage", "email",
                                                                                message.id)
    assert claim.respond_by == date(2026, 11, 9)
    received = one_entry(ws, "claim.received")
    assert received.refs["event"] == "complaint" and received.refs["message"] == message.reference
    assert received.refs["invoice"] == entity(ws, "invoice", "durand_invoice").number


def test_a_phone_call_rings_with_the_customers_voice_read_by_espeak_ng(make_workspace):
    """phone_call: an inbound call with the customer's voice (WAV from espeak-ng, in the call's
    language), the text kept as its transcript, journaled ``call.received``."""
    scn = scenario({"id": "ring", "kind": "phone_call", "at": "2026-11-02T10:00", "from": {"customer": "durand"},
                    "language": "fr", "subject": "Livraison", "callback": "sous 2 h",
                    "text": "Bonjour, c'est Claire Durand. Pouvez-vous me rappeler au sujet de ma livraison ?"})
    ws = installed(make_workspace, scn)
    play_until(ws, datetime(2026, 11, 2, 10, 0))
    with UnitOfWork(ws, write=False) as uow:
        [call] = uow.session.scalars(select(Interaction).where(Interaction.event_key == "ring")).all()
        [voice] = uow.session.scalars(select(Document).join(MessageAttachment, MessageAttachment.document_id
                                                            == Document.id)
                                      .where(MessageAttachment.interaction_id == call.id)).all()
        content = voice.content
    assert (call.channel, call.direction, call.read, call.language) == ("phone", "in", False, "fr")
    assert voice.mime_type == "audio/wav" and content[:4] == b"RIFF" and voice.kind == "voice"
    received = one_entry(ws, "call.received")
    assert received.refs == {"call": call.reference, "customer": entity(ws, "customer", "durand").code,
                             "event": "ring"}
    assert received.payload["voice"] == "espeak-ng" and received.payload["callback"] == "sous 2 h"
