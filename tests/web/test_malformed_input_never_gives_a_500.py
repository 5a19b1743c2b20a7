"""Every form route answers malformed input with a 4xx page, never a 500, and
changes nothing: no row, no journal entry.

Generated from the app's route table: every POST route must be listed in
``FORMS`` below with the fields its page sends (a new route fails the test
until it is added). Each field of a valid form is replaced in turn by each
malformed value of its kind; ids too large for the database go into the
path and into field names (``ship-99999999999999999999``).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from sim.accounts.models import Role, User
from sim.db import UnitOfWork, owned_models
from sim.web.deps import access_rule
from sim.workspace.models import Workspace
from sim.communication.consents import consent_revision
from tests.communication import a_support
from tests.crm import a_delivery_address
from tests.dashboards import a_dashboard_with_a_panel
from tests.factories import ACTOR, a_carrier, make_customer, make_product
from tests.inbox import a_customer_with_a_quote, a_message_with_an_attachment
from tests.web.test_route_table import app_routes

HUGE = "99999999999999999999"
BEYOND_INT4 = "2147483648"
# Over-long text is 100 000 characters where the field takes free text; elsewhere
# 1 000 (beyond any code, number or choice) keeps the test fast.
NUMBERS = ["NaN", "Infinity", "1e400", "1E+1", "-1", HUGE, "abc", "\x00", "é" * 1000, "0,0001", "١٢"]
TEXTS = ["a\x00b", "é" * 100_000]
CHOICES = ["\x00", HUGE, BEYOND_INT4, "-1", "abc", "é" * 1000]
TOKENS = ["\x00", "a" * 65]  # any other text is a token never seen: a fresh form
KINDS = {"number": NUMBERS, "text": TEXTS, "choice": CHOICES, "token": TOKENS}


@dataclass
class Form:
    """A valid submission of the route's form, and the kind of each field to spoil."""

    path: dict  # path parameter → the object's id in the workspace
    values: dict  # a valid form
    kinds: dict  # field → "number" | "text" | "choice"
    indexed: tuple = ()  # fields named <prefix>-<id> (their id is spoiled too)
    as_staff: bool = False
    read_only: bool = False  # answers 200 with the messages in the page (the editor's live preview)


def _workspace_objects(ws: int) -> dict:
    """A draft quote, a confirmed order to ship, an invoice with a balance, a
    thread, a blocked order: what every form of the route table acts on."""
    from sim.billing.models import InvoiceLine
    from sim.billing.service import invoice_delivery
    from sim.sales.models import OrderLine
    from sim.sales.service import LineInput, confirm_order, create_order, create_quote
    from sim.stock.service import ship_delivery

    message = a_message_with_an_attachment(ws)  # before our quote: it takes the latest seeded one
    mail_customer, mail_quote = a_customer_with_a_quote(ws)
    customer = make_customer(ws, credit_limit="100000.00")
    product = make_product(ws, price="50.00", stock="50")
    carrier = a_carrier(ws)

    def act(fn, **kw):
        with UnitOfWork(ws) as uow:
            result = fn(uow, actor=ACTOR, **kw)
            uow.commit()
            return result

    quote = act(create_quote, customer_id=customer.id, lines=[LineInput(product.id, "2")])
    shipped = act(create_order, customer_id=customer.id, lines=[LineInput(product.id, "4")])
    act(confirm_order, order_id=shipped.id)
    with UnitOfWork(ws, write=False) as uow:
        [line] = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == shipped.id)).all()
    delivery = act(ship_delivery, order_id=shipped.id, quantities={line.id: "2"}, carrier_id=carrier.id)
    invoice = act(invoice_delivery, delivery_id=delivery.id)
    with UnitOfWork(ws, write=False) as uow:
        [invoice_line] = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    poor = make_customer(ws, credit_limit="10.00")
    blocked = act(create_order, customer_id=poor.id, lines=[LineInput(product.id, "1")])
    act(confirm_order, order_id=blocked.id)
    from sim.crm.records import save_contact

    contact = act(save_contact, customer_id=customer.id, values={"first_name": "Léa", "last_name": "Martin"})
    address = a_delivery_address(ws, customer.id)
    inbound, po, filed = _filing_objects(ws, shipped)
    from tests.purchasing import a_sent_purchase_order

    draft_po = _draft_purchase_order(ws, product)
    sent_po, sent_po_line = a_sent_purchase_order(ws)
    waiting = act(create_order, customer_id=customer.id, lines=[LineInput(product.id, "500")])
    act(confirm_order, order_id=waiting.id)
    with UnitOfWork(ws, write=False) as uow:
        [waiting_line] = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == waiting.id)).all()
    support = a_support(ws)
    from sim.clock import sim_date
    from sim.sales.working_days import add_working_days
    from sim.stock.models import DeliveryLine
    from tests.shipping.helpers import a_priced_service

    service = a_priced_service(ws)
    with UnitOfWork(ws, write=False) as uow:
        delivery_line = uow.session.scalars(select(DeliveryLine).where(DeliveryLine.delivery_id == delivery.id)).one()
        today = sim_date(uow)
    dashboard, panel = a_dashboard_with_a_panel(ws)
    claims = _claims_at_each_step(ws, invoice)
    from tests.claims import a_phone_call

    claims["call"] = a_phone_call(ws, customer.id)
    from tests.tradeshow import a_visitor
    claims["visitor_waiting"] = a_visitor(ws, "v_wait")
    claims["visitor_talking"] = a_visitor(ws, "v_talk", welcomed=True)
    claims["visitor_form"] = a_visitor(ws, "v_form", welcomed=True)
    from tests.projects.reporting import a_project_with_a_plan
    claims["project"] = a_project_with_a_plan(ws)
    from sim.company.models import SalesRep
    with UnitOfWork(ws, write=False) as uow:
        claims["rep_id"] = uow.session.scalars(select(SalesRep.id).order_by(SalesRep.id)).first()
    from sim.projects import service as projects
    from tests.projects import a_project
    claims["project"] = a_project(ws)
    with UnitOfWork(ws, write=False) as uow:
        found = projects.project(uow, claims["project"].project.id)
        claims["project_items"] = projects.items(uow, found)
        claims["project_cost"] = projects.costs(uow, found)[0]
    return {**claims, "dashboard": dashboard, "panel": panel, "support": support, "draft_po": draft_po, "sent_po": sent_po, "sent_po_line": sent_po_line, "waiting": waiting,
            "waiting_line": waiting_line, "sent_po_line_product": _reference(ws, sent_po_line.product_id),
            "inbound": inbound, "po": po, "filed": filed, "contact": contact, "address": address, "mail_customer": mail_customer, "mail_quote": mail_quote, "customer": customer, "product": product, "carrier": carrier, "quote": quote, "order": shipped,
            "order_line": line, "delivery": delivery, "invoice": invoice, "invoice_line": invoice_line,
            "blocked": blocked, "message": message, "service": service, "delivery_line": delivery_line,
            "today": today.isoformat(), "pickup": add_working_days(today, 1).isoformat()}


def _reference(ws: int, product_id: int) -> str:
    from sim.stock.models import Product

    with UnitOfWork(ws, write=False) as uow:
        return uow.get(Product, product_id).reference


def _draft_purchase_order(ws: int, product):
    from sim.purchasing.service import POLineInput, create_purchase_order
    from sim.stock.models import Supplier

    with UnitOfWork(ws) as uow:
        supplier = uow.session.scalars(select(Supplier).where(Supplier.email != "").order_by(Supplier.id)).first()
        po = create_purchase_order(uow, actor=ACTOR, supplier_id=supplier.id, lines=[POLineInput(product.id, "5")],
                                   requested_date="2026-12-31")
        uow.commit()
        return po


def _claims_at_each_step(ws: int, invoice) -> dict:
    """Claims on the bench's invoice: received, analysed, proposed (a credit note) and accepted."""
    from sim.crm import claims

    found = {}
    with UnitOfWork(ws) as uow:
        for name, steps in (("claim", 0), ("analysed_claim", 1), ("proposed_claim", 2), ("accepted_claim", 3)):
            claim = claims.open_claim(uow, actor=ACTOR, customer_id=invoice.customer_id, category="damage",
                                      subject="Colis abîmé", invoice_id=invoice.id)
            if steps >= 1:
                claims.analyse(uow, actor=ACTOR, claim_id=claim.id, analysis="Avarie")
            if steps >= 2:
                claims.propose_solution(uow, actor=ACTOR, claim_id=claim.id, solution="replacement", note="Remplacé")
            if steps >= 3:
                claims.record_answer(uow, actor=ACTOR, claim_id=claim.id, accepted=True)
            found[name] = claim
        escalated = claims.open_claim(uow, actor=ACTOR, customer_id=invoice.customer_id, category="damage",
                                      subject="Colis détruit", invoice_id=invoice.id)
        claims.escalate(uow, actor=ACTOR, claim_id=escalated.id, message="Avoir de 30 % : accord ?")
        found["escalated_claim"] = escalated
        uow.commit()
    return found


def _filing_objects(ws: int, order):
    """A customer's email carrying its purchase order (to file), and a filed document (the sent quote's)."""
    from sim.documents.models import FiledDocument
    from sim.documents.service import store
    from sim.inbox.service import deliver

    with UnitOfWork(ws) as uow:
        po = store(uow, actor="scenario:test", kind="customer_po", ref_id=order.id)
        inbound = deliver(uow, actor="scenario:test", role="customer", name="Acheteur", email="achat@client.example",
                          subject="Notre commande", body="Ci-joint.", customer_id=order.customer_id,
                          attachments=[po.id])
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        filed = uow.session.scalars(select(FiledDocument).order_by(FiledDocument.id)).first()
    return inbound, po, filed


_contact_form = {"first_name": "Paul", "last_name": "Roy", "job_title": "Comptable", "email": "paul@roy.fr",
                 "phone": "03 20 00 00 00", "language": "fr", "is_primary": "1"}
_contact_kinds = {"first_name": "text", "last_name": "text", "job_title": "text", "email": "text", "phone": "text",
                  "language": "choice"}
_address_form = {"label": "Magasin", "recipient": "Accueil", "address": "1 place du Marché", "postcode": "62000",
                 "city": "Arras", "country": "FR", "instructions": "8h-12h", "active": "1"}
_address_kinds = {"label": "text", "recipient": "text", "address": "text", "postcode": "text", "city": "text",
                  "country": "choice", "instructions": "text"}


_support_form = {"kind": "offer", "channel": "email", "request": "", "objective": "Relancer les inactifs",
                 "seg_status": "customer", "seg_kind": "b2b", "seg_country": "FR", "seg_language": "fr",
                 "seg_inactive_months": "", "seg_sales_rep": "", "seg_exclude_litigation": "1",
                 "title": "-10 % sur le film", "body": "Bonjour,\n\n**-10 %** jusqu'au 30/11."}
_support_kinds = {"kind": "choice", "channel": "choice", "request": "choice", "objective": "text",
                  "seg_status": "choice", "seg_kind": "choice", "seg_country": "choice", "seg_language": "choice",
                  "seg_inactive_months": "number", "seg_sales_rep": "choice", "seg_exclude_litigation": "choice",
                  "title": "text", "body": "text"}


def _customer_form(o: dict) -> tuple[dict, dict]:
    """The record form of the bench's customer, with a valid SIREN (the test customer has none)."""
    c = o["customer"]
    values = {"name": c.name, "status": "customer", "kind": "b2b", "legal_form": "SAS", "siren": "732829320",
              "siret": "", "vat_number": "FR44732829320", "address": c.address, "postcode": c.postcode,
              "city": c.city, "country": c.country, "language": c.language, "email": "", "phone": "",
              "payment_terms": c.payment_terms, "payment_method": c.payment_method,
              "credit_limit": f"{c.credit_limit:.2f}", "risk_rating": c.risk_rating, "sales_rep": "", "notes": ""}
    kinds = {k: "text" for k in ("name", "legal_form", "siren", "siret", "vat_number", "address", "postcode",
                                 "city", "email", "phone", "notes")}
    kinds |= {k: "choice" for k in ("status", "kind", "country", "language", "payment_terms", "payment_method",
                                    "risk_rating", "sales_rep")} | {"credit_limit": "number"}
    return values, kinds


def _revision(ws: int, obj) -> str:
    from sim.crm import records

    fields = {"Customer": records.CUSTOMER_FIELDS, "Contact": records.CONTACT_FIELDS,
              "DeliveryAddress": records.ADDRESS_FIELDS}[type(obj).__name__]
    with UnitOfWork(ws, write=False) as uow:
        return records.revision(uow.get(type(obj), obj.id), fields)


def _forms(ws: int, o: dict) -> dict[str, Form]:
    editor = {"customer": o["customer"].code, "product-0": o["product"].reference, "qty-0": "1",
              "discount-0": "0", "global_discount": "0", "incoterm": "", "incoterm_place": "", "notes": "",
              "form_token": "tok-editor"}
    editor_kinds = {"customer": "choice", "product-0": "choice", "qty-0": "number", "discount-0": "number",
                    "global_discount": "number", "incoterm": "choice", "incoterm_place": "text", "notes": "text",
                    "form_token": "token"}
    quote, order, invoice = {"quote_id": o["quote"].id}, {"order_id": o["order"].id}, {"invoice_id": o["invoice"].id}
    customer_form, customer_kinds = _customer_form(o)
    return {
        "/customers": Form({}, customer_form | {"form_token": "tok-customer"},
                           customer_kinds | {"form_token": "token"}),
        "/customers/{customer_id}/edit": Form(
            {"customer_id": o["customer"].id}, customer_form | {"revision": _revision(ws, o["customer"]),
                                                                "reason": "Demande du client"},
            customer_kinds | {"revision": "choice", "reason": "text"}),
        "/customers/{customer_id}/interactions": Form(
            {"customer_id": o["customer"].id},
            {"channel": "phone", "direction": "out", "contact": str(o["contact"].id), "subject": "Relance",
             "body": "Paiement promis pour vendredi.", "form_token": "tok-call"},
            {"channel": "choice", "direction": "choice", "contact": "choice", "subject": "text", "body": "text",
             "form_token": "token"}),
        "/customers/{customer_id}/contacts": Form(
            {"customer_id": o["customer"].id}, _contact_form | {"form_token": "tok-contact"},
            _contact_kinds | {"form_token": "token"}),
        "/customers/{customer_id}/contacts/{contact_id}": Form(
            {"customer_id": o["customer"].id, "contact_id": o["contact"].id},
            _contact_form | {"revision": _revision(ws, o["contact"])}, _contact_kinds | {"revision": "choice"}),
        "/customers/{customer_id}/addresses": Form(
            {"customer_id": o["customer"].id}, _address_form | {"form_token": "tok-address"},
            _address_kinds | {"form_token": "token"}),
        "/customers/{customer_id}/addresses/{address_id}": Form(
            {"customer_id": o["customer"].id, "address_id": o["address"].id},
            _address_form | {"label": "Quai 2", "revision": _revision(ws, o["address"])},
            _address_kinds | {"revision": "choice"}),
        "/login": Form({}, {"username": "nobody", "password": "wrong", "next": "/"},
                       {"username": "text", "password": "text", "next": "text"}),
        "/quotes/preview": Form({}, {k: v for k, v in editor.items() if k != "form_token"},
                                {k: v for k, v in editor_kinds.items() if k != "form_token"}, indexed=("qty-0",),
                                read_only=True),
        "/quotes": Form({}, editor, editor_kinds, indexed=("qty-0",)),
        "/orders": Form({}, editor | {"customer_po": "PO-1", "form_token": "tok-order"},  # an order has no notes
                        {k: v for k, v in editor_kinds.items() if k != "notes"} | {"customer_po": "text"},
                        indexed=("qty-0",)),
        "/quotes/{quote_id}/send": Form(quote, {}, {}),
        "/quotes/{quote_id}/delivery-address": Form(quote, {"address_id": ""}, {"address_id": "choice"}),
        "/quotes/{quote_id}/accept": Form(quote, {}, {}),
        "/quotes/{quote_id}/refuse": Form(quote, {"reason": "Prix"}, {"reason": "text"}),
        "/quotes/{quote_id}/edit": Form(quote, editor | {"form_token": "tok-quote-edit"}, editor_kinds,
                                        indexed=("qty-0",)),
        "/quotes/{quote_id}/delete": Form(quote, {}, {}),
        "/quotes/{quote_id}/cancel": Form(quote, {"reason": "Doublon"}, {"reason": "text"}),
        # the blocked order, modified: its customer, discount and Incoterm are not the form's to change
        "/orders/{order_id}/edit": Form(
            {"order_id": o["blocked"].id},
            {"customer": o["customer"].code, "product-0": o["product"].reference, "qty-0": "1", "discount-0": "0",
             "customer_po": "PO-3", "promised_date": "", "form_token": "tok-order-edit"},
            {"product-0": "choice", "qty-0": "number", "discount-0": "number", "customer_po": "text",
             "promised_date": "choice", "form_token": "token"}, indexed=("qty-0",)),
        "/orders/{order_id}/delete": Form({"order_id": o["blocked"].id}, {}, {}),
        "/orders/{order_id}/cancel": Form({"order_id": o["blocked"].id}, {"reason": "Annulée par le client"},
                                          {"reason": "text"}),
        "/quotes/{quote_id}/order": Form(quote, {"customer_po": "PO-2"}, {"customer_po": "text"}),
        "/orders/{order_id}/confirm": Form({"order_id": o["blocked"].id}, {}, {}),
        "/orders/{order_id}/approval-request": Form({"order_id": o["blocked"].id}, {"message": "Merci"},
                                                    {"message": "text"}),
        "/orders/{order_id}/delivery-address": Form({"order_id": o["blocked"].id}, {"address_id": ""},
                                                    {"address_id": "choice"}),
        "/orders/{order_id}/deliveries": Form(
            order, {"carrier": str(o["carrier"].id), f"ship-{o['order_line'].id}": "1", "form_token": "tok-ship"},
            {"carrier": "choice", f"ship-{o['order_line'].id}": "number", "form_token": "token"},
            indexed=(f"ship-{o['order_line'].id}",)),
        "/deliveries/{delivery_id}/invoice": Form({"delivery_id": o["delivery"].id}, {"form_token": "tok-inv"},
                                                  {"form_token": "token"}),
        # shipping (sim/web/routes/shipping.py): the shipped delivery, booked, received; no damage on it, so
        # its protest and replacement are refused whatever the form says
        "/deliveries/{delivery_id}/booking": Form(
            {"delivery_id": o["delivery"].id},
            {"service": str(o["service"].id), "pickup_date": o["pickup"], "parcels": "1", "form_token": "tok-book"},
            {"service": "choice", "pickup_date": "choice", "parcels": "number", "form_token": "token"}),
        "/deliveries/{delivery_id}/receipt": Form(
            {"delivery_id": o["delivery"].id},
            {"received_date": o["today"], "received_by": "M. Roy", "proof": "CMR 12", "reserves": "1 carton écrasé",
             f"damaged-{o['delivery_line'].id}": "1", "form_token": "tok-receipt"},
            {"received_date": "choice", "received_by": "text", "proof": "text", "reserves": "text",
             f"damaged-{o['delivery_line'].id}": "number", "form_token": "token"},
            indexed=(f"damaged-{o['delivery_line'].id}",)),
        "/deliveries/{delivery_id}/protest": Form({"delivery_id": o["delivery"].id},
                                                  {"facts": "Cartons écrasés", "form_token": "tok-protest"},
                                                  {"facts": "text", "form_token": "token"}),
        "/deliveries/{delivery_id}/replacement": Form({"delivery_id": o["delivery"].id},
                                                      {"form_token": "tok-replace"}, {"form_token": "token"}),
        "/invoices/{invoice_id}/credit-notes": Form(
            invoice, {f"credit-{o['invoice_line'].id}": "1", "reason": "Retour", "form_token": "tok-credit"},
            {f"credit-{o['invoice_line'].id}": "number", "reason": "text", "form_token": "token"},
            indexed=(f"credit-{o['invoice_line'].id}",)),
        "/invoices/{invoice_id}/credit-notes/amount": Form(
            invoice, {"amount": "1,00", "motive": "Geste commercial", "vat_rate": "20.00", "reason": "Geste",
                      "form_token": "tok-credit-amount"},
            {"amount": "number", "motive": "choice", "vat_rate": "number", "reason": "text", "form_token": "token"}),
        "/customers/{customer_id}/credits/allocate": Form(
            {"customer_id": o["customer"].id}, {"source": "cn-1", "invoice": str(o["invoice"].id), "amount": "1,00",
                                                "form_token": "tok-alloc"},
            {"source": "choice", "invoice": "choice", "amount": "number", "form_token": "token"}),
        "/customers/{customer_id}/credits/refund": Form(
            {"customer_id": o["customer"].id}, {"source": "cn-1", "amount": "1,00", "method": "transfer",
                                                "reference": "VIR", "form_token": "tok-refund"},
            {"source": "choice", "amount": "number", "method": "choice", "reference": "text", "form_token": "token"}),
        "/customers/{customer_id}/payments": Form(
            {"customer_id": o["customer"].id},
            {"method": "transfer", "amount": "10,00", f"alloc-{o['invoice'].id}": "10,00", "reference": "VIR",
             "received_on": "", "form_token": "tok-pay"},
            {"method": "choice", "amount": "number", f"alloc-{o['invoice'].id}": "number", "reference": "text",
             "received_on": "choice", "form_token": "token"},
            indexed=(f"alloc-{o['invoice'].id}",)),
        "/inbox": Form({}, {"to_role": "customer", "customer": o["mail_customer"].code, "language": "fr",
                            "subject": "Bonjour", "body": "Un message.", "attach": f"quote:{o['mail_quote'].id}",
                            "form_token": "tok-mail"},
                       {"to_role": "choice", "customer": "choice", "language": "choice", "subject": "text",
                        "body": "text", "attach": "choice", "form_token": "token"}),
        "/inbox/{message_id}/reply": Form({"message_id": o["message"].id},
                                          {"subject": "RE", "language": "fr", "body": "Réponse.",
                                           "form_token": "tok-reply"},
                                          {"subject": "text", "language": "choice", "body": "text",
                                           "form_token": "token"}),
        "/inbox/{message_id}/attachments/{document_id}/filing": Form(
            {"message_id": o["inbound"].id, "document_id": o["po"].id},
            {"folder": f"order:{o['order'].id}", "doc_type": "customer_po", "number": "PO-9", "note": "Signé",
             "form_token": "tok-file"},
            {"folder": "choice", "doc_type": "choice", "number": "text", "note": "text", "form_token": "token"}),
        "/filed/{filed_id}/refile": Form(
            {"filed_id": o["filed"].id},
            {"folder": f"customer:{o['filed'].customer_id}", "doc_type": o["filed"].doc_type, "note": "Corrigé",
             "form_token": "tok-refile"},
            {"folder": "choice", "doc_type": "choice", "note": "text", "form_token": "token"}),
        "/filed/{filed_id}/pass-on": Form(
            {"filed_id": o["filed"].id}, {"to": "accounting", "note": "Pour information", "form_token": "tok-pass"},
            {"to": "choice", "note": "text", "form_token": "token"}),
        # purchasing (sim/purchasing): a draft to send, a sent order to acknowledge, chase, reschedule, receive
        "/purchase-orders": Form({}, {"supplier": str(o["draft_po"].supplier_id), "requested_date": "2026-12-30",
                                      "product-0": o["product"].reference, "qty-0": "3", "notes": "Urgent",
                                      "form_token": "tok-po"},
                                 {"supplier": "choice", "requested_date": "choice", "product-0": "choice",
                                  "qty-0": "number", "notes": "text", "form_token": "token"}),
        "/purchase-orders/{purchase_order_id}/send": Form(
            {"purchase_order_id": o["draft_po"].id}, {"subject": "Commande", "body": "Ci-joint notre commande.",
                                                      "form_token": "tok-po-send"},
            {"subject": "text", "body": "text", "form_token": "token"}),
        "/purchase-orders/{purchase_order_id}/acknowledgement": Form(
            {"purchase_order_id": o["sent_po"].id}, {"confirmed_date": "2026-12-31", "note": "ARC reçu",
                                                     "form_token": "tok-po-ack"},
            {"confirmed_date": "choice", "note": "text", "form_token": "token"}),
        "/purchase-orders/{purchase_order_id}/reminder": Form(
            {"purchase_order_id": o["sent_po"].id}, {"reminder_subject": "Relance", "reminder_body": "Où en est-on ?",
                                                     "form_token": "tok-po-remind"},
            {"reminder_subject": "text", "reminder_body": "text", "form_token": "token"}),
        "/purchase-orders/{purchase_order_id}/new-date": Form(
            {"purchase_order_id": o["sent_po"].id}, {"new_date": "2026-12-29", "reason": "Négocié",
                                                     "form_token": "tok-po-date"},
            {"new_date": "choice", "reason": "text", "form_token": "token"}),
        "/purchase-orders/{purchase_order_id}/receipts": Form(
            {"purchase_order_id": o["sent_po"].id},
            {f"received-{o['sent_po_line'].id}": "5", f"refused-{o['sent_po_line'].id}": "1",
             f"discrepancy-{o['sent_po_line'].id}": "Casse", "supplier_note": "BL-1", "note": "RAS",
             "form_token": "tok-po-receive"},
            {f"received-{o['sent_po_line'].id}": "number", f"refused-{o['sent_po_line'].id}": "number",
             f"discrepancy-{o['sent_po_line'].id}": "text", "supplier_note": "text", "note": "text",
             "form_token": "token"},
            indexed=(f"received-{o['sent_po_line'].id}",)),
        # an order waiting for stock: re-promise, inform, propose a substitute
        "/orders/{order_id}/repromise": Form(
            {"order_id": o["waiting"].id}, {"new_date": "2026-12-31", "reason": "Retard fournisseur",
                                           "form_token": "tok-repromise"},
            {"new_date": "choice", "reason": "text", "form_token": "token"}),
        "/orders/{order_id}/inform": Form(
            {"order_id": o["waiting"].id}, {"language": "fr", "subject": "Votre commande", "body": "Un retard.",
                                           "form_token": "tok-inform"},
            {"language": "choice", "subject": "text", "body": "text", "form_token": "token"}),
        "/orders/{order_id}/substitute": Form(
            {"order_id": o["waiting"].id}, {"line": str(o["waiting_line"].id), "product": o["sent_po_line_product"],
                                           "language": "fr", "sub_subject": "Produit équivalent",
                                           "sub_body": "Nous vous proposons…", "form_token": "tok-substitute"},
            {"line": "choice", "product": "choice", "language": "choice", "sub_subject": "text", "sub_body": "text",
             "form_token": "token"}),
        # the spelling aid reads and writes nothing: 200 with what it found
        "/writing/check": Form({}, {"subject": "Objet", "body": "Nous avons bien recu.", "language": "fr"},
                               {"subject": "text", "body": "text", "language": "choice"}, read_only=True),
        # a phone call answered by a typed summary (the recording's limits: tests/claims/test_a_phone_call_*)
        "/calls/{call_id}/answer": Form({"call_id": o["call"].id},
                                        {"mode": "summary", "summary": "Excuses, avoir proposé.", "duration": "",
                                         "form_token": "tok-call-answer"},
                                        {"mode": "choice", "summary": "text", "form_token": "token"}),
        # the stand (sim/tradeshow): a waiting visitor to welcome, welcomed ones to answer and to file
        "/stand/{visitor_id}/welcome": Form({"visitor_id": o["visitor_waiting"].id}, {"live": ""}, {"live": "choice"}),
        # a typed answer (the spoken one, multipart: tests/tradeshow/test_an_answer_at_the_stand_can_be_spoken.py)
        "/stand/{visitor_id}/answer": Form({"visitor_id": o["visitor_talking"].id}, {"answer": "It is 36.50 €."},
                                           {"answer": "text"}),
        "/stand/{visitor_id}/contact": Form(
            {"visitor_id": o["visitor_form"].id},
            {"first_name": "Tom", "last_name": "Becker", "company": "Becker Versand GmbH", "job_title": "Manager",
             "email": "t.becker@becker.example", "phone": "", "language": "en", "country": "DE", "need": "Boxes",
             "documentation": "Catalogue", "follow_up": "quote", "follow_up_on": "2026-12-20",
             "sales_rep": str(o["rep_id"]), "consent": "offers", "retention_months": "36", "products": ""},
            {"first_name": "text", "last_name": "text", "company": "text", "email": "text", "language": "choice",
             "country": "text", "need": "text", "follow_up": "choice", "follow_up_on": "text",
             "sales_rep": "choice", "consent": "choice", "retention_months": "choice", "products": "choice"}),
        # commercial action projects (sim/projects): T1 then T2 after it, a line entered by hand, a quote received
        **_project_forms(o),
        # claims (sim/crm/claims.py), each at the step its form acts on
        "/claims": Form({}, {"customer_id": str(o["customer"].id), "category": "damage", "subject": "Colis abîmé",
                             "description": "Deux cartons écrasés.", "channel": "email",
                             "invoice_id": str(o["invoice"].id), "order_id": "", "message_id": "", "language": "",
                             "form_token": "tok-claim"},
                        {"customer_id": "choice", "category": "choice", "subject": "text", "description": "text",
                         "channel": "choice", "invoice_id": "choice", "order_id": "choice", "message_id": "choice",
                         "language": "choice", "form_token": "token"}),
        "/claims/{claim_id}/analyse": Form({"claim_id": o["claim"].id}, {"analysis": "Avarie", "form_token": "tok-an"},
                                           {"analysis": "text", "form_token": "token"}),
        "/claims/{claim_id}/propose": Form(
            {"claim_id": o["analysed_claim"].id},
            {"solution": "credit_note", "amount": "1,00", "pct": "", "note": "Avoir", "form_token": "tok-prop"},
            {"solution": "choice", "amount": "number", "note": "text", "form_token": "token"}),
        "/claims/{claim_id}/escalate": Form({"claim_id": o["claim"].id}, {"message": "Accord ?", "form_token": "tok-esc"},
                                            {"message": "text", "form_token": "token"}),
        "/claims/{claim_id}/alert": Form(
            {"claim_id": o["claim"].id}, {"colleague": "logistics", "alert": "Avarie", "form_token": "tok-alert"},
            {"colleague": "choice", "alert": "text", "form_token": "token"}),
        "/claims/{claim_id}/answer": Form(
            {"claim_id": o["proposed_claim"].id}, {"accepted": "yes", "answer": "OK", "form_token": "tok-answer"},
            {"accepted": "choice", "answer": "text", "form_token": "token"}),
        "/claims/{claim_id}/close": Form(
            {"claim_id": o["accepted_claim"].id}, {"resolution": "Réglé", "form_token": "tok-close"},
            {"resolution": "text", "form_token": "token"}),
        "/workspaces/{workspace_id}/orders/{order_id}/approve": Form(
            {"workspace_id": ws, "order_id": o["blocked"].id}, {"comment": "OK"}, {"comment": "text"},
            as_staff=True),
        "/workspaces/{workspace_id}/orders/{order_id}/decision": Form(
            {"workspace_id": ws, "order_id": o["blocked"].id}, {"decision": "refused", "comment": "Non"},
            {"decision": "choice", "comment": "text"}, as_staff=True),
        # communication supports: the editor's form, its live preview, publishing
        **{path: Form(path_values, {**_support_form, **extra}, {**_support_kinds, **extra_kinds}, read_only=read_only)
           for path, path_values, extra, extra_kinds, read_only in (
               ("/communication", {}, {"form_token": "tok-support"}, {"form_token": "token"}, False),
               ("/communication/preview", {}, {}, {}, True),
               ("/communication/{support_id}/edit", {"support_id": o["support"].id},
                {"revision": str(o["support"].revision)}, {"revision": "number"}, False))},
        "/customers/{customer_id}/consents": Form(
            {"customer_id": o["customer"].id},
            {"consent": "offers", "objection": "1", "consent_source": "Appel du client",
             "consent_revision": consent_revision(o["customer"])},
            {"consent": "choice", "objection": "choice", "consent_source": "text", "consent_revision": "choice"}),
        # (no revision: the valid edit above is saved first, before the valid publication)
        "/communication/{support_id}/publish": Form({"support_id": o["support"].id}, {}, {"revision": "number"}),
        "/workspaces/{workspace_id}/claims/{claim_id}/decision": Form(
            {"workspace_id": ws, "claim_id": o["escalated_claim"].id}, {"decision": "refused", "comment": "Non"},
            {"decision": "choice", "comment": "text"}, as_staff=True),
        "/workspaces/{workspace_id}/customers/{customer_id}/payment-plan/decision": Form(
            {"workspace_id": ws, "customer_id": o["customer"].id}, {"decision": "refused", "comment": "Non"},
            {"decision": "choice", "comment": "text"}, as_staff=True),
        # the recovery procedure's actions (sim/web/routes/receivables.py), on the customer's open invoice
        **_recovery_forms(o),
        # dashboards: the builder's fields, the commentary, the message to management
        "/dashboards": Form({}, {"title": "Ventes", "objective": "Pour la direction", "form_token": "tok-dash"},
                            {"title": "text", "objective": "text", "form_token": "token"}),
        "/dashboards/{dashboard_id}/panels": Form(
            {"dashboard_id": o["dashboard"].id},
            {"measure": "revenue", "rows": "month", "columns": "category", "from_month": "2026-08",
             "to_month": "2026-10", "category": "", "country": "FR", "region": "", "sales_rep": "", "kind": "b2b",
             "customer": "", "sort": "label", "compare": "year", "chart": "stacked", "title": "CA",
             "form_token": "tok-panel"},
            {"measure": "choice", "rows": "choice", "columns": "choice", "from_month": "choice", "to_month": "choice",
             "country": "choice", "kind": "choice", "sort": "choice", "compare": "choice", "chart": "choice",
             "title": "text", "form_token": "token"}),
        "/dashboards/{dashboard_id}/panels/{panel_id}/delete": Form(
            {"dashboard_id": o["dashboard"].id, "panel_id": o["panel"].id}, {}, {}),
        "/dashboards/{dashboard_id}/commentary": Form({"dashboard_id": o["dashboard"].id},
                                                      {"commentary": "Hausse des ventes."}, {"commentary": "text"}),
        "/dashboards/{dashboard_id}/refresh": Form({"dashboard_id": o["dashboard"].id}, {}, {}),
        "/dashboards/{dashboard_id}/send": Form({"dashboard_id": o["dashboard"].id},
                                                {"subject": "TB", "body": "Ci-joint.", "form_token": "tok-send"},
                                                {"subject": "text", "body": "text", "form_token": "token"}),
        # the project's report to management (sim/web/routes/project_report.py)
        "/projects/{project_id}/send": Form({"project_id": o["project"].project.id},
                                            {"subject": "Dossier du salon", "body": "Ci-joint.",
                                             "form_token": "tok-project-send"},
                                            {"subject": "text", "body": "text", "form_token": "token"}),
        "/scenarios": Form({}, {}, {}, as_staff=True),  # a file upload: see test_scenario_upload_limits
        "/scenarios/audio": Form({}, {}, {}, as_staff=True),  # a file upload: tests/claims/test_a_phone_call_*
        # live exam sessions: the console (the spoiled forms name a real session and candidate)
        "/sessions": Form({}, {"title": "Épreuve", "scenario": "non-payment", "speed": "1", "duration": "210",
                               "roster": "", "candidate": str(o["candidate_user"]), "mode": "exam"},
                          {"title": "text", "scenario": "choice", "speed": "choice", "duration": "number",
                           "roster": "text", "candidate": "choice", "mode": "choice"}, as_staff=True),
        **{f"/sessions/{{session_id}}/{action}": Form({"session_id": o["session_id"]}, {}, {}, as_staff=True)
           for action in ("start", "pause", "resume", "jump", "end", "logins.pdf")},
        "/sessions/{session_id}/speed": Form({"session_id": o["session_id"]}, {"speed": "2"}, {"speed": "choice"},
                                             as_staff=True),
        "/sessions/{session_id}/events/{key}/fire": Form({"session_id": o["session_id"], "key": "partial"}, {}, {},
                                                         as_staff=True),
        **{f"/sessions/{{session_id}}/candidates/{{workspace_id}}/{action}": Form(
            {"session_id": o["session_id"], "workspace_id": o["session_workspace"]}, values, kinds, as_staff=True)
           for action, values, kinds in (
               ("hold", {"reason": "Poste bloqué"}, {"reason": "text"}), ("release", {}, {}),
               ("extra-time", {"minutes": "20", "reason": "Tiers-temps"}, {"minutes": "number", "reason": "text"}),
               ("end", {}, {}))},
        # the evaluator's decisions on the session's candidate (their journal, not the bench's workspace)
        **{f"/evaluation/sessions/{{session_id}}/candidates/{{workspace_id}}/{action}": Form(
            {"session_id": o["session_id"], "workspace_id": o["session_workspace"]}, values, kinds, as_staff=True)
           for action, values, kinds in (
               ("judge", {"expectation_id": "tone", "status": "met", "points": "2", "comment": "Bien.",
                          "form_token": "tok-judge"},
                {"expectation_id": "choice", "status": "choice", "points": "number", "comment": "text",
                 "form_token": "token"}),
               ("override", {"target": "expectation:first-reminder", "status": "partly", "points": "1",
                             "comment": "Vu en salle.",
                             "form_token": "tok-override"},
                {"target": "choice", "status": "choice", "points": "number", "comment": "text", "form_token": "token"}),
               ("validate", {"cp": "CP4", "comment": "", "form_token": "tok-validate"},
                {"cp": "choice", "comment": "text", "form_token": "token"}))},
        # live mode at the stand: the evaluator says a line of a visitor the session's candidate welcomed live
        "/evaluation/sessions/{session_id}/candidates/{workspace_id}/stand/{visitor_id}/say": Form(
            {"session_id": o["session_id"], "workspace_id": o["session_workspace"],
             "visitor_id": o["session_visitor"].id}, {"line": "Do you ship to Hamburg?"}, {"line": "text"},
            as_staff=True),
        # the candidate: practice runs, the choice of workspace
        "/practice": Form({}, {"scenario": "non-payment", "speed": "10"}, {"scenario": "choice", "speed": "choice"}),
        "/practice/pause": Form({}, {}, {}),
        "/practice/resume": Form({}, {}, {}),
        "/practice/speed": Form({}, {"speed": "10"}, {"speed": "choice"}),
        "/my-workspaces/{workspace_id}/enter": Form({"workspace_id": ws}, {}, {}),
        # a new password that cannot be accepted: every spoiled value is refused before any check of the
        # current password (which would count as a login attempt)
        "/account/password": Form({}, {"current_password": "secret", "new_password": "abc",
                                       "confirm_password": "abcd"},
                                  {"current_password": "text", "new_password": "text", "confirm_password": "text"}),
    }


def _project_forms(o: dict) -> dict[str, Form]:
    from datetime import timedelta

    made = o["project"]
    project = {"project_id": made.project.id}
    first, second = made.tasks
    item, other_item = o["project_items"][0], o["project_items"][1]
    task_kinds = {"title": "text", "owner": "text", "start_date": "choice", "due_date": "choice",
                  "depends_on": "choice"}
    return {
        "/projects": Form({}, {"kind": "promotion", "name": "Promo de Noël", "place": "", "event_date": "2026-12-15",
                               "budget_amount": "1500,00", "objective_label_0": "Commandes",
                               "objective_target_0": "40", "objective_unit_0": "commandes",
                               "form_token": "tok-project"},
                          {"kind": "choice", "name": "text", "place": "text", "event_date": "choice",
                           "budget_amount": "number", "objective_label_0": "text", "objective_target_0": "number",
                           "objective_unit_0": "text", "form_token": "token"}),
        "/projects/{project_id}/objectives": Form(
            project, {"objective_label_0": "Contacts qualifiés", "objective_target_0": "150",
                      "objective_unit_0": "contacts"},
            {"objective_label_0": "text", "objective_target_0": "number", "objective_unit_0": "text"}),
        "/projects/{project_id}/checklist": Form(project, {"label": "Commander les badges"}, {"label": "text"}),
        "/projects/{project_id}/checklist/{checklist_item_id}": Form(
            {**project, "checklist_item_id": item.id}, {"label": item.label, "done": "1"},
            {"label": "text", "done": "choice"}),
        "/projects/{project_id}/checklist/{checklist_item_id}/delete": Form(
            {**project, "checklist_item_id": other_item.id}, {}, {}),
        "/projects/{project_id}/tasks": Form(
            project, {"title": "Commander les badges", "owner": "", "start_date": second.due_date.isoformat(),
                      "due_date": (second.due_date + timedelta(days=2)).isoformat(), "depends_on": "T2"},
            task_kinds),
        "/projects/{project_id}/tasks/{task_id}": Form(
            {**project, "task_id": first.id},
            {"title": first.title, "owner": "Hugo", "start_date": first.start_date.isoformat(),
             "due_date": first.due_date.isoformat(), "depends_on": ""}, task_kinds),
        "/projects/{project_id}/tasks/{task_id}/status": Form({**project, "task_id": first.id}, {"status": "done"},
                                                              {"status": "choice"}),
        "/projects/{project_id}/quotes/{supplier_quote_id}/accept": Form(
            {**project, "supplier_quote_id": made.quote.id}, {}, {}),
        "/projects/{project_id}/costs": Form(
            project, {"post": "printing", "label": "Flyers", "planned_amount": "300,00", "actual_amount": ""},
            {"post": "choice", "label": "text", "planned_amount": "number", "actual_amount": "number"}),
        "/projects/{project_id}/costs/{cost_id}/actual": Form(
            {**project, "cost_id": o["project_cost"].id}, {"actual_amount": "480,00"}, {"actual_amount": "number"}),
        "/projects/{project_id}/review": Form(
            project, {"leads": "96", "orders": "7", "notes": "Bon salon, stand bien placé."},
            {"leads": "number", "orders": "number", "notes": "text"}),
    }


def _recovery_forms(o: dict) -> dict[str, Form]:
    customer, invoice = {"customer_id": o["customer"].id}, str(o["invoice"].id)
    return {
        "/customers/{customer_id}/recovery/email": Form(
            customer, {"form_name": "email", "level": "first", "language": "fr", "invoices": invoice,
                       "subject": "Relance", "body": "Merci de régler la facture.", "form_token": "tok-rem-mail"},
            {"level": "choice", "language": "choice", "invoices": "choice", "subject": "text", "body": "text",
             "form_token": "token"}),
        "/customers/{customer_id}/recovery/call": Form(
            customer, {"form_name": "call", "invoices": invoice, "note": "Paiement promis.", "promised_date": "",
                       "promised_amount": "", "form_token": "tok-rem-call"},
            {"invoices": "choice", "note": "text", "promised_date": "choice", "promised_amount": "number",
             "form_token": "token"}),
        "/customers/{customer_id}/recovery/letter": Form(
            customer, {"form_name": "letter", "invoices": invoice, "level": "formal_notice", "deadline_days": "8",
                       "form_token": "tok-rem-letter"},
            {"invoices": "choice", "level": "choice", "deadline_days": "number", "form_token": "token"}),
        "/customers/{customer_id}/recovery/penalty-invoice": Form(
            customer, {"form_name": "penalty", "invoices": invoice, "form_token": "tok-rem-pen"},
            {"invoices": "choice", "form_token": "token"}),
        "/customers/{customer_id}/recovery/dispute": Form(
            customer, {"form_name": "dispute", "invoice": invoice, "action": "flag", "reason": "Prix contesté",
                       "form_token": "tok-rem-dispute"},
            {"invoice": "choice", "action": "choice", "reason": "text", "form_token": "token"}),
        "/customers/{customer_id}/recovery/payment-plan": Form(
            customer, {"form_name": "plan", "invoices": invoice, "date-1": "2099-01-31", "amount-1": "60,00",
                       "date-2": "2099-02-28", "amount-2": "60,00", "note": "Accord du client",
                       "form_token": "tok-rem-plan"},
            {"invoices": "choice", "date-1": "choice", "amount-1": "number", "note": "text", "form_token": "token"}),
        "/customers/{customer_id}/recovery/credit-report": Form(customer, {}, {}),
        "/customers/{customer_id}/recovery/litigation": Form(
            customer, {"form_name": "litigation", "litigation_note": "Trois relances sans effet.",
                       "form_token": "tok-rem-lit"}, {"litigation_note": "text", "form_token": "token"}),
    }


SKIPPED = {"/logout",  # ends the session: nothing to spoil
           "/inspect/end"}  # takes no field; ends a staff member's inspection (tests/web/test_staff_inspection.py)


def _state(ws: int) -> tuple:
    """The workspace's journal sequence and the row count of every table it owns."""
    with UnitOfWork(ws, write=False) as uow:
        counts = tuple(uow.session.scalar(select(func.count()).select_from(model).where(model.workspace_id == ws))
                       for model in sorted(owned_models(), key=lambda m: m.__name__))
        users = uow.session.scalar(select(func.count(User.id)))
    with UnitOfWork(write=False) as uow:
        seq = uow.session.scalar(select(Workspace.journal_seq).where(Workspace.id == ws))
    return seq, users, counts


def _fill(path: str, values: dict) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def _spoiled(form: Form):
    """(what, path values, form values): one malformed thing at a time."""
    for field, kind in form.kinds.items():
        for bad in KINDS[kind]:
            yield f"{field}={bad[:12]!r}", form.path, form.values | {field: bad}
    for field in form.indexed:
        prefix, _, _ = field.rpartition("-")
        for bad_id in {HUGE, BEYOND_INT4, "9" * 5000, "0", "-1", "x"} - {field.rpartition("-")[2]}:
            values = {k: v for k, v in form.values.items() if k != field} | {f"{prefix}-{bad_id}": form.values[field]}
            yield f"{prefix}-{bad_id[:12]}", form.path, values
    for param in form.path:
        for bad_id in (HUGE, BEYOND_INT4, "9" * 5000, "-1"):
            yield f"{{{param}}}={bad_id[:12]}", form.path | {param: bad_id}, form.values


@pytest.fixture
def bench(app, make_user, make_workspace, login):
    candidate = make_user("candidate")
    workspace = make_workspace(owner=candidate)
    objects = _workspace_objects(workspace.id)
    from tests.exam import a_session, workspaces

    session_id, _ = a_session(make_user, candidates=1)
    from tests.tradeshow import a_visitor

    objects |= {"session_id": session_id, "session_workspace": workspaces(session_id)[0].id,
                "candidate_user": candidate.id,
                "session_visitor": a_visitor(workspaces(session_id)[0].id, "live", live=True)}
    return workspace.id, objects, {"candidate": login(candidate), "staff": login(make_user(Role.TRAINER.value))}


def test_every_form_route_refuses_malformed_input_with_a_4xx_and_changes_nothing(app, bench):
    """…and the valid form each malformed one is made from is accepted."""
    ws, objects, browsers = bench
    forms = _forms(ws, objects)
    posts = {route.path for method, route in app_routes(app) if method == "POST"} - SKIPPED
    assert posts == set(forms), "list every POST route in FORMS with the fields its page sends"
    failures = []
    for path, form in forms.items():
        browser = browsers["staff" if form.as_staff else "candidate"]
        before = _state(ws)
        for what, path_values, values in _spoiled(form):
            url = _fill(path, path_values)
            try:
                response = browser.post(url, values)
            except Exception as crash:  # the test client re-raises what would be a 500
                failures.append(f"POST {path} {what}: {type(crash).__name__}: {str(crash)[:200]}")
                continue
            refused = 400 <= response.status_code < 500 or (form.read_only and response.status_code == 200)
            if not refused:
                failures.append(f"POST {path} {what}: {response.status_code}")
            if _state(ws) != before:
                failures.append(f"POST {path} {what}: {response.status_code} and the workspace changed")
            if failures:
                before = _state(ws)
    assert not failures, "\n".join(failures)

    # Else this would prove nothing: each spoiled form is one field away from a valid one.
    for path in ("/quotes/preview", "/quotes", "/quotes/{quote_id}/edit", "/orders", "/orders/{order_id}/approval-request",
                 "/orders/{order_id}/deliveries", "/invoices/{invoice_id}/credit-notes",
                 "/customers/{customer_id}/payments", "/inbox", "/inbox/{message_id}/reply",
                 "/customers", "/customers/{customer_id}/edit", "/customers/{customer_id}/interactions",
                 "/customers/{customer_id}/contacts", "/customers/{customer_id}/contacts/{contact_id}",
                 "/customers/{customer_id}/addresses", "/customers/{customer_id}/addresses/{address_id}",
                 "/workspaces/{workspace_id}/orders/{order_id}/approve",
                 "/purchase-orders", "/purchase-orders/{purchase_order_id}/acknowledgement",
                 "/purchase-orders/{purchase_order_id}/new-date", "/purchase-orders/{purchase_order_id}/receipts",
                 "/orders/{order_id}/repromise", "/orders/{order_id}/inform", "/orders/{order_id}/substitute",
                 "/purchase-orders/{purchase_order_id}/reminder",
                 *(f"/evaluation/sessions/{{session_id}}/candidates/{{workspace_id}}/{action}"
                   for action in ("judge", "override", "validate")),
                 "/inbox/{message_id}/attachments/{document_id}/filing", "/filed/{filed_id}/refile",
                 "/filed/{filed_id}/pass-on", "/communication", "/communication/preview",
                 "/communication/{support_id}/edit", "/communication/{support_id}/publish",
                 "/customers/{customer_id}/consents", "/claims", "/claims/{claim_id}/analyse",
                 "/claims/{claim_id}/propose", "/claims/{claim_id}/alert", "/claims/{claim_id}/answer",
                 "/claims/{claim_id}/close", "/calls/{call_id}/answer", "/stand/{visitor_id}/welcome",
                 "/stand/{visitor_id}/answer", "/stand/{visitor_id}/contact",
                 "/evaluation/sessions/{session_id}/candidates/{workspace_id}/stand/{visitor_id}/say",
                 *(path for path in forms if path.startswith("/projects"))):
        form = forms[path]
        browser = browsers["staff" if form.as_staff else "candidate"]
        response = browser.post(_fill(path, form.path), form.values)
        assert response.status_code in (200, 303), f"POST {path}: {response.status_code}\n{response.text[:3000]}"


def test_every_url_naming_an_id_no_row_can_have_is_not_found(app, make_user, login, candidate_with_workspace):
    """GET and POST alike: /quotes/99999999999999999999 is a 404, never a database error."""
    candidate, _ = candidate_with_workspace
    browsers = {"candidate": login(candidate), "staff": login(make_user(Role.TRAINER.value))}
    failures = []
    for method, route in app_routes(app):
        if not route.param_convertors:
            continue
        rule = access_rule(route.dependant)
        browser = browsers["candidate" if Role.CANDIDATE in rule.roles else "staff"]
        for bad_id in (HUGE, BEYOND_INT4, "0", "-1", "9" * 5000):
            url = _fill(route.path, {name: bad_id for name in route.param_convertors})
            try:
                response = browser.get(url) if method == "GET" else browser.post(url)
            except Exception as crash:
                failures.append(f"{method} {url[:80]}: {type(crash).__name__}: {str(crash)[:200]}")
                continue
            if response.status_code != 404:
                failures.append(f"{method} {url[:80]}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_a_body_over_the_limit_is_refused_with_413_and_a_french_page(app, make_user, login):
    from sim.web.limits import MAX_BODY

    browser = login(make_user("candidate"))
    announced = browser.post("/inbox", {"body": "x" * (MAX_BODY + 1)})
    assert announced.status_code == 413 and "Requête trop volumineuse" in announced.text

    def chunks():  # no Content-Length: the limit holds on what actually arrives
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"x" * 65536

    streamed = browser.client.post("/inbox", content=chunks(),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert streamed.status_code == 413 and "Requête trop volumineuse" in streamed.text


def test_a_nul_in_a_query_string_is_refused_with_400(make_user, login):
    browser = login(make_user("candidate"))
    for url in ("/customers?q=a%00b", "/products?category=%00", "/quotes?status=%00"):
        response = browser.get(url)
        assert response.status_code == 400 and "Caractère nul" in response.text, url


def test_page_numbers_beyond_any_list_show_the_last_empty_page(candidate_with_workspace, login):
    user, _ = candidate_with_workspace
    browser = login(user)
    for url in ("/customers?page=99999999999999999999", "/products?page=99999999999999999999"):
        assert browser.get(url).status_code == 200, url


def test_a_login_whose_next_page_holds_a_control_character_goes_home(make_user, app):
    from starlette.testclient import TestClient

    from tests.conftest import csrf_of

    user = make_user("candidate")
    with TestClient(app, follow_redirects=False, client=("10.9.9.9", 50000)) as client:
        token = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"username": user.username, "password": "secret",
                                               "next": "/quotes\x00\r\nSet-Cookie: x=1", "csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/customers"
