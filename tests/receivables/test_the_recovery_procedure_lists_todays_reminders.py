"""The company's recovery procedure is data (receivables-recovery.md §2): each
step due in sim time is on today's to-do list, done through its own action
(email from a template, call with a promise, letter), never on a contested
invoice nor for a customer whose credit covers what is late."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.billing.models import CreditNote
from sim.crm.models import Interaction
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.receivables import recovery
from sim.receivables.service import record_payment
from tests.factories import ACTOR, last_entry, snapshot
from tests.receivables import a_customer, an_invoice, at


def _todo(ws, customer):
    with UnitOfWork(ws, write=False) as uow:
        return [(i.step.level, [s.invoice.number for s in i.states], i.amount_to_claim, i.notes)
                for i in recovery.todo(uow, customer_id=customer.id)]


def test_the_default_ladder_puts_each_step_on_the_list_on_its_day(workspace):
    ws = workspace.id
    customer = a_customer(ws)
    invoice = an_invoice(ws, customer, "4800.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))
    at(ws, date(2026, 10, 9))
    assert _todo(ws, customer) == []  # D-6: nothing yet
    at(ws, date(2026, 10, 10))
    assert _todo(ws, customer)[0][0] == "courtesy"  # D-5, before the due date
    at(ws, date(2026, 10, 20))
    assert _todo(ws, customer) == [("first", [invoice.number], D("4800.00"), [])]  # D+5; the courtesy is past
    with UnitOfWork(ws, write=False) as uow:
        template = recovery.email_template(uow, uow.get(type(customer), customer.id), "first",
                                           recovery.invoice_states(uow, customer_id=customer.id))
    assert invoice.number in template["body"] and "4 800,00" in template["body"].replace("\u202f", " ")
    with UnitOfWork(ws) as uow:
        recovery.send_reminder_email(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id], level="first",
                                     subject=template["subject"], body=template["body"] + "\nMerci.",
                                     attach_invoices=True)
        uow.commit()
    entry = last_entry(ws, "reminder.sent")
    assert entry.payload["level"] == "first" and entry.payload["message"].startswith("MSG-")
    assert last_entry(ws, "message.sent").payload["text"].endswith("Merci.")
    assert _todo(ws, customer) == []
    at(ws, date(2026, 10, 27))
    assert _todo(ws, customer)[0][0] == "phone"  # D+12


def test_a_scenario_sets_its_own_procedure(workspace):
    ws = workspace.id
    with UnitOfWork(ws) as uow:
        recovery.set_procedure(uow, actor="scenario", steps=[
            {"level": "first", "offset_days": 5, "channel": "email"}, {"level": "phone", "offset_days": 15},
            {"level": "second", "offset_days": 30, "channel": "letter"},
            {"level": "formal_notice", "offset_days": 45}, {"level": "escalated", "offset_days": 60}])
        uow.commit()
    customer = a_customer(ws)
    an_invoice(ws, customer, "1000.00", issued=date(2026, 9, 1), due=date(2026, 10, 1))
    at(ws, date(2026, 10, 15))
    assert _todo(ws, customer)[0][0] == "first"  # no courtesy step in this procedure
    with UnitOfWork(ws, write=False) as uow:
        assert [s.offset_days for s in recovery.procedure(uow)] == [5, 15, 30, 45, 60]
    assert last_entry(ws, "recovery.procedure_set").payload["steps"][1] == {
        "level": "phone", "offset_days": 15, "channel": "phone"}
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed):
        recovery.set_procedure(uow, actor="scenario", steps=[{"level": "phone", "offset_days": 5, "channel": "email"}])


def test_credits_are_netted_before_a_reminder(workspace):
    ws = workspace.id
    at(ws, date(2026, 10, 25))
    customer = a_customer(ws)
    invoice = an_invoice(ws, customer, "4800.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))

    def credit(amount):
        with UnitOfWork(ws) as uow:
            uow.session.add(CreditNote(workspace_id=ws, number=f"AV-N-{amount}", customer_id=customer.id,
                                       invoice_id=invoice.id, issue_date=date(2026, 10, 20), reason="Retour",
                                       total_ht=D(amount) / D("1.2"), total_vat=D(amount) - D(amount) / D("1.2"),
                                       total_ttc=D(amount), unapplied=D(amount)))
            uow.commit()
    credit("1000.00")  # 1 000 € of credit: the reminder claims 3 800 €
    [(level, _, to_claim, notes)] = _todo(ws, customer)
    assert (level, to_claim) == ("first", D("3800.00"))
    assert notes == ["Crédit client de 1\u202f000,00\u00a0€ à imputer d'abord"]
    with UnitOfWork(ws, write=False) as uow:
        body = recovery.email_template(uow, uow.get(type(customer), customer.id), "first",
                                       recovery.invoice_states(uow, customer_id=customer.id))["body"]
    assert "le montant dû est de 3\u202f800,00\u00a0€" in body
    credit("3800.00")  # now in credit for all that is late: no reminder at all
    assert _todo(ws, customer) == []
    with UnitOfWork(ws, write=False) as uow:
        [state] = recovery.invoice_states(uow, customer_id=customer.id)
    assert state.paused.startswith("Client créditeur")


def test_a_disputed_invoice_is_not_chased_until_the_dispute_is_cleared(workspace):
    ws = workspace.id
    at(ws, date(2026, 10, 25))
    customer = a_customer(ws)
    invoice = an_invoice(ws, customer, "960.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))
    with UnitOfWork(ws) as uow:
        recovery.flag_dispute(uow, actor=ACTOR, invoice_id=invoice.id, reason="Livraison incomplète contestée",
                              withhold_payment=True)
        uow.commit()
    assert last_entry(ws, "invoice.dispute_flagged").payload["withhold_payment"] is True
    assert _todo(ws, customer) == []
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        recovery.issue_letter(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id], level="second")
    assert "contestée" in refused.value.errors["invoices"]
    assert snapshot(ws) == before
    with UnitOfWork(ws) as uow:
        recovery.clear_dispute(uow, actor=ACTOR, invoice_id=invoice.id, resolution="BL signé retrouvé")
        uow.commit()
    assert _todo(ws, customer)[0][0] == "first"


def test_a_promise_obtained_on_the_call_and_not_kept_is_shown_as_broken(workspace):
    ws = workspace.id
    at(ws, date(2026, 10, 28))
    customer = a_customer(ws)
    invoice = an_invoice(ws, customer, "2400.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))
    with UnitOfWork(ws) as uow:
        recovery.send_reminder_email(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id],
                                     level="first", subject="Relance", body="Merci de régler la facture.")
        uow.commit()
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        recovery.log_reminder_call(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id],
                                   note="Promet de payer", promised_date="2026-10-27")
    assert refused.value.errors == {"promised_date": "Une promesse de règlement se date d'aujourd'hui ou plus tard."}
    with UnitOfWork(ws) as uow:
        recovery.log_reminder_call(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id],
                                   note="Mme Petit (compta) : trésorerie tendue.", promised_date="2026-11-04",
                                   promised_amount="2400,00")
        uow.commit()
    call = last_entry(ws, "call.logged")
    assert "Promesse : 2\u202f400,00\u00a0€ le 04/11/2026." in call.payload["note"]
    assert last_entry(ws, "reminder.sent").payload["promised_date"] == "2026-11-04"
    at(ws, date(2026, 11, 4))
    with UnitOfWork(ws, write=False) as uow:
        [state] = recovery.invoice_states(uow, customer_id=customer.id)
    assert not state.promise_broken  # the day itself: still time
    at(ws, date(2026, 11, 10))  # D+26: past the promise, the 2nd reminder is due and the broken promise shown
    [(level, _, _, notes)] = _todo(ws, customer)
    assert level == "second" and notes == [f"Promesse non tenue : règlement promis le 04/11/2026 ({invoice.number})"]
    with UnitOfWork(ws) as uow:  # the scenario event says so explicitly
        recovery.break_promise(uow, actor="scenario", invoice_id=invoice.id, event_key="no_transfer")
        uow.commit()
    entry = last_entry(ws, "promise.broken")
    assert entry.refs["event"] == "no_transfer" and entry.payload["promised_amount"] == "2400.00"


def test_a_promise_kept_is_not_broken(workspace):
    ws = workspace.id
    at(ws, date(2026, 10, 28))
    customer = a_customer(ws)
    invoice = an_invoice(ws, customer, "2400.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))
    with UnitOfWork(ws) as uow:
        recovery.log_reminder_call(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id],
                                   note="Virement promis.", promised_date="2026-11-04")
        uow.commit()
    at(ws, date(2026, 11, 3))
    with UnitOfWork(ws) as uow:
        record_payment(uow, actor=ACTOR, customer_id=customer.id, method="transfer", amount="2400.00",
                       allocations={invoice.id: "2400.00"})
        uow.commit()
    at(ws, date(2026, 11, 10))
    assert _todo(ws, customer) == []
    with UnitOfWork(ws, write=False) as uow:
        assert recovery.invoice_states(uow, customer_id=customer.id) == []  # paid: off the ladder
        assert uow.session.scalars(select(Interaction).where(Interaction.customer_id == customer.id)).first()


def test_the_same_step_twice_the_same_day_is_refused_and_changes_nothing(workspace):
    """Two tabs, or a double click with two forms: the formal notice is printed once."""
    ws = workspace.id
    at(ws, date(2026, 11, 24))
    customer = a_customer(ws)
    invoice = an_invoice(ws, customer, "1200.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))
    with UnitOfWork(ws) as uow:
        recovery.issue_letter(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id],
                              level="formal_notice", form_token="tab-one-token-0001")
        uow.commit()
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        recovery.issue_letter(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id],
                              level="formal_notice", form_token="tab-two-token-0002")
    assert refused.value.errors["invoices"] == f"Mise en demeure déjà faite aujourd'hui sur la facture {invoice.number}."
    assert snapshot(ws) == before


@pytest.mark.parametrize("steps", [None, [{"level": "first", "offset_days": 10, "channel": "email"},
                                          {"level": "formal_notice", "offset_days": 30, "channel": "letter"}]])
def test_the_pages_read_only_the_invoices_that_can_be_chased_and_miss_none(workspace, steps):
    """Today's reminders and the overdue list read the open invoices that are overdue or due
    within the earliest step's offset, not all of them: the same lists as from every open
    invoice, on a seeded company's history (the default ladder starts before the due date)."""
    if steps is not None:
        with UnitOfWork(workspace.id) as uow:
            recovery.set_procedure(uow, actor=ACTOR, steps=steps)
            uow.commit()
    with UnitOfWork(workspace.id, write=False) as uow:
        every = recovery.invoice_states(uow)
        chased = recovery.chased_states(uow)

        def listed(items):
            return [(i.customer.id, i.step.level, [s.invoice.id for s in i.states]) for i in items]

        assert listed(recovery.todo(uow)) == listed(recovery.todo(uow, states=every))
        assert len(chased) < len(every) and (steps is not None or len(recovery.todo(uow)) > 0)
        overdue = [s.invoice.id for s in every if s.days_late > 0]
        assert [s.invoice.id for s in chased if s.days_late > 0] == overdue
        assert [s.invoice.id for s in recovery.invoice_states(uow, include_not_due=False)] == overdue


def test_an_open_claim_on_an_invoice_pauses_its_reminders_and_a_dispute_says_why(workspace):
    from sim.crm import claims

    ws = workspace.id
    at(ws, date(2026, 10, 25))
    customer = a_customer(ws)
    claimed = an_invoice(ws, customer, "480.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))
    disputed = an_invoice(ws, customer, "240.00", issued=date(2026, 9, 16), due=date(2026, 10, 16))
    chased = an_invoice(ws, customer, "120.00", issued=date(2026, 9, 17), due=date(2026, 10, 17))
    with UnitOfWork(ws) as uow:
        claims.open_claim(uow, actor=ACTOR, customer_id=customer.id, category="billing", subject="Prix facturé",
                          invoice_id=claimed.id)
        recovery.flag_dispute(uow, actor=ACTOR, invoice_id=disputed.id, reason="Quantité contestée",
                              withhold_payment=False)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        states = {s.invoice.number: s for s in recovery.invoice_states(uow, customer_id=customer.id)}
    assert states[claimed.number].paused == "Réclamation ouverte sur la facture : relances suspendues"
    assert states[disputed.number].paused == "Facture contestée : relances suspendues"
    assert states[disputed.number].dispute.reason == "Quantité contestée"
    assert states[chased.number].paused == "" and states[chased.number].due_today
    assert [(level, numbers) for level, numbers, *_ in _todo(ws, customer)] == [("first", [chased.number])]
