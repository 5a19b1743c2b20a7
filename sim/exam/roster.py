"""The room: candidates' accounts from a list of names, and the sheet of
logins with one-time passwords to hand out."""
from __future__ import annotations

import csv
import io
import re
import secrets
import unicodedata

from sqlalchemy import select

from sim.accounts.models import Role, User
from sim.accounts.service import create_user, set_password
from sim.db import UnitOfWork

MAX_NAMES = 200
# no 0/O, 1/l/I: read from paper, typed on a keyboard
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def read_roster(text: str, errors: dict[str, str]) -> list[tuple[str, str]]:
    """Names, one candidate a line: ``Nom;Prénom``, ``Nom,Prénom`` (a CSV, a
    header line ``nom;prénom`` allowed) or ``Prénom Nom``. Returns (first, last)."""
    from sim.parsing import has_control_characters

    names = []
    text = (text or "").strip()
    if not text:
        return names
    if len(text) > 64 * 1024 or has_control_characters(text, multiline=True):
        errors["roster"] = "Liste de noms illisible (64 Ko de texte au plus, sans caractère de contrôle)."
        return names
    delimiter = ";" if ";" in text else "," if "," in text else None
    lines = [line for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        if delimiter:
            cells = [c.strip() for c in next(csv.reader(io.StringIO(line), delimiter=delimiter))]
            if number == 1 and cells and cells[0].lower() in ("nom", "name", "last name"):
                continue
            last, first = (cells + ["", ""])[:2]
        else:
            parts = line.split()
            first, last = " ".join(parts[:-1]), parts[-1]
        if not last or not first or len(first) > 60 or len(last) > 60:
            errors["roster"] = f"Ligne {number} : « {line[:60]} » — attendu « Nom;Prénom » ou « Prénom Nom »."
            return []
        names.append((first, last))
    if len(names) > MAX_NAMES:
        errors["roster"] = f"{MAX_NAMES} candidats au plus par liste."
        return []
    return names


def _username(first: str, last: str, taken: set[str]) -> str:
    def plain(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
        return re.sub(r"[^a-z0-9]+", "-", text).strip("-")

    base = (f"{plain(first)}.{plain(last)}".strip(".") or "candidat")[:56]
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def add_candidates(engine, names: list[tuple[str, str]]) -> list[User]:
    """One candidate account per name (``prenom.nom``, numbered if taken), with
    no usable password until the login sheet gives it a one-time one."""
    with UnitOfWork(engine=engine) as uow:
        taken = set(uow.session.scalars(select(User.username)))
        users = []
        for first, last in names:
            user = create_user(uow, username=_username(first, last, taken), password=secrets.token_urlsafe(24),
                               role=Role.CANDIDATE, display_name=f"{first} {last.upper()}")
            user.must_change_password = True
            users.append(user)
        uow.commit()
    return users


def one_time_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(10))


def login_sheet(engine, session_id: int) -> tuple[str, bytes]:
    """(file name, PDF) of the session's logins. Candidates who still have a
    one-time password get a fresh one, printed here only (the previous sheet's
    stops working); the others keep their own password."""
    from sim.documents.rendering import html_to_pdf, render_html
    from sim.exam.service import get_session, workspaces_of

    session = get_session(engine, session_id)
    rows = []
    with UnitOfWork(engine=engine) as uow:
        for workspace in workspaces_of(engine, session_id):
            user = uow.session.get(User, workspace.owner_id)
            password = None
            if user.must_change_password:
                password = one_time_password()
                set_password(uow, user, password)
                user.must_change_password = True  # still one-time: to be replaced at the first login
            rows.append({"name": user.display_name or user.username, "username": user.username,
                         "password": password})
        uow.commit()
    rows.sort(key=lambda r: r["name"].lower())
    html = render_html("documents/login_sheet.html", {"session": session, "rows": rows})
    return f"Identifiants_session_{session.id}.pdf", html_to_pdf(html)
