"""``advsim scenario run``: play a whole scenario at full speed on a virtual
clock, in a throw-away SQLite database, with a scripted candidate.

The events fire through the engine the live sessions use (``fire_due``); the
clock is the workspace's, paused and moved from one due time to the next.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from sim.db import UnitOfWork, make_engine
from sim.scenario.durations import parse_delay
from sim.scenario.loader import Problem, ScenarioInvalid


@dataclass
class DryRun:
    scenario: dict
    entries: list[dict] = field(default_factory=list)
    chain_ok: bool = False
    errors: list[str] = field(default_factory=list)  # refused actions, one line each (as printed)
    # what did not happen, and why (French): {"event", "kind", "at", "reason"}
    failed_events: list[dict] = field(default_factory=list)
    unfired_events: list[dict] = field(default_factory=list)
    # {"action" (1-based), "line", "do", "at", "reason"}
    refused_actions: list[dict] = field(default_factory=list)
    unrun_actions: list[dict] = field(default_factory=list)
    install_error: str = ""
    evaluation: object = None  # sim.evaluation.result.Evaluation of the run (None if it could not be played)

    @property
    def ok(self) -> bool:
        """Every event fired, every scripted action was accepted, the chain verifies."""
        return (self.chain_ok and not self.install_error and not self.failed_events and not self.unfired_events
                and not self.refused_actions and not self.unrun_actions)


def _parse(text) -> datetime:
    return datetime.fromisoformat(str(text).replace(" ", "T"))


def load_script(path: str | Path, scenario_path: str | Path | None = None) -> list[dict]:
    """The candidate script as plain actions (each with ``_line``), or
    ``ScenarioInvalid`` with every problem the linter finds (against its scenario)."""
    from sim.scenario.loader import lint_script_file

    result = lint_script_file(path, scenario_path)
    if result.problems:
        raise ScenarioInvalid(result.problems)
    return [dict(action, _line=line) for action, line in zip(result.data, result.lines)]


def check(scenario_path: str | Path, script_path: str | Path | None = None) -> tuple[dict, list[dict]]:
    """Both files linted (every problem of both), before anything is played."""
    from sim.scenario.loader import lint_file, lint_script_file

    scenario = lint_file(scenario_path)
    problems = list(scenario.problems)
    if scenario.ok and isinstance(scenario.data, list):
        problems.append(Problem(str(scenario_path), 1, 1, "c'est un script de candidat, pas un scénario "
                                                          "(advsim scenario run SCÉNARIO --candidate SCRIPT)"))
    script = []
    if script_path:
        result = lint_script_file(script_path, scenario_path if scenario.ok else None)
        problems += result.problems
        if result.ok:
            script = [dict(action, _line=line) for action, line in zip(result.data, result.lines)]
    if problems:
        raise ScenarioInvalid(problems)
    return scenario.data, script


def run(scenario_path: str | Path, script_path: str | Path | None = None, *, workdir: str | None = None) -> DryRun:
    from seed.company import SIZES
    from sim.clock import set_clock, sim_now
    from sim.journal.models import JournalEntry
    from sim.journal.service import verify_chain
    from sim.migrations import upgrade
    from sim.scenario.candidate import perform
    from sim.scenario.engine import arm_triggers, fire_due, install, next_due
    from sim.scenario.models import ScenarioEvent
    from sim.workspace.models import Workspace
    from sim.workspace.service import create_workspace

    scenario, script = check(scenario_path, script_path)
    folder = Path(workdir or tempfile.mkdtemp(prefix="advsim-dryrun-"))
    url = f"sqlite:///{folder / 'dryrun.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    result = DryRun(scenario)
    try:
        size = SIZES[scenario["company"].get("size", "default")]
        with UnitOfWork(engine=engine) as uow:
            workspace = create_workspace(uow, name=f"Essai — {scenario['title']}", owner_id=None,
                                         seed=scenario["company"]["seed"], size=size, actor="dryrun",
                                         sim_start=_parse(scenario["start"]))
            uow.commit()
        ws = workspace.id
        try:
            with UnitOfWork(ws, engine=engine) as uow:
                install(uow, scenario)
                uow.commit()
        except Exception as exc:  # noqa: BLE001 - reported as the run's failure, not a traceback
            result.install_error = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            return result
        start = _parse(scenario["start"])
        end = start + timedelta(days=scenario["duration_days"])
        pending = [dict(a, _n=i) for i, a in enumerate(script)]

        def action_time(uow, action) -> datetime | None:
            if "at" in action:
                return _parse(action["at"])
            after = action["after"]
            fired = uow.session.scalar(select(ScenarioEvent.fired_at).where(ScenarioEvent.key == after["event"]))
            if fired is None:
                return None
            return fired + (parse_delay(after["delay"]) if after.get("delay") else timedelta(0))

        while True:
            with UnitOfWork(ws, engine=engine) as uow:
                arm_triggers(uow)
                uow.commit()
                event_at = next_due(uow)
                timed = sorted(((t, a["_n"], a) for a in pending if (t := action_time(uow, a)) is not None),
                               key=lambda x: (x[0], x[1]))
            action_at = timed[0][0] if timed else None
            candidates = [t for t in (event_at, action_at) if t is not None]
            if not candidates or min(candidates) > end:
                break
            moment = min(candidates)
            with UnitOfWork(ws, engine=engine) as uow:
                set_clock(uow, sim_time=max(moment, sim_now(uow)), speed=0)
                uow.commit()
            if event_at is not None and event_at <= moment:  # at the same minute, the world acts first
                fire_due(engine, ws)
                continue
            action = timed[0][2]
            pending.remove(action)
            with UnitOfWork(ws, engine=engine) as uow:
                try:
                    perform(uow, {k: v for k, v in action.items() if not k.startswith("_")})
                    uow.commit()
                except Exception as exc:  # noqa: BLE001 - a refused action is reported with its reason
                    reason = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
                    result.errors.append(f"{moment:%d/%m %H:%M} {action['do']} : {reason}")
                    result.refused_actions.append({"action": action["_n"] + 1, "line": action.get("_line"),
                                                   "do": action["do"], "at": moment.isoformat(timespec="minutes"),
                                                   "reason": reason})
        _what_did_not_happen(engine, ws, result, pending, end)
        with UnitOfWork(ws, engine=engine, write=False) as uow:
            for e in uow.session.scalars(select(JournalEntry).order_by(JournalEntry.seq)):
                result.entries.append({"seq": e.seq, "sim_time": e.sim_time.isoformat(timespec="minutes"),
                                       "actor": e.actor, "kind": e.kind, "version": e.version, "refs": e.refs,
                                       "payload": e.payload})
            result.chain_ok = verify_chain(uow.session, uow.session.get(Workspace, ws)).ok
            from sim.evaluation.engine import evaluate

            result.evaluation = evaluate(uow, ws, scenario)
    finally:
        engine.dispose()
    return result


def _trigger(event) -> str:
    if event.after_key:
        return f"après « {event.after_key} »"
    if event.when:
        return "quand " + ", ".join(f"{k}={v}" for k, v in event.when.items() if k != "delay")
    return "à heure fixe"


def _what_did_not_happen(engine, ws: int, result: DryRun, pending: list[dict], end: datetime) -> None:
    """The failed events with their reasons, then every event and scripted
    action that could then not happen, and why."""
    from sim.scenario.models import EventStatus, ScenarioEvent

    with UnitOfWork(ws, engine=engine, write=False) as uow:
        events = {e.key: e for e in uow.session.scalars(select(ScenarioEvent).order_by(ScenarioEvent.position))}

    def why(key: str, seen=()) -> str:
        """Why the event ``key`` never fired (it is pending)."""
        event = events[key]
        if event.after_key and event.after_key in events and event.after_key not in seen:
            before = events[event.after_key]
            if before.status == EventStatus.FAILED:
                return f"suit « {before.key} », qui a échoué"
            if before.status == EventStatus.PENDING:
                return f"suit « {before.key} », qui n'a pas eu lieu ({why(before.key, (*seen, key))})"
        if event.due_at is not None and event.due_at > end:
            return f"prévu le {event.due_at:%d/%m/%Y à %H:%M}, après la fin du scénario ({end:%d/%m/%Y %H:%M})"
        if event.when:
            return ("son déclencheur ne s'est pas produit (when: "
                    + ", ".join(f"{k}={v}" for k, v in event.when.items()) + ")")
        return "jamais dû"

    for event in events.values():
        at = event.due_at.isoformat(timespec="minutes") if event.due_at else None
        if event.status == EventStatus.FAILED:
            result.failed_events.append({"event": event.key, "kind": event.kind, "at": at, "reason": event.error})
        elif event.status == EventStatus.PENDING:
            result.unfired_events.append({"event": event.key, "kind": event.kind, "at": at, "reason": why(event.key)})
    for action in sorted(pending, key=lambda a: a["_n"]):
        if "after" in action and action["after"]["event"] in events:
            before = events[action["after"]["event"]]
            if before.status == EventStatus.FAILED:
                reason = f"suit l'événement « {before.key} », qui a échoué"
            elif before.status == EventStatus.PENDING:
                reason = f"suit l'événement « {before.key} », qui n'a pas eu lieu"
            else:
                reason = f"tombe après la fin du scénario ({end:%d/%m/%Y %H:%M})"
        else:
            reason = f"tombe après la fin du scénario ({end:%d/%m/%Y %H:%M})"
        result.unrun_actions.append({"action": action["_n"] + 1, "line": action.get("_line"), "do": action["do"],
                                     "at": action.get("at"), "reason": reason})


def _action_name(a: dict) -> str:
    return f"action n° {a['action']} ({a['do']}" + (f", ligne {a['line']})" if a.get("line") else ")")


def _when(text: str | None) -> str:
    return f" le {_parse(text):%d/%m à %H:%M}" if text else ""


def print_run(result: DryRun, as_json: bool = False) -> str:
    if as_json:
        return json.dumps({"scenario": result.scenario["id"], "ok": result.ok, "chain_ok": result.chain_ok,
                           "install_error": result.install_error or None,
                           "failed_events": result.failed_events, "unfired_events": result.unfired_events,
                           "refused_actions": result.refused_actions, "unrun_actions": result.unrun_actions,
                           "errors": result.errors, "journal": result.entries,
                           "evaluation": result.evaluation.to_json() if result.evaluation else None},
                          ensure_ascii=False, indent=2)
    lines = [f"Scénario « {result.scenario['title']} » ({result.scenario['id']}) — essai à vitesse maximale", ""]
    for e in result.entries:
        refs = " ".join(f"{k}={v}" for k, v in e["refs"].items())
        lines.append(f"{e['seq']:4d}  {e['sim_time'].replace('T', ' ')}  {e['actor']:<18} {e['kind']:<28} {refs}")
    lines.append("")
    if result.install_error:
        lines.append(f"installation du scénario impossible : {result.install_error}")
    for title, items, name in (
            ("Événements en échec", result.failed_events, lambda e: f"« {e['event']} » ({e['kind']})"),
            ("Événements qui n'ont pas eu lieu", result.unfired_events, lambda e: f"« {e['event']} » ({e['kind']})"),
            ("Actions refusées", result.refused_actions, _action_name),
            ("Actions qui n'ont pas eu lieu", result.unrun_actions, _action_name)):
        if items:
            lines.append(f"{title} :")
            lines += [f"  {name(item)}{_when(item.get('at'))} : {item['reason']}" for item in items]
            lines.append("")
    if result.evaluation is not None:
        lines += evaluation_lines(result.evaluation)
    lines.append(f"{len(result.entries)} entrées au journal ; chaîne de hachage "
                 f"{'intègre' if result.chain_ok else 'ROMPUE'}.")
    if result.ok:
        lines.append("Résultat : tout s'est déclenché et toutes les actions ont été acceptées.")
    else:
        counts = [(len(result.failed_events), "événement(s) en échec"),
                  (len(result.unfired_events), "événement(s) qui n'ont pas eu lieu"),
                  (len(result.refused_actions), "action(s) refusée(s)"),
                  (len(result.unrun_actions), "action(s) qui n'ont pas eu lieu")]
        summary = ", ".join(f"{n} {label}" for n, label in counts if n)
        if result.install_error:
            summary = "installation impossible" + (f", {summary}" if summary else "")
        if not result.chain_ok and not result.install_error:
            summary = "chaîne de hachage rompue" + (f", {summary}" if summary else "")
        lines.append(f"Résultat : ÉCHEC — {summary}.")
    return "\n".join(lines)


_STATUS_FR = {"met": "atteinte", "partly": "en partie", "missed": "manquée", "to_judge": "à juger"}
_PROPOSED_FR = {"acquired": "acquise", "not_acquired": "non acquise", "to_judge": "à juger"}


def evaluation_lines(evaluation) -> list[str]:
    """The evaluation as the dry run prints it: each expectation, then each CP."""
    from sim.evaluation.result import number as as_json

    def number(value) -> str:  # French decimal comma: 0,5
        return str(as_json(value)).replace(".", ",")

    lines = ["Évaluation :"]
    for e in evaluation.expectations:
        points = f"{number(e.points)}/{number(e.max_points)}"
        seqs = f" [n° {', '.join(map(str, e.evidence))}]" if e.evidence else ""
        lines.append(f"  {e.id:<32} {_STATUS_FR[e.status]:<9} {points:>7}  {e.why}{seqs}")
    for c in evaluation.competences:
        lines.append(f"  {c.cp} {_PROPOSED_FR[c.proposed]} ({number(c.points)}/{number(c.max_points)}) — {c.why}")
    lines.append(f"  Partie automatique : {number(evaluation.auto_points)}/{number(evaluation.auto_max_points)} points.")
    lines.append("")
    return lines
