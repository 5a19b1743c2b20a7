"""A communication support (an offer, a newsletter, an event invitation, a social
post) and the requests management sends for one."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, Text, UniqueConstraint
from sqlmodel import Field

from sim.db import WorkspaceOwned
from sim.labels import Labelled


class SupportKind(Labelled):
    OFFER = "offer", "Offre promotionnelle"
    NEWSLETTER = "newsletter", "Lettre d'information"
    INVITATION = "invitation", "Invitation à un événement"
    SOCIAL_POST = "social_post", "Publication sur un réseau social"


class Channel(Labelled):
    EMAIL = "email", "Courriel (emailing)"
    WEBSITE = "website", "Site web de l'entreprise"
    SOCIAL = "social", "Réseau social"
    LEAFLET = "leaflet", "Prospectus imprimé"


class Purpose(Labelled):
    """What a customer consented to receive (Customer.consent_<purpose>_on)."""

    OFFERS = "offers", "offres commerciales par courriel"
    NEWSLETTER = "newsletter", "lettre d'information"
    EVENTS = "events", "invitations aux événements"


# The consent an emailing of each kind of support needs.
PURPOSE_OF = {SupportKind.OFFER: Purpose.OFFERS, SupportKind.NEWSLETTER: Purpose.NEWSLETTER,
              SupportKind.INVITATION: Purpose.EVENTS, SupportKind.SOCIAL_POST: Purpose.OFFERS}


class SupportStatus(Labelled):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publié"


class CommunicationRequest(WorkspaceOwned, table=True):
    """Management's request for a support (scenario event ``communication_request``)."""

    __tablename__ = "communication_request"
    __table_args__ = (UniqueConstraint("workspace_id", "event_key"),)

    id: int | None = Field(default=None, primary_key=True)
    event_key: str = Field(sa_type=String(80))  # the scenario event's id: the journal's key for it
    subject: str = Field(sa_type=String(200))
    objective: str = Field(default="", sa_type=Text)
    target: str = Field(default="", sa_type=String(300))
    channels: list[str] = Field(default_factory=list, sa_type=JSON)
    due_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    # scripted response to a support published for it: {open_rate, click_rate, replies}
    response: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    received_at: datetime = Field(sa_type=DateTime(timezone=False))


class CommunicationSupport(WorkspaceOwned, table=True):
    __tablename__ = "communication_support"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(20))  # COM-2026-001: the journal's key for it
    kind: str = Field(sa_type=String(12))
    channel: str = Field(sa_type=String(10))
    title: str = Field(default="", sa_type=String(200))  # the e-mail's subject, the page's or leaflet's title
    objective: str = Field(default="", sa_type=Text)
    body: str = Field(default="", sa_type=Text)  # Markdown as the candidate typed it
    # the target segment: CRM filters (sim/communication/segments.py)
    filters: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    request_id: int | None = Field(default=None, foreign_key="communication_request.id")
    status: str = Field(default=SupportStatus.DRAFT, sa_type=String(10))
    revision: int = 1  # +1 at every save: an edit of a support changed meanwhile is refused
    created_at: datetime = Field(sa_type=DateTime(timezone=False))
    updated_at: datetime = Field(sa_type=DateTime(timezone=False))
    published_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    # at publication: who it reached (recipients of an emailing, audience of a public channel)
    reach: int = 0
    recipients: list[str] = Field(default_factory=list, sa_type=JSON)  # customer codes
    opens: int = 0
    clicks: int = 0
    replies: int = 0
