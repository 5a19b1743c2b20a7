"""Accounts: creation, authentication with rate limits on failures, server-side sessions."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, or_, select, text, update

from sim.accounts.models import LoginAttempt, Role, User, UserSession
from sim.accounts.passwords import burn_time, hash_password, verify_password
from sim.clock import wall_now
from sim.db import UnitOfWork
from sim.errors import SimError, ValidationFailed

# Failed logins within FAILURE_WINDOW, counted separately:
# - per account, whatever the address: 5 lock that account (guessing one password);
# - per client address, whatever the account: 50 lock that address (one machine trying
#   many accounts). High enough for a classroom of 30 behind one NAT address, typos
#   included, so that a few wrong passwords never lock the whole room out.
MAX_ACCOUNT_FAILURES = 5
MAX_ADDRESS_FAILURES = 50
FAILURE_WINDOW = timedelta(minutes=15)
# Attempts are kept a day (what a trainer may want to look at after a lock-out),
# then pruned at the next attempt: only the last FAILURE_WINDOW ever counts.
ATTEMPTS_KEPT = timedelta(days=1)
SESSION_LIFETIME = timedelta(hours=12)  # an exam day; checked on the server, not only by the cookie
MIN_PASSWORD_LENGTH = 4
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
    if problem := password_problem(password):
        errors["password"] = problem
    if errors:
        raise ValidationFailed(errors)
    user = User(username=username, password_hash=hash_password(password), role=role,
                display_name=display_name or username, created_at=wall_now())
    uow.session.add(user)
    uow.session.flush()
    return user


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Mot de passe trop court ({MIN_PASSWORD_LENGTH} caractères au moins)."
    return None


# ===== login ==============================================================

def authenticate(*, username: str, password: str, client_ip: str) -> User:
    """The user, or ``BadCredentials``; ``TooManyAttempts`` while this account or
    this address has too many recent failures, whatever the password.

    Runs its own units of work: the attempt is recorded (as a failure) and
    committed *before* the password is checked, so parallel attempts all count
    and at most the allowed number of them ever reach the check; the slow
    Argon2 check itself runs outside any transaction.
    """
    username = username.strip().lower()[:64]
    if not username or not password:
        raise BadCredentials("Saisissez votre identifiant et votre mot de passe.")
    attempt_id = _record_attempt(username, client_ip[:64] or "?")
    with UnitOfWork(write=False) as uow:
        user = uow.session.scalar(select(User).where(User.username == username))
    if user is None:
        burn_time(password)
        ok = False
    else:
        ok = user.active and verify_password(password, user.password_hash)
    if not ok:
        raise BadCredentials("Identifiant ou mot de passe incorrect.")
    with UnitOfWork() as uow:
        uow.session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))
        uow.commit()
    return user


def _record_attempt(username: str, client_ip: str) -> int:
    now = wall_now()
    since = now - FAILURE_WINDOW
    with UnitOfWork() as uow:
        session = uow.session
        if session.get_bind().dialect.name == "postgresql":
            # Count-then-insert must not interleave between two attempts. SQLite's
            # writer already holds the database lock (BEGIN IMMEDIATE); on
            # PostgreSQL this lock mode conflicts with itself, not with readers.
            session.execute(text("LOCK TABLE login_attempt IN SHARE ROW EXCLUSIVE MODE"))
        last_success = (select(func.max(LoginAttempt.at))
                        .where(LoginAttempt.username == username, LoginAttempt.succeeded.is_(True))
                        .scalar_subquery())
        account_failures = session.scalar(select(func.count(LoginAttempt.id)).where(
            LoginAttempt.username == username, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since,
            # the account's owner logging in clears its earlier failures
            or_(last_success.is_(None), LoginAttempt.at > last_success)))
        if account_failures >= MAX_ACCOUNT_FAILURES:
            raise TooManyAttempts("Trop de tentatives échouées pour ce compte. Réessayez dans 15 minutes.")
        address_failures = session.scalar(select(func.count(LoginAttempt.id)).where(
            LoginAttempt.client_ip == client_ip, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since))
        if address_failures >= MAX_ADDRESS_FAILURES:
            raise TooManyAttempts("Trop de tentatives de connexion échouées depuis cette adresse. "
                                  "Réessayez dans 15 minutes.")
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - ATTEMPTS_KEPT))
        attempt = LoginAttempt(username=username, client_ip=client_ip, succeeded=False, at=now)
        session.add(attempt)
        session.flush()
        uow.commit()
        return attempt.id


# ===== sessions ===========================================================

def token_digest(token: str) -> str:
    """What the session table keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(uow, user: User) -> str:
    """A new session for ``user``; returns the token for the cookie. The caller commits."""
    token = secrets.token_urlsafe(32)
    now = wall_now()
    # the user's ended sessions are of no further use
    uow.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id, or_(UserSession.expires_at <= now, UserSession.revoked_at.is_not(None))))
    uow.session.add(UserSession(user_id=user.id, token_hash=token_digest(token), created_at=now,
                                expires_at=now + SESSION_LIFETIME))
    uow.session.flush()
    return token


def revoke_session(uow, token: str) -> None:
    """Logout: this session stops working, wherever its cookie was copied. The caller commits."""
    uow.session.execute(update(UserSession).where(
        UserSession.token_hash == token_digest(token), UserSession.revoked_at.is_(None)).values(revoked_at=wall_now()))


def revoke_all_sessions(uow, user_id: int) -> None:
    uow.session.execute(update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)).values(revoked_at=wall_now()))


def set_password(uow, user: User, password: str) -> None:
    """New password (``advsim user password``): every open session of the user ends. The caller commits."""
    if problem := password_problem(password):
        raise ValidationFailed({"password": problem})
    user.password_hash = hash_password(password)
    user.must_change_password = False  # a one-time password is used up once replaced
    uow.session.add(user)
    revoke_all_sessions(uow, user.id)


def change_password(*, user_id: int, current: str, new: str, confirm: str, client_ip: str) -> str:
    """A user changes their own password. The current one is checked like a login
    (same counters, so this form cannot be used to guess it); then every session
    of the user ends and a new one opens for this browser: returns its token.
    Commits (the check records its attempt first, as ``authenticate`` does)."""
    errors: dict[str, str] = {}
    if not current:
        errors["current_password"] = "Saisissez votre mot de passe actuel."
    if not new:
        errors["new_password"] = "Saisissez le nouveau mot de passe."
    elif problem := password_problem(new):
        errors["new_password"] = problem
    elif new == current:
        errors["new_password"] = "Le nouveau mot de passe doit être différent de l'actuel."
    if confirm != new:
        errors["confirm_password"] = "La confirmation ne correspond pas au nouveau mot de passe."
    if errors:
        raise ValidationFailed(errors)
    with UnitOfWork(write=False) as uow:
        username = uow.session.scalar(select(User.username).where(User.id == user_id))
    try:
        authenticate(username=username, password=current, client_ip=client_ip)
    except BadCredentials:
        raise ValidationFailed({"current_password": "Mot de passe actuel incorrect."}) from None
    except TooManyAttempts as refused:
        raise ValidationFailed({"current_password": refused.message}) from None
    with UnitOfWork() as uow:
        user = uow.session.get(User, user_id)
        set_password(uow, user, new)
        token = open_session(uow, user)
        uow.commit()
    return token
