"""Oral answers at the stand are kept as evidence, as on a phone call (CP8/2 oral expression,
CP8/5 English): the voice recorded in the browser is stored with its duration, journaled
with the answer, played back in the dialogue and on the evaluator's timeline; the figures
typed with it are still checked against the catalogue."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sim.db import UnitOfWork
from sim.documents.models import Document
from sim.errors import ValidationFailed
from sim.tradeshow import service
from sim.tradeshow.models import VisitorLine
from tests.factories import last_entry, snapshot
from tests.tradeshow import a_visitor

ACTOR = "candidate:test"
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 2000  # how a WebM (Matroska) file begins


def test_a_spoken_answer_is_kept_with_its_duration_and_journaled(workspace):
    visitor = a_visitor(workspace.id, welcomed=True)
    with UnitOfWork(workspace.id) as uow:
        line = service.answer(uow, actor=ACTOR, visitor_id=visitor.id, recording=WEBM, mime="audio/webm;codecs=opus",
                              duration_s="12", spoken=True)
        uow.commit()
        line_id = line.id
    entry = last_entry(workspace.id)
    assert entry.kind == "trade_show.visitor_answered"
    assert (entry.payload["recording"], entry.payload["duration_s"]) == (f"stand-tom-{line_id}.webm", 12)
    assert entry.payload["fact"] == "price" and entry.payload["reliable"] is None  # nothing typed: the evaluator listens
    with UnitOfWork(workspace.id, write=False) as uow:
        line = uow.get(VisitorLine, line_id)
        document = uow.session.get(Document, line.document_id)
        assert (line.text, line.duration_s) == ("(réponse orale, 12 s)", 12)
        assert (document.kind, document.mime_type, document.content) == ("oral_answer", "audio/webm", WEBM)
        assert service.voice(uow, visitor_id=visitor.id, document_id=document.id).id == document.id


def test_the_figures_typed_with_a_spoken_answer_are_checked(workspace):
    visitor = a_visitor(workspace.id, welcomed=True)
    with UnitOfWork(workspace.id) as uow:
        asked = uow.session.scalars(select(VisitorLine).where(VisitorLine.visitor_id == visitor.id,
                                                              VisitorLine.fact.is_not(None))).first()
        price = asked.expected["value"]
        service.answer(uow, actor=ACTOR, visitor_id=visitor.id, text=f"{price} € HT", recording=WEBM,
                       mime="audio/webm", duration_s="9", spoken=True)
        uow.commit()
    assert last_entry(workspace.id).payload["reliable"] is True


@pytest.mark.parametrize("recording, mime, duration, field", [
    (b"", "audio/webm", "5", "recording"),                      # nothing recorded
    (b"<html>" + b"x" * 100, "audio/webm", "5", "recording"),   # not sound, whatever its declared type
    (WEBM, "audio/webm", "0", "duration"),
])
def test_a_bad_recording_is_refused_and_changes_nothing(workspace, recording, mime, duration, field):
    visitor = a_visitor(workspace.id, welcomed=True)
    before = snapshot(workspace.id)
    with UnitOfWork(workspace.id) as uow, pytest.raises(ValidationFailed) as refused:
        service.answer(uow, actor=ACTOR, visitor_id=visitor.id, recording=recording, mime=mime,
                       duration_s=duration, spoken=True)
    assert field in refused.value.errors
    assert snapshot(workspace.id) == before


def test_the_recording_is_served_to_its_candidate_only_and_played_in_the_dialogue(login, candidate_with_workspace,
                                                                                  make_user):
    user, space = candidate_with_workspace
    visitor = a_visitor(space.id, welcomed=True)
    browser = login(user)
    sent = browser.post(f"/stand/{visitor.id}/answer", {"mode": "recording", "duration": "7"},
                        files={"recording": ("reponse.webm", WEBM, "audio/webm")})
    assert sent.status_code == 303
    with UnitOfWork(space.id, write=False) as uow:
        line = uow.session.scalars(select(VisitorLine).where(VisitorLine.document_id.is_not(None))).one()
    page = browser.get(f"/stand/{visitor.id}")
    assert f'src="/stand/{visitor.id}/audio/{line.document_id}"' in page.text
    played = browser.get(f"/stand/{visitor.id}/audio/{line.document_id}")
    assert (played.status_code, played.content, played.headers["content-type"]) == (200, WEBM, "audio/webm")
    assert played.headers["x-content-type-options"] == "nosniff"
    refused = browser.post(f"/stand/{visitor.id}/answer", {"mode": "recording", "duration": "7"},
                           files={"recording": ("x.webm", b"<script>", "audio/webm")})
    assert refused.status_code == 422 and "enregistrement sonore" in refused.text


def test_the_evaluator_hears_the_spoken_answer_on_the_candidates_timeline(make_user):
    from sim.db import get_engine
    from sim.evaluation import review
    from sim.exam.service import start_session
    from tests.exam import a_session, workspaces

    session_id, _ = a_session(make_user, candidates=1, scenario="trade-show")
    start_session(get_engine(), session_id, actor="trainer:t")
    [space] = workspaces(session_id)
    visitor = a_visitor(space.id, welcomed=True)
    with UnitOfWork(space.id) as uow:
        service.answer(uow, actor=ACTOR, visitor_id=visitor.id, recording=WEBM, mime="audio/webm", duration_s="6",
                       spoken=True)
        uow.commit()
    found = review.candidate(get_engine(), session_id, space.id)
    [row] = [t for t in found.timeline if t.entry.kind == "trade_show.visitor_answered"]
    [(label, url, mime)] = row.audio
    assert (label, mime) == ("Réponse enregistrée du candidat", "audio/webm")
    document_id = int(url.rsplit("/", 1)[1])
    assert review.audio_document(get_engine(), session_id, space.id, document_id)[2] == WEBM


def test_an_unknown_answer_mode_is_refused(login, candidate_with_workspace):
    user, space = candidate_with_workspace
    visitor = a_visitor(space.id, welcomed=True)
    before = snapshot(space.id)
    refused = login(user).post(f"/stand/{visitor.id}/answer", {"mode": "shout", "answer": "Hello"})
    assert refused.status_code == 422 and "Mode de réponse inconnu" in refused.text
    assert snapshot(space.id) == before
