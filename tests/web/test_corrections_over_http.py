"""Corrections and management decisions through the pages: the editor opens on
the document's own lines, a refusal comes back with its message, a document that
moved on meanwhile is refused with 409, and the trainer's decision reaches the
order page."""
from __future__ import annotations

import html
import re

from sim.db import UnitOfWork
from sim.sales.models import OrderStatus, SalesOrder
from sim.sales.service import LineInput, confirm_order, create_order, create_quote, send_quote
from tests.factories import ACTOR, make_customer, make_product


def _form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def act(ws, fn, **kw):
    with UnitOfWork(ws) as uow:
        result = fn(uow, actor=ACTOR, **kw)
        uow.commit()
        return result


def test_a_draft_quote_opens_in_the_editor_with_its_lines_and_is_saved(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws, price="12.50")
    quote = act(ws, create_quote, customer_id=customer.id, lines=[LineInput(product.id, "3")])
    browser = login(user)

    page = browser.get(f"/quotes/{quote.id}/edit")
    assert page.status_code == 200 and f"Modifier le devis {quote.number}" in page.text
    assert f'value="{product.reference} — {product.name}"' in page.text and 'name="qty-0" value="3"' in page.text
    saved = browser.post(f"/quotes/{quote.id}/edit", {"customer": customer.code, "product-0": product.reference,
                                                      "qty-0": "8", "form_token": _form_token(page.text)})
    assert saved.status_code == 303 and saved.headers["location"] == f"/quotes/{quote.id}"
    assert "100,00" in browser.get(f"/quotes/{quote.id}").text

    act(ws, send_quote, quote_id=quote.id)  # sent meanwhile (another tab): the draft's form is refused
    late = browser.post(f"/quotes/{quote.id}/edit", {"customer": customer.code, "product-0": product.reference,
                                                     "qty-0": "9"})
    assert late.status_code == 409 and "seul un brouillon" in late.text


def test_a_refusal_without_a_reason_is_refused_then_recorded_with_it(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    quote = act(ws, create_quote, customer_id=make_customer(ws).id, lines=[LineInput(make_product(ws).id, "1")])
    act(ws, send_quote, quote_id=quote.id)
    browser = login(user)
    assert browser.post(f"/quotes/{quote.id}/refuse", {"reason": ""}).status_code == 422
    assert browser.post(f"/quotes/{quote.id}/refuse", {"reason": "Délai trop long"}).status_code == 303
    page = browser.get(f"/quotes/{quote.id}").text
    assert "Refusé par le client" in page and "Délai trop long" in page


def test_a_confirmed_order_is_modified_then_cancelled_from_its_page(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws, stock="40")
    order = act(ws, create_order, customer_id=customer.id, lines=[LineInput(product.id, "5")])
    act(ws, confirm_order, order_id=order.id)
    browser = login(user)

    page = browser.get(f"/orders/{order.id}/edit")
    assert "Modifier la commande confirmée" in page.text and 'name="promised_date"' in page.text
    saved = browser.post(f"/orders/{order.id}/edit", {"customer": customer.code, "product-0": product.reference,
                                                      "qty-0": "7", "form_token": _form_token(page.text)})
    assert saved.status_code == 303
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(SalesOrder, order.id).total_ht == product.price_ht * 7

    assert browser.post(f"/orders/{order.id}/cancel", {"reason": ""}).status_code == 422
    assert browser.post(f"/orders/{order.id}/cancel", {"reason": "Client en cessation"}).status_code == 303
    page = browser.get(f"/orders/{order.id}").text
    assert "Commande annulée" in page and "Client en cessation" in page


def test_the_trainers_refusal_shows_on_the_order_page(login, make_user, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    poor = make_customer(ws, credit_limit="10.00")
    order = act(ws, create_order, customer_id=poor.id, lines=[LineInput(make_product(ws).id, "3")])
    act(ws, confirm_order, order_id=order.id)
    candidate = login(user)
    assert candidate.post(f"/orders/{order.id}/approval-request", {"message": "Bon client."}).status_code == 303
    assert "En attente d'accord" in candidate.get(f"/orders/{order.id}").text

    trainer = login(make_user("trainer"))
    assert "En attente d'accord" in trainer.get(f"/workspaces/{ws}/approvals").text
    url = f"/workspaces/{ws}/orders/{order.id}/decision"
    assert trainer.post(url, {"decision": "refused", "comment": ""}).status_code == 422
    assert trainer.post(url, {"decision": "refused", "comment": "Réglez d'abord l'échu."}).status_code == 303

    page = html.unescape(candidate.get(f"/orders/{order.id}").text)
    assert "Refus" in page and "Réglez d'abord l'échu." in page and "Refaire une demande" in page
    with UnitOfWork(ws, write=False) as uow:
        assert uow.get(SalesOrder, order.id).status == OrderStatus.BLOCKED
    assert trainer.post(f"/workspaces/{ws}/orders/{order.id}/decision",
                        {"decision": "approved", "comment": ""}).status_code == 303


def test_the_delivery_address_is_chosen_on_the_quote_and_on_the_order_page(login, candidate_with_workspace):
    from sim.crm.records import save_delivery_address

    user, workspace = candidate_with_workspace
    ws = workspace.id
    customer, product = make_customer(ws), make_product(ws)
    shop = act(ws, save_delivery_address, customer_id=customer.id, values={
        "label": "Magasin d'Arras", "address": "3 place des Héros", "postcode": "62000", "city": "Arras",
        "country": "FR", "active": "on"})
    quote = act(ws, create_quote, customer_id=customer.id, lines=[LineInput(product.id, "1")])
    order = act(ws, create_order, customer_id=customer.id, lines=[LineInput(product.id, "1")])
    browser = login(user)
    for path in (f"/quotes/{quote.id}", f"/orders/{order.id}"):
        refused = browser.post(f"{path}/delivery-address", {"address_id": "999999"})
        assert refused.status_code == 422
        assert "Choisissez une adresse de livraison active de ce client." in html.unescape(refused.text)
        chosen = browser.post(f"{path}/delivery-address", {"address_id": str(shop.id)})
        assert chosen.status_code == 303 and chosen.headers["location"] == path
        page = html.unescape(browser.get(path).text)
        assert "Magasin d'Arras — 3 place des Héros — 62000 Arras" in page and "Adresse de livraison" in page
