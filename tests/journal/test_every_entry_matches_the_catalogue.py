"""Every journal entry the services write matches the catalogue
(sim/journal/catalogue.py) and names things by business key, never by a
database id: the evaluator compares candidates' journals, whose copies of a
scenario share keys but not ids."""
from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import select

from sim.billing.models import InvoiceLine
from sim.billing.service import invoice_delivery, issue_credit_note
from sim.company.service import set_delegation
from sim.crm.service import create_customer, log_call, view_customer_account
from sim.db import UnitOfWork
from sim.documents.service import store
from sim.inbox.service import deliver, mark_read, send
from sim.journal import catalogue
from sim.journal.models import JournalEntry
from sim.receivables.service import record_payment, reject_payment
from sim.sales import service as sales
from sim.sales.models import OrderLine
from sim.scenario.dryrun import run
from sim.stock.service import adjust_stock, create_product, create_supplier, receive_stock, ship_delivery
from tests.factories import a_carrier, make_customer, make_product

ACTOR = "candidate:catalogue"
ROOT = Path(__file__).resolve().parents[2]


def nonconforming(entries) -> list[str]:
    found = []
    for e in entries:
        for problem in catalogue.problems(e["kind"], e["refs"], e["payload"], e.get("version", 1)):
            found.append(f"#{e['seq']} {e['kind']}: {problem}")
    return found


def journal_of(ws: int) -> list[dict]:
    with UnitOfWork(ws, write=False) as uow:
        return [{"seq": e.seq, "kind": e.kind, "refs": e.refs, "payload": e.payload, "version": e.version}
                for e in uow.session.scalars(select(JournalEntry).order_by(JournalEntry.seq))]


def act(ws: int, service, **kw):
    with UnitOfWork(ws) as uow:
        result = service(uow, **kw)
        uow.commit()
        return result


def test_the_whole_order_to_cash_flow_journals_catalogued_entries_by_business_key(workspace):
    ws = workspace.id
    act(ws, set_delegation, actor="trainer:t", max_discount_pct="12")
    customer = act(ws, create_customer, actor=ACTOR, name="Brasserie Martin", credit_limit=D("100000"),
                   contact={"first_name": "Léa", "last_name": "Martin", "email": "lea@martin.fr"})
    supplier = act(ws, create_supplier, actor=ACTOR, name="Cartonnages du Nord")
    product = act(ws, create_product, actor=ACTOR, reference="CAT-0001", name="Carton 40x30", price_ht=D("2.50"),
                  purchase_cost=D("1.10"), supplier_id=supplier.id, stock=D("100"))
    act(ws, receive_stock, actor=ACTOR, product_id=product.id, quantity=D("20"), reason="Réception")
    act(ws, adjust_stock, actor=ACTOR, product_id=product.id, quantity=D("-2"), reason="Casse")
    act(ws, view_customer_account, actor=ACTOR, customer_id=customer.id)
    act(ws, log_call, actor=ACTOR, customer_id=customer.id, note="Relance du devis")

    quote = act(ws, sales.create_quote, actor=ACTOR, customer_id=customer.id,
                lines=[sales.LineInput(product.id, "40", "5")])
    act(ws, sales.send_quote, actor=ACTOR, quote_id=quote.id)
    act(ws, sales.accept_quote, actor=ACTOR, quote_id=quote.id)
    order = act(ws, sales.order_from_quote, actor=ACTOR, quote_id=quote.id, customer_po="PO-77")
    act(ws, sales.confirm_order, actor=ACTOR, order_id=order.id)
    with UnitOfWork(ws, write=False) as uow:
        [line] = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    delivery = act(ws, ship_delivery, actor=ACTOR, order_id=order.id, quantities={line.id: "40"},
                   carrier_id=a_carrier(ws).id)
    invoice = act(ws, invoice_delivery, actor=ACTOR, delivery_id=delivery.id)
    with UnitOfWork(ws, write=False) as uow:
        [invoice_line] = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    act(ws, issue_credit_note, actor=ACTOR, invoice_id=invoice.id, quantities={invoice_line.id: "2"}, reason="Casse")
    act(ws, store, actor=ACTOR, kind="invoice", ref_id=invoice.id)
    act(ws, record_payment, actor=ACTOR, customer_id=customer.id, method="bill", amount="20,00",
        allocations={invoice.id: "20,00"})
    act(ws, reject_payment, actor="scenario", invoice_id=invoice.id, reason="Provision insuffisante")

    # a blocked order, its approval request and a manager's release
    small = make_customer(ws, credit_limit="10.00")
    blocked = act(ws, sales.create_order, actor=ACTOR, customer_id=small.id,
                  lines=[sales.LineInput(make_product(ws).id, "3")])
    act(ws, sales.confirm_order, actor=ACTOR, order_id=blocked.id)
    act(ws, sales.request_approval, actor=ACTOR, order_id=blocked.id, message="Client fidèle, paiement assuré.")
    act(ws, sales.approve_order, actor="trainer:t", actor_role="trainer", order_id=blocked.id, comment="D'accord")

    # the mailbox: a message arrives, is read, answered
    received = act(ws, deliver, actor="scenario", role="customer", name="Léa Martin", email="lea@martin.fr",
                   subject="Commande", body="Bonjour", customer_id=customer.id, event_key="order_mail")
    act(ws, mark_read, actor=ACTOR, message_id=received.id)
    act(ws, send, actor=ACTOR, to_role="", subject="Re: Commande", body="Bien reçu.", language="fr",
        reply_to=received.id, attach=[("invoice", invoice.id)])

    entries = journal_of(ws)
    assert nonconforming(entries) == []
    kinds = {e["kind"] for e in entries}
    assert kinds >= {"company.delegation_set", "customer.created", "supplier.created", "product.created",
                     "stock.received", "stock.adjusted", "customer.account_viewed", "call.logged", "quote.created",
                     "quote.sent", "quote.accepted", "order.created", "order.confirmed", "delivery.shipped",
                     "invoice.issued", "credit_note.issued", "document.generated", "payment.recorded",
                     "payment.rejected", "order.blocked", "order.approval_requested", "order.approved",
                     "message.received", "message.read", "message.sent"}
    shipped = next(e for e in entries if e["kind"] == "delivery.shipped")
    assert shipped["payload"]["lines"] == [{"product": "CAT-0001", "quantity": "40"}]
    sent = next(e for e in entries if e["kind"] == "message.sent")
    assert re.fullmatch(r"MSG-\d{4}-\d{5}", sent["refs"]["message"]) and sent["refs"]["reply_to"]
    paid = next(e for e in entries if e["kind"] == "payment.recorded")
    assert re.fullmatch(r"RG-\d{4}-\d{5}", paid["refs"]["payment"])


@pytest.mark.parametrize("name", ["late-delivery", "non-payment", "trade-show"])
def test_the_sample_scenarios_journal_catalogued_entries(name, tmp_path):
    result = run(ROOT / "scenarios" / f"{name}.yaml", ROOT / "scenarios" / f"{name}.candidate.yaml",
                 workdir=str(tmp_path))
    assert result.entries and nonconforming(result.entries) == []


def test_the_catalogue_lists_exactly_the_kinds_the_code_writes():
    written = set()
    for path in (ROOT / "sim").rglob("*.py"):
        written |= set(re.findall(r'(?:kind=|_entry\(uow, )"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert written == set(catalogue.KINDS)


def test_a_database_id_or_a_misshapen_field_is_caught():
    assert catalogue.problems("payment.recorded", {"customer": "C00001", "payment": "RG-2026-00001"},
                              {"amount": "10.00", "method": "transfer", "received_on": "2026-11-02",
                               "reference": "", "allocations": [{"invoice_id": 12, "amount": "10.00"}]}) == [
        "identifiant de base de données dans le contenu : allocations[0].invoice_id"]
    assert "la référence message doit être une clé métier (texte), pas 42" in catalogue.problems(
        "message.read", {"message": 42}, {"subject": "", "received_at": "2026-11-02T10:00:00", "role": "customer"})
    assert catalogue.problems("order.blokced", {}, {}) == ["type inconnu du catalogue : order.blokced"]


def test_advsim_journal_kinds_prints_the_catalogue(capsys):
    from sim.cli import main

    assert main(["journal", "kinds"]) == 0
    out = capsys.readouterr().out
    assert "order.blocked (v1) — Commande bloquée" in out
    assert "    refs : order, customer" in out
    assert "reason_code: text" in out
