"""The evaluator's word: judging an item, overriding a verdict, validating a CP.

Each decision is an append-only, signed journal entry of the evaluator
(``evaluator:<login>``) in the CANDIDATE's journal, never an edit: the chain
covers them and ``advsim journal verify`` checks them like any entry. They may
be written after the exam sealed the workspace: the caller opens
``UnitOfWork(workspace_id, judging=True)`` (``judging_uow``), which takes the
sealed workspace's lock and admits ``evaluation.*`` entries only; the seal hash
stays the hash of the ``session.ended`` entry. The engine ignores these kinds;
``sim.evaluation.verdicts.final`` applies them.

The caller commits. A refusal raises ValidationFailed (field → French message)
or SimError, and writes nothing.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from sim.db import UnitOfWork
from sim.errors import SimError, ValidationFailed
from sim.evaluation import verdicts
from sim.evaluation.result import ACQUIRED, MET, MISSED, NOT_ACQUIRED, PARTLY, TO_JUDGE, Evaluation, number
from sim.journal import service as journal
from sim.journal.models import JournalEntry
from sim.parsing import read_decimal, read_text

ITEM_STATUSES = {MET: "Atteint", PARTLY: "Partiellement atteint", MISSED: "Non atteint"}
CP_VERDICTS = {ACQUIRED: "Acquise", NOT_ACQUIRED: "Non acquise"}
COMMENT_MAX = 4000


class AlreadyValidated(SimError):
    def __init__(self, cp: str):
        super().__init__(f"La compétence {cp} est déjà validée : son verdict est définitif.")


def judging_uow(workspace_id: int, engine=None) -> UnitOfWork:
    """The unit of work a judgement is written in (open on a sealed workspace too)."""
    return UnitOfWork(workspace_id, engine=engine, judging=True)


def entries_of(uow) -> list[JournalEntry]:
    """The workspace's evaluation.* entries, in journal order."""
    return list(uow.session.scalars(select(JournalEntry).where(JournalEntry.kind.in_(verdicts.KINDS))
                                    .order_by(JournalEntry.seq)))


def _evaluator(actor: str) -> str:
    if not actor.startswith("evaluator:") and not actor.startswith(("trainer:", "admin:")):
        raise SimError("Seul un évaluateur (ou un formateur, un administrateur) juge une épreuve.")
    return actor


def _comment(raw, errors: dict, *, required: bool) -> str:
    text = read_text(raw, "comment", errors, label="Commentaire", max_length=COMMENT_MAX, multiline=True)
    if required and not errors.get("comment") and not text:
        errors["comment"] = "Commentaire : obligatoire pour corriger un verdict automatique (dites pourquoi)."
    return text or ""


def _status(raw, errors: dict, allowed: dict, key: str = "status") -> str:
    value = "" if raw is None else str(raw)
    if value not in allowed:
        errors[key] = "Statut : choisissez " + ", ".join(f"« {label} »" for label in allowed.values()) + "."
        return ""
    return value


def _points(raw, status: str, max_points: Decimal, errors: dict) -> Decimal | None:
    """Points coherent with the status: 0 when missed, the maximum when met, in between when partly."""
    shown = str(number(max_points)).replace(".", ",")
    default = {MET: str(max_points), MISSED: "0"}.get(status)
    points = read_decimal(raw, "points", errors, f"Points : nombre entre 0 et {shown} attendu.", default=default,
                          minimum=0, maximum=max_points, places=2)
    if points is None or errors.get("status"):
        return points
    if status == MET and points != max_points:
        errors["points"] = f"Points : une attente atteinte vaut ses {shown} points (sinon « partiellement »)."
    elif status == MISSED and points != 0:
        errors["points"] = "Points : une attente non atteinte vaut 0 point (sinon « partiellement »)."
    elif status == PARTLY and not 0 < points < max_points:
        errors["points"] = f"Points : « partiellement » vaut plus de 0 et moins de {shown} points."
    return points


def _open_cp(current: verdicts.FinalEvaluation, cp: str) -> None:
    if current.competence(cp).validated:
        raise AlreadyValidated(cp)


def _current(uow, evaluation: Evaluation, scenario: dict | None) -> verdicts.FinalEvaluation:
    return verdicts.final(evaluation, entries_of(uow), scenario)


def judge(uow, *, actor: str, evaluation: Evaluation, expectation_id: str, status, points, comment,
          scenario: dict | None = None) -> JournalEntry:
    """Judge an item the machine left to the evaluator (``judge: evaluator``): status, points, comment."""
    _evaluator(actor)
    errors: dict[str, str] = {}
    item = next((e for e in evaluation.expectations if e.id == expectation_id), None)
    if item is None or item.judge != "evaluator":
        raise ValidationFailed({"expectation": "Attente inconnue ou jugée automatiquement (corrigez-la plutôt)."})
    current = _current(uow, evaluation, scenario)
    _open_cp(current, item.cp)
    chosen = _status(status, errors, ITEM_STATUSES)
    value = _points(points, chosen, item.max_points, errors)
    text = _comment(comment, errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    return journal.append(uow, kind="evaluation.judged", actor=actor, refs={"expectation": item.id},
                          payload={"criterion": item.criterion, "status": chosen, "points": value,
                                   "max_points": item.max_points, "comment": text})


def parse_target(raw) -> tuple[str, str]:
    """'expectation:ID' | 'criterion:ID' | 'cp:CP4' → (what, id); ('', '') when it is none of them."""
    text = "" if raw is None else str(raw)
    what, _, ident = text.partition(":")
    if what in ("expectation", "criterion", "cp") and ident and len(ident) <= 200:
        return what, ident
    return "", ""


def override(uow, *, actor: str, evaluation: Evaluation, target, status, points, comment,
             scenario: dict | None = None) -> JournalEntry:
    """Override any automatic verdict (an expectation, a criterion, a CP), with a mandatory comment."""
    _evaluator(actor)
    errors: dict[str, str] = {}
    what, ident = parse_target(target)
    current = _current(uow, evaluation, scenario)
    previous, max_points, cp = None, None, None
    if what == "expectation":
        found = next((e for e in current.expectations if e.id == ident), None)
        if found is not None:
            previous, max_points, cp = found.status, found.max_points, found.cp
    elif what == "criterion":
        found = next((c for c in current.criteria if c.id == ident), None)
        if found is not None:
            previous, cp = found.status, found.cp
    elif what == "cp":
        found = next((c for c in current.competences if c.cp == ident), None)
        if found is not None:
            previous, cp = found.status, found.cp
    if previous is None:
        raise ValidationFailed({"target": "Choisissez une attente, un critère ou une compétence de l'évaluation."})
    _open_cp(current, cp)
    chosen = _status(status, errors, CP_VERDICTS if what == "cp" else ITEM_STATUSES)
    value = _points(points, chosen, max_points, errors) if what == "expectation" else None
    text = _comment(comment, errors, required=True)
    if errors:
        raise ValidationFailed(errors)
    return journal.append(uow, kind="evaluation.overridden", actor=actor, refs={what: ident},
                          payload={"previous": previous, "status": chosen, "points": value, "comment": text})


def validate(uow, *, actor: str, evaluation: Evaluation, cp, comment,
             scenario: dict | None = None) -> JournalEntry:
    """Make a CP's verdict final: the verdict in force, once nothing is left to judge. Once only."""
    _evaluator(actor)
    errors: dict[str, str] = {}
    current = _current(uow, evaluation, scenario)
    competence = next((c for c in current.competences if c.cp == str(cp or "")), None)
    if competence is None:
        raise ValidationFailed({"cp": "Compétence inconnue de cette évaluation."})
    _open_cp(current, competence.cp)
    pending = [e.id for e in current.expectations if e.cp == competence.cp and e.status == TO_JUDGE]
    if competence.status == TO_JUDGE:
        errors["cp"] = ("Verdict en attente : jugez d'abord " + ", ".join(pending) + "." if pending else
                        "Verdict en attente : corrigez le verdict de la compétence.")
    text = _comment(comment, errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    payload = {"verdict": competence.status, "points": competence.points, "max_points": competence.max_points}
    if text:
        payload["comment"] = text
    return journal.append(uow, kind="evaluation.validated", actor=actor, refs={"cp": competence.cp},
                          payload=payload)
