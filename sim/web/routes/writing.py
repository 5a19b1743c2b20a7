"""The writing aid of every form where the candidate writes: reply templates in
French and English, and the spelling check under the text (sim/writing)."""
from __future__ import annotations

from fastapi import Depends, Request
from sqlalchemy import select
from starlette.datastructures import FormData

from sim.accounts.models import User
from sim.company.models import Company
from sim.db import UnitOfWork
from sim.web.deps import candidate_only, reading_uow
from sim.web.rendering import render
from sim.web.routes import form_data, router as routes_router
from sim.writing import language as lang
from sim.writing import grammar, replies, spelling

router = routes_router()
CHECK_MAX = 20_000  # as a message's body (sim/inbox/service.BODY_MAX)


def check_context(text: str, declared: str) -> dict:
    """What the spelling panel shows: the language detected, the flags, the text underlined."""
    text = text[:CHECK_MAX]
    found = lang.report(text)
    used = found.language or (declared if declared in spelling.DICTIONARIES else "fr")
    try:
        flags = spelling.check(text, used)
        missing = ""
    except spelling.DictionaryMissing as absent:
        flags, missing = [], str(absent)
    try:
        grammar_flags, grammar_missing = grammar.check(text, used), ""
    except grammar.GrammarMissing as absent:
        grammar_flags, grammar_missing = [], str(absent)
    underlined = spelling.underline(text, used, [*flags, *grammar_flags]) if flags or grammar_flags else ""
    return {"detection": found, "declared": declared, "used": used, "flags": flags, "missing": missing,
            "grammar_flags": grammar_flags, "grammar_missing": grammar_missing,
            "grammar_checked": used in grammar.LANGUAGES,
            "underlined": underlined, "names": lang.NAMES, "empty": not text.strip()}


@router.post("/writing/check")
def writing_check(request: Request, user: User = Depends(candidate_only), form: FormData = Depends(form_data)):
    """The text as the spelling aid sees it (htmx, under the textarea): nothing is written."""
    text = str(form.get("body", form.get("text", "")))
    subject = str(form.get("subject", ""))
    declared = str(form.get("language", ""))[:2]
    return render(request, "writing/check.html", check_context(f"{subject}\n{text}".strip("\n"), declared))


@router.get("/writing/reply")
def writing_reply(request: Request, reply: str = "", contact_name: str = "", empty_language: str = "",
                  uow: UnitOfWork = Depends(reading_uow)):
    """The subject, language and text of a reply template, for the form to adapt (htmx swap)."""
    company = uow.session.scalars(select(Company)).first()
    chosen = replies.filled(reply[:40], contact=contact_name[:120], company=company.name if company else "")
    values = {"subject": chosen.subject, "language": chosen.language, "body": chosen.body, "reply": chosen.key} \
        if chosen else {}
    return render(request, "writing/fields.html",
                  {"values": values, "errors": {}, "replies": replies.REPLIES, "contact": contact_name[:120],
                   "empty_language": empty_language == "1"})
