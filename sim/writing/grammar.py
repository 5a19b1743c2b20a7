"""Grammar aid for French: Grammalecte (Debian ``python3-grammalecte``), offline.

The machine flags, the evaluator judges, as with the spelling aid (``spelling``):
``check`` lists the passages Grammalecte's rules catch (agreement, conjugation,
confusions, locutions, past participles…), each with the rule's message and its
suggestions; the candidate sees them underlined in the writing-aid panel next to
the spelling flags, and the messages they send journal them (``grammar_flags``).

    check("Les colis est arrivé.", "fr")
      -> [GrammarFlag("est", 10, 13, "gv2__conj_les_nom…", "Conjugaison erronée. …", ["sont"])]
    journal_flags(text, "fr") -> [{"text": "est", "rule": "…", "message": "…"}]

Typography is not checked (straight apostrophes, non-breaking spaces before « : ; ! ? »,
spaces around numbers): nobody types them on a keyboard in a mail client, and every
message would be flagged. Spelling is Hunspell's (``spelling``), not Grammalecte's.

English grammar is not checked: there is no maintained offline English grammar checker
on PyPI or Debian (LanguageTool needs a Java server and downloads), so ``check`` returns
nothing for English and the panel says so.

Debian installs the library for the system Python (/usr/lib/python3/dist-packages), which
the virtual environment does not see: the package is loaded by path, alone, under its own
name (``grammalecte``; it imports only the standard library and itself) — the system's
other packages stay out of the import path. Loading takes about 0.1 s, the first check
another 0.1 s, later checks a few milliseconds a paragraph; loaded once per process.
"""
from __future__ import annotations

import importlib.util
import os
import sys
import threading
from dataclasses import dataclass, field

LANGUAGES = ("fr",)
MAX_FLAGS = 100
SUGGESTIONS = 4
PACKAGE_DIR = os.environ.get("ADVSIM_GRAMMALECTE_DIR", "/usr/lib/python3/dist-packages/grammalecte")
# Grammalecte's options that are typography, off (see the module's docstring)
TYPOGRAPHY_OFF = {"typo": False, "apos": False, "eepi": False, "esp": False, "tab": False, "nbsp": False,
                  "unit": False, "num": False, "nf": False, "maj": False, "minis": False, "chim": False,
                  "latex": False, "md": False}
# typography rules Grammalecte runs whatever the options (their type is "notype")
TYPOGRAPHY_RULES = ("num_", "nbsp_", "esp_", "unit_", "apostrophe_", "typo_")
# The engine keeps state between calls (options, caches): one check at a time, as Hunspell (spelling)
_LOCK = threading.RLock()
_CHECKER = None


class GrammarMissing(RuntimeError):
    """Grammalecte is not installed (make debian-deps installs python3-grammalecte)."""


@dataclass(frozen=True)
class GrammarFlag:
    word: str  # the passage flagged
    start: int
    end: int
    rule: str
    message: str
    suggestions: list[str] = field(default_factory=list, hash=False, compare=False)
    kind: str = "grammar"

    @property
    def title(self) -> str:
        return self.message + (" → " + ", ".join(self.suggestions) if self.suggestions else "")


def _load():
    """Grammalecte's checker, loaded once (by path: see the module's docstring)."""
    global _CHECKER
    with _LOCK:
        if _CHECKER is not None:
            return _CHECKER
        if "grammalecte" not in sys.modules:
            init = os.path.join(PACKAGE_DIR, "__init__.py")
            if not os.path.isfile(init):
                raise GrammarMissing("Grammalecte absent : installez python3-grammalecte (make debian-deps).")
            spec = importlib.util.spec_from_file_location("grammalecte", init, submodule_search_locations=[PACKAGE_DIR])
            module = importlib.util.module_from_spec(spec)
            sys.modules["grammalecte"] = module
            try:
                spec.loader.exec_module(module)
            except Exception:
                del sys.modules["grammalecte"]
                raise
        import grammalecte

        _CHECKER = grammalecte.GrammarChecker("fr")
        return _CHECKER


def available() -> bool:
    try:
        _load()
        return True
    except GrammarMissing:
        return False


def check(text: str, language: str) -> list[GrammarFlag]:
    """The passages of ``text`` Grammalecte flags, in order (at most ``MAX_FLAGS``); nothing
    for a language other than French. Raises ``GrammarMissing`` when it is not installed."""
    if language not in LANGUAGES or not (text or "").strip():
        return []
    checker = _load()
    flags: list[GrammarFlag] = []
    with _LOCK:
        engine = checker.getGCEngine()
        options = {**engine.getOptions(), **TYPOGRAPHY_OFF}  # parse's options replace the defaults
        at = 0
        for paragraph in text.split("\n"):
            if paragraph.strip():
                errors = engine.parse(paragraph, "FR", dOptions=options)
                for error in sorted(errors, key=lambda e: e["nStart"]):
                    if error["sRuleId"].startswith(TYPOGRAPHY_RULES):
                        continue
                    start, end = at + error["nStart"], at + error["nEnd"]
                    flags.append(GrammarFlag(text[start:end], start, end, error["sRuleId"], error["sMessage"],
                                             list(error.get("aSuggestions") or [])[:SUGGESTIONS]))
            at += len(paragraph) + 1
            if len(flags) >= MAX_FLAGS:
                break
    return flags[:MAX_FLAGS]


def journal_flags(text: str, language: str) -> list[dict]:
    """What the journal keeps: each flagged passage with its rule and message."""
    return [{"text": f.word, "rule": f.rule, "message": f.message} for f in check(text, language)]
