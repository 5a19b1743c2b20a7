"""Creating and editing a customer or prospect: identifiers checked, every
fault reported in French next to its field, changes journaled old → new, and
the terms and the credit limit changed only with a reason."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from sim.crm import records
from sim.crm.models import Contact, Customer, DeliveryAddress
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.journal.models import JournalEntry
from sim.workspace.forms import AlreadySubmitted
from tests.crm import ACTOR

GOOD = {"name": "Brasserie du Nord", "status": "customer", "kind": "b2b", "legal_form": "SARL",
        "siren": "732 829 320", "siret": "73282932000074", "vat_number": "FR44732829320",
        "address": "12 rue de la Gare", "postcode": "59000", "city": "Lille", "country": "FR", "language": "fr",
        "email": "compta@brasserie-nord.fr", "phone": "03 20 12 34 56", "payment_terms": "30_fdm",
        "payment_method": "transfer", "credit_limit": "15 000,00", "risk_rating": "B", "notes": ""}


def act(ws, service, **kw):
    with UnitOfWork(ws) as uow:
        result = service(uow, actor=ACTOR, **kw)
        uow.commit()
        return result


def entries(ws, kind):
    with UnitOfWork(ws, write=False) as uow:
        return list(uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == kind)
                                        .order_by(JournalEntry.seq)))


def refused(ws, service, **kw) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        act(ws, service, **kw)
    return caught.value.errors


def test_a_customer_with_valid_identifiers_is_created_and_journaled(workspace):
    customer = act(workspace.id, records.create_record, values=GOOD, form_token="tok-create-1")

    assert customer.code.startswith("C") and customer.siren == "732829320"
    assert customer.credit_limit == Decimal("15000.00") and customer.status == "customer"
    [created] = [e for e in entries(workspace.id, "customer.created") if e.refs == {"customer": customer.code}]
    assert created.payload["siren"] == "732829320" and created.payload["status"] == "customer"
    assert created.payload["address"] == "12 rue de la Gare, 59000 Lille, FR"


def test_the_same_creation_form_sent_twice_creates_one_customer(workspace):
    act(workspace.id, records.create_record, values=GOOD, form_token="tok-twice")
    with pytest.raises(AlreadySubmitted):
        act(workspace.id, records.create_record, values=GOOD, form_token="tok-twice")
    with UnitOfWork(workspace.id, write=False) as uow:
        assert len(uow.session.scalars(select(Customer).where(Customer.name == GOOD["name"])).all()) == 1


@pytest.mark.parametrize("field, value, message", [
    ("siren", "732829321", "SIREN invalide (clé de contrôle incorrecte)."),
    ("siren", "12345", "Le SIREN compte 9 chiffres."),
    ("siren", "", "SIREN : obligatoire pour un client professionnel français (9 chiffres)."),
    ("siret", "73282932000075", "SIRET invalide (clé de contrôle incorrecte)."),
    ("siret", "55210055400013", "Le SIRET doit commencer par le SIREN de l'entreprise."),
    ("vat_number", "FR45732829320", "Numéro de TVA intracommunautaire invalide."),
    ("vat_number", "DE136695976", "Le numéro de TVA doit commencer par FR."),
    ("postcode", "590", "Code postal : 5 chiffres en France."),
    ("email", "compta@", "Courriel : adresse invalide (ex. compta@exemple.fr)."),
    ("credit_limit", "-5", "Plafond d'encours : 0 au moins."),
    ("name", "", "Raison sociale / nom : à remplir."),
])
def test_a_bad_field_is_refused_with_its_french_message(workspace, field, value, message):
    errors = refused(workspace.id, records.create_record, values=GOOD | {field: value})
    assert errors == {field: message}


def test_a_french_vat_number_must_be_the_sirens(workspace):
    errors = refused(workspace.id, records.create_record,
                     values=GOOD | {"siren": "552100554", "siret": "", "vat_number": "FR44732829320"})
    assert errors == {"vat_number": "N° TVA : ne correspond pas au SIREN (FR + clé + SIREN)."}


def test_an_eu_business_needs_its_vat_number_and_a_prospect_needs_little(workspace):
    german = GOOD | {"siren": "", "siret": "", "vat_number": "", "country": "DE", "postcode": "10115",
                     "city": "Berlin"}
    assert refused(workspace.id, records.create_record, values=german) == {
        "vat_number": "N° TVA : obligatoire pour un client professionnel de l'Union européenne "
                      "(autoliquidation de la TVA)."}
    act(workspace.id, records.create_record, values=german | {"vat_number": "DE136695976"})
    prospect = act(workspace.id, records.create_record,
                   values={"name": "Café des Arts", "status": "prospect", "city": "Arras"})
    assert prospect.status == "prospect" and prospect.siren == ""


def test_every_fault_is_reported_at_once(workspace):
    errors = refused(workspace.id, records.create_record,
                     values=GOOD | {"name": "", "siren": "1", "phone": "abc", "payment_terms": "90_net"})
    assert set(errors) == {"name", "siren", "phone", "payment_terms"}


def _edit(customer: Customer, **changes) -> dict:
    values = {f: records.shown(getattr(customer, f)) for f in records.CUSTOMER_FIELDS}
    values["sales_rep"] = values.pop("sales_rep_id")
    return values | changes


def test_a_credit_limit_change_needs_a_reason_and_is_journaled_with_who_and_why(workspace):
    customer = act(workspace.id, records.create_record, values=GOOD)
    seen = records.revision(customer, records.CUSTOMER_FIELDS)

    errors = refused(workspace.id, records.update_record, customer_id=customer.id,
                     values=_edit(customer, credit_limit="25000"), seen_revision=seen)
    assert errors == {"reason": "Motif : obligatoire pour changer plafond d'encours (qui l'a demandé, pourquoi)."}

    act(workspace.id, records.update_record, customer_id=customer.id, values=_edit(customer, credit_limit="25000"),
        seen_revision=seen, reason="Accord de la direction financière du 12/03")

    [updated] = entries(workspace.id, "customer.updated")
    assert updated.actor == ACTOR and updated.refs == {"customer": customer.code}
    assert updated.payload == {"changes": {"credit_limit": {"old": "15000.00", "new": "25000.00"}},
                               "reason": "Accord de la direction financière du 12/03"}
    [limit] = entries(workspace.id, "customer.credit_limit_changed")
    assert limit.payload == {"old": "15000.00", "new": "25000.00",
                             "reason": "Accord de la direction financière du 12/03"}


def test_a_billing_address_change_is_journaled_old_to_new_without_a_reason(workspace):
    customer = act(workspace.id, records.create_record, values=GOOD)
    act(workspace.id, records.update_record, customer_id=customer.id,
        seen_revision=records.revision(customer, records.CUSTOMER_FIELDS),
        values=_edit(customer, address="4 avenue Foch", postcode="59800"))
    [updated] = entries(workspace.id, "customer.updated")
    assert updated.payload["changes"] == {"address": {"old": "12 rue de la Gare", "new": "4 avenue Foch"},
                                          "postcode": {"old": "59000", "new": "59800"}}
    with UnitOfWork(workspace.id, write=False) as uow:
        assert uow.get(Customer, customer.id).address == "4 avenue Foch"


def test_an_edit_of_a_record_that_moved_meanwhile_is_refused_and_a_repeat_changes_nothing(workspace):
    from sim.crm.records import RecordMoved

    customer = act(workspace.id, records.create_record, values=GOOD)
    seen = records.revision(customer, records.CUSTOMER_FIELDS)
    act(workspace.id, records.update_record, customer_id=customer.id, values=_edit(customer, city="Roubaix",
                                                                                     postcode="59100"),
        seen_revision=seen)
    # the same form again (a double click): nothing left to change, nothing journaled
    act(workspace.id, records.update_record, customer_id=customer.id, values=_edit(customer, city="Roubaix",
                                                                                     postcode="59100"),
        seen_revision=seen)
    assert len(entries(workspace.id, "customer.updated")) == 1
    # another edit from the stale form: refused
    with pytest.raises(RecordMoved):
        act(workspace.id, records.update_record, customer_id=customer.id, values=_edit(customer, city="Tourcoing"),
            seen_revision=seen)


def test_contacts_and_delivery_addresses_are_added_edited_and_journaled(workspace):
    customer = act(workspace.id, records.create_record, values=GOOD)
    first = act(workspace.id, records.save_contact, customer_id=customer.id,
                values={"first_name": "Léa", "last_name": "Martin", "email": "lea@nord.fr", "is_primary": "1"})
    second = act(workspace.id, records.save_contact, customer_id=customer.id,
                 values={"first_name": "Paul", "last_name": "Roy", "job_title": "Comptable", "is_primary": "1"})
    with UnitOfWork(workspace.id, write=False) as uow:
        primaries = uow.session.scalars(select(Contact.id).where(Contact.customer_id == customer.id,
                                                                 Contact.is_primary)).all()
    assert primaries == [second.id]  # one primary contact
    with UnitOfWork(workspace.id, write=False) as uow:
        first = uow.get(Contact, first.id)
    act(workspace.id, records.save_contact, customer_id=customer.id, item_id=first.id,
        seen_revision=records.revision(first, records.CONTACT_FIELDS),
        values={"first_name": "Léa", "last_name": "Martin", "email": "l.martin@nord.fr"})
    [edited] = entries(workspace.id, "contact.updated")
    assert edited.payload == {"name": "Léa Martin",
                              "changes": {"email": {"old": "lea@nord.fr", "new": "l.martin@nord.fr"}}}

    where = {"label": "Entrepôt", "address": "3 rue des Docks", "postcode": "62300", "city": "Lens",
             "active": "1", "is_default": "1"}
    one = act(workspace.id, records.save_delivery_address, customer_id=customer.id, values=where)
    two = act(workspace.id, records.save_delivery_address, customer_id=customer.id,
              values=where | {"label": "Magasin", "city": "Arras", "postcode": "62000"})
    assert (one.number, two.number) == (1, 2)
    with UnitOfWork(workspace.id, write=False) as uow:
        defaults = uow.session.scalars(select(DeliveryAddress.number).where(
            DeliveryAddress.customer_id == customer.id, DeliveryAddress.is_default)).all()
    assert defaults == [2]
    added = entries(workspace.id, "delivery_address.added")
    assert [e.refs["address"] for e in added] == [f"{customer.code}-L1", f"{customer.code}-L2"]
    assert refused(workspace.id, records.save_delivery_address, customer_id=customer.id,
                   values=where | {"city": "", "postcode": "6"}) == {
        "city": "Ville : à remplir.", "postcode": "Code postal : 5 chiffres en France."}


def test_another_customers_contact_is_not_found(workspace):
    from sim.db import NotFound

    one = act(workspace.id, records.create_record, values=GOOD)
    other = act(workspace.id, records.create_record, values=GOOD | {"name": "Autre"})
    contact = act(workspace.id, records.save_contact, customer_id=one.id,
                  values={"first_name": "Léa", "last_name": "Martin"})
    with pytest.raises(NotFound):
        act(workspace.id, records.save_contact, customer_id=other.id, item_id=contact.id,
            values={"first_name": "X", "last_name": "Y"})


def test_every_entry_the_record_services_write_matches_the_catalogue(workspace):
    from sim.crm.records import log_interaction
    from tests.journal.test_every_entry_matches_the_catalogue import journal_of, nonconforming

    ws = workspace.id
    customer = act(ws, records.create_record, values=GOOD)
    act(ws, records.update_record, customer_id=customer.id, values=_edit(customer, credit_limit="1000", city="Lens",
                                                                         postcode="62300"),
        seen_revision=records.revision(customer, records.CUSTOMER_FIELDS), reason="Retards répétés")
    contact = act(ws, records.save_contact, customer_id=customer.id, values={"first_name": "A", "last_name": "B"})
    act(ws, records.save_contact, customer_id=customer.id, item_id=contact.id, values={"first_name": "A",
                                                                                        "last_name": "C"},
        seen_revision=records.revision(contact, records.CONTACT_FIELDS))
    where = {"label": "Dépôt", "address": "1 rue X", "postcode": "62300", "city": "Lens", "active": "1"}
    address = act(ws, records.save_delivery_address, customer_id=customer.id, values=where)
    act(ws, records.save_delivery_address, customer_id=customer.id, item_id=address.id,
        values=where | {"label": "Quai"}, seen_revision=records.revision(address, records.ADDRESS_FIELDS))
    for channel in ("phone", "meeting", "note"):
        act(ws, log_interaction, customer_id=customer.id,
            values={"channel": channel, "subject": "Point", "body": "Texte", "contact": str(contact.id)})
    entries = [e for e in journal_of(ws) if e["kind"] != "workspace.seeded"]
    assert {e["kind"] for e in entries} >= {
        "customer.created", "customer.updated", "customer.credit_limit_changed", "contact.added", "contact.updated",
        "delivery_address.added", "delivery_address.updated", "call.logged", "meeting.logged", "note.logged"}
    assert nonconforming(entries) == []
