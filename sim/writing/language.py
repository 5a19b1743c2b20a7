"""The language of a text, French or English, detected by lingua
(``lingua-language-detector``) restricted to those two languages.

    detect("Thank you for your order") -> "en"
    detect("ok") -> None                   # too little to tell
    report(text) -> Detection(language, confidence, parts)

``confidence`` is lingua's for the language found (0–1); ``parts`` are the
stretches of a mixed text in each language (a French reply quoting the
customer's English message), with their share of the text's characters. The
detector is built once per process, lazily (building its models takes a while).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

NAMES = {"fr": "français", "en": "anglais"}
_CODES = {"FRENCH": "fr", "ENGLISH": "en"}
# Below this, lingua's answer is a guess: the text is reported as undecided.
MIN_CONFIDENCE = 0.6
# Fewer letters than this says too little (« OK », « Merci ») to tell.
MIN_LETTERS = 3
MIXED_MIN_LETTERS = 40


@lru_cache(maxsize=1)
def detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH).build()


@dataclass(frozen=True)
class Part:
    language: str  # fr | en
    text: str
    share: float  # of the text's characters, 0–1


@dataclass(frozen=True)
class Detection:
    language: str | None  # fr, en, or None when undecided
    confidence: float  # lingua's confidence in that language, 0–1 (0 when undecided)
    parts: tuple[Part, ...] = field(default_factory=tuple)

    @property
    def mixed(self) -> bool:
        """Both languages, each in a stretch of a sentence or more (``MIXED_MIN_LETTERS``) and over a fifth
        of the text: a trailing « 50 euros FA-2026-00042 » that lingua calls French is no French sentence."""
        shares: dict[str, float] = {}
        for p in self.parts:
            if _letters(p.text) >= MIXED_MIN_LETTERS:
                shares[p.language] = shares.get(p.language, 0) + p.share
        return len([s for s in shares.values() if s >= 0.2]) > 1

    @property
    def label(self) -> str:
        if self.language is None:
            return "langue indécise"
        return NAMES[self.language] + (" (texte mêlé)" if self.mixed else "")


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


@lru_cache(maxsize=4096)
def detect(text: str) -> str | None:
    """``fr``, ``en``, or None when the text says too little to tell."""
    return report(text).language


@lru_cache(maxsize=1024)
def report(text: str) -> Detection:
    """The language found, lingua's confidence in it, and the stretches of a mixed text."""
    text = text or ""
    if _letters(text) < MIN_LETTERS:
        return Detection(None, 0.0)
    values = detector().compute_language_confidence_values(text)
    best = max(values, key=lambda v: v.value) if values else None
    if best is None or best.value < MIN_CONFIDENCE:
        return Detection(None, 0.0)
    total = max(len(text), 1)
    parts = []
    for found in detector().detect_multiple_languages_of(text):
        piece = text[found.start_index:found.end_index]
        if _letters(piece):
            parts.append(Part(_CODES[found.language.name], piece.strip(), round(len(piece) / total, 3)))
    return Detection(_CODES[best.language.name], round(best.value, 3), tuple(parts))


def journal_fields(text: str) -> dict:
    """What ``message.sent`` and the other writings journal of their language."""
    from decimal import Decimal

    found = report(text)
    return {"detected_language": found.language, "language_confidence": Decimal(f"{found.confidence:.3f}"),
            "mixed_languages": found.mixed}
