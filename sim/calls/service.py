"""Phone calls as oral evidence (CP3: « communiquer à l'oral, en français et en anglais »).

A call from a customer (scenario event ``phone_call``) is an ``Interaction``
(channel ``phone``, direction ``in``) with the customer's voice attached: a WAV
generated offline by espeak-ng from the scenario's text, or a recording the
trainer supplied. Journaled ``call.received``.

The candidate answers it once (``answer``), in one of two ways, and the
evidence says which:

- ``recording`` — their voice, recorded in the browser (MediaRecorder), kept as a
  Document (``oral_answer``) with its duration: audio only (WebM, Ogg, MP4,
  WAV, MPEG), checked by its first bytes, at most ``RECORDING_MAX_BYTES`` and
  ``RECORDING_MAX_S`` seconds;
- ``summary`` — a candidate without a microphone types what they would say.

Either way the answer is an outbound phone ``Interaction`` in the call's thread,
journaled ``call.answered`` with the call's reference (``refs.call``), so that
the evaluator finds the recording next to the call on the candidate's timeline
and judges the oral criteria (``judge: evaluator``). Recordings are served only
to their candidate and to staff (the inbox's viewing rule).
"""
from __future__ import annotations

from dataclasses import dataclass
from hashlib import sha256

from sqlalchemy import select

from sim.clock import sim_date, sim_now
from sim.company.numbering import next_number
from sim.crm.models import Customer, Interaction, MessageAttachment
from sim.db import NotFound
from sim.documents.models import Document
from sim.errors import SimError, ValidationFailed
from sim.journal import service as journal
from sim.parsing import read_text

PHONE = "phone"
RECORDING_MAX_BYTES = 1_800_000  # under the request limit (sim/web/limits.py, 2 Mio); 7 min of Opus at 32 kbit/s
RECORDING_MAX_S = 300
SUMMARY_MAX = 4000
# (MIME type, file extension, how the file begins)
AUDIO_TYPES = {
    "audio/webm": ("webm", lambda b: b.startswith(b"\x1a\x45\xdf\xa3")),
    "audio/ogg": ("ogg", lambda b: b.startswith(b"OggS")),
    "audio/mp4": ("m4a", lambda b: b[4:8] == b"ftyp"),
    "audio/wav": ("wav", lambda b: b.startswith(b"RIFF") and b[8:12] == b"WAVE"),
    "audio/mpeg": ("mp3", lambda b: b.startswith(b"ID3") or b[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
}
MODES = {"recording": "Réponse enregistrée (voix du candidat)", "summary": "Compte rendu écrit (sans micro)"}


class AlreadyAnswered(SimError):
    """The call has its answer already (one per call)."""


@dataclass
class Call:
    call: Interaction
    customer: Customer | None
    voice: Document | None  # the customer's voice (content not loaded)
    answer: Interaction | None
    recording: Document | None  # the candidate's recorded answer, if any

    @property
    def answered(self) -> bool:
        return self.answer is not None


def audio_type(mime: str) -> str:
    """``audio/webm;codecs=opus`` → ``audio/webm``; a type that is not audio → ""."""
    base = (mime or "").split(";", 1)[0].strip().lower()
    return {"audio/x-wav": "audio/wav", "audio/wave": "audio/wav", "audio/mp3": "audio/mpeg",
            "audio/x-m4a": "audio/mp4"}.get(base, base)


def _keep(uow, *, kind: str, filename: str, mime: str, content: bytes, call: Interaction) -> Document:
    document = Document(workspace_id=uow.workspace_id, kind=kind, filename=filename, mime_type=mime, content=content,
                        sha256=sha256(content).hexdigest(), sim_time=sim_now(uow))
    uow.add(document)
    uow.session.flush()
    uow.add(MessageAttachment(workspace_id=uow.workspace_id, interaction_id=call.id, document_id=document.id))
    uow.session.flush()
    return document


# ===== inbound: the customer calls ======================================

def receive(uow, *, actor: str, customer_id: int, subject: str, text: str, language: str,
            audio: bytes | None = None, audio_mime: str = "", event_key: str = "", callback: str = "") -> Interaction:
    """A customer calls: the call, its voice (``audio`` as given, else espeak-ng reading ``text``), journaled
    ``call.received``. Part of the caller's transaction (the scenario engine's)."""
    from sim.calls.voice import synthesise

    if language not in ("fr", "en"):
        raise ValidationFailed({"language": "Langue : fr ou en."})
    customer = uow.get(Customer, customer_id)
    source = "recording" if audio else "espeak-ng"
    if audio:
        mime = audio_type(audio_mime)
        if mime not in AUDIO_TYPES or not AUDIO_TYPES[mime][1](audio):
            raise ValidationFailed({"audio": "Enregistrement de l'appel : un fichier son (WebM, Ogg, MP4, WAV, MP3)."})
    else:
        audio, mime = synthesise(text, language), "audio/wav"
    call = Interaction(workspace_id=uow.workspace_id, customer_id=customer.id, channel=PHONE, direction="in",
                       counterpart_role="customer", counterpart_name=customer.name, language=language,
                       subject=subject.strip()[:200], body=text, sim_time=sim_now(uow), read=False,
                       event_key=(event_key or "")[:80], reference=next_number(uow, "message", sim_date(uow)))
    uow.add(call)
    uow.session.flush()
    voice = _keep(uow, kind="voice", filename=f"{call.reference}-voix.{AUDIO_TYPES[mime][0]}", mime=mime,
                  content=audio, call=call)
    refs = {"call": call.reference, "customer": customer.code}
    if event_key:
        refs["event"] = event_key
    journal.append(uow, kind="call.received", actor=actor, refs=refs,
                   payload={"subject": call.subject, "language": language, "text": text, "voice": source,
                            "voice_file": voice.filename, "callback": callback})
    return call


# ===== reading ===========================================================

def _find_call(uow, call_id) -> Interaction:
    call = uow.session.scalars(select(Interaction).where(
        Interaction.id == call_id, Interaction.channel == PHONE, Interaction.direction == "in")).first()
    if call is None:
        raise NotFound(f"Call {call_id}")
    return call


def _documents(uow, interaction_ids: list[int]) -> dict[int, Document]:
    """interaction id → its audio document (content not loaded)."""
    from sqlalchemy.orm import defer

    if not interaction_ids:
        return {}
    return {interaction_id: document for interaction_id, document in uow.session.execute(
        select(MessageAttachment.interaction_id, Document)
        .join(Document, Document.id == MessageAttachment.document_id)
        .where(MessageAttachment.interaction_id.in_(interaction_ids), Document.mime_type.like("audio/%"))
        .options(defer(Document.content)))}


def calls(uow) -> list[Call]:
    """Every call a customer made (scenario calls with a voice), newest first, with its answer."""
    inbound = uow.session.scalars(select(Interaction).where(
        Interaction.channel == PHONE, Interaction.direction == "in").order_by(
        Interaction.sim_time.desc(), Interaction.id.desc())).all()
    voices = _documents(uow, [c.id for c in inbound])
    inbound = [c for c in inbound if c.id in voices]  # a call logged by hand has no voice to answer
    answers = {a.thread_id: a for a in uow.session.scalars(select(Interaction).where(
        Interaction.channel == PHONE, Interaction.direction == "out",
        Interaction.thread_id.in_([c.id for c in inbound])))} if inbound else {}
    recordings = _documents(uow, [a.id for a in answers.values()])
    customers = {c.id: c for c in uow.session.scalars(select(Customer).where(
        Customer.id.in_({c.customer_id for c in inbound if c.customer_id})))} if inbound else {}
    return [Call(c, customers.get(c.customer_id), voices.get(c.id), answers.get(c.id),
                 recordings.get(answers[c.id].id) if c.id in answers else None) for c in inbound]


def call(uow, call_id: int) -> Call:
    found = _find_call(uow, call_id)
    return next(c for c in calls(uow) if c.call.id == found.id) if _documents(uow, [found.id]) else \
        Call(found, uow.session.get(Customer, found.customer_id), None, None, None)


def waiting(uow) -> int:
    """Calls not answered yet (the navigation's count)."""
    return sum(1 for c in calls(uow) if not c.answered)


def audio(uow, *, call_id: int, document_id: int) -> Document:
    """The voice of a call or the recording of its answer, if that document is one of them; else NotFound."""
    found = call(uow, call_id)
    for document in (found.voice, found.recording):
        if document is not None and document.id == document_id:
            return uow.session.get(Document, document_id)
    raise NotFound(f"Document {document_id} of call {call_id}")


def mark_listened(uow, *, actor: str, call_id: int) -> bool:
    """The candidate opened the call (``call.listened``, the first time): when the call was noticed."""
    from sqlalchemy import update

    found = _find_call(uow, call_id)
    changed = uow.session.execute(update(Interaction).where(Interaction.id == found.id, Interaction.read.is_(False))
                                  .values(read=True).execution_options(synchronize_session=False)).rowcount
    if not changed:
        return False
    customer = uow.session.get(Customer, found.customer_id)
    refs = {"call": found.reference, "customer": customer.code}
    if found.event_key:
        refs["event"] = found.event_key
    journal.append(uow, kind="call.listened", actor=actor, refs=refs, payload={"received_at": found.sim_time})
    return True


# ===== the candidate answers ============================================

def read_recording(recording: bytes | None, mime: str, duration_s, errors: dict[str, str]) -> tuple[str, int | None]:
    """A candidate's recorded voice as the browser sends it: audio by its first bytes (not its declared
    type), 1,8 Mo and 5 minutes at most, 1 second at least. Faults go to ``errors`` (``recording``,
    ``duration``); returns (the audio type, the whole seconds)."""
    kind = audio_type(mime)
    if not recording:
        errors["recording"] = "Aucun enregistrement reçu : enregistrez votre réponse avant de l'envoyer."
    elif len(recording) > RECORDING_MAX_BYTES:
        errors["recording"] = (f"Enregistrement trop lourd ({len(recording) // 1000} Ko, "
                               f"{RECORDING_MAX_BYTES // 1000} Ko au plus).")
    elif kind not in AUDIO_TYPES or not AUDIO_TYPES[kind][1](recording):
        errors["recording"] = "Ce fichier n'est pas un enregistrement sonore (WebM, Ogg, MP4, WAV, MP3)."
    try:
        seconds = round(float(str(duration_s).replace(",", ".")))
        if not 1 <= seconds <= RECORDING_MAX_S:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        errors["duration"] = f"Durée de l'enregistrement : de 1 seconde à {RECORDING_MAX_S // 60} minutes."
        seconds = None
    return kind, seconds


def answer(uow, *, actor: str, call_id: int, mode: str, recording: bytes | None = None, mime: str = "",
           duration_s=None, summary: str = "", form_token: str | None = None) -> Interaction:
    """The candidate's answer to a call: their recorded voice, or a typed summary (no microphone)."""
    from sim.workspace.forms import claim
    from sim.writing import grammar, language, spelling

    claim(uow, form_token, "call.answered")
    found = _find_call(uow, call_id)
    already = uow.session.scalars(select(Interaction.id).where(
        Interaction.channel == PHONE, Interaction.direction == "out", Interaction.thread_id == found.id)).first()
    if already is not None:
        raise AlreadyAnswered(f"L'appel {found.reference} a déjà sa réponse : une seule réponse par appel.")
    errors: dict[str, str] = {}
    if mode not in MODES:
        errors["mode"] = "Enregistrez votre réponse, ou écrivez-en le compte rendu."
    text = read_text(summary, "summary", errors, label="Compte rendu", max_length=SUMMARY_MAX, multiline=True)
    seconds = None
    kind = audio_type(mime)
    if mode == "recording":
        kind, seconds = read_recording(recording, mime, duration_s, errors)
    elif mode == "summary" and not text and "summary" not in errors:
        errors["summary"] = "Écrivez ce que vous avez répondu au client."
    if errors:
        raise ValidationFailed(errors)
    customer = uow.session.get(Customer, found.customer_id)
    written = language.report(text) if text else None
    reply = Interaction(workspace_id=uow.workspace_id, customer_id=customer.id, channel=PHONE, direction="out",
                        counterpart_role="customer", counterpart_name=customer.name,
                        language=(written.language if written and written.language else found.language),
                        subject=f"Réponse à l'appel : {found.subject}"[:200], body=text or "", sim_time=sim_now(uow),
                        thread_id=found.id, read=True, answer_mode=mode, duration_s=seconds,
                        reference=next_number(uow, "message", sim_date(uow)))
    uow.add(reply)
    uow.session.flush()
    payload = {"mode": mode, "summary": text or "", "language": found.language,
               "answered_after_s": int((reply.sim_time - found.sim_time).total_seconds())}
    if mode == "recording":
        document = _keep(uow, kind="oral_answer", filename=f"{reply.reference}-reponse.{AUDIO_TYPES[kind][0]}",
                         mime=kind, content=recording, call=reply)
        payload |= {"recording": document.filename, "duration_s": seconds}
    if text:
        used = written.language or found.language
        payload |= {"detected_language": written.language, "flagged_words": spelling.flagged_words(text, used)}
        try:
            if used in grammar.LANGUAGES:
                payload["grammar_flags"] = grammar.journal_flags(text, used)
        except grammar.GrammarMissing:  # Grammalecte not installed: no grammar evidence, the answer still goes
            pass
    if found.read is False:
        found.read = True
    refs = {"call": found.reference, "customer": customer.code, "message": reply.reference}
    if found.event_key:
        refs["event"] = found.event_key
    journal.append(uow, kind="call.answered", actor=actor, refs=refs, payload=payload)
    return reply


