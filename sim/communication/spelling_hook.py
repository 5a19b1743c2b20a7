"""Where the editor asks for the spelling aid, if it is installed.

The spelling aid (``sim/writing/spelling.py``: a maintained spell checker on
real dictionaries) is built apart. The editor imports it lazily: when the
module is not there, or has no checker, the spelling panel is simply not
shown — nothing is pretended.
"""
from __future__ import annotations


def flagged_words(text: str, language: str) -> list[str] | None:
    """The words the spelling aid flags in ``text`` (None: no spelling aid installed)."""
    try:
        from sim.writing import spelling  # type: ignore[import-not-found]
    except ImportError:
        return None
    check = getattr(spelling, "flagged_words", None) or getattr(spelling, "check", None)
    if check is None:
        return None
    found = check(text, language)
    return [str(getattr(item, "word", item)) for item in found or []]


def detected_language(text: str) -> str | None:
    """French or English, as the evaluator's engine detects it (lingua); None when undecided or empty."""
    if not (text or "").strip():
        return None
    from sim.evaluation.mentions import language_of

    return language_of(text)
