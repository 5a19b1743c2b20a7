"""Each channel has its limits: the hard ones refuse publication, the advice ones are journaled.

The issue: "preview per channel with that channel's limits (characters, image,
subject length)". A social post is at most 280 characters and one image; an
e-mail needs a subject (150 characters at most; over 60 it is cut on a phone:
advice); a printed A5 leaflet holds 1 200 characters.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sim.communication import channels, service
from sim.communication.models import CommunicationSupport
from sim.db import UnitOfWork
from sim.errors import ValidationFailed
from sim.journal.models import JournalEntry

from . import ACTOR, customers_with_known_consents

B2B = {"status": "customer", "kind": "b2b"}


def _draft(workspace_id, **values) -> int:
    with UnitOfWork(workspace_id) as uow:
        support = service.create_support(uow, actor=ACTOR, **{"kind": "offer", "filters": B2B, **values})
        uow.commit()
        return support.id


def _published(workspace_id) -> list[JournalEntry]:
    with UnitOfWork(workspace_id, write=False) as uow:
        return list(uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "support.published")))


def test_a_social_post_of_280_characters_is_published_and_one_of_281_is_refused(workspace):
    exactly = _draft(workspace.id, kind="social_post", channel="social", body="x" * 280)
    over = _draft(workspace.id, kind="social_post", channel="social", body="x" * 281)

    with UnitOfWork(workspace.id) as uow:
        service.publish(uow, actor=ACTOR, support_id=exactly)
        uow.commit()
    with UnitOfWork(workspace.id) as uow, pytest.raises(ValidationFailed) as refused:
        service.publish(uow, actor=ACTOR, support_id=over)

    assert refused.value.errors == {"limit_post_max": "Publication : 280 caractères au plus (281 / 280)"}
    with UnitOfWork(workspace.id, write=False) as uow:
        assert uow.session.get(CommunicationSupport, over).status == "draft"  # a refusal changes nothing
    assert [e.refs["support"] for e in _published(workspace.id)] == ["COM-2026-001"]


def test_a_post_counts_its_text_as_typed_links_included_and_holds_one_image():
    text = "Nouveau : la gamme carton recyclé ! https://www.exemple.fr/recycle #emballage"
    checks = {c.limit.code: c for c in channels.check("social", "", text)}
    assert checks["post_max"].value == len(text) == 77
    two_images = "![a](https://x.fr/a.png) ![b](https://x.fr/b.png)"
    assert not {c.limit.code: c for c in channels.check("social", "", two_images)}["images_max"].ok


def test_an_email_subject_over_60_characters_is_published_but_journaled_as_advice_not_followed(workspace):
    customers_with_known_consents(workspace.id)
    subject = "Offre exceptionnelle réservée à nos clients professionnels : -15 % sur tout"  # 75 characters
    support = _draft(workspace.id, channel="email", title=subject, body="Bonjour, -15 % jusqu'au 30/11.")

    with UnitOfWork(workspace.id) as uow:
        service.publish(uow, actor=ACTOR, support_id=support)
        uow.commit()

    entry, = _published(workspace.id)
    assert len(subject) == 75
    assert entry.payload["advice_not_met"] == ["subject_mobile"]
    assert entry.payload["within_limits"] is False


def test_an_email_without_subject_or_text_is_refused_with_each_reason(workspace):
    customers_with_known_consents(workspace.id)
    support = _draft(workspace.id, channel="email")

    with UnitOfWork(workspace.id) as uow, pytest.raises(ValidationFailed) as refused:
        service.publish(uow, actor=ACTOR, support_id=support)

    assert set(refused.value.errors) == {"limit_subject_required", "limit_body_required"}


def test_an_emailing_nobody_consented_to_is_refused(workspace):
    customers_with_known_consents(workspace.id)
    support = _draft(workspace.id, kind="invitation", channel="email", title="Portes ouvertes",
                     body="Venez nous voir le 20/11.")

    with UnitOfWork(workspace.id) as uow, pytest.raises(ValidationFailed) as refused:
        service.publish(uow, actor=ACTOR, support_id=support)

    assert "segment" in refused.value.errors
    assert _published(workspace.id) == []


def test_a_leaflet_holds_1200_characters_on_its_a5_page(workspace):
    support = _draft(workspace.id, kind="invitation", channel="leaflet", title="Portes ouvertes",
                     body="y" * 1201)

    with UnitOfWork(workspace.id) as uow, pytest.raises(ValidationFailed) as refused:
        service.publish(uow, actor=ACTOR, support_id=support)

    assert refused.value.errors == {"limit_body_max": "Texte : 1 200 caractères au plus (une page A5) (1201 / 1200)"}


def test_a_support_is_published_once_whatever_the_clicks(workspace):
    support = _draft(workspace.id, kind="social_post", channel="social", body="Nouveau catalogue en ligne !")
    with UnitOfWork(workspace.id) as uow:
        service.publish(uow, actor=ACTOR, support_id=support)
        uow.commit()

    with UnitOfWork(workspace.id) as uow, pytest.raises(service.SupportAlreadyPublished):
        service.publish(uow, actor=ACTOR, support_id=support)
    with UnitOfWork(workspace.id) as uow, pytest.raises(service.SupportAlreadyPublished):
        service.update_support(uow, actor=ACTOR, support_id=support, revision=None, kind="social_post",
                               channel="social", body="Autre texte")

    assert len(_published(workspace.id)) == 1


def test_a_draft_saved_from_a_stale_page_is_refused(workspace):
    support = _draft(workspace.id, channel="website", title="Nos nouveautés", body="Texte")
    with UnitOfWork(workspace.id) as uow:
        service.update_support(uow, actor=ACTOR, support_id=support, revision=1, kind="offer", channel="website",
                               title="Nos nouveautés d'hiver", body="Texte")
        uow.commit()

    with UnitOfWork(workspace.id) as uow, pytest.raises(service.SupportChangedMeanwhile):
        service.update_support(uow, actor=ACTOR, support_id=support, revision=1, kind="offer", channel="website",
                               title="Autre", body="Texte")
    with UnitOfWork(workspace.id, write=False) as uow:
        assert uow.session.get(CommunicationSupport, support).title == "Nos nouveautés d'hiver"
        saved = uow.session.scalar(select(func.count(JournalEntry.id)).where(JournalEntry.kind == "support.saved"))
    assert saved == 1
