"""A customer's phone call is oral evidence (REAC CP3: « communiquer à l'oral,
en français et en anglais », B1 in English): the customer's voice is generated
offline (espeak-ng) from the scenario's text; the candidate answers by recording
their voice, kept with its duration and attached to the call in the journal, or
— without a microphone — by a typed summary, and the evidence says which.
Recordings are audio only, size-limited, and served only to their candidate and
to staff."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sim.calls import service as calls
from sim.calls.voice import wav_seconds
from sim.db import UnitOfWork
from sim.documents.models import Document
from sim.errors import ValidationFailed
from tests.claims import a_phone_call
from tests.factories import ACTOR, last_entry

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 2000  # how a WebM (Matroska) file begins


def test_the_customers_voice_is_generated_in_the_calls_language(workspace):
    call = a_phone_call(workspace.id, language="en")
    received = last_entry(workspace.id, "call.received")
    assert received.refs == {"call": call.reference, "customer": received.refs["customer"], "event": "call"}
    assert received.payload["voice"] == "espeak-ng" and received.payload["language"] == "en"
    with UnitOfWork(workspace.id, write=False) as uow:
        found = calls.call(uow, call.id)
        voice = uow.session.get(Document, found.voice.id)
        content = voice.content
    assert voice.mime_type == "audio/wav" and content.startswith(b"RIFF")
    assert wav_seconds(content) >= 3 and not found.answered


def test_a_recorded_answer_is_kept_with_its_duration_and_attached_to_the_call(workspace):
    ws = workspace.id
    call = a_phone_call(ws)
    with UnitOfWork(ws) as uow:
        calls.answer(uow, actor=ACTOR, call_id=call.id, mode="recording", recording=WEBM,
                     mime="audio/webm;codecs=opus", duration_s="42")
        uow.commit()
    answered = last_entry(ws, "call.answered")
    assert answered.refs["call"] == call.reference
    assert answered.payload["mode"] == "recording" and answered.payload["duration_s"] == 42
    assert answered.payload["recording"].endswith("-reponse.webm")
    with UnitOfWork(ws, write=False) as uow:
        found = calls.call(uow, call.id)
        assert found.answer.answer_mode == "recording" and found.answer.duration_s == 42
        assert uow.session.get(Document, found.recording.id).content == WEBM
    with UnitOfWork(ws) as uow, pytest.raises(calls.AlreadyAnswered):  # one answer per call
        calls.answer(uow, actor=ACTOR, call_id=call.id, mode="summary", summary="Encore")


def test_without_a_microphone_a_typed_summary_is_the_evidence_and_says_so(workspace):
    ws = workspace.id
    call = a_phone_call(ws)
    with UnitOfWork(ws) as uow:
        calls.answer(uow, actor=ACTOR, call_id=call.id, mode="summary",
                     summary="I apologised and offered a credit note of 50 euros; logistics will check the carrier.")
        uow.commit()
    answered = last_entry(ws, "call.answered")
    assert answered.payload["mode"] == "summary" and "recording" not in answered.payload
    assert answered.payload["detected_language"] == "en"


@pytest.mark.parametrize("recording, mime, duration, field", [
    (b"<html><script>alert(1)</script></html>", "audio/webm", "10", "recording"),  # not audio, whatever it says
    (WEBM, "text/html", "10", "recording"),
    (b"\x1a\x45\xdf\xa3" + b"\x00" * calls.RECORDING_MAX_BYTES, "audio/webm", "10", "recording"),
    (WEBM, "audio/webm", "0", "duration"),
    (WEBM, "audio/webm", "301", "duration"),
    (WEBM, "audio/webm", "NaN", "duration"),
    (None, "", "10", "recording"),
])
def test_a_recording_is_audio_only_and_size_limited(workspace, recording, mime, duration, field):
    ws = workspace.id
    call = a_phone_call(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        calls.answer(uow, actor=ACTOR, call_id=call.id, mode="recording", recording=recording, mime=mime,
                     duration_s=duration)
    assert field in refused.value.errors


def test_recordings_are_served_to_their_candidate_and_to_staff_only(app, make_user, make_workspace, login):
    candidate, other = make_user("candidate"), make_user("candidate")
    ws = make_workspace(owner=candidate).id
    make_workspace(owner=other)
    call = a_phone_call(ws)
    browser = login(candidate)
    page = browser.get(f"/calls/{call.id}")
    assert page.status_code == 200 and "Enregistrer ma réponse" in page.text
    assert last_entry(ws, "call.listened").refs["call"] == call.reference
    sent = browser.post(f"/calls/{call.id}/answer", {"mode": "recording", "duration": "12", "form_token": "t-1"},
                        files={"recording": ("reponse.webm", WEBM, "audio/webm")})
    assert sent.status_code == 303, sent.text[:2000]
    with UnitOfWork(ws, write=False) as uow:
        recording = calls.call(uow, call.id).recording
    url = f"/calls/{call.id}/audio/{recording.id}"
    heard = browser.get(url)
    assert heard.status_code == 200 and heard.content == WEBM
    assert heard.headers["content-type"] == "audio/webm" and heard.headers["x-content-type-options"] == "nosniff"
    assert login(other).get(url).status_code == 404  # another candidate's workspace has no such call
    staff = login(make_user("evaluator"))
    assert staff.get(url).status_code in (303, 404)  # staff hear it through the inspection of that workspace


def test_a_trainer_uploads_a_recording_that_a_phone_call_plays(app, make_user, make_workspace, login):
    """The customer's voice can be a real recording: a trainer drops it on *Scénarios*, a phone_call
    names it (``audio: NAME``); audio only, recognised by its first bytes."""
    from datetime import datetime

    from tests.scenario.test_event_handlers import installed, play_until, scenario

    trainer = login(make_user("trainer"))
    ogg = b"OggS" + b"\x00" * 500
    refused = trainer.post("/scenarios/audio", files={"audio": ("voix.ogg", b"<html>", "audio/ogg")})
    assert refused.status_code == 422 and "enregistrement sonore" in refused.text
    kept = trainer.post("/scenarios/audio", files={"audio": ("Voix Client 1.ogg", ogg, "audio/ogg")})
    assert kept.status_code == 200 and "audio: voix-client-1.ogg" in kept.text

    scn = scenario({"id": "ring", "kind": "phone_call", "at": "2026-11-02T10:00", "from": {"customer": "durand"},
                    "language": "fr", "subject": "Livraison", "text": "Bonjour, rappelez-moi.",
                    "audio": "voix-client-1.ogg"})
    ws = installed(make_workspace, scn)
    play_until(ws, datetime(2026, 11, 2, 10, 0))
    received = last_entry(ws, "call.received")
    assert received.payload["voice"] == "recording" and received.payload["voice_file"].endswith("-voix.ogg")
    with UnitOfWork(ws, write=False) as uow:
        [call] = calls.calls(uow)
        assert uow.session.get(Document, call.voice.id).content == ogg
