"""Test set-up: one clean database per test run, on SQLite or on PostgreSQL.

``make test`` runs on a fresh SQLite file. With ``ADVSIM_DATABASE_URL`` set to a
PostgreSQL server (as ``.ci/run`` does), a new database ``advsim_test_<random>``
is created on that server for the run and dropped at the end. The schema is
built by the Alembic migrations, as in production.

Tests do not roll back: each one works in a workspace (tenant) of its own,
which is exactly the isolation the product promises.
"""
from __future__ import annotations

import itertools
import os
import secrets
import tempfile
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="advsim-test-"))
os.environ["ADVSIM_DATA_DIR"] = str(_TMP)
os.environ["ADVSIM_SECRET_KEY"] = "test-secret-key-not-for-production"
os.environ["ADVSIM_JOURNAL_KEY"] = "test-journal-key-not-for-production"
os.environ["ADVSIM_CHEAP_HASHING"] = "1"
# No alarm clock in the test process (a TestClient used as a context manager runs the app's
# lifespan): tests tick the engine themselves; the server processes they start set it on.
os.environ["ADVSIM_SCHEDULER"] = "off"
_SERVER_URL = os.environ.get("ADVSIM_DATABASE_URL", "")
_TEST_DB_NAME = f"advsim_test_{secrets.token_hex(4)}"


def _postgres_admin_engine():
    from sqlalchemy import create_engine

    return create_engine(_SERVER_URL, isolation_level="AUTOCOMMIT")


def pytest_configure(config):
    if _SERVER_URL.startswith("postgresql"):
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        admin = _postgres_admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{_TEST_DB_NAME}"'))
        admin.dispose()
        url = make_url(_SERVER_URL).set(database=_TEST_DB_NAME).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{_TMP / 'test.sqlite3'}"
    os.environ["ADVSIM_DATABASE_URL"] = url
    from sim.migrations import upgrade

    upgrade(url)


def pytest_unconfigure(config):
    from sim.db import dispose_engines

    dispose_engines()
    if _SERVER_URL.startswith("postgresql"):
        from sqlalchemy import text

        admin = _postgres_admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{_TEST_DB_NAME}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url() -> str:
    return os.environ["ADVSIM_DATABASE_URL"]


@pytest.fixture(scope="session")
def engine(database_url):
    from sim.db import get_engine

    return get_engine(database_url)


_names = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_names)}-{secrets.token_hex(2)}"


@pytest.fixture
def make_user():
    """Create an account: ``make_user("candidate")`` → User (password "secret")."""
    from sim.accounts.service import create_user
    from sim.db import UnitOfWork

    def _make(role: str = "candidate", username: str | None = None, password: str = "secret"):
        with UnitOfWork() as uow:
            user = create_user(uow, username=username or unique(role), password=password, role=role)
            uow.commit()
            return user

    return _make


@pytest.fixture
def make_workspace():
    """A seeded company of the small size (fast), owned by ``owner`` if given."""
    from seed.company import SMALL
    from sim.db import UnitOfWork
    from sim.workspace.service import create_workspace

    def _make(owner=None, seed: int = 7, size=SMALL):
        with UnitOfWork() as uow:
            result = create_workspace(uow, name=unique("ws"), owner_id=owner.id if owner else None,
                                    seed=seed, size=size)
            uow.commit()
            return result

    return _make


@pytest.fixture
def workspace(make_workspace):
    return make_workspace()


# ===== HTTP =============================================================

import re as _re

_CSRF_RE = _re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF_RE.search(html)
    assert match, "the page carries no CSRF token"
    return match.group(1)


class Browser:
    """A TestClient with a logged-in session and its CSRF token."""

    def __init__(self, client, token: str):
        self.client = client
        self.csrf = token

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, data=None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf)
        return self.client.post(url, data=data, **kw)


@pytest.fixture(scope="session")
def app():
    from sim.web.app import create_app

    return create_app()


@pytest.fixture
def login(app):
    """``login(user)`` → a Browser logged in as that user (password "secret")."""
    from starlette.testclient import TestClient

    clients = []

    def _login(user, password: str = "secret") -> Browser:
        client = TestClient(app, follow_redirects=False, client=("10.0.0." + str(len(clients) + 1), 50000))
        clients.append(client)
        token = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"username": user.username, "password": password,
                                               "csrf_token": token})
        assert response.status_code == 303, response.text
        return Browser(client, csrf_of(client.get("/login").text))

    yield _login
    for client in clients:
        client.close()


@pytest.fixture
def candidate_with_workspace(make_user, make_workspace):
    user = make_user("candidate")
    return user, make_workspace(owner=user)
