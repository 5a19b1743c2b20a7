"""The order-to-cash forms over HTTP: a refused form comes back 422 with the
message next to its field, and the database is unchanged; a form sent twice
acts once."""
from __future__ import annotations

import re

from sqlalchemy import select

from sim.db import UnitOfWork
from sim.sales.models import Quote
from tests.factories import make_customer, make_product, snapshot


def _form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_a_bad_quote_comes_back_with_each_message_next_to_its_field(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer, product = make_customer(workspace.id), make_product(workspace.id)
    browser = login(user)
    token = _form_token(browser.get("/quotes/new").text)
    before = snapshot(workspace.id)

    response = browser.post("/quotes", {"customer": customer.code, "form_token": token,
                                        "product-0": product.reference, "qty-0": "0",
                                        "product-1": "NOPE-1", "qty-1": "2",
                                        "product-2": product.reference, "qty-2": "1", "discount-2": "80"})

    assert response.status_code == 422
    html = response.text
    assert re.search(r'name="qty-0"[^>]*aria-invalid="true"', html)
    assert 'id="err-qty-0" role="alert">La quantité doit être strictement positive.' in html
    assert 'id="err-product-1" role="alert">Produit inconnu dans votre catalogue.' in html
    assert 'id="err-discount-2"' in html and "délégation" in html
    assert 'value="NOPE-1"' in html  # what was typed is kept
    assert snapshot(workspace.id) == before


def test_an_unknown_customer_is_refused_on_the_customer_field(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    product = make_product(workspace.id)
    browser = login(user)
    response = browser.post("/orders", {"customer": "ZZZ", "product-0": product.reference, "qty-0": "1"})
    assert response.status_code == 422 and 'id="err-customer"' in response.text


def test_a_quote_form_sent_twice_creates_one_quote(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer, product = make_customer(workspace.id), make_product(workspace.id)
    browser = login(user)
    token = _form_token(browser.get("/quotes/new").text)
    form = {"customer": customer.code, "form_token": token, "product-0": product.reference, "qty-0": "3"}

    first = browser.post("/quotes", form)
    second = browser.post("/quotes", form)

    assert first.status_code == 303
    assert second.status_code == 409 and "déjà été envoyé" in second.text
    with UnitOfWork(workspace.id, write=False) as uow:
        assert len(uow.session.scalars(select(Quote).where(Quote.customer_id == customer.id)).all()) == 1


def test_the_live_preview_prices_lines_without_writing(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer = make_customer(workspace.id)
    product = make_product(workspace.id, price="19.99")
    browser = login(user)
    before = snapshot(workspace.id)
    response = browser.post("/quotes/preview", {"customer": customer.code, "product-0": product.reference,
                                                "qty-0": "3"}, headers={"HX-Request": "true"})
    # 3 × 19.99 = 59.97 HT, VAT 11.99, 71.96 TTC
    assert response.status_code == 200 and "71,96" in response.text and 'id="line-total-0"' in response.text
    assert snapshot(workspace.id) == before
