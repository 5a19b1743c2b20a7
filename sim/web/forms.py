"""Parsing submitted forms into service inputs."""
from __future__ import annotations

import re
import secrets

from sim.db import NotFound
from sim.parsing import clean_text, read_id
from sim.sales.service import LineInput

_LINE_FIELD = re.compile(r"^(product|qty|discount)-(\d{1,3})$")


def new_form_token() -> str:
    """A one-time token for a form, claimed by the action it submits."""
    return secrets.token_urlsafe(16)


def editor_rows(form) -> list[dict]:
    """The editor's rows as typed (product-N / qty-N / discount-N), in N order,
    each with its row number ``n``: what a refused form shows again."""
    rows: dict[int, dict] = {}
    for key, value in form.multi_items():
        match = _LINE_FIELD.match(key)
        if match and isinstance(value, str):
            rows.setdefault(int(match[2]), {"n": int(match[2])})[match[1]] = value.strip()
    return [rows[n] for n in sorted(rows)]


def row_input(row: dict) -> LineInput:
    return LineInput(row.get("product", ""), row.get("qty", ""), row.get("discount", "") or "0")


def line_inputs(form) -> tuple[list[LineInput], list[int]]:
    """The lines to price, fully empty rows dropped, with the row number N of
    each line, to put errors back on their row."""
    rows = [r for r in editor_rows(form) if r.get("product") or r.get("qty")]
    return [row_input(r) for r in rows], [r["n"] for r in rows]


def errors_by_row(errors: dict[str, str], numbers: list[int]) -> dict[str, str]:
    """Service keys lines-<i>-field → the form's field-<row> names."""
    mapped = {}
    for key, message in errors.items():
        match = re.match(r"^lines-(\d+)-(product|quantity|discount)$", key)
        if match and int(match[1]) < len(numbers):
            field = {"quantity": "qty"}.get(match[2], match[2])
            mapped[f"{field}-{numbers[int(match[1])]}"] = message
        else:
            mapped[key] = message
    return mapped


def indexed(form, prefix: str) -> dict[int, str]:
    """Fields named prefix-<id> (quantities per line, allocations per invoice).

    A name whose id can name no row (``ship-99999999999999999999``) is a
    forged form: NotFound (404), before anything reaches the database."""
    values = {}
    for key, value in form.multi_items():
        if key.startswith(prefix + "-") and isinstance(value, str):
            id_ = read_id(key[len(prefix) + 1:])
            if id_ is None:
                raise NotFound(key)
            values[id_] = value.strip()
    return values


def customer_key(raw: str) -> str:
    """'C00042 — Brasserie Bazin' or 'C00042' → 'C00042'."""
    text = clean_text(raw or "")
    if text is None or len(text) > 200:
        return ""  # no customer has such a code: "choose an existing customer"
    return text.split(" — ")[0].strip().upper()


def customer_from(uow, raw: str):
    """The customer a customer field names: 'C00042 — Name' (a suggestion
    chosen), 'C00042', its id, or words that designate one customer only."""
    from sqlalchemy import select

    from sim.crm.models import Customer
    from sim.crm.search import only_customer

    code = customer_key(raw)
    if not code:
        return None
    if code.isdigit():
        id_ = read_id(code)
        return uow.session.scalars(select(Customer).where(Customer.id == id_)).first() if id_ else None
    found = uow.session.scalars(select(Customer).where(Customer.code == code)).first()
    return found or only_customer(uow, raw)


def show_refusal(uow, refused, page):
    """A refused form: roll back (the write lock goes), then show the form again
    with its messages — ``page(reader, errors, status)`` renders it from a
    fresh read-only unit of work."""
    from sim.db import UnitOfWork
    from sim.errors import ValidationFailed

    uow.rollback()
    if isinstance(refused, ValidationFailed):
        errors, status = refused.errors, 422
    else:
        errors, status = {"form": refused.message}, refused.status_code
    with UnitOfWork(uow.workspace_id, write=False) as reader:
        return page(reader, errors, status)
