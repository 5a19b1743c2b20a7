"""The journal entry: one action or event, chained to the previous by its hash."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, UniqueConstraint
from sqlmodel import Field

from sim.db import WorkspaceOwned


class JournalEntry(WorkspaceOwned, table=True):
    __tablename__ = "journal_entry"
    # Two writers can never take the same place in a workspace's chain.
    __table_args__ = (UniqueConstraint("workspace_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    seq: int
    sim_time: datetime = Field(sa_type=DateTime(timezone=False))
    wall_time: datetime = Field(sa_type=DateTime(timezone=True))
    actor: str = Field(sa_type=String(80))
    kind: str = Field(sa_type=String(60), index=True)
    version: int = 1  # the version of the kind's shape in sim/journal/catalogue.py
    refs: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    prev_hash: str = Field(sa_type=String(64))
    hash: str = Field(sa_type=String(64))
    # Id of the journal key whose HMAC is ``hash``; None for the entries written
    # before the journal was keyed (plain SHA-256).
    key_id: str | None = Field(default=None, sa_type=String(16))
