"""The address the login limits count: the socket peer, or — only when the peer
is one of ADVSIM_TRUSTED_PROXIES — the right-most untrusted X-Forwarded-For hop."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from sim.accounts.models import LoginAttempt
from sim.config import parse_networks
from sim.db import UnitOfWork
from sim.web.client import forwarded_client
from tests.conftest import csrf_of, unique

PROXIES = parse_networks("192.0.2.10, 10.8.0.0/16, 2001:db8:a::/48")


@pytest.mark.parametrize("peer, forwarded, expected", [
    # not from a trusted proxy: the header is the client's own claim, ignored
    ("198.51.100.7", ["203.0.113.5"], "198.51.100.7"),
    # from the proxy: the address it appended
    ("192.0.2.10", ["203.0.113.5"], "203.0.113.5"),
    # whatever the client wrote further left proves nothing
    ("192.0.2.10", ["1.2.3.4, 203.0.113.5"], "203.0.113.5"),
    # through two of our proxies (CIDR): the right-most hop that is not ours
    ("10.8.3.4", ["1.2.3.4, 203.0.113.5, 10.8.1.1"], "203.0.113.5"),
    ("10.8.3.4", ["1.2.3.4", "203.0.113.5, 10.8.1.1"], "203.0.113.5"),  # several header lines
    ("2001:db8:a::1", ["2001:db8:ffff::42"], "2001:db8:ffff::42"),
    # a proxy that sent nothing, or garbage: the proxy's own address
    ("192.0.2.10", [], "192.0.2.10"),
    ("192.0.2.10", ["1.2.3.4, not-an-ip"], "192.0.2.10"),
    # only our proxies on the way
    ("192.0.2.10", ["10.8.0.1"], "10.8.0.1"),
])
def test_the_client_address(peer, forwarded, expected):
    assert forwarded_client(peer, forwarded, PROXIES) == expected


def test_without_trusted_proxies_the_header_is_never_believed():
    assert forwarded_client("127.0.0.1", ["203.0.113.5"], ()) == "127.0.0.1"


def test_a_bad_entry_in_the_setting_is_refused_at_start_up():
    with pytest.raises(ValueError, match="ADVSIM_TRUSTED_PROXIES.*pas-une-ip"):
        parse_networks("10.0.0.1, pas-une-ip")


def _failed_login_address(app, peer: str, forwarded: str) -> str:
    username = unique("nobody")
    with TestClient(app, follow_redirects=False, client=(peer, 41000)) as client:
        token = csrf_of(client.get("/login").text)
        client.post("/login", data={"username": username, "password": "wrong", "csrf_token": token},
                    headers={"X-Forwarded-For": forwarded})
    with UnitOfWork(write=False) as uow:
        return uow.session.scalar(select(LoginAttempt.client_ip).where(LoginAttempt.username == username))


def test_a_login_through_the_trusted_proxy_is_counted_against_the_real_client():
    from sim.web.app import create_app

    app = create_app()
    app.state.trusted_proxies = PROXIES
    assert _failed_login_address(app, "192.0.2.10", "6.6.6.6, 203.0.113.77") == "203.0.113.77"
    assert _failed_login_address(app, "198.51.100.8", "203.0.113.77") == "198.51.100.8"


def test_by_default_the_socket_peer_is_counted(app):
    assert _failed_login_address(app, "198.51.100.9", "203.0.113.78") == "198.51.100.9"
