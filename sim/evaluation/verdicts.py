"""The final evaluation: the machine's proposal with the evaluators' decisions applied.

``final(evaluation, entries)`` reads the automatic ``Evaluation`` (the engine's)
and the ``evaluation.*`` journal entries of the candidate's workspace (the
judgements, overrides and validations of sim/evaluation/judgements.py), in
journal order, the latest decision on a thing winning. Each expectation,
criterion and competence carries its automatic result, the human decision if
any (who, when, comment) and its final status. A criterion or a competence
that no one overrode, and one of whose expectations was decided, is rolled up
again from the final expectations with the scenario's rule (``scoring:``). A competence's verdict is final only once validated; after
that, later decisions on it or its expectations are ignored (the services
refuse them anyway).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sim.evaluation.result import (ACQUIRED, MET, MISSED, NOT_ACQUIRED, PARTLY, TO_JUDGE, CompetenceResult,
                                   CriterionResult, Evaluation, ExpectationResult, number)

JUDGED, OVERRIDDEN, VALIDATED = "evaluation.judged", "evaluation.overridden", "evaluation.validated"
KINDS = (JUDGED, OVERRIDDEN, VALIDATED)
DEFAULT_RULE = {"essential": "all", "min_pct": 50}


@dataclass(frozen=True)
class Decision:
    """One evaluator's entry: a judgement, an override or a validation."""

    kind: str
    seq: int  # its journal seq number in the candidate's journal
    actor: str  # "evaluator:<login>"
    at: datetime  # wall time
    status: str  # the new status (expectation, criterion) or verdict (competence)
    points: Decimal | None
    comment: str

    @property
    def who(self) -> str:
        return self.actor.partition(":")[2] or self.actor

    def to_json(self) -> dict:
        return {"kind": self.kind, "seq": self.seq, "actor": self.actor, "at": self.at.isoformat(),
                "status": self.status, "points": None if self.points is None else number(self.points),
                "comment": self.comment}


@dataclass(frozen=True)
class FinalExpectation:
    auto: ExpectationResult
    status: str
    points: Decimal
    decision: Decision | None = None  # the one in force
    history: tuple[Decision, ...] = ()

    id = property(lambda self: self.auto.id)
    criterion = property(lambda self: self.auto.criterion)
    cp = property(lambda self: self.auto.cp)
    max_points = property(lambda self: self.auto.max_points)

    def to_json(self) -> dict:
        return {"id": self.id, "criterion": self.criterion, "cp": self.cp, "auto_status": self.auto.status,
                "auto_points": number(self.auto.points), "status": self.status, "points": number(self.points),
                "max_points": number(self.max_points), "evidence": list(self.auto.evidence), "why": self.auto.why,
                "decision": self.decision.to_json() if self.decision else None}


@dataclass(frozen=True)
class FinalCriterion:
    auto: CriterionResult
    status: str
    points: Decimal
    decision: Decision | None = None
    history: tuple[Decision, ...] = ()

    id = property(lambda self: self.auto.id)
    cp = property(lambda self: self.auto.cp)
    text = property(lambda self: self.auto.text)
    max_points = property(lambda self: self.auto.max_points)

    def to_json(self) -> dict:
        return {"id": self.id, "cp": self.cp, "text": self.text, "auto_status": self.auto.status,
                "status": self.status, "points": number(self.points), "max_points": number(self.max_points),
                "decision": self.decision.to_json() if self.decision else None}


@dataclass(frozen=True)
class FinalCompetence:
    auto: CompetenceResult
    status: str  # the verdict in force: acquired | not_acquired | to_judge
    points: Decimal
    decision: Decision | None = None  # an override of the CP itself
    history: tuple[Decision, ...] = ()
    validation: Decision | None = None

    cp = property(lambda self: self.auto.cp)
    title = property(lambda self: self.auto.title)
    max_points = property(lambda self: self.auto.max_points)

    @property
    def validated(self) -> bool:
        return self.validation is not None

    @property
    def verdict(self) -> str | None:
        """The final verdict: only once an evaluator validated it."""
        return self.validation.status if self.validation else None

    def to_json(self) -> dict:
        return {"cp": self.cp, "title": self.title, "auto_proposed": self.auto.proposed, "status": self.status,
                "points": number(self.points), "max_points": number(self.max_points),
                "validated": self.validated, "verdict": self.verdict,
                "decision": self.decision.to_json() if self.decision else None,
                "validation": self.validation.to_json() if self.validation else None}


@dataclass(frozen=True)
class FinalEvaluation:
    evaluation: Evaluation
    expectations: tuple[FinalExpectation, ...]
    criteria: tuple[FinalCriterion, ...]
    competences: tuple[FinalCompetence, ...]
    decisions: tuple[Decision, ...] = field(default=())

    def expectation(self, expectation_id: str) -> FinalExpectation:
        return next(e for e in self.expectations if e.id == expectation_id)

    def criterion(self, criterion_id: str) -> FinalCriterion:
        return next(c for c in self.criteria if c.id == criterion_id)

    def competence(self, cp: str) -> FinalCompetence:
        return next(c for c in self.competences if c.cp == cp)

    @property
    def points(self) -> Decimal:
        return sum((e.points for e in self.expectations), Decimal(0))

    @property
    def max_points(self) -> Decimal:
        return sum((e.max_points for e in self.expectations), Decimal(0))

    @property
    def pending(self) -> list[FinalExpectation]:
        return [e for e in self.expectations if e.status == TO_JUDGE]

    @property
    def all_validated(self) -> bool:
        return all(c.validated for c in self.competences)

    def to_json(self) -> dict:
        return {"scenario": self.evaluation.scenario, "referential": self.evaluation.referential,
                "expectations": [e.to_json() for e in self.expectations],
                "criteria": [c.to_json() for c in self.criteria],
                "competences": [c.to_json() for c in self.competences],
                "points": number(self.points), "max_points": number(self.max_points),
                "journal_seq": self.evaluation.journal_seq}


def _field(entry, name):
    return entry[name] if isinstance(entry, dict) else getattr(entry, name)


def _decision(entry) -> Decision:
    payload = _field(entry, "payload")
    points = payload.get("points")
    status = payload.get("verdict") if _field(entry, "kind") == VALIDATED else payload.get("status")
    return Decision(kind=_field(entry, "kind"), seq=_field(entry, "seq"), actor=_field(entry, "actor"),
                    at=_field(entry, "wall_time"), status=status,
                    points=None if points is None else Decimal(points), comment=payload.get("comment", ""))


def rule_of(scenario: dict | None, cp: str) -> dict:
    """The scenario's roll-up rule for a CP (``scoring:``), as the engine reads it."""
    scoring = (scenario or {}).get("scoring") or {}
    return {**DEFAULT_RULE, **(scoring.get("default") or {}), **(scoring.get(cp) or {})}


def _passes(items: list[FinalExpectation], rule: dict, judged_full: bool) -> bool:
    points = sum((e.max_points if e.status == TO_JUDGE and judged_full else e.points for e in items), Decimal(0))
    maximum = sum((e.max_points for e in items), Decimal(0))
    if rule["essential"] == "all":
        for e in items:
            if e.auto.essential and not (e.status == MET or (e.status == TO_JUDGE and judged_full)):
                return False
    return maximum > 0 and points * 100 >= Decimal(str(rule["min_pct"])) * maximum


def _rolled_up_competence(items: list[FinalExpectation], rule: dict) -> str:
    """The engine's CP rule on the final expectations."""
    if _passes(items, rule, False):
        return ACQUIRED
    if not _passes(items, rule, True):
        return NOT_ACQUIRED
    return TO_JUDGE


def _rolled_up_criterion(items: list[FinalExpectation]) -> str:
    statuses = {e.status for e in items}
    if TO_JUDGE in statuses:
        return TO_JUDGE
    if statuses == {MET}:
        return MET
    if sum((e.points for e in items), Decimal(0)) == 0:
        return MISSED
    return PARTLY


def final(evaluation: Evaluation, entries, scenario: dict | None = None) -> FinalEvaluation:
    """The evaluation with the evaluators' decisions applied.

    ``entries``: the workspace's journal entries (JournalEntry rows or dicts with
    seq, kind, actor, wall_time, refs, payload); other kinds are skipped.
    ``scenario``: its ``scoring`` rules the CPs' roll-up (the engine's default without).
    """
    decisions = sorted((e for e in entries if _field(e, "kind") in KINDS), key=lambda e: _field(e, "seq"))
    cp_of_expectation = {e.id: e.cp for e in evaluation.expectations}
    cp_of_criterion = {c.id: c.cp for c in evaluation.criteria}
    on_expectation: dict[str, list[Decision]] = {}
    on_criterion: dict[str, list[Decision]] = {}
    on_cp: dict[str, list[Decision]] = {}
    validations: dict[str, Decision] = {}
    applied = []
    for entry in decisions:
        refs, kind = _field(entry, "refs"), _field(entry, "kind")
        decision = _decision(entry)
        if kind == VALIDATED:
            cp = refs.get("cp")
            if cp in validations or cp not in {c.cp for c in evaluation.competences}:
                continue
            validations[cp] = decision
        elif "expectation" in refs and refs["expectation"] in cp_of_expectation:
            if cp_of_expectation[refs["expectation"]] in validations:
                continue
            on_expectation.setdefault(refs["expectation"], []).append(decision)
        elif kind == OVERRIDDEN and "criterion" in refs and refs["criterion"] in cp_of_criterion:
            if cp_of_criterion[refs["criterion"]] in validations:
                continue
            on_criterion.setdefault(refs["criterion"], []).append(decision)
        elif kind == OVERRIDDEN and "cp" in refs:
            if refs["cp"] in validations:
                continue
            on_cp.setdefault(refs["cp"], []).append(decision)
        else:
            continue  # names nothing of this evaluation (an expectation since removed from the scenario)
        applied.append(decision)

    expectations = []
    for auto in evaluation.expectations:
        history = tuple(on_expectation.get(auto.id, ()))
        current = history[-1] if history else None
        status = current.status if current else auto.status
        points = current.points if current and current.points is not None else auto.points
        expectations.append(FinalExpectation(auto, status, points, current, history))

    criteria = []
    for auto in evaluation.criteria:
        mine = [e for e in expectations if e.criterion == auto.id]
        history = tuple(on_criterion.get(auto.id, ()))
        current = history[-1] if history else None
        touched = any(e.decision for e in mine)  # untouched: the engine's own roll-up stands
        status = current.status if current else (_rolled_up_criterion(mine) if touched else auto.status)
        criteria.append(FinalCriterion(auto, status, sum((e.points for e in mine), Decimal(0)), current, history))

    competences = []
    for auto in evaluation.competences:
        mine = [e for e in expectations if e.cp == auto.cp]
        history = tuple(on_cp.get(auto.cp, ()))
        current = history[-1] if history else None
        touched = any(e.decision for e in mine)
        status = current.status if current else (
            _rolled_up_competence(mine, rule_of(scenario, auto.cp)) if touched else auto.proposed)
        validation = validations.get(auto.cp)
        if validation is not None:
            status = validation.status
        competences.append(FinalCompetence(auto, status, sum((e.points for e in mine), Decimal(0)), current,
                                           history, validation))
    return FinalEvaluation(evaluation, tuple(expectations), tuple(criteria), tuple(competences), tuple(applied))
