"""Accounts: creation, authentication with a rate limit on failures."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from sim.accounts.models import LoginAttempt, Role, User
from sim.accounts.passwords import burn_time, hash_password, verify_password
from sim.clock import wall_now
from sim.errors import SimError, ValidationFailed

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class TooManyAttempts(SimError):
    status_code = 429


class BadCredentials(SimError):
    status_code = 401


def create_user(uow, *, username: str, password: str, role: str, display_name: str = "") -> User:
    errors: dict[str, str] = {}
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        errors["username"] = "Identifiant invalide : lettres minuscules, chiffres, point, tiret (2 à 64 caractères)."
    elif uow.session.scalar(select(User.id).where(User.username == username)) is not None:
        errors["username"] = "Cet identifiant existe déjà."
    if role not in {r.value for r in Role}:
        errors["role"] = "Rôle inconnu."
    if len(password) < 4:
        errors["password"] = "Mot de passe trop court (4 caractères au moins)."
    if errors:
        raise ValidationFailed(errors)
    user = User(username=username, password_hash=hash_password(password), role=role,
                display_name=display_name or username, created_at=wall_now())
    uow.session.add(user)
    uow.session.flush()
    return user


def authenticate(uow, *, username: str, password: str, client_ip: str) -> User:
    """The user, or ``BadCredentials``; ``TooManyAttempts`` after repeated failures
    for this username or from this address, whatever the password."""
    username = username.strip().lower()
    since = wall_now() - FAILURE_WINDOW
    failures = uow.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False),
            (LoginAttempt.username == username) | (LoginAttempt.client_ip == client_ip),
        )
    )
    if failures >= MAX_FAILURES:
        raise TooManyAttempts("Trop de tentatives de connexion échouées. Réessayez dans 15 minutes.")
    user = uow.session.scalar(select(User).where(User.username == username))
    if user is None:
        burn_time(password)
        ok = False
    else:
        ok = user.active and verify_password(password, user.password_hash)
    uow.session.add(LoginAttempt(username=username[:64], client_ip=client_ip[:64], succeeded=ok, at=wall_now()))
    uow.commit()
    if not ok:
        raise BadCredentials("Identifiant ou mot de passe incorrect.")
    return user
