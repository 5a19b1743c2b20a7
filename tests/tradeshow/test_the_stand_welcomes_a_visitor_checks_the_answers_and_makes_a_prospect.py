"""The stand (CP8): a visitor's questions about the catalogue, the candidate's answers checked
against the figures of the moment, and the contact form that makes a prospect handed to a rep."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from sim.company.models import SalesRep
from sim.crm.models import Customer, Interaction
from sim.db import NotFound, UnitOfWork
from sim.errors import ValidationFailed
from sim.journal.models import JournalEntry
from sim.stock.models import Product
from sim.tradeshow import service
from sim.tradeshow.models import Visitor, VisitorLine

ACTOR = "candidate:stand"


def _visitor(workspace_id, language="en", facts=None) -> tuple[int, Product]:
    with UnitOfWork(workspace_id) as uow:
        product = uow.session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.id)).first()
        visitor = service.arrive(uow, actor="scenario", key="tom", event_key="tom", spec={
            "name": "Tom Becker", "company": "Becker Versand GmbH", "language": language,
            "profile": {"role": "logistics manager", "size": "120 employees", "sector": "mail order"},
            "need": "boxes for parcels",
            "facts": facts or [{"ask": "price", "product": product.reference},
                               {"ask": "availability", "product": product.reference},
                               {"ask": "lead_time", "product": product.reference}]})
        uow.commit()
        return visitor.id, product


def _entries(workspace_id, kind):
    with UnitOfWork(workspace_id, write=False) as uow:
        return list(uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == kind)
                                        .order_by(JournalEntry.id)))


@pytest.mark.parametrize("text, expected, ok", [
    ("It is 36,50 € HT per pack", "36.50", True), ("36.50", "36.50", True), ("36.5 euros", "36.50", True),
    ("1 200 available", "1200", True), ("1\u202f200,00", "1200", True), ("about 35 €", "36.50", False),
    ("10 working days", "10", True), ("two weeks", "10", False), ("1,200.50", "1200.50", True)])
def test_the_figures_are_read_in_any_writing(text, expected, ok):
    assert service.reliable(text, {"value": expected}) is ok


def test_the_visitor_asks_each_fact_in_turn_and_each_answer_is_checked(workspace):
    visitor_id, product = _visitor(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        service.welcome(uow, actor=ACTOR, visitor_id=visitor_id)
        uow.commit()
    with UnitOfWork(workspace.id) as uow:
        said = [line.text for line in service.lines(uow, visitor_id)]
    assert said[0].startswith("Hello, I'm Tom Becker, logistics manager at Becker Versand GmbH (120 employees).")
    assert f"({product.reference})" in said[1] and said[1].startswith("What is the price")

    with UnitOfWork(workspace.id) as uow:
        service.answer(uow, actor=ACTOR, visitor_id=visitor_id, text=f"It is {product.price_ht:.2f} € excl. VAT")
        uow.commit()
    with UnitOfWork(workspace.id) as uow:  # the lead time moves after the question: the figure of the asking counts
        service.answer(uow, actor=ACTOR, visitor_id=visitor_id, text="We have 3 in stock")
        uow.get(Product, product.id).lead_time_days = 21
        uow.commit()
    with UnitOfWork(workspace.id) as uow:
        service.answer(uow, actor=ACTOR, visitor_id=visitor_id, text=f"{product.lead_time_days} working days")
        last = service.lines(uow, visitor_id)[-1].text
        uow.commit()

    answered = [e.payload for e in _entries(workspace.id, "trade_show.visitor_answered")]
    assert [(a["fact"], a["reliable"]) for a in answered] == [("price", True), ("availability", False),
                                                              ("lead_time", True)]
    assert answered[0]["expected"] == f"{product.price_ht:.2f}"
    assert answered[2]["expected"] == str(product.lead_time_days) != "21"  # as it was when asked
    assert last.startswith("Thank you")


def test_a_french_visitor_speaks_french_and_an_empty_answer_changes_nothing(workspace):
    visitor_id, _ = _visitor(workspace.id, language="fr")
    with UnitOfWork(workspace.id) as uow:
        service.welcome(uow, actor=ACTOR, visitor_id=visitor_id)
        uow.commit()
    with pytest.raises(ValidationFailed) as refused, UnitOfWork(workspace.id) as uow:
        service.answer(uow, actor=ACTOR, visitor_id=visitor_id, text="  ")
        uow.commit()
    assert "answer" in refused.value.errors
    with UnitOfWork(workspace.id, write=False) as uow:
        said = [line.text for line in service.lines(uow, visitor_id)]
    assert said[0].startswith("Bonjour, Tom Becker") and said[1].startswith("Quel est le prix")
    assert len(said) == 2
    with pytest.raises(service.NotNow), UnitOfWork(workspace.id) as uow:
        service.welcome(uow, actor=ACTOR, visitor_id=visitor_id)
        uow.commit()


def test_the_evaluator_can_play_the_visitor_live(workspace):
    visitor_id, _ = _visitor(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        service.welcome(uow, actor=ACTOR, visitor_id=visitor_id, live=True)
        service.visitor_says(uow, actor="evaluator:jury", visitor_id=visitor_id, text="Do you ship to <Hamburg>?")
        service.answer(uow, actor=ACTOR, visitor_id=visitor_id, text="Yes, within 5 days.")
        said = [(line.speaker, line.text) for line in service.lines(uow, visitor_id)]
        uow.commit()
    assert said == [("visitor", "Do you ship to <Hamburg>?"), ("candidate", "Yes, within 5 days.")]
    assert _entries(workspace.id, "trade_show.visitor_answered")[0].payload["reliable"] is None


def _form(uow, product, **over):
    rep = uow.session.scalars(select(SalesRep).order_by(SalesRep.id)).first()
    return {"first_name": "Tom", "last_name": "Becker", "company": "Becker Versand GmbH",
            "job_title": "Logistics manager", "email": "t.becker@becker-versand.example", "phone": "",
            "language": "en", "country": "DE", "need": "Boxes for parcels, 2 000 a month",
            "products": [product.reference], "documentation": "Catalogue 2026", "follow_up": "quote",
            "follow_up_on": "2026-11-12", "sales_rep": str(rep.id), "consent": ["offers"],
            "retention_months": "36"} | over


def test_the_contact_form_makes_a_prospect_with_its_consent_handed_over_to_a_rep(workspace):
    visitor_id, product = _visitor(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        service.welcome(uow, actor=ACTOR, visitor_id=visitor_id)
        service.save_contact(uow, actor=ACTOR, visitor_id=visitor_id, values=_form(uow, product))
        uow.commit()
    with UnitOfWork(workspace.id, write=False) as uow:
        visitor = uow.get(Visitor, visitor_id)
        customer = uow.get(Customer, visitor.customer_id)
        note = uow.session.scalars(select(Interaction).where(Interaction.customer_id == customer.id,
                                                             Interaction.channel == "note")).one()
        rep = uow.session.get(SalesRep, customer.sales_rep_id)
    assert visitor.status == "done"
    assert (customer.name, customer.status, customer.language, customer.country) == (
        "Becker Versand GmbH", "prospect", "en", "DE")
    assert customer.consent_offers_on is not None and customer.gdpr_consent
    assert note.counterpart_role == "sales_rep" and note.subject.endswith("Envoi d'un devis le 12/11/2026")
    saved = _entries(workspace.id, "trade_show.contact_saved")[0].payload
    assert saved["consent"] == ["offers"] and saved["retention_months"] == 36 and saved["follow_up_on"] == "2026-11-12"
    handed = _entries(workspace.id, "trade_show.handed_over")[0]
    assert handed.payload["sales_rep"] == f"{rep.first_name} {rep.last_name}"
    assert handed.refs["customer"] == customer.code
    assert "Fiche contact du salon" in _entries(workspace.id, "customer.consents_changed")[0].payload["source"]


def test_a_bad_contact_form_says_what_is_wrong_next_to_each_field_and_creates_nothing(workspace):
    visitor_id, product = _visitor(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        service.welcome(uow, actor=ACTOR, visitor_id=visitor_id)
        before = uow.session.query(Customer).count()
        uow.commit()
    with pytest.raises(ValidationFailed) as refused, UnitOfWork(workspace.id) as uow:
        service.save_contact(uow, actor=ACTOR, visitor_id=visitor_id, values=_form(
            uow, product, email="not-an-address", follow_up="", sales_rep="999999", retention_months="",
            products=["NOPE-1"], last_name=""))
    assert set(refused.value.errors) == {"email", "follow_up", "sales_rep", "retention_months", "products",
                                         "last_name"}
    with UnitOfWork(workspace.id, write=False) as uow:
        assert uow.session.query(Customer).count() == before
        assert uow.get(Visitor, visitor_id).status == "welcoming"
    assert _entries(workspace.id, "trade_show.contact_saved") == []


def test_a_candidate_cannot_reach_another_candidates_visitor(make_workspace):
    mine, theirs = make_workspace(), make_workspace()
    visitor_id, _ = _visitor(theirs.id)
    with pytest.raises(NotFound), UnitOfWork(mine.id) as uow:
        service.welcome(uow, actor=ACTOR, visitor_id=visitor_id)
        uow.commit()
    with UnitOfWork(mine.id, write=False) as uow:
        assert service.stand(uow)["waiting"] == []
