"""CP8/4 « La fiche contact est correctement renseignée »: the contact form is compared with
the visitor's scripted profile (name, company, language, role, need) and the result is
journaled in ``trade_show.contact_saved`` (``mismatches``, ``accurate``, ``consent_recorded``);
an answer to a visitor carries the language lingua detects (``detected_language``, CP8/5)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sim.company.models import SalesRep
from sim.db import UnitOfWork
from sim.journal import catalogue
from sim.journal.models import JournalEntry
from sim.stock.models import Product
from sim.tradeshow import service

ACTOR = "candidate:stand"


def _welcomed_visitor(workspace_id) -> tuple[int, Product]:
    with UnitOfWork(workspace_id) as uow:
        product = uow.session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.id)).first()
        visitor = service.arrive(uow, actor="scenario", key="show_day.1", event_key="show_day", spec={
            "name": "Claire Fontaine", "company": "Logis Transport", "language": "fr",
            "profile": {"role": "responsable achats", "size": "40 M€ de CA"},
            "need": "des cartons recyclés pour ses expéditions",
            "facts": [{"ask": "price", "product": product.reference}]})
        service.welcome(uow, actor=ACTOR, visitor_id=visitor.id)
        uow.commit()
        return visitor.id, product


def _form(uow, **over) -> dict:
    rep = uow.session.scalars(select(SalesRep).order_by(SalesRep.id)).first()
    return {"first_name": "Claire", "last_name": "Fontaine", "company": "Logis-Transport SARL",
            "job_title": "Responsable des achats", "email": "c.fontaine@logis.example", "phone": "",
            "language": "fr", "country": "FR", "need": "Cartons recyclés, 200 lots par mois", "products": [],
            "documentation": "", "follow_up": "quote", "follow_up_on": "2026-12-20", "sales_rep": str(rep.id),
            "consent": ["offers"], "retention_months": "24"} | over


def _saved(workspace_id, **over) -> dict:
    visitor_id, _ = _welcomed_visitor(workspace_id)
    with UnitOfWork(workspace_id) as uow:
        service.save_contact(uow, actor=ACTOR, visitor_id=visitor_id, values=_form(uow, **over))
        uow.commit()
    with UnitOfWork(workspace_id, write=False) as uow:
        entry = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "trade_show.contact_saved")).one()
        assert catalogue.problems(entry.kind, entry.refs, entry.payload, entry.version) == []
        return entry.payload


def test_a_form_true_to_the_visitor_is_accurate_whatever_the_case_accents_and_legal_form(workspace):
    saved = _saved(workspace.id)

    assert saved["mismatches"] == [] and saved["accurate"] is True
    assert saved["consent_recorded"] is True and saved["retention_months"] == 24


def test_a_wrong_company_and_a_wrong_language_are_named(workspace):
    saved = _saved(workspace.id, company="Logistique Express", language="en")

    assert saved["mismatches"] == ["company", "language"] and saved["accurate"] is False


def test_a_missing_role_and_an_unrelated_need_are_mismatches(workspace):
    saved = _saved(workspace.id, job_title="", need="Rien de précis")

    assert saved["mismatches"] == ["job_title", "need"]


def test_a_form_without_consent_is_saved_but_records_no_consent(workspace):
    """No consent is a visitor's right (the form is saved), but the form then records none (CP8/4)."""
    saved = _saved(workspace.id, consent=[], retention_months="")

    assert saved["consent"] == [] and saved["consent_recorded"] is False and saved["accurate"] is True


@pytest.mark.parametrize("written, scripted, same", [
    ("Claire Fontaine", "Claire Fontaine", True), ("FONTAINE Claire", "Claire Fontaine", True),
    ("Épicerie fine Diallo", "Épicerie Fine Diallo", True), ("Becker Versand", "Becker Versand GmbH", True),
    ("Becker Logistik", "Becker Versand GmbH", False), ("Becker", "Becker Versand GmbH", False),
    ("Logis Transprot", "Logis Transport", True), ("", "Logis Transport", False)])
def test_names_are_compared_as_people_write_them(written, scripted, same):
    assert service.same_name(written, scripted) is same


def test_the_language_of_an_answer_is_detected(workspace):
    visitor_id, product = _welcomed_visitor(workspace.id)
    with UnitOfWork(workspace.id) as uow:
        service.answer(uow, actor=ACTOR, visitor_id=visitor_id,
                       text=f"The price is {product.price_ht:.2f} euros excluding VAT for one lot.")
        uow.commit()
    with UnitOfWork(workspace.id, write=False) as uow:
        entry = uow.session.scalars(select(JournalEntry).where(
            JournalEntry.kind == "trade_show.visitor_answered")).one()
    assert entry.payload["detected_language"] == "en" and entry.payload["reliable"] is True
    assert catalogue.problems(entry.kind, entry.refs, entry.payload, entry.version) == []
