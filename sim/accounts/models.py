"""User accounts and login attempts (not workspace-owned: they sit above workspaces)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlmodel import Field, SQLModel

from sim.labels import Labelled


class Role(Labelled):
    CANDIDATE = "candidate", "Candidat"
    TRAINER = "trainer", "Formateur"
    EVALUATOR = "evaluator", "Évaluateur"
    ADMIN = "admin", "Administrateur"


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_type=String(64), unique=True, index=True)
    display_name: str = Field(default="", sa_type=String(120))
    password_hash: str = Field(sa_type=String(255))
    role: str = Field(sa_type=String(16))
    active: bool = True
    created_at: datetime = Field(sa_type=DateTime(timezone=True))
    must_change_password: bool = False  # a one-time password handed out on a login sheet


class LoginAttempt(SQLModel, table=True):
    """Kept to rate-limit failed logins per username and per address."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_type=String(64), index=True)
    client_ip: str = Field(sa_type=String(64), index=True)
    succeeded: bool
    at: datetime = Field(sa_type=DateTime(timezone=True), index=True)


class UserSession(SQLModel, table=True):
    """A server-side login session. The browser's cookie carries a random token;
    only its SHA-256 is stored, so a copy of this table opens no session."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(sa_type=String(64), unique=True, index=True)
    created_at: datetime = Field(sa_type=DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # the workspace the candidate works in for this session (practice or exam), chosen explicitly
    active_workspace_id: int | None = Field(default=None, foreign_key="workspace.id")
