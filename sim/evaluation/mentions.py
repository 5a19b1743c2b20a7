"""Facts a message mentions, written the way people write them, and its language.

A date is found as 16/11/2026, 16/11, 16.11.26, 2026-11-16, 16 novembre,
lundi 16 novembre, 16 nov., November 16th, 16th November, Nov 16, 16th of
November; an amount as 4 800,00 €, 4800 €, €4,800.00, 4.800,00, 4800.00,
4 800 EUR. An order is named by its number or by the customer's own order
number (its ``customer_po``); any other document by its number.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december"]


@lru_cache(maxsize=1024)
def plain(text: str) -> str:
    """Lower case without accents: « Défaut » and « defaut » read alike."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", plain(text))


def mentions_key(text: str, keys: list[str]) -> bool:
    """A document number (CO-2026-00027, GC-PO-7781) written with or without its dashes and spaces."""
    flat = _alnum(text)
    return any(key and _alnum(key) in flat for key in keys)


def mentions_text(text: str, words: list[str]) -> bool:
    """A word or phrase (any of ``words``), case and accents ignored."""
    flat = plain(text)
    return any(plain(w) in flat for w in words if w)


def _month_pattern(names: list[str], month: int) -> str:
    full = plain(names[month - 1])
    short = full[:3] if full not in ("mai", "may", "juin", "june", "july") else full
    if full == "juillet":
        short = "juil"
    if full == "september":
        short = "sept?"
    return rf"(?:{full}|{short}\.?)"


@lru_cache(maxsize=256)
def _date_regex(day: date) -> re.Pattern:
    d, m, y = day.day, day.month, day.year
    dd = rf"0?{d}"
    mm = rf"0?{m}"
    yy = rf"(?:{y}|{y % 100:02d})"
    sep = r"[/.\-]"
    fr = _month_pattern(MONTHS_FR, m)
    en = _month_pattern(MONTHS_EN, m)
    day_fr = rf"(?:{dd}|1er)" if d == 1 else dd
    suffix = r"(?:st|nd|rd|th)?"
    forms = [
        rf"{dd}{sep}{mm}(?:{sep}{yy})?",  # 16/11/2026, 16/11, 16.11.26
        rf"{y}-{m:02d}-{d:02d}",  # ISO
        rf"{day_fr}\s+{fr}",  # 16 novembre, 1er novembre
        rf"{dd}{suffix}\s+(?:of\s+)?{en}",  # 16th November, 16 of November
        rf"{en}\s+{dd}{suffix}",  # November 16th, Nov 16
    ]
    return re.compile(r"(?<![0-9])(?:" + "|".join(forms) + r")(?![0-9])")


def mentions_date(text: str, day: date) -> bool:
    return _date_regex(day).search(plain(text)) is not None


_NUMBER = re.compile(r"(?<![0-9])\d{1,3}(?:[ \u00a0\u202f.,']\d{3})+(?:[.,]\d{1,2})?(?![0-9])"
                     r"|(?<![0-9])\d+(?:[.,]\d{1,2})?(?![0-9])")


def amounts_in(text: str) -> set[Decimal]:
    """Every amount-like number of the text, read with French or English separators."""
    found = set()
    for token in _NUMBER.findall(text):
        cleaned = token
        decimals = ""
        tail = re.search(r"[.,](\d{1,2})$", token)
        if tail and not re.search(r"[.,]\d{3}$", token):
            decimals = tail.group(1)
            cleaned = token[: tail.start()]
        whole = re.sub(r"[^0-9]", "", cleaned)
        try:
            found.add(Decimal(f"{whole}.{decimals}" if decimals else whole))
        except InvalidOperation:
            continue
    return found


def mentions_amount(text: str, amount: Decimal) -> bool:
    return Decimal(amount) in amounts_in(text)


# ----- language -------------------------------------------------------------

def _detector():
    """lingua's French/English detector, built once per process (shared with the writing aid)."""
    from sim.writing.language import detector

    return detector()


@lru_cache(maxsize=4096)
def language_of(text: str) -> str | None:
    """``fr``, ``en``, or None when the text says too little to tell."""
    if not text.strip():
        return None
    found = _detector().detect_language_of(text)
    if found is None:
        return None
    return {"FRENCH": "fr", "ENGLISH": "en"}.get(found.name)
