"""Payment plans (receivables-recovery.md §8) within the candidate's delegation
(``max_payment_plan_months``), beyond it a request to management; each
instalment followed like an invoice; litigation freezes new orders and alerts
management; the solvency check is journaled when consulted."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.crm.models import Customer, Interaction
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.receivables import plans, recovery
from sim.receivables.models import CreditReport, PaymentPlanStatus
from sim.receivables.service import record_payment
from sim.sales.models import OrderStatus
from sim.sales.service import LineInput, confirm_order, create_order
from tests.factories import ACTOR, last_entry, make_product, set_company, snapshot
from tests.receivables import a_customer, an_invoice, at

TODAY = date(2026, 11, 2)


def _plan(ws, customer, invoice, instalments, **kw):
    with UnitOfWork(ws) as uow:
        plan = plans.propose_plan(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id],
                                  instalments=instalments, **kw)
        uow.commit()
        return plan


def test_months_are_counted_to_the_last_instalment_rounded_up():
    assert plans.months_between(date(2026, 11, 2), date(2027, 1, 31)) == 3
    assert plans.months_between(date(2026, 11, 2), date(2027, 2, 2)) == 3
    assert plans.months_between(date(2026, 11, 2), date(2027, 2, 3)) == 4


def test_three_months_within_a_delegation_of_three_is_agreed_at_once(workspace):
    ws = workspace.id
    set_company(ws, max_payment_plan_months=3)
    at(ws, TODAY)
    customer = a_customer(ws)
    invoice = an_invoice(ws, customer, "3000.00", issued=date(2026, 9, 1), due=date(2026, 10, 1))
    plan = _plan(ws, customer, invoice, [("2026-11-30", "1000,00"), ("2026-12-31", "1000,00"),
                                          ("2027-01-31", "1000,00")], penalties_waived=True)
    assert (plan.status, plan.months, plan.total) == (PaymentPlanStatus.ACTIVE, 3, D("3000.00"))
    entry = last_entry(ws, "payment_plan.agreed")
    assert entry.refs == {"payment_plan": f"ECH-{customer.code}-1", "customer": customer.code}
    assert entry.payload["max_months"] == 3 and entry.payload["penalties_waived"] is True
    with UnitOfWork(ws, write=False) as uow:  # a plan on time pauses the ladder
        [state] = recovery.invoice_states(uow, customer_id=customer.id)
        assert state.paused == f"Échéancier {plan.number} en cours"
        assert recovery.todo(uow, customer_id=customer.id) == []


def test_instalments_must_add_up_to_what_is_owed_in_date_order(workspace):
    ws = workspace.id
    at(ws, TODAY)
    customer = a_customer(ws)
    invoice = an_invoice(ws, customer, "3000.00", issued=date(2026, 9, 1), due=date(2026, 10, 1))
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        plans.propose_plan(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id],
                           instalments=[("2026-12-31", "1000,00"), ("2026-11-30", "1500,00")])
    assert refused.value.errors == {"date-2": "Les échéances se suivent dans le temps."}
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        plans.propose_plan(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[invoice.id],
                           instalments=[("2026-11-30", "1000,00"), ("2026-12-31", "1500,00")])
    assert refused.value.errors["instalments"].startswith("Les échéances totalisent 2\u202f500,00")
    assert snapshot(ws) == before


def test_four_months_beyond_a_delegation_of_three_is_asked_of_management(workspace):
    ws = workspace.id
    set_company(ws, max_payment_plan_months=3)
    at(ws, TODAY)
    customer = a_customer(ws)
    invoice = an_invoice(ws, customer, "4000.00", issued=date(2026, 9, 1), due=date(2026, 10, 1))
    plan = _plan(ws, customer, invoice, [(f"2026-{m}-30", "1000,00") for m in (11, 12)]
                 + [("2027-01-30", "1000,00"), ("2027-02-28", "1000,00")], note="Le client s'engage par écrit.")
    assert (plan.status, plan.months) == (PaymentPlanStatus.PENDING, 4)
    entry = last_entry(ws, "payment_plan.approval_requested")
    assert entry.payload["months"] == 4 and entry.refs["message"].startswith("MSG-")
    assert last_entry(ws, "message.sent").payload["to_role"] == "management"
    with UnitOfWork(ws) as uow, pytest.raises(plans.PlanNotAllowed):  # a candidate never decides
        plans.decide_plan(uow, actor=ACTOR, actor_role="candidate", plan_id=plan.id, decision="approved")
    with UnitOfWork(ws) as uow:
        plans.decide_plan(uow, actor="trainer:t", actor_role="trainer", plan_id=plan.id, decision="approved",
                          comment="D'accord, avec clause de déchéance du terme.")
        uow.commit()
    assert last_entry(ws, "payment_plan.decided").payload["decision"] == "approved"
    with UnitOfWork(ws, write=False) as uow:
        answer = uow.session.scalars(select(Interaction).where(Interaction.direction == "in")
                                     .order_by(Interaction.id.desc())).first()
        assert answer.subject == f"Échéancier {plan.number} : accordé"
        assert plans.plan_states(uow, customer_ids=[customer.id])[0].plan.status == PaymentPlanStatus.ACTIVE


def test_each_instalment_is_followed_and_a_missed_one_resumes_at_the_formal_notice(workspace):
    ws = workspace.id
    set_company(ws, max_payment_plan_months=3)
    at(ws, TODAY)
    customer = a_customer(ws)
    invoice = an_invoice(ws, customer, "3000.00", issued=date(2026, 9, 1), due=date(2026, 10, 1))
    _plan(ws, customer, invoice, [("2026-11-30", "1000,00"), ("2026-12-31", "1000,00"), ("2027-01-31", "1000,00")])
    at(ws, date(2026, 11, 28))
    with UnitOfWork(ws) as uow:
        record_payment(uow, actor=ACTOR, customer_id=customer.id, method="transfer", amount="1000.00",
                       allocations={invoice.id: "1000.00"})
        uow.commit()
    at(ws, date(2027, 1, 5))  # the second instalment (31/12) did not come
    with UnitOfWork(ws, write=False) as uow:
        [ps] = plans.plan_states(uow, customer_ids=[customer.id])
        assert [ps.status_of(i) for i in ps.instalments] == ["Payée", "En retard", "À venir"]
        [item] = recovery.todo(uow, customer_id=customer.id)
    assert item.step.level == "formal_notice" and item.amount == D("2000.00")
    assert any("Échéance impayée" in n for n in item.notes)


def test_litigation_freezes_new_orders_and_alerts_management(workspace):
    ws = workspace.id
    at(ws, TODAY)
    customer = a_customer(ws, credit_limit="100000.00")
    an_invoice(ws, customer, "1800.00", issued=date(2026, 8, 1), due=date(2026, 8, 31))
    with UnitOfWork(ws) as uow:
        recovery.transfer_to_litigation(uow, actor=ACTOR, customer_id=customer.id,
                                        note="Mise en demeure restée sans effet.")
        uow.commit()
    entry = last_entry(ws, "customer.litigation_transferred")
    assert entry.payload["amount_due"] == "1800.00" and entry.refs["message"].startswith("MSG-")
    assert last_entry(ws, "message.sent").payload["to"].startswith("direction@")
    product = make_product(ws, price="10.00")
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=customer.id, lines=[LineInput(product.id, "1")])
        uow.commit()
    with UnitOfWork(ws) as uow:
        order = confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    assert order.status == OrderStatus.BLOCKED
    assert last_entry(ws, "order.blocked").payload["reason_code"] == "litigation"
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(Customer, customer.id).in_litigation
        [state] = recovery.invoice_states(uow, customer_id=customer.id)
        assert state.paused == "Transmis au contentieux"


def test_the_solvency_check_is_journaled_with_what_the_report_says(workspace):
    ws = workspace.id
    at(ws, TODAY)
    customer = a_customer(ws, credit_limit="20000.00")
    with UnitOfWork(ws) as uow:  # the scenario's data
        uow.session.add(CreditReport(workspace_id=ws, customer_id=customer.id, as_of=date(2026, 10, 30), score=28,
                                     incidents="LCR impayée de 3 200 € le 12/09/2026\nRetard URSSAF",
                                     recommended_limit=D("5000.00"), comment="Dégradation récente."))
        uow.commit()
    with UnitOfWork(ws) as uow:
        report = plans.consult_credit_report(uow, actor=ACTOR, customer_id=customer.id)
        uow.commit()
    assert report.score == 28
    entry = last_entry(ws, "credit_report.consulted")
    assert entry.payload["incidents"] == ["LCR impayée de 3 200 € le 12/09/2026", "Retard URSSAF"]
    assert (entry.payload["recommended_limit"], entry.payload["credit_limit"]) == ("5000.00", "20000.00")
    other = a_customer(ws, credit_limit="10000.00")  # no scenario data: derived from the record (rating A)
    with UnitOfWork(ws) as uow:
        derived = plans.consult_credit_report(uow, actor=ACTOR, customer_id=other.id)
        uow.commit()
    assert (derived.score, derived.recommended_limit) == (82, D("12000.00"))
