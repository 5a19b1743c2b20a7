"""Where scenario files live: the samples shipped in ``scenarios/`` and those
trainers upload (kept in ``<data dir>/scenarios``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sim.config import PROJECT_ROOT, get_settings
from sim.scenario.loader import LintResult, lint_file, lint_text

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
MAX_BYTES = 512 * 1024


@dataclass
class ScenarioFile:
    name: str
    path: Path
    uploaded: bool
    result: LintResult


def folders() -> list[tuple[Path, bool]]:
    return [(PROJECT_ROOT / "scenarios", False), (get_settings().data_dir / "scenarios", True)]


def listing() -> list[ScenarioFile]:
    found: dict[str, ScenarioFile] = {}
    for folder, uploaded in folders():
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                if path.name.endswith((".candidate.yaml", ".careless.yaml")):  # scripts, not scenarios
                    continue
                found[path.stem] = ScenarioFile(path.stem, path, uploaded, lint_file(path))
    return sorted(found.values(), key=lambda f: f.name)


def find(name: str) -> ScenarioFile | None:
    if not NAME.match(name or ""):
        return None
    return next((f for f in listing() if f.name == name), None)


def save_upload(filename: str, content: bytes) -> tuple[str, LintResult]:
    """Lint an uploaded file; keep it only if it is valid. Returns (name, result)."""
    stem = Path(filename or "scenario.yaml").stem.lower()
    stem = re.sub(r"[^a-z0-9_-]+", "-", stem).strip("-") or "scenario"
    if len(content) > MAX_BYTES:
        from sim.scenario.loader import Problem

        return stem, LintResult(filename, None, [Problem(filename, 1, 1, "fichier trop volumineux (512 Ko au plus)")])
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        from sim.scenario.loader import Problem

        return stem, LintResult(filename, None, [Problem(filename, 1, 1, "le fichier doit être en UTF-8")])
    result = lint_text(text, filename or "scenario.yaml")
    if result.ok:
        folder = get_settings().data_dir / "scenarios"
        folder.mkdir(parents=True, exist_ok=True)
        name = result.data["id"] if NAME.match(result.data["id"]) else stem
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        return name, result
    return stem, result
