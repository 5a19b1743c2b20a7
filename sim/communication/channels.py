"""Each channel's limits, checked on what the candidate wrote.

A ``hard`` limit refuses publication (a social network refuses a post over its
length, an e-mail needs a subject); an ``advice`` limit is the trade's rule of
thumb (an e-mail subject over 60 characters is cut on a phone) and is
journaled with the publication when it is not met: the evaluator sees it.

A social post is published as typed (networks do not render Markdown): its
length is the length of the text, links included. The other channels render
the Markdown body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sim.communication.models import Channel

HARD, ADVICE = "hard", "advice"
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_HASHTAG = re.compile(r"(?<![\w&])#\w+", re.UNICODE)


@dataclass(frozen=True)
class Limit:
    code: str  # stable: the journal names it
    label: str  # in French, as the preview shows it
    level: str
    maximum: int | None = None  # characters, images or hashtags; None: "required"


@dataclass(frozen=True)
class LimitCheck:
    limit: Limit
    value: int
    ok: bool

    @property
    def shown(self) -> str:
        if self.limit.maximum is None:
            return "renseigné" if self.ok else "manquant"
        return f"{self.value} / {self.limit.maximum}"


LIMITS: dict[str, tuple[Limit, ...]] = {
    Channel.EMAIL: (
        Limit("subject_required", "Objet du courriel", HARD),
        Limit("subject_max", "Objet : 150 caractères au plus", HARD, 150),
        Limit("subject_mobile", "Objet lisible sur un téléphone : 60 caractères au plus", ADVICE, 60),
        Limit("body_required", "Texte du courriel", HARD),
        Limit("body_max", "Texte : 10 000 caractères au plus", HARD, 10_000),
        Limit("image_alt", "Chaque image a un texte de remplacement", ADVICE, 0),
    ),
    Channel.WEBSITE: (
        Limit("title_required", "Titre de la page", HARD),
        Limit("title_search", "Titre lisible dans un moteur de recherche : 70 caractères au plus", ADVICE, 70),
        Limit("body_required", "Texte de la page", HARD),
        Limit("body_max", "Texte : 20 000 caractères au plus", HARD, 20_000),
    ),
    Channel.SOCIAL: (
        Limit("body_required", "Texte de la publication", HARD),
        Limit("post_max", "Publication : 280 caractères au plus", HARD, 280),
        Limit("images_max", "Une image au plus", HARD, 1),
        Limit("hashtags_max", "Trois mots-dièse (#) au plus", ADVICE, 3),
    ),
    Channel.LEAFLET: (
        Limit("title_required", "Titre du prospectus", HARD),
        Limit("title_max", "Titre lisible de loin : 60 caractères au plus", ADVICE, 60),
        Limit("body_required", "Texte du prospectus", HARD),
        Limit("body_max", "Texte : 1 200 caractères au plus (une page A5)", HARD, 1_200),
        Limit("images_max", "Deux images au plus", HARD, 2),
    ),
}


def _measure(code: str, title: str, body: str) -> int:
    title, body = title.strip(), body.strip()
    if code.startswith("subject") or code.startswith("title"):
        return len(title)
    if code.startswith("images"):
        return len(_IMAGE.findall(body))
    if code == "image_alt":
        return sum(1 for alt, _ in _IMAGE.findall(body) if not alt.strip())
    if code == "hashtags_max":
        return len(_HASHTAG.findall(body))
    return len(body)


def check(channel: str, title: str, body: str) -> list[LimitCheck]:
    """Every limit of ``channel`` against the title and body as typed."""
    checks = []
    for limit in LIMITS[channel]:
        value = _measure(limit.code, title or "", body or "")
        ok = value > 0 if limit.maximum is None else value <= limit.maximum
        checks.append(LimitCheck(limit, value, ok))
    return checks


def refusals(checks: list[LimitCheck]) -> list[LimitCheck]:
    return [c for c in checks if not c.ok and c.limit.level == HARD]


def advice_not_met(checks: list[LimitCheck]) -> list[str]:
    return [c.limit.code for c in checks if not c.ok and c.limit.level == ADVICE]


def label_of(channel: str, code: str) -> str:
    """A limit's French label from its code (the journal keeps the code)."""
    return next((limit.label for limit in LIMITS.get(channel, ()) if limit.code == code), code)
