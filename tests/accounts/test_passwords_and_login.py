"""Accounts: Argon2 hashes, login, rate-limited failures."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sim.accounts.models import LoginAttempt
from sim.accounts.passwords import hash_password, verify_password
from sim.accounts.service import MAX_ACCOUNT_FAILURES, BadCredentials, TooManyAttempts, authenticate, create_user
from sim.db import UnitOfWork
from sim.errors import ValidationFailed


def test_passwords_are_stored_as_argon2id_hashes(make_user):
    user = make_user("trainer", password="correct horse")
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash
    assert verify_password("correct horse", user.password_hash)
    assert not verify_password("wrong", user.password_hash)


def test_two_hashes_of_one_password_differ():
    assert hash_password("demo") != hash_password("demo")  # salted


def test_a_duplicate_username_is_refused(make_user):
    user = make_user("evaluator")
    with UnitOfWork() as uow, pytest.raises(ValidationFailed) as refused:
        create_user(uow, username=user.username, password="secret", role="evaluator")
    assert "existe déjà" in refused.value.errors["username"]


def test_logins_are_refused_after_repeated_failures_even_with_the_right_password(make_user):
    user = make_user("candidate")
    for _ in range(MAX_ACCOUNT_FAILURES):
        with pytest.raises(BadCredentials):
            authenticate(username=user.username, password="wrong", client_ip="192.0.2.1")
    with pytest.raises(TooManyAttempts):
        authenticate(username=user.username, password="secret", client_ip="192.0.2.99")
    with UnitOfWork(write=False) as uow:
        attempts = uow.session.scalar(select(func.count(LoginAttempt.id))
                                      .where(LoginAttempt.username == user.username))
    assert attempts == MAX_ACCOUNT_FAILURES


def test_the_right_password_logs_in(make_user):
    user = make_user("candidate")
    assert authenticate(username=user.username.upper(), password="secret", client_ip="192.0.2.2").id == user.id
