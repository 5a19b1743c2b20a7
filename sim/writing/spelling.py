"""Spelling aid on real dictionaries: Hunspell's French and British English
(Debian ``hunspell-fr``, ``hunspell-en-gb``) through Enchant (``pyenchant``).

The machine flags, the evaluator judges: ``check`` lists the words the
dictionary does not know (with suggestions) and repeated words (« le le »);
the candidate sees them underlined under what they write, and the messages
they send journal the flagged words (``flagged_words``) as evidence.

    check("Nous avons bien recu votre comande.", "fr")
      -> [Flag("recu", 17, 21, "spelling", ["reçu", ...]), Flag("comande", 28, 35, ...)]
    underline(text, "fr") -> Markup: the text escaped, each flag in <mark class="misspelt">
    flagged_words(text, "fr") -> ["recu", "comande"]

Not flagged: numbers, codes and references (FA-2026-00042, C00042, SKU-12),
e-mail addresses and web links, words in capitals (acronyms), and a word of the
other language's dictionary in a text (a product's English name in a French
message) — spelling, not vocabulary.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from markupsafe import Markup, escape

DICTIONARIES = {"fr": "fr_FR", "en": "en_GB"}
MAX_FLAGS = 200
SUGGESTIONS = 4
# Hunspell (through Enchant) is not thread-safe: FastAPI runs the routes in a thread pool, and two
# checks at once on one dictionary crash the process (segfault). One check at a time.
_LOCK = threading.RLock()
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", re.UNICODE)
# what is not a word to spell-check: addresses, links, references with digits
_SKIP = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\b[\w\-/.]*\d[\w\-/.]*\b", re.UNICODE)
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)


class DictionaryMissing(RuntimeError):
    """A dictionary is not installed (make debian-deps installs hunspell-fr and hunspell-en-gb)."""


@dataclass(frozen=True)
class Flag:
    word: str
    start: int
    end: int
    kind: str  # "spelling" (unknown to the dictionary) or "repeat" (the same word twice in a row)
    suggestions: list[str] = field(default_factory=list, hash=False, compare=False)

    @property
    def title(self) -> str:
        if self.kind == "repeat":
            return "Mot répété"
        return "Orthographe ? " + (", ".join(self.suggestions) if self.suggestions else "aucune suggestion")


@lru_cache(maxsize=4)
def dictionary(language: str):
    import enchant

    tag = DICTIONARIES.get(language)
    if tag is None:
        raise ValueError(f"langue sans dictionnaire : {language!r}")
    try:
        return enchant.Dict(tag)
    except enchant.errors.DictNotFoundError as missing:
        raise DictionaryMissing(f"Dictionnaire {tag} absent : installez hunspell-fr / hunspell-en-gb.") from missing


def _known(word: str, language: str) -> bool:
    main = dictionary(language)
    if main.check(word) or main.check(word.lower()) or main.check(word.capitalize()):
        return True
    if language == "fr":
        bare = _ELISION.sub("", word)
        if bare != word and (not bare or main.check(bare) or main.check(bare.lower())):
            return True
    # hyphenated compounds: each part known
    if "-" in word and all(_known(part, language) for part in word.split("-") if part):
        return True
    other = dictionary("en" if language == "fr" else "fr")
    return other.check(word) or other.check(word.lower())


def _words(text: str):
    skipped = [m.span() for m in _SKIP.finditer(text)]
    for match in _WORD.finditer(text):
        start, end = match.span()
        if any(a <= start < b for a, b in skipped):
            continue
        yield match.group(), start, end


def check(text: str, language: str, *, suggest: bool = True) -> list[Flag]:
    """The words of ``text`` to look at again, in order (at most ``MAX_FLAGS``),
    with the dictionary's suggestions unless ``suggest=False`` (Hunspell's
    suggestions cost tenths of a second a word; the journal needs only the words)."""
    if language not in DICTIONARIES:
        return []
    with _LOCK:
        return _check(text, language, suggest)


@lru_cache(maxsize=4096)
def _suggestions(word: str, language: str) -> tuple[str, ...]:
    return tuple(dictionary(language).suggest(word)[:SUGGESTIONS])


def _check(text: str, language: str, suggest: bool) -> list[Flag]:
    flags: list[Flag] = []
    previous, previous_end = None, 0
    for word, start, end in _words(text or ""):
        if previous is not None and word.lower() == previous.lower() and len(word) > 1 \
                and text[previous_end:start].strip() == "":
            flags.append(Flag(word, start, end, "repeat"))
        elif not (len(word) == 1 or word.isupper() or _known(word, language)):
            flags.append(Flag(word, start, end, "spelling", list(_suggestions(word, language)) if suggest else []))
        previous, previous_end = word, end
        if len(flags) >= MAX_FLAGS:
            break
    return flags


def flagged_words(text: str, language: str) -> list[str]:
    """The flagged words, each once, in order of appearance (what the journal keeps)."""
    return list(dict.fromkeys(f.word for f in check(text, language, suggest=False)))


def underline(text: str, language: str, flags: list[Flag] | None = None) -> Markup:
    """The text, escaped, each flagged word in ``<mark class="misspelt" title="suggestions">``
    (``flags``: what ``check`` already found for this text, not looked for again)."""
    text = text or ""
    out, at = [], 0
    # the grammar aid's flags (sim/writing/grammar) come in the same list: in order, an overlapping one left out
    for flag in sorted(check(text, language) if flags is None else flags, key=lambda f: (f.start, -f.end)):
        if flag.start < at:
            continue
        out.append(escape(text[at:flag.start]))
        css = {"spelling": "misspelt", "repeat": "misspelt repeat"}.get(flag.kind, "misspelt grammar")
        out.append(Markup('<mark class="{}" title="{}">{}</mark>').format(css, flag.title, text[flag.start:flag.end]))
        at = flag.end
    out.append(escape(text[at:]))
    return Markup("").join(out)
