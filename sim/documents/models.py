"""Generated files (quote, invoice, statement PDFs...) kept with the workspace."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String, UniqueConstraint
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


class FiledDocument(WorkspaceOwned, table=True):
    """One version of a document in a customer's folder (and an order's, if it is
    about one). A row is never changed once written: filing again, or correcting
    a filing, adds the next version of the same ``series`` (sim/documents/filing.py)."""

    __tablename__ = "filed_document"
    # two filings racing for the same next version: the second one fails here, never overwrites
    __table_args__ = (UniqueConstraint("workspace_id", "series", "version", name="uq_filed_document_version"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="sales_order.id", index=True)
    doc_type: str = Field(sa_type=String(30))  # sim.documents.filing.DOC_TYPES
    number: str = Field(sa_type=String(80))  # the document's business key (FA-2026-00008, the PO's number...)
    series: str = Field(sa_type=String(120))  # what versions share: "<doc_type>:<number>"
    version: int = 1
    source: str = Field(sa_type=String(12))  # "generated" (filed by itself) or "attachment" (filed by the candidate)
    message_id: int | None = Field(default=None, foreign_key="interaction.id")
    note: str = Field(default="", sa_type=String(300))
    filed_by: str = Field(sa_type=String(80))
    sim_time: datetime = Field(sa_type=DateTime(timezone=False))
