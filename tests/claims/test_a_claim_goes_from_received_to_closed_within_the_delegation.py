"""A claim's workflow (REAC CP3: « traiter les réclamations dans le respect de la
délégation ») : received → analysed → solution proposed → accepted / refused →
closed, each step journaled; a solution beyond the delegation is refused and the
claim goes to management; the right colleague is told by an internal message.

Worked figures: an invoice of 1 000 € HT, a gesture delegation of 5 % → 50,00 €
HT at most; 50 € HT accepted gives a credit note of 60,00 € TTC."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from sim.billing.models import CreditNote
from sim.crm import claims
from sim.crm.models import Claim, Interaction
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.journal.models import JournalEntry
from tests.claims import an_invoice_of_1000_ht
from tests.factories import ACTOR, last_entry, set_company


def _open(ws, customer, invoice, **kw):
    with UnitOfWork(ws) as uow:
        claim = claims.open_claim(uow, actor=ACTOR, customer_id=customer.id, category="damage",
                                  subject="Damaged delivery", description="Three boxes crushed.",
                                  invoice_id=invoice.id, **kw)
        uow.commit()
    return claim


def _step(ws, fn, **kw):
    with UnitOfWork(ws) as uow:
        result = fn(uow, actor=ACTOR, **kw)
        uow.commit()
    return result


def test_a_damaged_delivery_is_settled_by_a_credit_note_within_the_delegation(workspace):
    ws = workspace.id
    customer, invoice = an_invoice_of_1000_ht(ws)
    claim = _open(ws, customer, invoice)
    received = last_entry(ws, "claim.received")
    assert claim.number.startswith("RC-") and received.refs["claim"] == claim.number
    assert received.refs["invoice"] == invoice.number and received.payload["category"] == "damage"
    assert claim.respond_by is not None and claim.respond_by > claim.opened_on  # 2 working days

    _step(ws, claims.analyse, claim_id=claim.id, analysis="Avarie transporteur, réserves portées sur le BL.")
    _step(ws, claims.propose_solution, claim_id=claim.id, solution="credit_note", amount="50,00",
          note="Un avoir de 50 € HT sur la facture.")
    proposed = last_entry(ws, "claim.solution_proposed")
    assert proposed.payload["within_delegation"] is True and proposed.payload["on_time"] is True
    assert D(proposed.payload["amount"]) == D("50.00")
    _step(ws, claims.record_answer, claim_id=claim.id, accepted=True, note="Accepted by phone.")
    _step(ws, claims.close, claim_id=claim.id, resolution="Avoir émis, client satisfait.")
    with UnitOfWork(ws, write=False) as uow:
        done = uow.session.get(Claim, claim.id)
        note = uow.session.get(CreditNote, done.credit_note_id)
        kinds = [k for k in uow.session.scalars(select(JournalEntry.kind).order_by(JournalEntry.seq))
                 if k.startswith("claim.") or k == "credit_note.issued"]
    assert done.status == "closed" and done.closed_on is not None
    assert note.total_ht == D("50.00") and note.total_ttc == D("60.00")
    assert kinds == ["claim.received", "claim.analysed", "claim.solution_proposed", "credit_note.issued",
                     "claim.accepted", "claim.closed"]
    assert last_entry(ws, "claim.accepted").payload["credit_note"] == note.number


def test_a_credit_note_beyond_the_delegation_is_refused_and_the_claim_goes_to_management(workspace):
    ws = workspace.id
    customer, invoice = an_invoice_of_1000_ht(ws)
    claim = _open(ws, customer, invoice)
    _step(ws, claims.analyse, claim_id=claim.id, analysis="Marchandise inutilisable.")
    with pytest.raises(ValidationFailed) as refused:
        _step(ws, claims.propose_solution, claim_id=claim.id, solution="credit_note", amount="50.01",
              note="Avoir de 50,01 €")
    assert " ".join(refused.value.errors["amount"].replace("\u202f", " ").replace("\xa0", " ").split()) == (
        "Avoir supérieur à votre délégation (5 % de la facture HT, soit 50,00 €) : transmettez la réclamation "
        "à la direction.")
    set_company(ws, max_discount_pct=D("10.00"))
    with pytest.raises(ValidationFailed) as refused:
        _step(ws, claims.propose_solution, claim_id=claim.id, solution="discount", pct="12", note="12 %")
    assert "10 % au plus" in refused.value.errors["pct"]
    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.get(Claim, claim.id).status == "analysed"  # a refused proposal changes nothing
    _step(ws, claims.escalate, claim_id=claim.id, message="Le client demande 30 % de remise : votre accord ?")
    escalated = last_entry(ws, "claim.escalated")
    sent = last_entry(ws, "message.sent")
    assert sent.payload["to_role"] == "management" and escalated.refs["message"] == sent.refs["message"]
    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.get(Claim, claim.id).status == "escalated"


def test_logistics_is_alerted_by_an_internal_message(workspace):
    ws = workspace.id
    customer, invoice = an_invoice_of_1000_ht(ws)
    claim = _open(ws, customer, invoice)
    _step(ws, claims.alert_colleague, claim_id=claim.id, colleague="logistics",
          message="Avarie sur la livraison : ouvrez un litige avec le transporteur.")
    alerted = last_entry(ws, "claim.colleague_alerted")
    sent = last_entry(ws, "message.sent")
    assert alerted.payload["colleague"] == "logistics" and sent.payload["to_role"] == "logistics"
    assert sent.payload["to"].startswith("logistique@")
    with UnitOfWork(ws, write=False) as uow:
        message = uow.session.scalars(select(Interaction).where(Interaction.reference == sent.refs["message"])).one()
    assert message.direction == "out" and message.counterpart_role == "logistics"


def test_steps_out_of_order_are_refused_and_a_step_happens_once(workspace):
    ws = workspace.id
    customer, invoice = an_invoice_of_1000_ht(ws)
    claim = _open(ws, customer, invoice)
    with pytest.raises(claims.ClaimStepRefused, match="Analysez d'abord"):
        _step(ws, claims.propose_solution, claim_id=claim.id, solution="replacement", note="Remplacement")
    with pytest.raises(claims.ClaimStepRefused):
        _step(ws, claims.close, claim_id=claim.id, resolution="Fin")
    _step(ws, claims.analyse, claim_id=claim.id, analysis="Avarie.")
    with pytest.raises(claims.ClaimStepRefused):  # the same form sent twice: the second finds it analysed
        _step(ws, claims.analyse, claim_id=claim.id, analysis="Avarie.")
    _step(ws, claims.propose_solution, claim_id=claim.id, solution="replacement", note="Nous remplaçons les cartons.")
    _step(ws, claims.record_answer, claim_id=claim.id, accepted=False, note="Wants a refund.")
    assert last_entry(ws, "claim.refused").payload["solution"] == "replacement"
    # after a refusal, a new proposal
    _step(ws, claims.propose_solution, claim_id=claim.id, solution="credit_note", amount="40", note="Avoir 40 € HT")
    with UnitOfWork(ws, write=False) as uow:
        assert uow.session.get(Claim, claim.id).status == "proposed"


def test_the_claims_list_shows_ages_and_overdue_answers(workspace):
    from sim.clock import set_clock, sim_now

    ws = workspace.id
    customer, invoice = an_invoice_of_1000_ht(ws)
    late = _open(ws, customer, invoice, respond_by=date(2000, 1, 3))
    _open(ws, customer, invoice)
    with UnitOfWork(ws, write=False) as uow:
        rows = claims.claim_rows(uow)
    assert [r.claim.id for r in rows][0] == late.id and rows[0].overdue and not rows[1].overdue
    assert rows[0].age_days == 0 and rows[0].status_label == "Reçue"


def test_a_claim_refuses_an_invoice_of_another_customer(workspace):
    ws = workspace.id
    _, invoice = an_invoice_of_1000_ht(ws)
    other, _ = an_invoice_of_1000_ht(ws)
    with pytest.raises(ValidationFailed) as refused:
        _open(ws, other, invoice)
    assert refused.value.errors == {"invoice": "Cette facture n'est pas une facture de ce client."}
