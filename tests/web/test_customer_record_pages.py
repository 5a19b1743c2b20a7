"""The customer record pages: create a prospect, edit the billing address and
the credit limit (with a reason), log a call that lands in the timeline and the
journal; refused input comes back with its French message next to the field."""
from __future__ import annotations

import re

from sqlalchemy import select

from sim.crm.models import Customer, Interaction
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry


def _last(ws: int, kind: str) -> JournalEntry:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == kind)
                                   .order_by(JournalEntry.seq.desc())).first()


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def _form_values(html: str) -> dict:
    """What the browser would send back unchanged: inputs, selected options, textareas, checked boxes."""
    values = {}
    for tag in re.findall(r"<input [^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "csrf_token":
            continue
        if 'type="checkbox"' in tag:
            if " checked" in tag:
                values[name.group(1)] = "1"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        values[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        values[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        values[name] = body
    return {k: v.replace("&#39;", "'").replace("&amp;", "&") for k, v in values.items()}


def test_a_prospect_is_created_from_its_page_and_a_bad_siren_is_shown_next_to_the_field(login,
                                                                                       candidate_with_workspace):
    user, workspace = candidate_with_workspace
    browser = login(user)
    page = browser.get("/customers/new?status=prospect")
    assert page.status_code == 200 and "Nouveau client ou prospect" in page.text
    form = {"form_token": _hidden(page.text, "form_token"), "status": "prospect", "kind": "b2b",
            "name": "Café des Arts", "siren": "732829321", "city": "Arras", "country": "FR"}

    refused = browser.post("/customers", form)
    assert refused.status_code == 422
    assert 'id="err-siren" role="alert">SIREN invalide (clé de contrôle incorrecte).' in refused.text
    assert 'value="Café des Arts"' in refused.text  # what was typed comes back

    created = browser.post("/customers", form | {"siren": "732829320"}, follow_redirects=False)
    assert created.status_code == 303
    with UnitOfWork(workspace.id, write=False) as uow:
        customer = uow.session.scalars(select(Customer).where(Customer.name == "Café des Arts")).one()
    assert customer.status == "prospect" and created.headers["location"] == f"/customers/{customer.id}"
    assert "Prospect" in browser.get(f"/customers/{customer.id}").text
    again = browser.post("/customers", form | {"siren": "732829320"})
    assert again.status_code == 409 and "déjà été envoyé" in again.text


def test_the_billing_address_and_the_credit_limit_are_changed_with_a_reason(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id, write=False) as uow:
        customer = uow.session.scalars(select(Customer).where(Customer.siren != "", Customer.country == "FR")
                                       .order_by(Customer.id)).first()
    browser = login(user)
    page = browser.get(f"/customers/{customer.id}/edit")
    assert page.status_code == 200 and "Modifier la fiche" in page.text
    values = _form_values(page.text)
    moved = values | {"address": "4 avenue Foch", "postcode": "59800", "city": "Lille",
                      "credit_limit": f"{customer.credit_limit + 5000:.2f}"}

    refused = browser.post(f"/customers/{customer.id}/edit", moved)
    assert refused.status_code == 422 and 'id="err-reason"' in refused.text

    done = browser.post(f"/customers/{customer.id}/edit", moved | {"reason": "Courriel du client du 02/03"},
                        follow_redirects=False)
    assert done.status_code == 303
    entry = _last(workspace.id, "customer.updated")
    assert entry.actor == f"candidate:{user.username}" and entry.refs == {"customer": customer.code}
    assert entry.payload["changes"]["address"] == {"old": customer.address, "new": "4 avenue Foch"}
    assert entry.payload["changes"]["credit_limit"]["new"] == f"{customer.credit_limit + 5000:.2f}"
    assert entry.payload["reason"] == "Courriel du client du 02/03"
    assert _last(workspace.id, "customer.credit_limit_changed").payload["reason"] == "Courriel du client du 02/03"
    assert "4 avenue Foch" in browser.get(f"/customers/{customer.id}").text


def test_a_call_logged_on_the_customer_page_is_in_its_timeline_and_the_journal(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id, write=False) as uow:
        customer = uow.session.scalars(select(Customer).order_by(Customer.id)).first()
    browser = login(user)
    page = browser.get(f"/customers/{customer.id}")
    assert "Noter un appel, un rendez-vous ou une note" in page.text and "Historique du client" in page.text
    form = {"form_token": _hidden(page.text, "form_token"), "channel": "phone", "direction": "out",
            "subject": "Relance facture échue", "body": "Règlement promis sous huit jours."}

    missing = browser.post(f"/customers/{customer.id}/interactions", form | {"body": ""})
    assert missing.status_code == 422 and "Compte rendu : à remplir." in missing.text

    done = browser.post(f"/customers/{customer.id}/interactions", form, follow_redirects=False)
    assert done.status_code == 303
    entry = _last(workspace.id, "call.logged")
    assert entry.refs["customer"] == customer.code and entry.payload["note"] == "Règlement promis sous huit jours."
    with UnitOfWork(workspace.id, write=False) as uow:
        call = uow.session.scalars(select(Interaction).where(Interaction.reference == entry.refs["call"])).one()
    assert call.channel == "phone" and call.customer_id == customer.id
    timeline = browser.get(f"/customers/{customer.id}").text.split('id="historique"')[1]
    assert f'id="{call.reference}"' in timeline and "Appel sortant" in timeline
    assert timeline.index("Relance facture échue") < timeline.index("</tbody>")


def test_contacts_and_delivery_addresses_are_added_from_their_pages(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id, write=False) as uow:
        customer = uow.session.scalars(select(Customer).order_by(Customer.id)).first()
    browser = login(user)
    page = browser.get(f"/customers/{customer.id}/contacts/new")
    added = browser.post(f"/customers/{customer.id}/contacts",
                         {"form_token": _hidden(page.text, "form_token"), "first_name": "Inès",
                          "last_name": "Garnier", "job_title": "Acheteuse", "email": "ines@", "language": "fr"})
    assert added.status_code == 422 and "Courriel : adresse invalide" in added.text
    page = browser.get(f"/customers/{customer.id}/addresses/new")
    values = _form_values(page.text) | {"label": "Entrepôt de Lens", "address": "3 rue des Docks",
                                        "postcode": "62300", "city": "Lens"}
    assert browser.post(f"/customers/{customer.id}/addresses", values, follow_redirects=False).status_code == 303
    assert "Entrepôt de Lens" in browser.get(f"/customers/{customer.id}").text
    assert _last(workspace.id, "delivery_address.added").refs["address"] == f"{customer.code}-L1"
