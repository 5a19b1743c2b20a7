"""Navigation: a real chain quote → order → 2 deliveries → 2 invoices → credit
note → payment, seen from each of its documents; each document's history from
the journal; the status bar's steps."""
from __future__ import annotations

from sqlalchemy import select

from sim.billing.models import InvoiceLine
from sim.billing.service import invoice_delivery, issue_credit_note
from sim.db import UnitOfWork
from sim.journal.history import history
from sim.receivables.service import record_payment
from sim.sales import service as sales
from sim.sales.chain import chain_of, status_steps
from sim.sales.models import OrderLine
from sim.stock.service import ship_delivery
from tests.factories import ACTOR, a_carrier, make_customer, make_product


def _write(ws, fn, **kw):
    with UnitOfWork(ws) as uow:
        result = fn(uow, actor=ACTOR, **kw)
        uow.commit()
        return result


def _full_chain(ws):
    customer = make_customer(ws)
    product = make_product(ws, price="10.00", stock="100")
    quote = _write(ws, sales.create_quote, customer_id=customer.id, lines=[sales.LineInput(product.id, "10")])
    _write(ws, sales.send_quote, quote_id=quote.id)
    _write(ws, sales.accept_quote, quote_id=quote.id)
    order = _write(ws, sales.order_from_quote, quote_id=quote.id)
    _write(ws, sales.confirm_order, order_id=order.id)
    with UnitOfWork(ws, write=False) as uow:
        [line] = uow.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    carrier = a_carrier(ws).id
    d1 = _write(ws, ship_delivery, order_id=order.id, quantities={line.id: "4"}, carrier_id=carrier)
    d2 = _write(ws, ship_delivery, order_id=order.id, quantities={line.id: "6"}, carrier_id=carrier)
    i1 = _write(ws, invoice_delivery, delivery_id=d1.id)
    i2 = _write(ws, invoice_delivery, delivery_id=d2.id)
    with UnitOfWork(ws, write=False) as uow:
        [l2] = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == i2.id)).all()
    note = _write(ws, issue_credit_note, invoice_id=i2.id, quantities={l2.id: "1"}, reason="Abîmé")
    payment = _write(ws, record_payment, customer_id=customer.id, method="transfer", amount="48.00",
                     allocations={i1.id: "48.00"})
    return customer, quote, order, (d1, d2), (i1, i2), note, payment


def _numbers(links):
    return [(link["kind"], link["number"], link["current"]) for link in links]


def test_every_document_of_a_chain_links_to_the_others(workspace):
    ws = workspace.id
    _, quote, order, (d1, d2), (i1, i2), note, payment = _full_chain(ws)
    expected = [("quote", quote.number), ("order", order.number), ("delivery", d1.number), ("delivery", d2.number),
                ("invoice", i1.number), ("invoice", i2.number), ("credit_note", note.number),
                ("payment", payment.number)]
    with UnitOfWork(ws, write=False) as uow:
        from sim.billing.models import CreditNote, Invoice
        from sim.receivables.models import Payment
        from sim.sales.models import Quote, SalesOrder
        from sim.stock.models import Delivery

        for model, doc in ((Quote, quote), (SalesOrder, order), (Delivery, d2), (Invoice, i1), (CreditNote, note),
                           (Payment, payment)):
            current = uow.get(model, doc.id)
            links = chain_of(uow, current).links(current)
            assert [(k, n) for k, n, _ in _numbers(links)] == expected, model.__name__
            assert [n for _, n, c in _numbers(links) if c] == [doc.number]
        by_kind = {link["kind"]: link["url"] for link in chain_of(uow, uow.get(Quote, quote.id)).links(None)}
        assert by_kind["order"] == f"/orders/{order.id}" and by_kind["credit_note"] == f"/credit-notes/{note.id}"
        assert by_kind["payment"] == f"/payments/{payment.id}"


def test_an_order_without_a_quote_and_a_quote_without_an_order(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    product = make_product(ws)
    order = _write(ws, sales.create_order, customer_id=customer.id, lines=[sales.LineInput(product.id, "1")])
    quote = _write(ws, sales.create_quote, customer_id=customer.id, lines=[sales.LineInput(product.id, "1")])
    with UnitOfWork(ws, write=False) as uow:
        assert _numbers(chain_of(uow, order).links(order)) == [("order", order.number, True)]
        assert _numbers(chain_of(uow, quote).links(quote)) == [("quote", quote.number, True)]


def test_a_document_history_lists_its_own_entries_in_time_order(workspace):
    ws = workspace.id
    _, quote, order, (d1, _), (i1, i2), _, payment = _full_chain(ws)
    with UnitOfWork(ws, write=False) as uow:
        quote_history = history(uow, quote.number)
        order_history = history(uow, order.number)
        invoice_history = history(uow, i1.number)
        credited_history = history(uow, i2.number)
        payment_history = history(uow, payment.number)
    assert [h.kind for h in quote_history] == ["quote.created", "quote.sent", "quote.accepted", "order.created"]
    assert quote_history[0].title and quote_history[0].actor == ACTOR
    assert [h.sim_time for h in quote_history] == sorted(h.sim_time for h in quote_history)
    kinds = [h.kind for h in order_history]
    assert kinds[0] == "order.created" and "order.confirmed" in kinds and "delivery.shipped" in kinds
    assert "invoice.issued" in [h.kind for h in invoice_history]
    assert "credit_note.issued" in [h.kind for h in credited_history]
    assert [h.kind for h in payment_history] == ["payment.recorded"]
    assert payment_history[0].title == "Règlement enregistré"
    with UnitOfWork(ws, write=False) as uow:
        assert history(uow, quote.number[:-1]) == []  # a prefix of the number is not the document
        assert history(uow, "") == []


def test_the_status_bar_follows_the_workflow():
    def bar(kind, status, **kw):
        return [(s["label"], s["state"]) for s in status_steps(kind, status, **kw)]

    assert bar("quote", "sent") == [("Brouillon", "done"), ("Envoyé", "current"), ("Accepté", "todo")]
    assert bar("quote", "refused") == [("Brouillon", "done"), ("Envoyé", "done"), ("Refusé", "current exit")]
    assert bar("order", "partial") == [("Brouillon", "done"), ("Confirmée", "done"),
                                       ("Livrée partiellement", "current"), ("Livrée", "todo"), ("Facturée", "todo")]
    assert bar("order", "blocked")[0] == ("Bloquée", "current")
    assert bar("invoice", "issued", disputed=True) == [("Émise", "current"), ("Payée partiellement", "todo"),
                                                      ("Payée", "todo"), ("En litige", "current exit")]
    assert bar("invoice", "paid")[-1] == ("Payée", "current")


def test_a_credit_note_and_a_payment_show_whether_they_are_set_against_invoices(workspace):
    ws = workspace.id
    *_, note, payment = _full_chain(ws)
    from sim.sales.chain import settlement_steps

    assert [s["label"] for s in settlement_steps(payment)] == ["Reçu", "Imputé"]  # 48.00 all on the invoice
    assert settlement_steps(note)[-1]["state"] == "current"
