"""Security headers on every response — pages, errors, redirects, PDFs, static
files — and ``Cache-Control: no-store`` on everything but the static files; the
templates contain nothing the Content-Security-Policy would block."""
from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from sim.config import get_settings
from sim.web.app import CONTENT_SECURITY_POLICY

EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def assert_secured(response, *, cached_ok: bool = False) -> None:
    csp = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                      "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'", "object-src 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, name
    if not cached_ok:
        assert response.headers["cache-control"] == "no-store"


def test_the_policy_is_the_documented_one():
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'")


def test_anonymous_responses_login_page_redirect_and_404(app):
    with TestClient(app, follow_redirects=False) as client:
        assert_secured(client.get("/login"))
        redirect = client.get("/customers")
        assert redirect.status_code == 303
        assert_secured(redirect)
        missing = client.get("/no-such-page")
        assert missing.status_code == 404
        assert_secured(missing)


def test_a_logged_in_users_pages_errors_and_pdfs(login, candidate_with_workspace):
    from sqlalchemy import select

    from sim.crm.models import Customer
    from sim.db import UnitOfWork

    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id, write=False) as uow:
        customer_id = uow.session.scalars(select(Customer.id).limit(1)).one()
    browser = login(user)
    for url in ("/customers", f"/customers/{customer_id}", "/quotes/new", "/inbox", "/account/password",
                "/customers/999999999", "/workspaces"):
        response = browser.get(url)
        assert response.status_code in (200, 403, 404), url
        assert_secured(response)
    htmx = browser.get("/customers?q=a", headers={"HX-Request": "true"})
    assert_secured(htmx)


def test_a_pdf_gets_the_headers_with_only_the_anti_framing_part_of_the_policy(login, candidate_with_workspace):
    from sqlalchemy import select

    from sim.crm.models import Customer
    from sim.db import UnitOfWork

    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id, write=False) as uow:
        customer_id = uow.session.scalars(select(Customer.id).limit(1)).one()
    response = login(user).get(f"/customers/{customer_id}/statement.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    # Chromium's PDF viewer is a generated page with inline styles: the page policy would blank it
    assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, name
    assert response.headers["cache-control"] == "no-store"


def test_static_files_get_the_headers_and_stay_cacheable(app):
    with TestClient(app) as client:
        for name in ("app.css", "app.js", "htmx-2.0.11.min.js"):
            response = client.get(f"/static/{name}")
            assert response.status_code == 200
            assert_secured(response, cached_ok=True)
            assert "no-store" not in response.headers.get("cache-control", "")
        assert_secured(client.get("/static/missing.js"), cached_ok=True)


# --- the templates satisfy the policy ----------------------------------

FORBIDDEN = [
    (re.compile(r"<script(?![^>]*\bsrc=)", re.I), "inline <script>"),
    (re.compile(r"<style", re.I), "inline <style>"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on…= event handler"),
    (re.compile(r"hx-on", re.I), "hx-on (evaluated code)"),
    (re.compile(r"""hx-vals\s*=\s*['"]\s*js:|javascript:""", re.I), "evaluated code"),
]


def page_templates():
    root = get_settings().templates_dir
    # templates/documents/ are rendered to PDF by WeasyPrint, never served as pages
    return [p for p in sorted(root.rglob("*.html")) if "documents" not in p.relative_to(root).parts]


@pytest.mark.parametrize("path", page_templates(), ids=lambda p: p.name)
def test_no_page_template_carries_inline_script_or_style(path):
    text = path.read_text()
    for pattern, what in FORBIDDEN:
        match = pattern.search(text)
        assert match is None, f"{path.name}: {what} at «{text[max(0, match.start() - 30):match.end() + 30]}»"


def test_htmx_is_told_not_to_inject_styles_nor_evaluate_code():
    base = (get_settings().templates_dir / "base.html").read_text()
    assert '"includeIndicatorStyles": false' in base and '"allowEval": false' in base


def test_an_unexpected_error_is_a_french_500_page_with_the_same_headers(app, caplog):
    from starlette.routing import Route

    def broken(request):
        raise RuntimeError("boom")

    app.router.routes.append(Route("/__broken", broken))
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get("/__broken")
    finally:
        app.router.routes.pop()
    assert response.status_code == 500
    assert_secured(response)
    assert "rien n'a été enregistré" in response.text and "boom" not in response.text
    assert any("boom" in (r.exc_text or "") or (r.exc_info and "boom" in str(r.exc_info[1])) for r in caplog.records)
