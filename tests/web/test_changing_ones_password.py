"""Mon compte → Changer le mot de passe: for every role, CSRF-checked, checked on
the server with French messages next to the fields; a refused change changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sim.accounts.models import User
from sim.accounts.passwords import verify_password
from sim.db import UnitOfWork


def password_hash(user) -> str:
    with UnitOfWork(write=False) as uow:
        return uow.session.scalar(select(User.password_hash).where(User.id == user.id))


def change(browser, current="secret", new="nouveau-secret", confirm=None):
    return browser.post("/account/password", {"current_password": current, "new_password": new,
                                              "confirm_password": new if confirm is None else confirm})


@pytest.mark.parametrize("role", ["candidate", "trainer", "evaluator", "admin"])
def test_every_role_reaches_the_page_from_mon_compte(login, make_user, make_workspace, role):
    user = make_user(role)
    if role == "candidate":
        make_workspace(owner=user)
    browser = login(user)
    landing = browser.get(browser.get("/").headers["location"])  # the role's home page
    assert '<a href="/account/password" title="Changer le mot de passe">Mon compte</a>' in landing.text
    page = browser.get("/account/password")
    assert page.status_code == 200
    assert "<h1>Changer le mot de passe</h1>" in page.text


@pytest.mark.parametrize("fields, field, message", [
    ({"current": "pas-le-bon"}, "current_password", "Mot de passe actuel incorrect."),
    ({"current": ""}, "current_password", "Saisissez votre mot de passe actuel."),
    ({"new": ""}, "new_password", "Saisissez le nouveau mot de passe."),
    ({"new": "abc"}, "new_password", "Mot de passe trop court (4 caractères au moins)."),
    ({"new": "secret"}, "new_password", "Le nouveau mot de passe doit être différent de l'actuel."),
    ({"confirm": "autre-chose"}, "confirm_password", "La confirmation ne correspond pas au nouveau mot de passe."),
])
def test_a_refused_change_says_why_next_to_the_field_and_changes_nothing(login, make_user, fields, field, message):
    user = make_user("trainer")
    browser = login(user)
    before = password_hash(user)
    response = change(browser, **fields)
    assert response.status_code == 422
    assert f'id="err-{field}" role="alert">{message}<' in response.text.replace("&#39;", "'")
    assert f'name="{field}" autocomplete' in response.text
    assert password_hash(user) == before
    assert browser.get("/workspaces").status_code == 200  # still logged in


def test_the_new_password_replaces_the_old_one(app, login, make_user):
    user = make_user("candidate")
    browser = login(user)
    response = change(browser)
    assert response.status_code == 303 and response.headers["location"] == "/account/password?done=1"
    assert verify_password("nouveau-secret", password_hash(user))
    login(user, password="nouveau-secret")
    from sim.accounts.service import BadCredentials, authenticate

    with pytest.raises(BadCredentials):
        authenticate(username=user.username, password="secret", client_ip="2001:db8::77")


def test_a_change_without_the_csrf_token_is_refused(login, make_user):
    user = make_user("evaluator")
    browser = login(user)
    before = password_hash(user)
    response = browser.client.post("/account/password", data={
        "current_password": "secret", "new_password": "nouveau-secret", "confirm_password": "nouveau-secret"})
    assert response.status_code == 403
    assert password_hash(user) == before


def test_guessing_the_current_password_counts_like_failed_logins(login, make_user):
    from sim.accounts.service import MAX_ACCOUNT_FAILURES

    user = make_user("candidate")
    browser = login(user)
    for _ in range(MAX_ACCOUNT_FAILURES):
        assert change(browser, current="devine").status_code == 422
    response = change(browser, current="secret")  # even the right one, now
    assert response.status_code == 422 and "Trop de tentatives" in response.text
    assert verify_password("secret", password_hash(user))
