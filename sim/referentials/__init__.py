"""Certification referentials: the REAC of each titre professionnel, as read-only data.

A referential lists the activités types, their compétences professionnelles
(``CP1``..``CPn``, numbered across activities as the REAC does) and, for each
competence, its performance criteria quoted verbatim from the REAC. Each
criterion has a stable id ``<referential>/<CP>/<n>`` (``assistant-commercial/CP4/1``)
that scenarios' expectations and evaluations refer to.

The data lives next to this module in ``<referential-id>.yaml``; sources and
conventions are given in each file's header.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from ruamel.yaml import YAML

REFERENTIALS = ("assistant-commercial", "conseiller-commercial")

_CRITERION_ID = re.compile(r"^(?P<referential>[a-z][a-z-]*)/(?P<cp>CP[1-9][0-9]*)/(?P<n>[1-9][0-9]*)$")


class UnknownReferentialItem(KeyError):
    """No referential, competence or criterion with that id (a KeyError with a readable message)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ReferentialDataError(ValueError):
    """A referential YAML file does not follow the expected structure."""


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str


@dataclass(frozen=True)
class Competence:
    id: str
    number: int
    title: str
    criteria: list[Criterion]
    description: str = ""


@dataclass(frozen=True)
class Activity:
    number: int
    title: str
    competences: list[Competence]


@dataclass(frozen=True)
class Referential:
    id: str
    title: str
    code: str | None
    level: int
    activities: list[Activity]
    _competences: dict[str, Competence] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {c.id: c for a in self.activities for c in a.competences}
        object.__setattr__(self, "_competences", by_id)

    @property
    def competences(self) -> list[Competence]:
        """All competences in REAC order (CP1, CP2, …)."""
        return list(self._competences.values())

    def competence(self, competence_id: str) -> Competence:
        """The competence ``CPn`` of this referential; KeyError if there is none."""
        try:
            return self._competences[competence_id]
        except KeyError:
            raise UnknownReferentialItem(
                f"unknown competence {competence_id!r} in referential {self.id!r} "
                f"(known: {', '.join(self._competences)})"
            ) from None

    @property
    def criteria(self) -> list[Criterion]:
        """All performance criteria, in REAC order."""
        return [k for c in self._competences.values() for k in c.criteria]


@cache
def load(referential_id: str) -> Referential:
    """The referential ``referential_id`` (one of ``REFERENTIALS``), read once and cached."""
    if referential_id not in REFERENTIALS:
        raise UnknownReferentialItem(
            f"unknown referential {referential_id!r} (known: {', '.join(REFERENTIALS)})"
        )
    resource = files(__name__) / f"{referential_id}.yaml"
    data = YAML(typ="safe", pure=True).load(resource.read_text(encoding="utf-8"))
    return _build(referential_id, data)


def criterion_ids(referential_id: str) -> set[str]:
    """The ids of every performance criterion of a referential."""
    return {k.id for k in load(referential_id).criteria}


def criterion(criterion_id: str) -> Criterion:
    """The criterion with this id, e.g. ``assistant-commercial/CP4/1``.

    Raises KeyError, naming the id, if the referential, the competence or the
    criterion does not exist.
    """
    match = _CRITERION_ID.match(criterion_id) if isinstance(criterion_id, str) else None
    if match is None:
        raise UnknownReferentialItem(
            f"malformed criterion id {criterion_id!r}: expected '<referential>/CP<n>/<n>', "
            "e.g. 'assistant-commercial/CP4/1'"
        )
    referential_id = match["referential"]
    if referential_id not in REFERENTIALS:
        raise UnknownReferentialItem(
            f"unknown criterion {criterion_id!r}: no referential {referential_id!r} "
            f"(known: {', '.join(REFERENTIALS)})"
        )
    referential = load(referential_id)
    try:
        competence = referential.competence(match["cp"])
    except KeyError:
        raise UnknownReferentialItem(
            f"unknown criterion {criterion_id!r}: {referential_id!r} has no competence "
            f"{match['cp']!r} (known: {', '.join(c.id for c in referential.competences)})"
        ) from None
    n = int(match["n"])
    if n > len(competence.criteria):
        raise UnknownReferentialItem(
            f"unknown criterion {criterion_id!r}: {referential_id}/{competence.id} has "
            f"{len(competence.criteria)} criteria"
        )
    return competence.criteria[n - 1]


# --- reading and checking the YAML ------------------------------------------------


def _build(referential_id: str, data: object) -> Referential:
    where = f"{referential_id}.yaml"
    top = _mapping(data, where, required={"id", "title", "code", "level", "activities"})
    if top["id"] != referential_id:
        raise ReferentialDataError(f"{where}: id is {top['id']!r}, expected {referential_id!r}")
    activities: list[Activity] = []
    expected_cp = 1
    for a_index, raw_activity in enumerate(_list(top["activities"], f"{where}: activities"), 1):
        a_where = f"{where}: activity {a_index}"
        act = _mapping(raw_activity, a_where, required={"number", "title", "competences"})
        if act["number"] != a_index:
            raise ReferentialDataError(f"{a_where}: number is {act['number']!r}, expected {a_index}")
        competences: list[Competence] = []
        for raw_competence in _list(act["competences"], f"{a_where}: competences"):
            cp_id = f"CP{expected_cp}"
            c_where = f"{where}: {cp_id}"
            comp = _mapping(
                raw_competence, c_where,
                required={"id", "number", "title", "criteria"}, optional={"description"},
            )
            if comp["id"] != cp_id or comp["number"] != expected_cp:
                raise ReferentialDataError(
                    f"{c_where}: found id {comp['id']!r} number {comp['number']!r}; competences "
                    "are numbered CP1..CPn continuously across activities"
                )
            criteria: list[Criterion] = []
            for n, raw_criterion in enumerate(_list(comp["criteria"], f"{c_where}: criteria"), 1):
                k_where = f"{c_where}: criterion {n}"
                crit = _mapping(raw_criterion, k_where, required={"id", "text"})
                expected_id = f"{referential_id}/{cp_id}/{n}"
                if crit["id"] != expected_id:
                    raise ReferentialDataError(
                        f"{k_where}: id is {crit['id']!r}, expected {expected_id!r}"
                    )
                criteria.append(Criterion(id=expected_id, text=_text(crit["text"], k_where)))
            if not criteria:
                raise ReferentialDataError(f"{c_where}: no criteria")
            competences.append(Competence(
                id=cp_id,
                number=expected_cp,
                title=_text(comp["title"], c_where),
                criteria=criteria,
                description=_text(comp.get("description") or "", c_where, allow_empty=True),
            ))
            expected_cp += 1
        activities.append(Activity(number=a_index, title=_text(act["title"], a_where),
                                   competences=competences))
    code = top["code"]
    if code is not None and not isinstance(code, str):
        raise ReferentialDataError(f"{where}: code must be a string or null")
    if not isinstance(top["level"], int):
        raise ReferentialDataError(f"{where}: level must be an integer")
    return Referential(
        id=referential_id,
        title=_text(top["title"], where),
        code=code,
        level=top["level"],
        activities=activities,
    )


def _mapping(
    value: object, where: str, *, required: set[str], optional: set[str] | None = None
) -> dict:
    if not isinstance(value, dict):
        raise ReferentialDataError(f"{where}: expected a mapping")
    missing = required - value.keys()
    unknown = value.keys() - required - (optional or set())
    if missing or unknown:
        raise ReferentialDataError(
            f"{where}: missing keys {sorted(missing)}, unknown keys {sorted(unknown)}"
        )
    return value


def _list(value: object, where: str) -> list:
    if not isinstance(value, list) or not value:
        raise ReferentialDataError(f"{where}: expected a non-empty list")
    return value


def _text(value: object, where: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise ReferentialDataError(f"{where}: expected a non-empty string, got {value!r}")
    return " ".join(value.split())
