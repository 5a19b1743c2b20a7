"""Generated files (quote, invoice, statement PDFs...) kept with the workspace."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String
from sqlmodel import Field

from sim.db import WorkspaceOwned


class Document(WorkspaceOwned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=String(30))  # quote, order_ack, invoice, statement...
    filename: str = Field(sa_type=String(160))
    mime_type: str = Field(sa_type=String(80))
    content: bytes = Field(sa_type=LargeBinary)
    sha256: str = Field(sa_type=String(64))
    ref_kind: str = Field(default="", sa_type=String(30))
    ref_id: int | None = None
    sim_time: datetime = Field(sa_type=DateTime(timezone=False))
