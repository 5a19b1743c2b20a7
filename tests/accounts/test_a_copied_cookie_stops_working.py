"""Sessions live on the server: the cookie carries a random token only, and a
copy of it stops working at logout, at a password change, after 12 hours, and
when the account is deactivated."""
from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from starlette.testclient import TestClient

from sim.accounts.models import User, UserSession
from sim.accounts.service import SESSION_LIFETIME, token_digest
from sim.cli import main
from sim.clock import wall_now
from sim.db import UnitOfWork
from tests.conftest import csrf_of

COOKIE = "advsim_session"


def copy_of(app, browser) -> TestClient:
    """Another machine holding a copy of the browser's session cookie."""
    thief = TestClient(app, follow_redirects=False, client=("203.0.113.66", 40000))
    thief.cookies.set(COOKIE, browser.client.cookies.get(COOKIE))
    return thief


def logged_in(client, url="/") -> bool:
    response = client.get(url)
    return not response.headers.get("location", "").startswith("/login")


def cookie_payload(client) -> dict:
    # Starlette's session cookie: base64(JSON) "." timestamp "." signature (signed, not encrypted)
    data = client.cookies.get(COOKIE).split(".")[0]
    return json.loads(base64.b64decode(data + "=" * (-len(data) % 4)))


def sessions_of(user) -> list[UserSession]:
    with UnitOfWork(write=False) as uow:
        return uow.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()


def test_the_cookie_holds_a_random_token_and_no_part_of_the_password_hash(login, make_user):
    user = make_user("candidate")
    browser = login(user)
    payload = cookie_payload(browser.client)
    assert set(payload) == {"sid", "csrf"}
    raw = json.dumps(payload)
    for part in filter(None, user.password_hash.split("$")):
        if len(part) >= 8:  # salt and digest
            assert part not in raw and part[-16:] not in raw
    assert user.password_hash[-16:] not in raw
    # the database keeps only the token's SHA-256: a copy of the table opens no session
    (session,) = [s for s in sessions_of(user) if s.revoked_at is None]
    assert session.token_hash == token_digest(payload["sid"]) != payload["sid"]
    assert session.expires_at - session.created_at == SESSION_LIFETIME == timedelta(hours=12)


def test_a_copied_cookie_stops_working_after_logout(app, login, make_user):
    browser = login(make_user("trainer"))
    thief = copy_of(app, browser)
    assert logged_in(thief, "/workspaces")  # the copy works while the session is open…
    assert browser.post("/logout").status_code == 303
    assert not logged_in(thief, "/workspaces")  # …and not after logout
    assert not logged_in(browser.client, "/workspaces")
    thief.close()


def test_a_copied_cookie_stops_working_after_a_password_change(app, login, make_user):
    user = make_user("candidate")
    browser = login(user)
    other_machine = login(user)
    thief = copy_of(app, browser)
    page = browser.get("/account/password")
    response = browser.post("/account/password", {"csrf_token": csrf_of(page.text), "current_password": "secret",
                                                  "new_password": "nouveau-secret",
                                                  "confirm_password": "nouveau-secret"})
    assert response.status_code == 303
    assert not logged_in(thief)
    assert not logged_in(other_machine.client)
    assert logged_in(browser.client)  # the browser that changed it continues, in a new session
    assert "Mot de passe changé" in browser.get("/account/password?done=1").text
    assert len([s for s in sessions_of(user) if s.revoked_at is None]) == 1
    thief.close()


def test_advsim_user_password_sets_the_password_and_ends_every_session(app, login, make_user, monkeypatch, capsys):
    user = make_user("evaluator")
    browser = login(user)
    monkeypatch.setenv("ADVSIM_PASSWORD", "mot-de-passe-neuf")
    assert main(["user", "password", user.username]) == 0
    assert "sessions ouvertes sont fermées" in capsys.readouterr().out
    assert not logged_in(browser.client, "/workspaces")
    login(user, password="mot-de-passe-neuf")  # the new one works


def test_advsim_user_password_refuses_an_unknown_user_or_a_short_password(make_user, monkeypatch, capsys):
    monkeypatch.setenv("ADVSIM_PASSWORD", "assez-long")
    assert main(["user", "password", "personne-de-ce-nom"]) == 2
    assert "utilisateur inconnu" in capsys.readouterr().err
    monkeypatch.setenv("ADVSIM_PASSWORD", "abc")
    assert main(["user", "password", make_user("trainer").username]) == 2
    assert "trop court" in capsys.readouterr().err


def test_a_deactivated_users_sessions_stop_working(login, make_user):
    user = make_user("candidate")
    browser = login(user)
    with UnitOfWork() as uow:
        uow.session.execute(update(User).where(User.id == user.id).values(active=False))
        uow.commit()
    assert not logged_in(browser.client)


def test_a_session_ends_after_twelve_hours_on_the_server_whatever_the_cookie_says(login, make_user):
    user = make_user("trainer")
    browser = login(user)
    assert logged_in(browser.client, "/workspaces")
    with UnitOfWork() as uow:  # twelve hours later
        uow.session.execute(update(UserSession).where(UserSession.user_id == user.id)
                            .values(expires_at=wall_now() - timedelta(seconds=1)))
        uow.commit()
    assert not logged_in(browser.client, "/workspaces")


def test_logging_in_again_ends_the_browsers_previous_session(app, login, make_user):
    user = make_user("trainer")
    browser = login(user)
    thief = copy_of(app, browser)
    token = csrf_of(browser.get("/login").text)
    assert browser.client.post("/login", data={"username": user.username, "password": "secret",
                                               "csrf_token": token}).status_code == 303
    assert logged_in(browser.client, "/workspaces")
    assert not logged_in(thief, "/workspaces")
    thief.close()


@pytest.mark.parametrize("cookie", ["", "garbage", "eyJzaWQiOiAiZm9yZ2VkIn0=.x.y"])
def test_a_forged_or_broken_cookie_logs_nobody_in(app, cookie):
    with TestClient(app, follow_redirects=False) as client:
        client.cookies.set(COOKIE, cookie)
        assert not logged_in(client)
