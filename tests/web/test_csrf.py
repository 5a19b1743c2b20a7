"""CSRF: every form and htmx request carries the session's token; without it, 403 and nothing changes."""
from __future__ import annotations

from sqlalchemy import func, select
from starlette.testclient import TestClient

from sim.accounts.models import LoginAttempt
from sim.db import UnitOfWork


def _attempts(username: str) -> int:
    with UnitOfWork(write=False) as uow:
        return uow.session.scalar(select(func.count(LoginAttempt.id)).where(LoginAttempt.username == username))


def test_a_login_post_without_the_token_is_refused_and_records_nothing(app, make_user):
    user = make_user("candidate")
    with TestClient(app, follow_redirects=False) as client:
        client.get("/login")
        response = client.post("/login", data={"username": user.username, "password": "secret"})
        assert response.status_code == 403
        assert "CSRF" in response.text
        # not logged in: the home page still sends to the login page
        assert client.get("/").headers["location"].startswith("/login")
    assert _attempts(user.username) == 0


def test_a_post_with_a_forged_token_is_refused(login, make_user):
    browser = login(make_user("trainer"))
    response = browser.client.post("/logout", data={"csrf_token": "forged"})
    assert response.status_code == 403
    assert browser.get("/workspaces").status_code == 200  # still logged in: the logout did not happen


def test_the_token_in_the_htmx_header_is_accepted(login, make_user):
    browser = login(make_user("trainer"))
    response = browser.client.post("/logout", headers={"X-CSRF-Token": browser.csrf, "HX-Request": "true"})
    assert response.status_code == 303
    assert browser.get("/workspaces").status_code == 303  # logged out


def test_every_page_with_a_form_carries_the_token(login, candidate_with_workspace):
    user, _ = candidate_with_workspace
    browser = login(user)
    for url in ("/customers", "/products"):
        html = browser.get(url).text
        assert 'name="csrf_token"' in html  # the logout form
        assert '"X-CSRF-Token"' in html  # hx-headers for every htmx request
