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


# ----- recordings for phone calls (the ``audio:`` of a phone_call event) ------------

AUDIO_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,70}\.(wav|ogg|webm|mp3|m4a)$")
AUDIO_EXTENSIONS = {"wav": "audio/wav", "ogg": "audio/ogg", "webm": "audio/webm", "mp3": "audio/mpeg",
                    "m4a": "audio/mp4"}


def audio_files() -> list[tuple[str, int, bool]]:
    """(name, size in bytes, uploaded) of the recordings a phone_call may name, shipped then uploaded."""
    found: dict[str, tuple[str, int, bool]] = {}
    for folder, uploaded in folders():
        audio = folder / "audio"
        if audio.is_dir():
            for path in sorted(audio.iterdir()):
                if path.is_file() and AUDIO_NAME.match(path.name):
                    found[path.name] = (path.name, path.stat().st_size, uploaded)
    return sorted(found.values())


def save_audio(filename: str, content: bytes) -> tuple[str, str]:
    """Keep a trainer's recording for phone calls: (name, "") or (name, why it is refused).

    Audio only, recognised by its first bytes (as the candidates' recordings), the size of a
    recorded answer at most; the name is made safe (lower case, letters, digits, ``-_.``)."""
    from sim.calls.service import AUDIO_TYPES, RECORDING_MAX_BYTES

    stem, _, extension = (filename or "").lower().rpartition(".")
    stem = re.sub(r"[^a-z0-9_.-]+", "-", Path(stem).name).strip("-.")[:60] or "appel"
    name = f"{stem}.{extension}"
    if extension not in AUDIO_EXTENSIONS or not AUDIO_NAME.match(name):
        return name, "Un fichier son : .wav, .ogg, .webm, .mp3 ou .m4a."
    if len(content) > RECORDING_MAX_BYTES:
        return name, f"Fichier trop volumineux ({RECORDING_MAX_BYTES // 1000} Ko au plus)."
    if not AUDIO_TYPES[AUDIO_EXTENSIONS[extension]][1](content):
        return name, "Ce fichier n'est pas un enregistrement sonore de ce type (son début ne correspond pas)."
    folder = get_settings().data_dir / "scenarios" / "audio"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    return name, ""
