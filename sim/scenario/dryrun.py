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

from ruamel.yaml.error import MarkedYAMLError
from sqlalchemy import select

from sim.db import UnitOfWork, make_engine
from sim.scenario.durations import parse_delay
from sim.scenario.loader import Problem, ScenarioInvalid, load


@dataclass
class DryRun:
    scenario: dict
    entries: list[dict] = field(default_factory=list)
    chain_ok: bool = False
    errors: list[str] = field(default_factory=list)


def _parse(text) -> datetime:
    return datetime.fromisoformat(str(text).replace(" ", "T"))


def load_script(path: str | Path) -> list[dict]:
    from sim.scenario.candidate import ACTIONS

    from sim.scenario.loader import bounded_yaml

    path = Path(path)
    yaml = bounded_yaml()
    try:
        root = yaml.load(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ScenarioInvalid([Problem(str(path), mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                                       f"YAML invalide : {exc.problem}")]) from None
    problems = []
    if not isinstance(root, list):
        raise ScenarioInvalid([Problem(str(path), 1, 1, "le script est une liste d'actions")])
    for index, item in enumerate(root):
        line, col = root.lc.item(index)
        if not isinstance(item, dict) or item.get("do") not in ACTIONS:
            problems.append(Problem(str(path), line + 1, col + 1,
                                    f"action inconnue : « {item.get('do') if isinstance(item, dict) else item} » "
                                    f"(connues : {', '.join(sorted(ACTIONS))})"))
        elif ("at" in item) == ("after" in item):
            problems.append(Problem(str(path), line + 1, col + 1, "chaque action a soit « at », soit « after »"))
    if problems:
        raise ScenarioInvalid(problems)
    from sim.scenario.loader import _plain

    return [_plain(item) for item in root]


def run(scenario_path: str | Path, script_path: str | Path | None = None, *, workdir: str | None = None) -> DryRun:
    from seed.company import DEFAULT, SMALL
    from sim.clock import set_clock, sim_now
    from sim.journal.models import JournalEntry
    from sim.journal.service import verify_chain
    from sim.migrations import upgrade
    from sim.scenario.candidate import perform
    from sim.scenario.engine import arm_triggers, fire_due, install, next_due
    from sim.scenario.models import ScenarioEvent
    from sim.workspace.models import Workspace
    from sim.workspace.service import create_workspace

    scenario = load(scenario_path)
    script = load_script(script_path) if script_path else []
    folder = Path(workdir or tempfile.mkdtemp(prefix="advsim-dryrun-"))
    url = f"sqlite:///{folder / 'dryrun.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    result = DryRun(scenario)
    try:
        size = SMALL if scenario["company"].get("size") == "small" else DEFAULT
        with UnitOfWork(engine=engine) as uow:
            workspace = create_workspace(uow, name=f"Essai — {scenario['title']}", owner_id=None,
                                         seed=scenario["company"]["seed"], size=size, actor="dryrun")
            uow.commit()
        ws = workspace.id
        with UnitOfWork(ws, engine=engine) as uow:
            install(uow, scenario)
            uow.commit()
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
                    perform(uow, action)
                    uow.commit()
                except Exception as exc:  # a script action the services refuse is part of the story
                    result.errors.append(f"{moment:%d/%m %H:%M} {action['do']} : {getattr(exc, 'message', exc)}")
        with UnitOfWork(ws, engine=engine, write=False) as uow:
            for e in uow.session.scalars(select(JournalEntry).order_by(JournalEntry.seq)):
                result.entries.append({"seq": e.seq, "sim_time": e.sim_time.isoformat(timespec="minutes"),
                                       "actor": e.actor, "kind": e.kind, "version": e.version, "refs": e.refs,
                                       "payload": e.payload})
            result.chain_ok = verify_chain(uow.session, uow.session.get(Workspace, ws)).ok
    finally:
        engine.dispose()
    return result


def print_run(result: DryRun, as_json: bool = False) -> str:
    if as_json:
        return json.dumps({"scenario": result.scenario["id"], "chain_ok": result.chain_ok, "errors": result.errors,
                           "journal": result.entries}, ensure_ascii=False, indent=2)
    lines = [f"Scénario « {result.scenario['title']} » ({result.scenario['id']}) — essai à vitesse maximale", ""]
    for e in result.entries:
        refs = " ".join(f"{k}={v}" for k, v in e["refs"].items())
        lines.append(f"{e['seq']:4d}  {e['sim_time'].replace('T', ' ')}  {e['actor']:<18} {e['kind']:<28} {refs}")
    lines.append("")
    for error in result.errors:
        lines.append(f"action refusée : {error}")
    lines.append(f"{len(result.entries)} entrées au journal ; chaîne de hachage "
                 f"{'intègre' if result.chain_ok else 'ROMPUE'}.")
    return "\n".join(lines)
