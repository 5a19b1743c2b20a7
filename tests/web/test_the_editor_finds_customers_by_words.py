"""The quote and order editors find the customer from words typed (code, name,
town) with suggestions from the server: the page no longer carries the whole
customer file (3 000 names in a <datalist> at the large size), and a browser
that runs no script still saves a quote for words that name one customer."""
from __future__ import annotations

import re

from sqlalchemy import select

from sim.crm.search import search_customers
from sim.db import UnitOfWork
from sim.sales.models import Quote
from tests.factories import make_customer, make_product, snapshot


def _form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_customers_are_found_by_words_of_their_code_name_or_town(workspace):
    bazin = make_customer(workspace.id, name="Brasserie Ouzbek Bazin")
    make_customer(workspace.id, name="Brasserie Ouzbek Durand")
    with UnitOfWork(workspace.id, write=False) as uow:
        assert [c.id for c in search_customers(uow, "bazin ouzbek")] == [bazin.id]
        assert [c.id for c in search_customers(uow, "PARIS bazin")] == [bazin.id]  # the town
        assert [c.id for c in search_customers(uow, bazin.code.lower())] == [bazin.id]
        assert len(search_customers(uow, "brasserie ouzbek")) == 2
        assert search_customers(uow, "100%_") == [] and search_customers(uow, "") == []


def test_the_editor_suggests_customers_and_lists_none_of_them(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer = make_customer(workspace.id, name="Quincaillerie Vrobel")
    other = make_customer(workspace.id, name="Droguerie Plimsk")
    browser = login(user)
    editor = browser.get("/quotes/new")
    assert editor.status_code == 200 and "<datalist" not in editor.text and other.name not in editor.text
    response = browser.get("/quotes/customer-suggestions", params={"customer": "vrobel"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text  # a fragment
    assert f'data-fill="customer" data-value="{customer.code} — Quincaillerie Vrobel"' in response.text
    assert other.name not in response.text
    chosen = browser.get("/quotes/customer-suggestions", params={"customer": f"{customer.code} — {customer.name}"})
    assert "suggestion" not in chosen.text  # a customer already chosen: nothing more to suggest


def test_without_scripts_words_naming_one_customer_are_enough_to_save(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer = make_customer(workspace.id, name="Menuiserie Zorbac Nord")
    make_customer(workspace.id, name="Menuiserie Zorbac Sud")
    product = make_product(workspace.id)
    browser = login(user)
    lines = {"product-0": product.reference, "qty-0": "2"}
    before = snapshot(workspace.id)
    refused = browser.post("/quotes", {"customer": "menuiserie zorbac", **lines,
                                       "form_token": _form_token(browser.get("/quotes/new").text)})
    assert refused.status_code == 422 and "Choisissez un client existant" in refused.text
    assert snapshot(workspace.id) == before  # two customers match: nothing saved, nothing guessed
    saved = browser.post("/quotes", {"customer": "zorbac nord", **lines,
                                     "form_token": _form_token(browser.get("/quotes/new").text)})
    assert saved.status_code == 303
    with UnitOfWork(workspace.id, write=False) as uow:
        quote = uow.session.scalars(select(Quote).order_by(Quote.id.desc())).first()
    assert quote.customer_id == customer.id


def test_a_claim_is_recorded_for_the_customer_named_by_words_and_the_form_lists_none(login, candidate_with_workspace):
    """The claim form's first step takes the customer as the editors do (suggestions,
    a code or words naming one customer), not a <select> of the whole customer file."""
    user, workspace = candidate_with_workspace
    customer = make_customer(workspace.id, name="Quincaillerie Zarbek")
    other = make_customer(workspace.id, name="Droguerie Zarbek")
    browser = login(user)
    first = browser.get("/claims/new")
    assert first.status_code == 200 and other.name not in first.text and "<option value=\"" + str(other.id) not in first.text
    for typed in (f"{customer.code} — {customer.name}", customer.code, "quincaillerie zarbek", str(customer.id)):
        chosen = browser.get("/claims/new", params={"customer": typed})
        assert chosen.status_code == 200 and f'name="customer_id" value="{customer.id}"' in chosen.text, typed
    for typed in ("zarbek", "nobody-by-that-name"):  # two customers, none: said next to the field
        refused = browser.get("/claims/new", params={"customer": typed})
        assert refused.status_code == 200 and "Choisissez un client existant" in refused.text
        assert 'name="customer_id"' not in refused.text
