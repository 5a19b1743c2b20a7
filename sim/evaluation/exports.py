"""A session's evaluations exported: JSON, CSV, xAPI 1.0.3 statements, a jury's PDF per candidate.

Every export reads the FINAL evaluation (``verdicts.final``: the engine's
proposal with the evaluators' judgements, overrides and validations applied),
through ``review.scored``. Reads only. Formats are documented in the README
("Exports (CSV, PDF, xAPI)").
"""
from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select

from sim.config import get_settings
from sim.db import NotFound, UnitOfWork
from sim.evaluation import review
from sim.evaluation.result import ACQUIRED, MET, NOT_ACQUIRED, TO_JUDGE, number
from sim.exam.models import ExamSession
from sim.journal.catalogue import KINDS
from sim.journal.models import JournalEntry

XAPI_VERSION = "1.0.3"
VERBS = {
    "scored": "http://adlnet.gov/expapi/verbs/scored",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
ACTIVITY_TYPES = {
    "expectation": "http://adlnet.gov/expapi/activities/interaction",
    "criterion": "http://adlnet.gov/expapi/activities/objective",
    "competence": "http://adlnet.gov/expapi/activities/module",
    "session": "http://adlnet.gov/expapi/activities/assessment",
}
CMI5_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
# fixed namespace: the same session always gives the same registration and statement ids
NAMESPACE = uuid.UUID("6f1c2a0e-4b7d-5e8f-9a1b-2c3d4e5f6a7b")

CSV_COLUMNS = ("session_id", "session_title", "candidate_login", "candidate_name", "cp", "cp_title",
               "criterion", "criterion_text", "auto_status", "status", "points", "max_points",
               "cp_proposed", "cp_status", "cp_validated", "cp_verdict", "decided_by", "comment",
               "evidence", "seal_hash")


@dataclass
class Candidate:
    login: str
    name: str
    scored: review.Scored
    entries: dict[int, JournalEntry]  # the evidence's journal entries by seq

    @property
    def final(self):
        return self.scored.final

    @property
    def workspace(self):
        return self.scored.workspace


@dataclass
class Export:
    session: ExamSession
    candidates: list[Candidate]


def collect(engine, session_id: int, login: str | None = None, workspace_id: int | None = None) -> Export:
    """The session's candidates (or the one whose login, or workspace, is given) with their final evaluations."""
    with UnitOfWork(write=False, engine=engine) as uow:
        session = uow.session.get(ExamSession, session_id)
        if session is None:
            raise NotFound(f"ExamSession {session_id}")
        candidates = review._candidates(uow, session_id)
    if login is not None:
        candidates = [(w, u) for w, u in candidates if u is not None and u.username == login]
        if not candidates:
            raise NotFound(f"candidat {login} dans la session {session_id}")
    if workspace_id is not None:
        candidates = [(w, u) for w, u in candidates if w.id == workspace_id]
        if not candidates:
            raise NotFound(f"Workspace {workspace_id}")
    result = []
    for workspace, user in candidates:
        with UnitOfWork(workspace.id, write=False, engine=engine) as uow:
            scored = review.scored(uow, workspace, user)
            seqs = {s for e in scored.final.expectations for s in e.auto.evidence}
            entries = {e.seq: e for e in uow.session.scalars(
                select(JournalEntry).where(JournalEntry.seq.in_(seqs)))} if seqs else {}
        result.append(Candidate(user.username if user else f"workspace-{workspace.id}", scored.name, scored,
                                entries))
    return Export(session, result)


def _decision_text(decision) -> tuple[str, str]:
    return (decision.who, decision.comment) if decision else ("", "")


# ===== JSON ================================================================

def to_json(export: Export) -> dict:
    """Per candidate, ``evaluation`` is the JSON contract (the engine's), ``final`` the decided one."""
    return {"session": {"id": export.session.id, "title": export.session.title,
                        "scenario": export.session.scenario_id, "mode": export.session.mode,
                        "registration": str(registration(export.session))},
            "candidates": [{"login": c.login, "name": c.name, "workspace": c.workspace.id,
                            "seal_hash": c.workspace.seal_hash or None,
                            "evaluation": c.final.evaluation.to_json(), "final": c.final.to_json()}
                           for c in export.candidates]}


# ===== CSV =================================================================

def csv_rows(export: Export) -> list[dict]:
    """One row per candidate × criterion, with the CP's verdict repeated on each of its rows."""
    rows = []
    for c in export.candidates:
        for criterion in c.final.criteria:
            cp = c.final.competence(criterion.cp)
            mine = [e for e in c.final.expectations if e.criterion == criterion.id]
            decided = criterion.decision or next((e.decision for e in reversed(mine) if e.decision), None)
            who, comment = _decision_text(decided)
            evidence = sorted({s for e in mine for s in e.auto.evidence})
            rows.append({
                "session_id": export.session.id, "session_title": export.session.title,
                "candidate_login": c.login, "candidate_name": c.name, "cp": cp.cp, "cp_title": cp.title,
                "criterion": criterion.id, "criterion_text": criterion.text, "auto_status": criterion.auto.status,
                "status": criterion.status, "points": _decimal(criterion.points),
                "max_points": _decimal(criterion.max_points), "cp_proposed": cp.auto.proposed,
                "cp_status": cp.status, "cp_validated": "oui" if cp.validated else "non",
                "cp_verdict": cp.verdict or "", "decided_by": who, "comment": comment,
                "evidence": " ".join(str(s) for s in evidence), "seal_hash": c.workspace.seal_hash or ""})
    return rows


def _decimal(value: Decimal) -> str:
    return str(number(value)).replace(".", ",")  # French spreadsheets: decimal comma


def to_csv(export: Export) -> str:
    """UTF-8 text, ``;``-separated (what French spreadsheets open), a header line of CSV_COLUMNS."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_rows(export))
    return out.getvalue()


# ===== xAPI ================================================================

def registration(session: ExamSession) -> uuid.UUID:
    """The session as an xAPI registration: a UUID derived from the session, the same on every export."""
    created = session.created_at.isoformat() if session.created_at else ""
    return uuid.uuid5(NAMESPACE, f"{get_settings().public_url}/sessions/{session.id}/{created}")


def _iri(*parts: str) -> str:
    from urllib.parse import quote

    return get_settings().public_url + "/xapi/" + "/".join(quote(str(p), safe="") for p in parts)


def iso_duration(delta: timedelta) -> str:
    """ISO 8601 duration, e.g. PT1H30M0S (never negative)."""
    seconds = max(0, int(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"PT{hours}H{minutes}M{secs}S"


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _score(points: Decimal, maximum: Decimal) -> dict:
    scaled = (Decimal(points) / Decimal(maximum)) if maximum else Decimal(0)
    scaled = max(Decimal(-1), min(Decimal(1), scaled))
    return {"scaled": round(float(scaled), 4), "raw": number(points), "min": 0, "max": number(maximum)}


def statements(export: Export) -> list[dict]:
    """xAPI 1.0.3 statements: one ``scored`` per decided expectation (the candidate's scored action) and
    per decided criterion, one cmi5-style ``passed``/``failed`` per CP whose verdict is decided.
    Items still to judge have no statement yet. Ids are deterministic (a re-export gives the same ones)."""
    settings = get_settings()
    session = export.session
    reg = registration(session)
    session_activity = {"objectType": "Activity", "id": _iri("sessions", reg),
                        "definition": {"name": {"fr-FR": session.title},
                                       "type": ACTIVITY_TYPES["session"]}}
    scenario_activity = {"objectType": "Activity", "id": _iri("scenarios", session.scenario_id),
                         "definition": {"name": {"fr-FR": session.scenario_name}}}
    started = session.started_at or session.created_at
    out = []
    for c in export.candidates:
        actor = {"objectType": "Agent", "name": c.name,
                 "account": {"homePage": settings.public_url, "name": c.login}}
        ended = c.workspace.ended_at or session.ended_at or datetime.now(timezone.utc)
        whole = iso_duration(_aware(ended) - _aware(started))

        def statement(kind, key, verb, activity, result, extra_context=None, timestamp=ended, c=c, actor=actor):
            context = {"registration": str(reg), "platform": "advsim", "language": "fr-FR",
                       "contextActivities": {"parent": [session_activity], "grouping": [scenario_activity]},
                       "extensions": {_iri("extensions", "workspace"): c.workspace.id}}
            for k, v in (extra_context or {}).items():
                if k == "category":
                    context["contextActivities"]["category"] = v
                else:
                    context["extensions"][_iri("extensions", k)] = v
            return {"id": str(uuid.uuid5(reg, f"{c.login}/{kind}/{key}")), "actor": actor,
                    "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
                    "object": activity, "result": result, "context": context,
                    "timestamp": _utc(timestamp), "version": XAPI_VERSION}

        for e in c.final.expectations:
            if e.status == TO_JUDGE:
                continue
            evidence = [c.entries[s] for s in e.auto.evidence if s in c.entries]
            last = evidence[-1] if evidence else None
            duration = iso_duration(last.sim_time - session.sim_start) if last else whole
            activity = {"objectType": "Activity", "id": _iri("scenarios", session.scenario_id, "expectations", e.id),
                        "definition": {"name": {"fr-FR": e.auto.description},
                                       "type": ACTIVITY_TYPES["expectation"]}}
            out.append(statement("expectation", e.id, "scored", activity, {
                "score": _score(e.points, e.max_points), "success": e.status == MET, "completion": True,
                "duration": duration, "extensions": {_iri("extensions", "status"): e.status}},
                {"evidence": list(e.auto.evidence), "criterion": e.criterion},
                timestamp=last.wall_time if last else ended))
        for cr in c.final.criteria:
            if cr.status == TO_JUDGE:
                continue
            activity = {"objectType": "Activity", "id": _iri("referentials", cr.id),
                        "definition": {"name": {"fr-FR": cr.text}, "type": ACTIVITY_TYPES["criterion"]}}
            out.append(statement("criterion", cr.id, "scored", activity, {
                "score": _score(cr.points, cr.max_points), "success": cr.status == MET, "completion": True,
                "duration": whole, "extensions": {_iri("extensions", "status"): cr.status}}))
        referential = c.final.evaluation.referential
        for cp in c.final.competences:
            if cp.status not in (ACQUIRED, NOT_ACQUIRED):
                continue
            activity = {"objectType": "Activity", "id": _iri("referentials", referential, cp.cp),
                        "definition": {"name": {"fr-FR": f"{cp.cp} {cp.title}"},
                                       "type": ACTIVITY_TYPES["competence"]}}
            out.append(statement("competence", cp.cp, "passed" if cp.status == ACQUIRED else "failed", activity, {
                "score": _score(cp.points, cp.max_points), "success": cp.status == ACQUIRED, "completion": True,
                "duration": whole, "extensions": {_iri("extensions", "validated"): cp.validated}},
                {"category": [{"objectType": "Activity", "id": CMI5_MOVEON}], "validated": cp.validated}))
    return out


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# ===== PDF =================================================================

STATUS_LABELS = {"met": "Atteint", "partly": "Partiel", "missed": "Non atteint", "to_judge": "À juger",
                 "acquired": "Acquise", "not_acquired": "Non acquise"}


def report_html(export: Export, candidate: Candidate) -> str:
    from sim.documents.rendering import render_html

    return render_html("documents/evaluation_report.html", {
        "session": export.session, "c": candidate, "f": candidate.final, "labels": STATUS_LABELS,
        "printed_at": datetime.now(timezone.utc), "kinds": {k: v.title for k, v in KINDS.items()}})


def report_filename(export: Export, candidate: Candidate) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"evaluation-{export.session.id}-{candidate.login}") + ".pdf"


def report_pdf(export: Export, candidate: Candidate) -> bytes:
    from sim.documents.rendering import html_to_pdf

    return html_to_pdf(report_html(export, candidate))
