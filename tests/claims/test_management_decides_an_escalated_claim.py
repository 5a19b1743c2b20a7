"""An escalated claim goes to management, which decides (the trainer or admin on the
approvals page, or the scenario's ``management_decision`` event with a claim): the
decision and its comment reach the candidate's inbox and the claim page, journaled
``claim.management_decided``. Approved, the candidate proposes beyond the delegation
(an invoice of 1 000 € HT, a gesture delegation of 5 %: 80 € HT becomes possible);
refused, only within it."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.billing.models import CreditNote
from sim.crm import claims
from sim.crm.models import Claim, Interaction
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from tests.claims import an_invoice_of_1000_ht
from tests.factories import ACTOR, last_entry


def _step(ws, fn, **kw):
    with UnitOfWork(ws) as uow:
        result = fn(uow, **kw)
        uow.commit()
    return result


def _escalated(ws):
    customer, invoice = an_invoice_of_1000_ht(ws)
    with UnitOfWork(ws) as uow:
        claim = claims.open_claim(uow, actor=ACTOR, customer_id=customer.id, category="damage",
                                  subject="Damaged delivery", description="All boxes crushed.", invoice_id=invoice.id)
        uow.commit()
    _step(ws, claims.analyse, actor=ACTOR, claim_id=claim.id, analysis="Marchandise inutilisable.")
    _step(ws, claims.escalate, actor=ACTOR, claim_id=claim.id, message="Le client demande 80 € HT d'avoir : accord ?")
    return claim


def test_approved_lets_the_candidate_go_beyond_the_delegation_and_reaches_the_inbox(workspace):
    ws = workspace.id
    claim = _escalated(ws)
    with UnitOfWork(ws, write=False) as uow:
        assert [c.id for c, _ in claims.awaiting_decision(uow)] == [claim.id]
        assert claims.escalation_message(uow, uow.session.get(Claim, claim.id)).startswith("Le client demande 80")
    _step(ws, claims.decide, actor="trainer:t", actor_role="trainer", claim_id=claim.id,
          decision="approved_with_conditions", comment="80 € HT au plus, sans autre geste cette année.")
    decided = last_entry(ws, "claim.management_decided")
    assert decided.refs["claim"] == claim.number
    assert decided.payload == {"decision": "approved_with_conditions",
                               "comment": "80 € HT au plus, sans autre geste cette année."}
    with UnitOfWork(ws, write=False) as uow:
        message = uow.session.scalars(select(Interaction).where(Interaction.reference == decided.refs["message"])).one()
        assert message.counterpart_role == "management" and message.direction == "in"
        assert claim.number in message.subject and "sans autre geste" in message.body
        assert claims.awaiting_decision(uow) == []
    _step(ws, claims.propose_solution, actor=ACTOR, claim_id=claim.id, solution="credit_note", amount="80",
          note="Un avoir de 80 € HT, accordé par la direction.")
    proposed = last_entry(ws, "claim.solution_proposed")
    assert proposed.payload["within_delegation"] is False and proposed.payload["management_approved"] is True
    _step(ws, claims.record_answer, actor=ACTOR, claim_id=claim.id, accepted=True, note="OK")
    with UnitOfWork(ws, write=False) as uow:
        note = uow.session.get(CreditNote, uow.session.get(Claim, claim.id).credit_note_id)
        assert note.total_ht == D("80.00")
    with pytest.raises(claims.ClaimStepRefused):  # decided once
        _step(ws, claims.decide, actor="trainer:t", actor_role="trainer", claim_id=claim.id, decision="approved")


def test_refused_keeps_the_candidate_within_the_delegation_and_a_candidate_cannot_decide(workspace):
    ws = workspace.id
    claim = _escalated(ws)
    with pytest.raises(claims.DecisionNotAllowed):
        _step(ws, claims.decide, actor=ACTOR, actor_role="candidate", claim_id=claim.id, decision="approved")
    with pytest.raises(ValidationFailed) as refused:
        _step(ws, claims.decide, actor="trainer:t", actor_role="trainer", claim_id=claim.id, decision="refused")
    assert "motif" in refused.value.errors["comment"]
    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.get(Claim, claim.id).management_decision == ""  # a failed decision changes nothing
    _step(ws, claims.decide, actor="trainer:t", actor_role="trainer", claim_id=claim.id, decision="refused",
          comment="Avarie du transporteur : protestez auprès de lui, 50 € au plus.")
    with pytest.raises(ValidationFailed):
        _step(ws, claims.propose_solution, actor=ACTOR, claim_id=claim.id, solution="credit_note", amount="80",
              note="80 €")
    _step(ws, claims.propose_solution, actor=ACTOR, claim_id=claim.id, solution="credit_note", amount="50",
          note="50 € HT")
    assert last_entry(ws, "claim.solution_proposed").payload["within_delegation"] is True


def test_the_trainer_decides_on_the_approvals_page_and_the_claim_page_shows_it(
        login, make_user, candidate_with_workspace):
    user, space = candidate_with_workspace
    ws = space.id
    claim = _escalated(ws)
    trainer = login(make_user("trainer"))
    page = trainer.get(f"/workspaces/{ws}/approvals")
    assert claim.number in page.text and "Le client demande 80" in page.text
    empty = trainer.post(f"/workspaces/{ws}/claims/{claim.id}/decision", {"decision": "refused", "comment": ""})
    assert empty.status_code == 422 and "motif du refus" in empty.text
    done = trainer.post(f"/workspaces/{ws}/claims/{claim.id}/decision",
                        {"decision": "approved", "comment": "D'accord pour 80 €."})
    assert done.status_code == 303
    candidate = login(user)
    shown = candidate.get(f"/claims/{claim.id}")
    assert "Décision de la direction" in shown.text and "Accord" in shown.text and "D&#39;accord pour 80 €." in shown.text


def test_the_scenario_event_decides_the_last_escalated_claim(workspace):
    from sim.scenario.events import management_decision

    ws = workspace.id
    claim = _escalated(ws)

    class Ctx:
        actor, event_key = "scenario", "direction-avoir"

    with UnitOfWork(ws) as uow:
        ctx = Ctx()
        ctx.uow = uow
        management_decision.handle(ctx, {"decision": "approved", "escalated_claim": True, "comment": "Accordé."})
        uow.commit()
    decided = last_entry(ws, "claim.management_decided")
    assert decided.refs["claim"] == claim.number and decided.refs["event"] == "direction-avoir"
    assert decided.actor == "scenario"
