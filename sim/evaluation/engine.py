"""The evaluator's engine: a scenario's expectations scored against one workspace.

``evaluate(uow, workspace_id, scenario)`` reads only the workspace's journal and
its final state (a read-only unit of work is enough) and gives, per
expectation, a status (met / partly / missed / to_judge), points, evidence
(journal seq numbers) and one sentence of why; then the roll-ups per criterion
and per competence (CP) by the scenario's ``scoring`` rule. Same journal and
same final state, same result: nothing depends on the wall clock or on
database ids. The expectation language is described in the README
("Expectations and scoring") and checked by the linter (sim/scenario/loader.py).

Only the candidate's own entries (actor ``candidate:…``) count for a check
unless its ``where`` names an ``actor``; the evaluators' ``evaluation.*``
entries are never read.
"""
from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Text, cast, select

from sim.evaluation import mentions as facts
from sim.evaluation.result import (ACQUIRED, MET, MISSED, NOT_ACQUIRED, PARTLY, TO_JUDGE, CompetenceResult,
                                   CriterionResult, Evaluation, ExpectationResult)
from sim.journal.catalogue import KINDS
from sim.journal.models import JournalEntry
from sim.scenario.durations import parse_delay

CHECKS = ("journal", "sequence", "state", "message", "support", "dashboard", "judge")
# scenario entity kinds, and the field that is their business key
ENTITY_KEYS = {"customer": "code", "supplier": "code", "product": "reference", "order": "number",
               "invoice": "number", "quote": "number", "purchase_order": "number", "delivery": "number",
               "claim": "number", "project": "number"}
REMINDER_LEVELS = ("courtesy", "first", "phone", "second", "formal_notice", "escalated")
DEFAULT_RULE = {"essential": "all", "min_pct": 50}


class Entry:
    """One journal entry; its refs and payload are parsed from JSON when first read
    (most entries of a long journal are never looked at closely)."""

    __slots__ = ("seq", "time", "actor", "kind", "_refs", "_payload")

    def __init__(self, seq: int, time: datetime, actor: str, kind: str, refs, payload):
        self.seq, self.time, self.actor, self.kind = seq, time, actor, kind
        self._refs, self._payload = refs, payload

    @property
    def refs(self) -> dict:
        if isinstance(self._refs, str):
            self._refs = json.loads(self._refs) or {}
        return self._refs or {}

    @property
    def payload(self) -> dict:
        if isinstance(self._payload, str):
            self._payload = json.loads(self._payload) or {}
        return self._payload or {}


def _parse_time(text) -> datetime:
    return datetime.fromisoformat(str(text).replace(" ", "T"))


def _decimal(value) -> Decimal:
    return Decimal(str(value).replace(",", ".").replace(" ", ""))


# ===== the run being evaluated =============================================

class Run:
    """A workspace's journal (indexed by kind) and the keys of the scenario's named entities."""

    def __init__(self, uow, workspace_id: int):
        self.uow, self.workspace_id = uow, workspace_id
        rows = uow.session.execute(
            select(JournalEntry.seq, JournalEntry.sim_time, JournalEntry.actor, JournalEntry.kind,
                   cast(JournalEntry.refs, Text), cast(JournalEntry.payload, Text))
            .where(JournalEntry.workspace_id == workspace_id).order_by(JournalEntry.seq)).all()
        self.entries = [Entry(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows
                        if not r[3].startswith("evaluation.")]
        self.by_kind: dict[str, list[Entry]] = {}
        for entry in self.entries:
            self.by_kind.setdefault(entry.kind, []).append(entry)
        self.last_seq = rows[-1][0] if rows else 0
        self.fired: dict[str, Entry] = {}
        for entry in self.by_kind.get("scenario.event_fired", []):
            self.fired.setdefault(entry.refs.get("event"), entry)
        self._keys = None
        self._objects = {}

    def _load_entities(self):
        from sim.scenario.engine import MODELS, _late_model
        from sim.scenario.models import ScenarioEntity

        self._keys = {}
        for row in self.uow.session.scalars(select(ScenarioEntity).where(
                ScenarioEntity.workspace_id == self.workspace_id)):
            if row.kind not in ENTITY_KEYS:
                continue
            model = MODELS.get(row.kind) or _late_model(row.kind)
            obj = self.uow.session.get(model, row.ref_id)
            if obj is not None:
                self._keys[(row.kind, row.name)] = getattr(obj, ENTITY_KEYS[row.kind])
                self._objects[(row.kind, row.name)] = obj

    def key(self, kind: str, name: str) -> str | None:
        """The business key of the scenario's entity ``name`` (None: not created, e.g. its event never fired)."""
        if self._keys is None:
            self._load_entities()
        return self._keys.get((kind, name))

    def obj(self, kind: str, name: str):
        if self._keys is None:
            self._load_entities()
        return self._objects.get((kind, name))

    def kinds(self, pattern) -> list[str]:
        patterns = pattern if isinstance(pattern, list) else [pattern]
        present = set(self.by_kind) | set(KINDS)
        return sorted({k for k in present for p in patterns if fnmatch.fnmatchcase(k, p)})

    def of_kinds(self, kinds: list[str]) -> list[Entry]:
        if len(kinds) == 1:
            return self.by_kind.get(kinds[0], [])
        found = [e for k in kinds for e in self.by_kind.get(k, [])]
        found.sort(key=lambda e: e.seq)
        return found


# ===== patterns ==============================================================

def _same(actual, wanted) -> bool:
    if isinstance(wanted, bool) or isinstance(actual, bool):
        return actual is wanted if isinstance(wanted, bool) else False
    if isinstance(wanted, (int, float, Decimal)) or isinstance(actual, (int, float)):
        try:
            return _decimal(actual) == _decimal(wanted)
        except Exception:  # noqa: BLE001 - a text that is not a number is simply not equal
            return False
    return str(actual) == str(wanted)


class Pattern:
    """``{journal: KIND-or-PATTERN(s), where: {...}}``: which journal entries it matches."""

    def __init__(self, run: Run, spec: dict, *, candidate_only: bool):
        self.run = run
        self.kinds = run.kinds(spec["journal"])
        self.kind_set = frozenset(self.kinds)
        where = dict(spec.get("where") or {})
        self.actor = where.pop("actor", None)
        self.candidate_only = candidate_only and self.actor is None
        self.filters = []
        self.impossible = False
        for name, wanted in where.items():
            if name in ENTITY_KEYS and isinstance(wanted, str):
                key = run.key(name, wanted)
                if key is None:
                    key = wanted if not _looks_like_name(wanted) else None
                if key is None:
                    self.impossible = True  # an entity that does not exist: nothing can match it
                self.filters.append(("ref", name, key))
            elif name == "role":
                self.filters.append(("role", name, wanted))
            elif name.endswith(_BOUNDS):
                self.filters.append(("bound", name, wanted))
            else:
                self.filters.append(("field", name, wanted))

    def matches(self, entry: Entry) -> bool:
        if entry.kind not in self.kind_set:
            return False
        if self.candidate_only and not entry.actor.startswith("candidate"):
            return False
        if self.actor is not None and not (entry.actor == self.actor or entry.actor.startswith(self.actor + ":")):
            return False
        for how, name, wanted in self.filters:
            if how == "ref":
                if entry.refs.get(name) != wanted:
                    return False
            elif how == "role":
                if entry.payload.get("to_role", entry.payload.get("role")) != wanted:
                    return False
            elif how == "bound" and name not in entry.payload:
                if not _within_bound(entry.payload, name, wanted):
                    return False
            else:
                actual = entry.refs.get(name, entry.payload.get(name, _MISSING))
                if actual is _MISSING or not _same(actual, wanted):
                    return False
        return True

    def all(self) -> list[Entry]:
        if self.impossible:
            return []
        return [e for e in self.run.of_kinds(self.kinds) if self.matches(e)]

    def first(self) -> Entry | None:
        found = self.all()
        return found[0] if found else None


_MISSING = object()
_BOUNDS = ("_at_most", "_at_least")


def _within_bound(payload: dict, name: str, wanted) -> bool:
    """``FIELD_at_most: N`` / ``FIELD_at_least: N``: the payload's FIELD, a number or a
    list (its length), within the bound; a field that is absent or not a number is not."""
    suffix = next(s for s in _BOUNDS if name.endswith(s))
    actual = payload.get(name[: -len(suffix)], _MISSING)
    if isinstance(actual, (list, dict)):
        actual = len(actual)
    if actual is _MISSING or actual is None or isinstance(actual, bool) or isinstance(wanted, bool):
        return False
    try:
        value, limit = _decimal(actual), _decimal(wanted)
    except Exception:  # noqa: BLE001 - a text that is not a number is not within any bound
        return False
    return value <= limit if suffix == "_at_most" else value >= limit


def _looks_like_name(value: str) -> bool:
    """A scenario name (``durand``, ``galway_order``) rather than a business key (``C00042``, ``CO-2026-00027``)."""
    return re.fullmatch(r"[a-z][a-z0-9_]*", value) is not None


class Anchor:
    """Where ``before`` / ``after`` / ``within.of`` point: an event, a journal entry, or a sim time."""

    def __init__(self, run: Run, spec: dict):
        self.seq, self.time, self.label = None, None, ""
        if "event" in spec:
            fired = run.fired.get(spec["event"])
            self.label = f"l'événement « {spec['event']} »"
            if fired is not None:
                self.seq, self.time = fired.seq, fired.time
        elif "journal" in spec:
            found = Pattern(run, spec, candidate_only=False).first()
            self.label = f"« {spec['journal'] if isinstance(spec['journal'], str) else ', '.join(spec['journal'])} »"
            if found is not None:
                self.seq, self.time = found.seq, found.time
        else:
            self.time = _parse_time(spec["at"])
            self.label = f"le {self.time:%d/%m à %H:%M}"

    @property
    def happened(self) -> bool:
        return self.time is not None

    def is_before(self, entry: Entry) -> bool:
        """``entry`` comes before this anchor (an anchor that never happened is never reached)."""
        if self.seq is not None:
            return entry.seq < self.seq
        if self.time is not None:
            return entry.time < self.time
        return True

    def is_after(self, entry: Entry) -> bool:
        if self.seq is not None:
            return entry.seq > self.seq
        if self.time is not None:
            return entry.time >= self.time
        return False


class Timing:
    """An expectation's ``after`` (a filter) and ``before`` / ``within`` (on time, or late)."""

    def __init__(self, run: Run, spec: dict):
        self.after = Anchor(run, spec["after"]) if spec.get("after") else None
        self.before = Anchor(run, spec["before"]) if spec.get("before") else None
        self.within = None
        if spec.get("within"):
            self.within = (Anchor(run, spec["within"]["of"]), parse_delay(spec["within"]["delay"]),
                           spec["within"]["delay"])

    @property
    def timed(self) -> bool:
        return self.before is not None or self.within is not None

    def allowed(self, entry: Entry) -> bool:
        return self.after is None or self.after.is_after(entry)

    def on_time(self, entry: Entry) -> bool:
        if self.before is not None and not self.before.is_before(entry):
            return False
        if self.within is not None:
            anchor, delay, _ = self.within
            if not anchor.is_after(entry) or entry.time > anchor.time + delay:
                return False
        return True

    def describe(self) -> str:
        parts = []
        if self.before is not None:
            parts.append(f"avant {self.before.label}")
        if self.within is not None:
            parts.append(f"dans les {self.within[2]} après {self.within[0].label}")
        return " et ".join(parts)


# ===== one expectation =======================================================

@dataclass
class Outcome:
    status: str
    points: Decimal
    evidence: list[int]
    why: str


def _rules(spec: dict) -> list[dict]:
    rules = spec.get("partly")
    return [] if not rules else rules if isinstance(rules, list) else [rules]


def _conditions(rule: dict) -> list[str]:
    wanted = rule.get("if", [])
    return wanted if isinstance(wanted, list) else [wanted]


def _partly(spec: dict, failing: set[str]) -> Decimal | None:
    """The explicit partial credit covering every condition that failed, if the scenario grants one
    (the rules with a ``where`` of their own are for ``_relaxed``: they never cover the expectation's own pattern)."""
    if not failing:
        return None
    best = None
    for rule in _rules(spec):
        if "where" in rule:
            continue
        conditions = _conditions(rule)
        if failing <= set(conditions):
            points = _decimal(rule["points"])
            best = points if best is None or points > best else best
    return best


def _graded(spec: dict, max_points: Decimal, failing: set[str], evidence, done_why: str, fail_why: str) -> Outcome:
    credit = _partly(spec, failing)
    if credit is not None:
        return Outcome(PARTLY, credit, evidence, f"{fail_why} : crédit partiel de {facts_points(credit)} point(s).")
    return Outcome(MISSED, Decimal(0), evidence, f"{fail_why}.")


def facts_points(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def _never(run: Run, spec: dict) -> list[Entry]:
    found = []
    for item in spec.get("never") or []:
        found += Pattern(run, item, candidate_only=True).all()
    return sorted(found, key=lambda e: e.seq)


def _journal(run: Run, spec: dict, max_points: Decimal) -> Outcome:
    pattern = Pattern(run, {"journal": spec["journal"], "where": spec.get("where")}, candidate_only=True)
    timing = Timing(run, spec)
    count = spec.get("count") or {}
    low, high = int(count.get("min", 1)), count.get("max")
    matches = [e for e in pattern.all() if timing.allowed(e)]
    timely = [e for e in matches if timing.on_time(e)]
    what = spec["journal"] if isinstance(spec["journal"], str) else " ou ".join(spec["journal"])
    if high is not None and len(matches) > int(high):
        return Outcome(MISSED, Decimal(0), [e.seq for e in matches],
                       f"« {what} » {len(matches)} fois, {high} au plus attendu(s).")
    if len(timely) >= low:
        return Outcome(MET, max_points, [e.seq for e in timely],
                       f"« {what} » trouvé ({len(timely)} fois)" + (f", {timing.describe()}." if timing.timed else "."))
    if len(matches) >= low:
        return _graded(spec, max_points, {"late"}, [e.seq for e in matches], "",
                       f"« {what} » fait, mais pas {timing.describe()}")
    if matches:
        return _graded(spec, max_points, {"incomplete"}, [e.seq for e in matches], "",
                       f"« {what} » {len(matches)} fois sur {low} attendue(s)")
    relaxed = _relaxed(run, spec, timing, what)
    if relaxed is not None:
        return relaxed
    return Outcome(MISSED, Decimal(0), [], f"aucune entrée « {what} » du candidat correspondante.")


def _relaxed(run: Run, spec: dict, timing: Timing, what: str) -> Outcome | None:
    """``partly: {points: N, where: {…}}``: nothing matched the expectation's ``where``, but an
    entry matches the rule's own ``where`` (which replaces it): incomplete, and late if not on time;
    the rule covers ``incomplete`` and whatever its ``if`` adds. The best rule that applies counts."""
    best = None
    for rule in _rules(spec):
        if "where" not in rule:
            continue
        found = [e for e in Pattern(run, {"journal": spec["journal"], "where": rule["where"]},
                                    candidate_only=True).all() if timing.allowed(e)]
        if not found:
            continue
        timely = [e for e in found if timing.on_time(e)]
        failing = {"incomplete"} | (set() if timely else {"late"})
        if not failing <= {"incomplete", *_conditions(rule)}:
            continue
        points = _decimal(rule["points"])
        if best is None or points > best[0]:
            best = (points, [e.seq for e in (timely or found)], failing)
    if best is None:
        return None
    points, evidence, failing = best
    late = f", et pas {timing.describe()}" if "late" in failing else ""
    return Outcome(PARTLY, points, evidence, f"« {what} » trouvé, mais pas tel qu'attendu ({_where_text(spec)})"
                                             f"{late} : crédit partiel de {facts_points(points)} point(s).")


def _where_text(spec: dict) -> str:
    shown = {True: "true", False: "false"}
    return ", ".join(f"{k} : {shown.get(v, v) if isinstance(v, bool) else v}" for k, v in (spec.get("where") or {}).items())


def _sequence(run: Run, spec: dict, max_points: Decimal) -> Outcome:
    steps = [Pattern(run, step, candidate_only=True) for step in spec["sequence"]]
    timing = Timing(run, spec)
    kinds = sorted({k for s in steps for k in s.kinds})
    found: list[Entry] = []
    for entry in run.of_kinds(kinds):
        if len(found) == len(steps):
            break
        step = steps[len(found)]
        if step.impossible or not step.matches(entry):
            continue
        if not found and not timing.allowed(entry):
            continue
        found.append(entry)
    names = " puis ".join(str(s["journal"]) for s in spec["sequence"])
    evidence = [e.seq for e in found]
    if len(found) == len(steps):
        if timing.on_time(found[-1]):
            return Outcome(MET, max_points, evidence, f"étapes faites dans l'ordre : {names}.")
        return _graded(spec, max_points, {"late"}, evidence, "", f"étapes faites dans l'ordre, mais pas {timing.describe()}")
    if found:
        return _graded(spec, max_points, {"incomplete"}, evidence, "",
                       f"{len(found)} étape(s) sur {len(steps)} dans l'ordre ({names}) : "
                       f"« {spec['sequence'][len(found)]['journal']} » manque")
    return Outcome(MISSED, Decimal(0), [], f"aucune des étapes attendues ({names}).")


def _message_parties(run: Run, to: dict):
    if "role" in to:
        return lambda e: e.payload.get("to_role") == to["role"], f"à « {to['role']} »"
    kind = "customer" if "customer" in to else "supplier"
    key = run.key(kind, to[kind])
    return (lambda e: key is not None and e.refs.get(kind) == key), f"à « {to[kind]} »"


def _mention_ok(run: Run, text: str, mention: dict) -> tuple[bool, str]:
    (kind, value), = mention.items()
    if kind == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        return facts.mentions_date(text, day), f"la date du {day:%d/%m/%Y}"
    if kind == "amount":
        amount = _decimal(value)
        return facts.mentions_amount(text, amount), f"le montant {facts_points(amount)} €"
    if kind == "text":
        words = value if isinstance(value, list) else [value]
        return facts.mentions_text(text, words), f"« {' / '.join(words)} »"
    obj = run.obj(kind, value)
    if obj is None:
        return False, f"{kind} « {value} »"
    keys = [getattr(obj, ENTITY_KEYS[kind])]
    if kind == "order" and getattr(obj, "customer_po", ""):
        keys.append(obj.customer_po)
    return facts.mentions_key(text, keys), f"la référence {' ou '.join(keys)}"


def _message(run: Run, spec: dict, max_points: Decimal) -> Outcome:
    rule = spec["message"]
    party, who = _message_parties(run, rule["to"])
    timing = Timing(run, spec)
    sent = [e for e in run.by_kind.get("message.sent", [])
            if e.actor.startswith("candidate") and party(e) and timing.allowed(e)]
    if not sent:
        return Outcome(MISSED, Decimal(0), [], f"aucun courriel envoyé {who}.")
    best = None
    for entry in sent:
        text = f"{entry.payload.get('subject', '')}\n{entry.payload.get('text', '')}"
        gaps = []
        if rule.get("language"):
            found = facts.language_of(text)
            if found != rule["language"]:
                gaps.append(f"écrit en {({'fr': 'français', 'en': 'anglais'}).get(found, 'langue indécise')} "
                            f"au lieu de l'{({'fr': 'français', 'en': 'anglais'})[rule['language']]}")
        for mention in rule.get("mentions") or []:
            ok, label = _mention_ok(run, text, mention)
            if not ok:
                gaps.append(f"sans {label}")
        failing = set()
        if gaps:
            failing.add("incomplete")
        if not timing.on_time(entry):
            failing.add("late")
        rank = (len(failing), len(gaps), entry.seq)
        if best is None or rank < best[0]:
            best = (rank, entry, failing, gaps)
        if not failing:
            break  # the first message that does it all: no later one can do better
    _, entry, failing, gaps = best
    if not failing:
        return Outcome(MET, max_points, [entry.seq], f"courriel {who} conforme"
                       + (f", {timing.describe()}." if timing.timed else "."))
    reasons = list(gaps)
    if "late" in failing:
        reasons.append(f"pas {timing.describe()}")
    return _graded(spec, max_points, failing, [entry.seq], "", f"courriel {who} " + ", ".join(reasons))


_SUPPORT_KINDS_FR = {"offer": "offre", "newsletter": "lettre d'information", "invitation": "invitation",
                     "social_post": "publication"}
_CHANNELS_FR = {"email": "courriel", "website": "site web", "social": "réseau social", "leaflet": "prospectus"}
SEGMENT_FIELDS = ("status", "kind", "country", "language", "exclude_litigation")


def _one_of(value) -> list:
    return value if isinstance(value, list) else [value]


def _segment_gaps(payload: dict, wanted: dict) -> list[str]:
    filters = payload.get("filters") or {}
    gaps = []
    for name in SEGMENT_FIELDS:
        if name in wanted and not any(_same(filters.get(name, ""), w) for w in _one_of(wanted[name])):
            gaps.append(f"segment « {name} » = « {filters.get(name) or 'tous'} » au lieu de "
                        f"« {' ou '.join(str(w) for w in _one_of(wanted[name]))} »")
    if "inactive_months_at_least" in wanted and int(filters.get("inactive_months") or 0) \
            < int(wanted["inactive_months_at_least"]):
        gaps.append(f"inactivité de {filters.get('inactive_months') or 0} mois au lieu d'au moins "
                    f"{wanted['inactive_months_at_least']}")
    if "recipients_at_least" in wanted and int(payload.get("recipients") or 0) < int(wanted["recipients_at_least"]):
        gaps.append(f"{payload.get('recipients') or 0} destinataire(s) au lieu d'au moins "
                    f"{wanted['recipients_at_least']}")
    return gaps


def _support(run: Run, spec: dict, max_points: Decimal) -> Outcome:
    """``support: {kind, channel, request, segment, within_limits, language, mentions}``: a published support."""
    rule = spec["support"]
    timing = Timing(run, spec)
    kinds, channels = _one_of(rule.get("kind") or []), _one_of(rule.get("channel") or [])
    what = " / ".join([*(_SUPPORT_KINDS_FR.get(k, k) for k in kinds),
                       *(_CHANNELS_FR.get(c, c) for c in channels)]) or "support"
    published = [e for e in run.by_kind.get("support.published", [])
                 if e.actor.startswith("candidate") and timing.allowed(e)
                 and (not kinds or e.payload.get("kind") in kinds)
                 and (not channels or e.payload.get("channel") in channels)
                 and (not rule.get("request") or e.refs.get("event") == rule["request"])]
    if not published:
        return Outcome(MISSED, Decimal(0), [], f"aucun support publié ({what}).")
    best = None
    for entry in published:
        payload = entry.payload
        gaps = _segment_gaps(payload, rule.get("segment") or {})
        if rule.get("within_limits") and payload.get("advice_not_met"):
            from sim.communication.channels import label_of

            gaps.append("limites du canal non respectées (" + " ; ".join(
                label_of(payload.get("channel", ""), code) for code in payload["advice_not_met"]) + ")")
        text = f"{payload.get('title', '')}\n{payload.get('text', '')}"
        if rule.get("language"):
            found = facts.language_of(text)
            if found != rule["language"]:
                gaps.append(f"écrit en {({'fr': 'français', 'en': 'anglais'}).get(found, 'langue indécise')}")
        for mention in rule.get("mentions") or []:
            ok, label = _mention_ok(run, text, mention)
            if not ok:
                gaps.append(f"sans {label}")
        failing = ({"incomplete"} if gaps else set()) | (set() if timing.on_time(entry) else {"late"})
        rank = (len(failing), len(gaps), entry.seq)
        if best is None or rank < best[0]:
            best = (rank, entry, failing, gaps)
        if not failing:
            break
    _, entry, failing, gaps = best
    number = entry.refs.get("support", "")
    if not failing:
        return Outcome(MET, max_points, [entry.seq], f"support {number} ({what}) conforme"
                       + (f", {timing.describe()}." if timing.timed else "."))
    reasons = list(gaps) + ([f"pas {timing.describe()}"] if "late" in failing else [])
    return _graded(spec, max_points, failing, [entry.seq], "", f"support {number} ({what}) : " + ", ".join(reasons))


_PANEL_WORDS = {"measure": "l'indicateur", "rows": "l'axe", "columns": "la répartition", "from_month": "la période",
                "to_month": "la période", "sort": "le tri", "chart": "le graphique"}
_CORE = ("measure", "rows", "columns", "from_month", "to_month")  # what the figures are; the rest is how they read


def _panel_gaps(panel: dict, wanted: dict) -> list[str]:
    gaps = []
    for key, value in wanted.items():
        allowed = [str(v) for v in (value if isinstance(value, list) else [value])]
        if str(panel.get(key, "")) not in allowed:
            gaps.append(f"{_PANEL_WORDS[key]} « {panel.get(key) or 'aucun'} » au lieu de « {' ou '.join(allowed)} »")
    return list(dict.fromkeys(gaps))


def _dashboard(run: Run, spec: dict, max_points: Decimal) -> Outcome:
    """The dashboards the candidate sent (``dashboard.sent``): one with a panel of the
    wanted measure, axis and period (else missed), and its sort and chart (else
    incomplete), with a commentary of enough words (else incomplete), on time."""
    rule = spec["dashboard"]
    timing = Timing(run, spec)
    wanted = rule.get("panel") or {}
    core = {k: v for k, v in wanted.items() if k in _CORE}
    form = {k: v for k, v in wanted.items() if k not in _CORE}
    sent = [e for e in run.by_kind.get("dashboard.sent", [])
            if e.actor.startswith("candidate") and timing.allowed(e)]
    if not sent:
        return Outcome(MISSED, Decimal(0), [], "aucun tableau de bord envoyé à la direction.")
    best = None
    for entry in sent:
        panels = entry.payload.get("panels") or []
        candidates = [p for p in panels if not _panel_gaps(p, core)] if core else [{}]
        if not candidates:
            continue
        gaps = min((_panel_gaps(p, form) for p in candidates), key=len) if form else []
        words = len(re.findall(r"\w+", entry.payload.get("commentary") or ""))
        if rule.get("commentary_min_words") and words < int(rule["commentary_min_words"]):
            gaps = gaps + [f"commentaire de {words} mot(s), {rule['commentary_min_words']} au moins attendus"]
        failing = ({"incomplete"} if gaps else set()) | (set() if timing.on_time(entry) else {"late"})
        rank = (len(failing), len(gaps), entry.seq)
        if best is None or rank < best[0]:
            best = (rank, entry, failing, gaps)
    what = ", ".join(f"{k} = {v}" for k, v in core.items()) or "le tableau de bord"
    if best is None:
        return Outcome(MISSED, Decimal(0), [e.seq for e in sent],
                       f"tableau de bord envoyé, mais sans graphique {what}.")
    _, entry, failing, gaps = best
    if not failing:
        shown = ", ".join(f"{k} = {v}" for k, v in wanted.items()) or what
        return Outcome(MET, max_points, [entry.seq], f"tableau de bord {entry.refs.get('dashboard')} conforme ({shown})"
                       + (f", {timing.describe()}." if timing.timed else "."))
    reasons = list(gaps) + ([f"pas {timing.describe()}"] if "late" in failing else [])
    return _graded(spec, max_points, failing, [entry.seq], "",
                   f"tableau de bord {entry.refs.get('dashboard')} ({what}) : " + ", ".join(reasons))


def _state(run: Run, spec: dict, max_points: Decimal) -> Outcome:
    from sim.billing.models import CreditNote, Invoice
    from sim.crm.models import Customer
    from sim.receivables.models import Reminder

    rule = spec["state"]
    session = run.uow.session
    entity = next(k for k in ("invoice", "order", "product", "customer", "credit_note") if k in rule)
    failures, evidence_key = [], None
    if entity == "credit_note":
        owner_kind, owner_name = next(iter(rule["credit_note"].items()))
        owner = run.obj(owner_kind, owner_name)
        column = CreditNote.customer_id if owner_kind == "customer" else CreditNote.invoice_id
        notes = list(session.scalars(select(CreditNote).where(CreditNote.workspace_id == run.workspace_id,
                                                              column == owner.id))) if owner else []
        total = sum((n.total_ttc for n in notes), Decimal(0))
        label = f"avoirs de « {owner_name} »"
        if not notes:
            failures.append("aucun avoir")
        if "total_at_most" in rule and total > _decimal(rule["total_at_most"]):
            failures.append(f"total {facts_points(total)} € > {rule['total_at_most']} €")
        if "total_at_least" in rule and total < _decimal(rule["total_at_least"]):
            failures.append(f"total {facts_points(total)} € < {rule['total_at_least']} €")
        keys = {n.number for n in notes}
        evidence = [e.seq for e in run.by_kind.get("credit_note.issued", []) if e.refs.get("credit_note") in keys]
    else:
        name = rule[entity]
        obj = run.obj(entity, name)
        label = f"« {name} »"
        if obj is None:
            return Outcome(MISSED, Decimal(0), [], f"{label} n'existe pas à la fin de l'épreuve.")
        evidence_key = getattr(obj, ENTITY_KEYS[entity])
        if "status" in rule:
            wanted = rule["status"] if isinstance(rule["status"], list) else [rule["status"]]
            statuses = {obj.status}
            if entity == "invoice" and session.get(Customer, obj.customer_id).in_litigation:
                statuses.add("litigation")
            if not statuses & set(wanted):
                failures.append(f"statut « {obj.status} » au lieu de « {' ou '.join(wanted)} »")
        if "amount_due_at_most" in rule and obj.amount_due > _decimal(rule["amount_due_at_most"]):
            failures.append(f"reste dû {facts_points(obj.amount_due)} € > {rule['amount_due_at_most']} €")
        if "stock_at_least" in rule and obj.stock_on_hand < _decimal(rule["stock_at_least"]):
            failures.append(f"stock {facts_points(obj.stock_on_hand)} < {rule['stock_at_least']}")
        if "stock_at_most" in rule and obj.stock_on_hand > _decimal(rule["stock_at_most"]):
            failures.append(f"stock {facts_points(obj.stock_on_hand)} > {rule['stock_at_most']}")
        if "in_litigation" in rule and bool(obj.in_litigation) is not bool(rule["in_litigation"]):
            failures.append("en litige" if obj.in_litigation else "pas en litige")
        if "reminder_level_at_least" in rule:
            levels = session.scalars(select(Reminder.level).where(Reminder.workspace_id == run.workspace_id,
                                                                  Reminder.customer_id == obj.id)).all()
            reached = max((REMINDER_LEVELS.index(l) for l in levels if l in REMINDER_LEVELS), default=-1)
            if reached < REMINDER_LEVELS.index(rule["reminder_level_at_least"]):
                failures.append(f"relance au niveau « {REMINDER_LEVELS[reached] if reached >= 0 else 'aucune'} »")
        evidence = [e.seq for e in run.entries if e.refs.get(entity) == evidence_key][-5:]
    if failures:
        return Outcome(MISSED, Decimal(0), evidence, f"à la fin, {label} : " + ", ".join(failures) + ".")
    return Outcome(MET, max_points, evidence, f"à la fin, {label} est dans l'état attendu.")


def _judge(run: Run, spec: dict) -> Outcome:
    evidence = sorted({e.seq for item in spec.get("evidence") or []
                       for e in Pattern(run, item, candidate_only=True).all()})
    return Outcome(TO_JUDGE, Decimal(0), evidence,
                   f"à juger par l'évaluateur ({len(evidence)} pièce(s) rassemblée(s)).")


def check(run: Run, spec: dict) -> Outcome:
    """One expectation against the run."""
    max_points = _decimal(spec["points"])
    if spec.get("judge"):
        return _judge(run, spec)
    if "journal" in spec:
        outcome = _journal(run, spec, max_points)
    elif "sequence" in spec:
        outcome = _sequence(run, spec, max_points)
    elif "message" in spec:
        outcome = _message(run, spec, max_points)
    elif "support" in spec:
        outcome = _support(run, spec, max_points)
    elif "dashboard" in spec:
        outcome = _dashboard(run, spec, max_points)
    else:
        outcome = _state(run, spec, max_points)
    violations = _never(run, spec)
    if violations:
        kinds = ", ".join(sorted({e.kind for e in violations}))
        return Outcome(MISSED, Decimal(0), [e.seq for e in violations],
                       f"interdit mais fait : {kinds} (entrée n° {violations[0].seq}).")
    return outcome


# ===== roll-ups ==============================================================

def _rule(scenario: dict, cp: str) -> dict:
    scoring = scenario.get("scoring") or {}
    return {**DEFAULT_RULE, **(scoring.get("default") or {}), **(scoring.get(cp) or {})}


def _rule_text(rule: dict) -> str:
    essential = "toutes les attentes essentielles atteintes et " if rule["essential"] == "all" else ""
    return f"{essential}au moins {rule['min_pct']} % des points"


def _passes(results: list[ExpectationResult], rule: dict, judged_full: bool) -> bool:
    points = sum((r.max_points if r.status == TO_JUDGE and judged_full else r.points for r in results), Decimal(0))
    maximum = sum((r.max_points for r in results), Decimal(0))
    if rule["essential"] == "all":
        for r in results:
            if r.essential and not (r.status == MET or (r.status == TO_JUDGE and judged_full)):
                return False
    return maximum > 0 and points * 100 >= _decimal(rule["min_pct"]) * maximum


def _competence(cp, results: list[ExpectationResult], rule: dict) -> CompetenceResult:
    points = sum((r.points for r in results), Decimal(0))
    maximum = sum((r.max_points for r in results), Decimal(0))
    high, low = _passes(results, rule, True), _passes(results, rule, False)
    pending = [r for r in results if r.status == TO_JUDGE]
    essential_missed = [r.id for r in results if r.essential and r.status in (MISSED, PARTLY)]
    pct = f"{facts_points(points)}/{facts_points(maximum)} points automatiques"
    if low:
        proposed, why = ACQUIRED, f"{pct} : la règle est satisfaite" + (
            " quel que soit le jugement restant." if pending else ".")
    elif not high:
        proposed = NOT_ACQUIRED
        why = (f"attente(s) essentielle(s) manquée(s) : {', '.join(essential_missed)}." if essential_missed
               and rule["essential"] == "all" else f"{pct} : en dessous de {rule['min_pct']} % même au mieux.")
    else:
        proposed = TO_JUDGE
        why = f"{pct} : dépend de {len(pending)} attente(s) à juger ({', '.join(r.id for r in pending)})."
    return CompetenceResult(cp=cp.id, title=cp.title, proposed=proposed, points=points, max_points=maximum,
                            rule=_rule_text(rule), why=why)


def _criterion_status(results: list[ExpectationResult]) -> str:
    statuses = {r.status for r in results}
    if TO_JUDGE in statuses:
        return TO_JUDGE
    if statuses == {MET}:
        return MET
    if sum((r.points for r in results), Decimal(0)) == 0:
        return MISSED
    return PARTLY


def evaluate(uow, workspace_id: int, scenario: dict) -> Evaluation:
    """The evaluation of ``workspace_id`` against ``scenario``'s expectations (a read-only ``uow`` will do)."""
    from sim.referentials import criterion as criterion_of
    from sim.referentials import load as load_referential

    run = Run(uow, workspace_id)
    referential = load_referential(scenario["referential"])
    results = []
    for spec in scenario.get("expectations") or []:
        outcome = check(run, spec)
        cp = spec["criterion"].split("/")[1]
        results.append(ExpectationResult(
            id=spec["id"], criterion=spec["criterion"], cp=cp, description=spec.get("description", ""),
            status=outcome.status, points=outcome.points, max_points=_decimal(spec["points"]),
            evidence=tuple(sorted(set(outcome.evidence))), why=outcome.why[:1].upper() + outcome.why[1:],
            essential=bool(spec.get("essential", False)), judge="evaluator" if spec.get("judge") else "auto"))
    order = {k.id: i for i, k in enumerate(referential.criteria)}
    criteria = []
    for criterion_id in sorted({r.criterion for r in results}, key=lambda c: order.get(c, 10**6)):
        mine = [r for r in results if r.criterion == criterion_id]
        criteria.append(CriterionResult(
            id=criterion_id, cp=mine[0].cp, text=criterion_of(criterion_id).text, status=_criterion_status(mine),
            points=sum((r.points for r in mine), Decimal(0)), max_points=sum((r.max_points for r in mine), Decimal(0))))
    competences = []
    for cp in referential.competences:
        mine = [r for r in results if r.cp == cp.id]
        if mine:
            competences.append(_competence(cp, mine, _rule(scenario, cp.id)))
    auto = [r for r in results if r.judge == "auto"]
    return Evaluation(scenario=scenario.get("id", ""), referential=scenario["referential"],
                      expectations=tuple(results), criteria=tuple(criteria), competences=tuple(competences),
                      auto_points=sum((r.points for r in auto), Decimal(0)),
                      auto_max_points=sum((r.max_points for r in auto), Decimal(0)), journal_seq=run.last_seq)


def scenario_of(uow_or_engine, workspace_id: int) -> dict:
    """The scenario a workspace is scored against: its exam session's ``scenario_source``, parsed
    (practice runs included). LookupError when the workspace belongs to no session."""
    from sim.db import UnitOfWork
    from sim.exam.models import ExamSession
    from sim.scenario.loader import ScenarioInvalid, lint_text
    from sim.workspace.models import Workspace

    def read(uow):
        workspace = uow.session.get(Workspace, workspace_id)
        if workspace is None or workspace.exam_session_id is None:
            raise LookupError(f"l'espace {workspace_id} n'appartient à aucune session d'examen")
        session = uow.session.get(ExamSession, workspace.exam_session_id)
        return session.scenario_name, session.scenario_source

    if isinstance(uow_or_engine, UnitOfWork):
        name, source = read(uow_or_engine)
    else:
        with UnitOfWork(workspace_id, engine=uow_or_engine, write=False) as uow:
            name, source = read(uow)
    result = lint_text(source, name)
    if result.data is None or not isinstance(result.data, dict):
        raise ScenarioInvalid(result.problems)
    return result.data
