"""Navigation over HTTP: the document pages show their status bar, chain and
history; each action leaves a French confirmation shown once; the line editor
finds products by words of their name, shows their stock and flags a discount
over the delegation while typing."""
from __future__ import annotations

import re
from decimal import Decimal as D

from sim.db import UnitOfWork
from sim.sales.models import Quote
from sim.sales.service import LineInput, preview
from sim.stock.search import search_products
from tests.factories import make_customer, make_product, set_company, snapshot


def _form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_products_are_found_by_words_of_their_name_in_any_order(workspace):
    ws = workspace.id
    film = make_product(ws, name="Film étirable 23 µm Xylo", stock="40")
    # its reference must not hold "23" either (the counter's TST-00123 did, now and then)
    make_product(ws, name="Film étirable 17 µm Xylo", reference="TST-FILM-17")
    with UnitOfWork(ws, write=False) as uow:
        assert [p.id for p in search_products(uow, "film 23 xylo")] == [film.id]
        assert [p.id for p in search_products(uow, "XYLO 23 FILM")] == [film.id]
        found = search_products(uow, "film 23")
        assert film.id in [p.id for p in found]
        assert all("film" in p.name.lower() and "23" in (p.name + p.reference) for p in found)
        assert search_products(uow, "100%_") == []  # LIKE wildcards are plain characters
        assert [p.id for p in search_products(uow, film.reference.lower())] == [film.id]
        # typed words naming one product price the line; several products are not guessed at
        live = preview(uow, customer_id=None, lines=[LineInput("film 23 xylo", "2"), LineInput("film xylo", "1")])
    assert live.lines[0]["product_id"] == film.id and live.available[0] == D("40.000")
    assert "Plusieurs produits" in live.errors["lines-1-product"]


def test_the_editor_suggests_products_with_their_stock(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    product = make_product(workspace.id, name="Gaine thermo Quorv 48 mm", stock="12", reserved="5")
    browser = login(user)
    response = browser.get("/quotes/product-suggestions", params={"n": "3", "product-3": "quorv 48"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'data-fill="product-3" data-value="{product.reference} — Gaine thermo Quorv 48 mm"' in response.text
    assert "dispo 7" in response.text  # 12 on hand − 5 reserved
    assert "<html" not in response.text  # a fragment


def test_a_discount_over_the_delegation_is_flagged_while_typing(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    set_company(workspace.id, max_discount_pct=D("10.00"))
    customer, product = make_customer(workspace.id), make_product(workspace.id, stock="30")
    browser = login(user)
    before = snapshot(workspace.id)
    response = browser.post("/quotes/preview", {"customer": customer.code, "product-0": product.reference,
                                                "qty-0": "2", "discount-0": "12"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    flag = re.search(r'<span id="line-flag-0"[^>]*>([^<]*)</span>', response.text).group(1)
    assert "délégation" in flag and "10" in flag
    assert re.search(r'id="line-stock-0"[^>]*>30\b', response.text)
    within = browser.post("/quotes/preview", {"customer": customer.code, "product-0": product.reference,
                                              "qty-0": "2", "discount-0": "8"}, headers={"HX-Request": "true"})
    assert re.search(r'<span id="line-flag-0"[^>]*></span>', within.text)
    assert snapshot(workspace.id) == before


def test_an_action_leaves_a_confirmation_shown_once_and_the_pages_show_their_chain(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer, product = make_customer(workspace.id), make_product(workspace.id)
    browser = login(user)
    token = _form_token(browser.get("/quotes/new").text)
    created = browser.post("/quotes", {"customer": customer.code, "form_token": token,
                                       "product-0": product.reference, "qty-0": "3"})
    assert created.status_code == 303
    with UnitOfWork(workspace.id, write=False) as uow:
        from sqlalchemy import select

        quote = uow.session.scalars(select(Quote).where(Quote.customer_id == customer.id)).one()
    page = browser.get(created.headers["location"]).text
    assert f"Devis {quote.number} enregistré (brouillon)." in page
    assert 'class="step current" aria-current="step">Brouillon' in page
    assert re.search(r"<td>Devis établi</td><td>candidate:", page)  # its history, with the catalogue's title
    assert f"Devis {quote.number} enregistré" not in browser.get(f"/quotes/{quote.id}").text  # shown once

    browser.post(f"/quotes/{quote.id}/send", {})
    browser.post(f"/quotes/{quote.id}/accept", {})
    moved = browser.post(f"/quotes/{quote.id}/order", {"customer_po": "PO-1"})
    order_page = browser.get(moved.headers["location"]).text
    assert re.search(r"Commande \S+ créée depuis le devis", order_page)
    assert f'href="/quotes/{quote.id}">Devis {quote.number}</a>' in order_page  # the chain links back
    order_id = moved.headers["location"].rsplit("/", 1)[1]
    confirmed = browser.get(browser.post(f"/orders/{order_id}/confirm", {}).headers["location"]).text
    assert re.search(r"Commande \S+ confirmée\.", confirmed)
    assert 'class="step current" aria-current="step">Confirmée' in confirmed
    assert "<td>Commande confirmée</td>" in confirmed


def test_the_credit_note_and_payment_pages_show_their_chain(login, candidate_with_workspace):
    from tests.sales.test_document_chain_and_history import _full_chain

    user, workspace = candidate_with_workspace
    _, quote, order, _, (i1, i2), note, payment = _full_chain(workspace.id)
    browser = login(user)
    note_page = browser.get(f"/credit-notes/{note.id}")
    assert note_page.status_code == 200 and f"Avoir {note.number}" in note_page.text
    assert f'href="/invoices/{i2.id}">Facture {i2.number}</a>' in note_page.text
    assert "<td>Avoir émis</td>" in note_page.text
    paid = browser.get(f"/payments/{payment.id}")
    assert paid.status_code == 200 and f'href="/orders/{order.id}">Commande {order.number}</a>' in paid.text
    assert "<td>Règlement enregistré</td>" in paid.text and "48,00" in paid.text
