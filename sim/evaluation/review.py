"""What the evaluator's pages show: the session matrix, a candidate's timeline,
the trainers' summary per criterion. Reads only.

Each candidate's final evaluation is the engine's automatic one
(``sim.evaluation.engine``) with the ``evaluation.*`` decisions of their journal
applied (``verdicts.final``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from sqlalchemy import select

from sim.accounts.models import User
from sim.db import NotFound, UnitOfWork
from sim.evaluation import judgements, verdicts
from sim.evaluation.result import Evaluation
from sim.exam.models import ExamSession
from sim.journal.catalogue import KINDS
from sim.journal.models import JournalEntry
from sim.workspace.models import Workspace


def automatic(uow, workspace_id: int) -> tuple[Evaluation, dict]:
    """The engine's evaluation of the workspace and the scenario it is scored against."""
    from sim.evaluation.engine import evaluate, scenario_of

    scenario = scenario_of(uow, workspace_id)
    return evaluate(uow, workspace_id, scenario), scenario


@dataclass
class Scored:
    workspace: Workspace
    user: User | None
    final: verdicts.FinalEvaluation
    scenario: dict

    @property
    def name(self) -> str:
        return (self.user.display_name or self.user.username) if self.user else self.workspace.name


def scored(uow, workspace: Workspace, user: User | None = None) -> Scored:
    evaluation, scenario = automatic(uow, workspace.id)
    return Scored(workspace, user, verdicts.final(evaluation, judgements.entries_of(uow), scenario), scenario)


def _session(uow, session_id: int) -> ExamSession:
    session = uow.session.get(ExamSession, session_id)
    if session is None:
        raise NotFound(f"ExamSession {session_id}")
    return session


def _candidates(uow, session_id: int) -> list[tuple[Workspace, User | None]]:
    rows = uow.session.execute(select(Workspace, User).outerjoin(User, User.id == Workspace.owner_id)
                               .where(Workspace.exam_session_id == session_id)).all()
    return sorted(((w, u) for w, u in rows), key=lambda r: (r[1].display_name or r[1].username) if r[1] else "")


@dataclass
class Matrix:
    session: ExamSession
    competences: list[tuple[str, str]]  # (cp, title), in the referential's order
    rows: list[Scored]


def matrix(engine, session_id: int) -> Matrix:
    """Candidates × CP of a session."""
    rows = []
    with UnitOfWork(write=False, engine=engine) as uow:
        session = _session(uow, session_id)
        candidates = _candidates(uow, session_id)
    for workspace, user in candidates:
        with UnitOfWork(workspace.id, write=False, engine=engine) as uow:
            rows.append(scored(uow, workspace, user))
    competences: dict[str, str] = {}
    for row in rows:
        for c in row.final.competences:
            competences.setdefault(c.cp, c.title)
    return Matrix(session, list(competences.items()), rows)


@dataclass
class TimelineEntry:
    entry: JournalEntry
    title: str
    expectations: list[verdicts.FinalExpectation] = field(default_factory=list)  # that cite it as evidence
    link: str = ""  # the candidate's page for what it names, through the staff inspection
    audio: list = field(default_factory=list)  # (label, url, mime) of oral evidence: a call's voice, a recorded answer


@dataclass
class Review:
    session: ExamSession
    scored: Scored
    timeline: list[TimelineEntry]
    evidence: dict[int, TimelineEntry]  # seq -> entry


# the candidate's page of what a journal entry names: (ref, model, url pattern)
def _targets():
    from sim.billing.models import Invoice
    from sim.crm.models import Claim, Customer, Interaction
    from sim.sales.models import Quote, SalesOrder
    from sim.stock.models import Delivery

    # a call first: its answer's entry also names the answer as ``message``, which is no e-mail
    return [("call", Interaction, Interaction.reference, "/calls/{}"),
            ("claim", Claim, Claim.number, "/claims/{}"),
            ("message", Interaction, Interaction.reference, "/inbox/{}"),
            ("invoice", Invoice, Invoice.number, "/invoices/{}"),
            ("delivery", Delivery, Delivery.number, "/deliveries/{}"),
            ("order", SalesOrder, SalesOrder.number, "/orders/{}"),
            ("quote", Quote, Quote.number, "/quotes/{}"),
            ("customer", Customer, Customer.code, "/customers/{}")]


def inspect_url(workspace_id: int, path: str) -> str:
    """A page of the candidate's workspace, read by staff (the read-only inspection)."""
    return f"/inspect/{workspace_id}?next={quote(path, safe='/')}"


def _links(uow, entries: list[JournalEntry]) -> dict[int, str]:
    """seq -> the page of the first thing the entry names, looked up by business key in one query per kind."""
    found: dict[int, str] = {}
    for ref, model, key_column, pattern in _targets():
        keys = {e.refs[ref] for e in entries if e.seq not in found and isinstance(e.refs.get(ref), str)}
        if not keys:
            continue
        ids = dict(uow.session.execute(select(key_column, model.id).where(key_column.in_(keys))).all())
        for e in entries:
            if e.seq not in found and e.refs.get(ref) in ids:
                found[e.seq] = inspect_url(uow.workspace_id, pattern.format(ids[e.refs[ref]]))
    return found


AUDIO_KINDS = {"voice": "Voix du client", "oral_answer": "Réponse enregistrée du candidat"}


def audio_url(session_id: int, workspace_id: int, document_id: int) -> str:
    return f"/evaluation/sessions/{session_id}/candidates/{workspace_id}/audio/{document_id}"


def _audio(uow, session_id: int, entries: list[JournalEntry]) -> dict[int, list[tuple[str, str, str]]]:
    """seq -> the sound files an entry names (``call.received``: the customer's voice; ``call.answered`` and
    ``trade_show.visitor_answered``: the candidate's recording), to play on the timeline."""
    from sim.documents.models import Document

    wanted = {}
    for e in entries:
        if e.kind == "call.received" and e.payload.get("voice_file"):
            wanted.setdefault(e.payload["voice_file"], []).append(e.seq)
        elif e.kind in ("call.answered", "trade_show.visitor_answered") and e.payload.get("recording"):
            wanted.setdefault(e.payload["recording"], []).append(e.seq)
    if not wanted:
        return {}
    found: dict[int, list] = {}
    for doc_id, filename, kind, mime in uow.session.execute(
            select(Document.id, Document.filename, Document.kind, Document.mime_type)
            .where(Document.filename.in_(list(wanted)), Document.kind.in_(list(AUDIO_KINDS)))):
        for seq in wanted[filename]:
            found.setdefault(seq, []).append((AUDIO_KINDS[kind], audio_url(session_id, uow.workspace_id, doc_id), mime))
    return found


def audio_document(engine, session_id: int, workspace_id: int, document_id: int):
    """A call's sound file of that session's candidate (voice or recorded answer), or NotFound."""
    from sim.documents.models import Document

    candidate_of(engine, session_id, workspace_id)
    with UnitOfWork(workspace_id, write=False, engine=engine) as uow:
        document = uow.session.scalars(select(Document).where(Document.id == document_id,
                                                              Document.kind.in_(list(AUDIO_KINDS)))).first()
        if document is None:
            raise NotFound(f"Document {document_id}")
        return document.filename, document.mime_type, document.content


def candidate_of(engine, session_id: int, workspace_id: int) -> tuple[ExamSession, Workspace, User | None]:
    """The session and its candidate's workspace, or NotFound (a workspace of another session)."""
    with UnitOfWork(write=False, engine=engine) as uow:
        session = _session(uow, session_id)
        row = uow.session.execute(select(Workspace, User).outerjoin(User, User.id == Workspace.owner_id)
                                  .where(Workspace.id == workspace_id,
                                         Workspace.exam_session_id == session_id)).first()
    if row is None:
        raise NotFound(f"Workspace {workspace_id}")
    return session, row[0], row[1]


def candidate(engine, session_id: int, workspace_id: int) -> Review:
    """One candidate's evaluation and their journal in sim-time order, each entry with the expectations
    it is evidence of."""
    session, workspace, user = candidate_of(engine, session_id, workspace_id)
    with UnitOfWork(workspace_id, write=False, engine=engine) as uow:
        result = scored(uow, workspace, user)
        entries = list(uow.session.scalars(select(JournalEntry).order_by(JournalEntry.sim_time, JournalEntry.seq)))
        links = _links(uow, entries)
        audio = _audio(uow, session_id, entries)
    cited: dict[int, list] = {}
    for item in result.final.expectations:
        for seq in item.auto.evidence:
            cited.setdefault(seq, []).append(item)
    timeline = [TimelineEntry(e, KINDS[e.kind].title if e.kind in KINDS else e.kind, cited.get(e.seq, []),
                              links.get(e.seq, ""), audio.get(e.seq, [])) for e in entries]
    return Review(session, result, timeline, {t.entry.seq: t for t in timeline})


@dataclass
class CriterionCount:
    id: str
    cp: str
    text: str
    counts: dict[str, int]  # final status -> candidates
    total: int


def summary(engine, session_id: int) -> tuple[Matrix, list[CriterionCount]]:
    """Per criterion, how many candidates met it (final statuses)."""
    board = matrix(engine, session_id)
    per: dict[str, CriterionCount] = {}
    for row in board.rows:
        for c in row.final.criteria:
            count = per.setdefault(c.id, CriterionCount(c.id, c.cp, c.text, {}, 0))
            count.counts[c.status] = count.counts.get(c.status, 0) + 1
            count.total += 1
    return board, list(per.values())
