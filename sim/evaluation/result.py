"""What an evaluation is: per expectation, per criterion, per competence (CP).

This is the contract the evaluator's engine (``sim/evaluation/engine.py``)
produces and that the evaluator views, the judgements and the exports read.
``to_json`` is the stable JSON shape documented in the README ("JSON
contract"): other tools read it, so fields are only ever added.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# an expectation's or a criterion's status
MET, PARTLY, MISSED, TO_JUDGE = "met", "partly", "missed", "to_judge"
STATUSES = (MET, PARTLY, MISSED, TO_JUDGE)
# a competence's proposed verdict
ACQUIRED, NOT_ACQUIRED = "acquired", "not_acquired"
PROPOSALS = (ACQUIRED, NOT_ACQUIRED, TO_JUDGE)


def number(value: Decimal) -> int | float:
    """Points in JSON: an integer when whole (2, not 2.0), else a decimal number."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class ExpectationResult:
    id: str
    criterion: str  # a criterion id of the referential, e.g. assistant-commercial/CP4/1
    cp: str  # "CP4"
    description: str
    status: str  # one of STATUSES
    points: Decimal  # 0 while to_judge
    max_points: Decimal
    evidence: tuple[int, ...]  # journal seq numbers, ascending
    why: str  # one sentence, French
    essential: bool = False
    judge: str = "auto"  # "auto" or "evaluator"

    def to_json(self) -> dict:
        return {"id": self.id, "criterion": self.criterion, "status": self.status,
                "points": number(self.points), "max_points": number(self.max_points),
                "evidence": list(self.evidence), "why": self.why,
                "cp": self.cp, "description": self.description, "essential": self.essential,
                "judge": self.judge}


@dataclass(frozen=True)
class CriterionResult:
    id: str
    cp: str
    text: str  # the REAC's wording
    status: str  # one of STATUSES
    points: Decimal
    max_points: Decimal

    def to_json(self) -> dict:
        return {"id": self.id, "cp": self.cp, "text": self.text, "status": self.status,
                "points": number(self.points), "max_points": number(self.max_points)}


@dataclass(frozen=True)
class CompetenceResult:
    cp: str
    title: str
    proposed: str  # one of PROPOSALS
    points: Decimal
    max_points: Decimal
    rule: str  # the roll-up rule as stated by the scenario, in French
    why: str  # one sentence, French

    def to_json(self) -> dict:
        return {"cp": self.cp, "title": self.title, "proposed": self.proposed, "points": number(self.points),
                "max_points": number(self.max_points), "rule": self.rule, "why": self.why}


@dataclass(frozen=True)
class Evaluation:
    scenario: str  # the scenario's id
    referential: str
    expectations: tuple[ExpectationResult, ...]
    criteria: tuple[CriterionResult, ...]
    competences: tuple[CompetenceResult, ...]
    auto_points: Decimal  # the automatic part: expectations judged by the machine
    auto_max_points: Decimal
    journal_seq: int  # the last journal entry read (the evaluation is of the journal up to there)
    extra: dict = field(default_factory=dict)

    def expectation(self, expectation_id: str) -> ExpectationResult:
        return next(e for e in self.expectations if e.id == expectation_id)

    def to_json(self) -> dict:
        return {"scenario": self.scenario, "referential": self.referential,
                "expectations": [e.to_json() for e in self.expectations],
                "criteria": [c.to_json() for c in self.criteria],
                "competences": [c.to_json() for c in self.competences],
                "auto_points": number(self.auto_points), "auto_max_points": number(self.auto_max_points),
                "journal_seq": self.journal_seq}
