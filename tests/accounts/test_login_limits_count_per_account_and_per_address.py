"""Failed logins are counted per account (5 in 15 minutes lock that account) and
per client address (50 in 15 minutes lock that address) separately: a classroom
behind one NAT address is not locked out by a few typos, one machine trying
many accounts is stopped, and parallel attempts are all counted."""
from __future__ import annotations

import secrets
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from sim.accounts.models import LoginAttempt
from sim.accounts.service import (
    ATTEMPTS_KEPT, FAILURE_WINDOW, MAX_ACCOUNT_FAILURES, MAX_ADDRESS_FAILURES, BadCredentials, TooManyAttempts, authenticate,
)
from sim.clock import wall_now
from sim.db import UnitOfWork
from tests.conftest import csrf_of, unique


def an_address() -> str:
    """An address of its own for each test (the counters persist for the whole run)."""
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def fail(username: str, ip: str) -> None:
    with pytest.raises(BadCredentials):
        authenticate(username=username, password="wrong", client_ip=ip)


def recorded(**where) -> int:
    with UnitOfWork(write=False) as uow:
        return uow.session.scalar(select(func.count(LoginAttempt.id)).filter_by(**where))


def test_the_thresholds():
    assert (MAX_ACCOUNT_FAILURES, MAX_ADDRESS_FAILURES, FAILURE_WINDOW) == (5, 50, timedelta(minutes=15))


def test_five_failures_lock_the_account_from_any_address(make_user):
    user = make_user("candidate")
    for _ in range(MAX_ACCOUNT_FAILURES):
        fail(user.username, an_address())
    with pytest.raises(TooManyAttempts, match="ce compte"):
        authenticate(username=user.username, password="secret", client_ip=an_address())


def test_wrong_passwords_from_one_classroom_address_do_not_lock_the_other_candidates(make_user):
    room = an_address()
    candidates = [make_user("candidate") for _ in range(30)]
    typo_prone = candidates[0]
    for _ in range(MAX_ACCOUNT_FAILURES):
        fail(typo_prone.username, room)  # one candidate locks their own account…
    for other in candidates[1:]:
        fail(other.username, room)  # …and everyone else mistypes once
    for other in candidates[1:]:
        assert authenticate(username=other.username, password="secret", client_ip=room).id == other.id
    with pytest.raises(TooManyAttempts):
        authenticate(username=typo_prone.username, password="secret", client_ip=room)


def test_one_address_trying_many_accounts_is_stopped_by_the_address_limit(make_user):
    attacker, elsewhere = an_address(), an_address()
    victim = make_user("candidate")
    for _ in range(MAX_ADDRESS_FAILURES):
        fail(unique("guess"), attacker)  # never more than one try per account
    with pytest.raises(TooManyAttempts, match="cette adresse"):
        authenticate(username=victim.username, password="secret", client_ip=attacker)
    assert recorded(client_ip=attacker) == MAX_ADDRESS_FAILURES  # refused attempts are not checked nor counted
    assert authenticate(username=victim.username, password="secret", client_ip=elsewhere).id == victim.id


def test_failures_older_than_fifteen_minutes_no_longer_count(make_user):
    user = make_user("candidate")
    ip = an_address()
    with UnitOfWork() as uow:
        for _ in range(MAX_ACCOUNT_FAILURES):
            uow.session.add(LoginAttempt(username=user.username, client_ip=ip, succeeded=False,
                                         at=wall_now() - FAILURE_WINDOW - timedelta(seconds=5)))
        uow.commit()
    assert authenticate(username=user.username, password="secret", client_ip=ip).id == user.id


def test_attempts_older_than_a_day_are_pruned_at_the_next_attempt(make_user):
    user = make_user("candidate")
    ip = an_address()
    with UnitOfWork() as uow:
        uow.session.add(LoginAttempt(username=user.username, client_ip=ip, succeeded=False,
                                     at=wall_now() - ATTEMPTS_KEPT - timedelta(minutes=1)))
        uow.session.add(LoginAttempt(username=user.username, client_ip=ip, succeeded=False,
                                     at=wall_now() - ATTEMPTS_KEPT + timedelta(minutes=5)))
        uow.commit()
    assert recorded(username=user.username) == 2
    fail(user.username, ip)
    assert recorded(username=user.username) == 2  # the old one went, this one came


def test_logging_in_clears_the_accounts_earlier_failures(make_user):
    user = make_user("candidate")
    for _ in range(MAX_ACCOUNT_FAILURES - 1):
        fail(user.username, an_address())
    authenticate(username=user.username, password="secret", client_ip=an_address())
    for _ in range(MAX_ACCOUNT_FAILURES - 1):
        fail(user.username, an_address())  # four more after the success: not locked
    assert authenticate(username=user.username, password="secret", client_ip=an_address()).id == user.id


def test_an_empty_field_is_refused_without_being_counted():
    ip = an_address()
    for username, password in (("", "x"), ("someone", "")):
        with pytest.raises(BadCredentials, match="Saisissez"):
            authenticate(username=username, password=password, client_ip=ip)
    assert recorded(client_ip=ip) == 0


def _all_at_once(count: int, attempt) -> list[str]:
    """Run ``attempt(i)`` in ``count`` threads released together; the outcome of each."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        barrier.wait()
        try:
            attempt(i)
            outcome = "ok"
        except BadCredentials:
            outcome = "bad"
        except TooManyAttempts:
            outcome = "locked"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == count
    return outcomes


def test_twenty_simultaneous_wrong_passwords_on_one_account_get_only_five_checks(make_user):
    user = make_user("candidate")
    outcomes = _all_at_once(20, lambda i: authenticate(username=user.username, password=f"guess-{i}",
                                                       client_ip=an_address()))
    assert outcomes.count("bad") == MAX_ACCOUNT_FAILURES
    assert outcomes.count("locked") == 20 - MAX_ACCOUNT_FAILURES
    assert recorded(username=user.username) == MAX_ACCOUNT_FAILURES


def test_simultaneous_attempts_from_one_address_stop_at_the_address_limit():
    ip = an_address()
    outcomes = _all_at_once(MAX_ADDRESS_FAILURES + 10,
                            lambda i: authenticate(username=unique("spray"), password="wrong", client_ip=ip))
    assert outcomes.count("bad") == MAX_ADDRESS_FAILURES
    assert outcomes.count("locked") == 10
    assert recorded(client_ip=ip) == MAX_ADDRESS_FAILURES


def test_the_login_page_says_the_account_is_locked_with_a_429(app, make_user):
    user = make_user("candidate")
    with TestClient(app, follow_redirects=False, client=(an_address(), 50000)) as client:
        for _ in range(MAX_ACCOUNT_FAILURES):
            token = csrf_of(client.get("/login").text)
            response = client.post("/login", data={"username": user.username, "password": "wrong",
                                                   "csrf_token": token})
            assert response.status_code == 401 and "Identifiant ou mot de passe incorrect" in response.text
        token = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"username": user.username, "password": "secret", "csrf_token": token})
        assert response.status_code == 429
        assert "Trop de tentatives échouées pour ce compte" in response.text
