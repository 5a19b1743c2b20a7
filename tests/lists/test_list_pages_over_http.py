"""The list pages over HTTP: malformed query strings never give a 500 (nor a
422), filters come back in the form, htmx gets the table fragment only."""
from __future__ import annotations

import pytest

LISTS = ("/quotes", "/orders", "/deliveries", "/invoices", "/payments")
MALFORMED = [
    "page=abc", "page=-3", "page=99999999999999999999", "page=1e9", "page=%EF%BC%91", "per_page=0",
    "per_page=100000", "sort=nope", "sort=number&dir=sideways", "sort=__class__", "status=unknown",
    "from=2024-13-45", "to=yesterday", "from=0001-01-01", "from=99999-01-01", "customer=%27%3B--",
    "customer=" + "A" * 500, "q=" + "x" * 5000, "q=%25%5F%5C", "q=%C3%A9t%C3%A9", "overdue=yes",
    "page=2&page=x", "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
]


@pytest.fixture
def browser(candidate_with_workspace, login):
    user, _ = candidate_with_workspace
    return login(user)


def test_no_malformed_query_string_gives_an_error_on_any_list(browser):
    for path in LISTS:
        for query in MALFORMED:
            response = browser.get(f"{path}?{query}")
            assert response.status_code == 200, (path, query, response.status_code)
            assert "<script>alert" not in response.text


def test_the_filters_come_back_in_the_form_and_htmx_gets_the_table_only(browser):
    page = browser.get("/invoices?q=zzz-nothing&status=open&overdue=1&from=2024-01-01&sort=due&dir=asc")
    assert page.status_code == 200
    assert 'value="zzz-nothing"' in page.text and 'value="2024-01-01"' in page.text
    assert '<option value="open" selected>' in page.text and 'name="overdue" value="1" checked' in page.text
    assert "Aucune facture ne correspond" in page.text and "Aucun résultat" in page.text
    fragment = browser.get("/invoices?sort=ttc", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="invoice-table">') and "<html" not in fragment.text
    assert 'aria-sort="ascending"' in fragment.text and "sur" in fragment.text


def test_every_list_shows_its_count_and_the_product_page_its_stock(browser):
    for path in LISTS:
        response = browser.get(path)
        assert response.status_code == 200 and 'class="pager top"' in response.text, path
    products = browser.get("/products")
    import re

    product_id = re.search(r'href="/products/(\d+)"', products.text).group(1)
    page = browser.get(f"/products/{product_id}")
    assert page.status_code == 200
    for label in ("Stock physique", "Réservé", "Disponible", "À recevoir", "Mouvements de stock"):
        assert label in page.text
    assert browser.get(f"/products/{product_id}?page=abc").status_code == 200
