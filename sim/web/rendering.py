"""Templates: one per page, htmx fragments as named blocks (jinja2-fragments)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks

from sim.config import get_settings
from sim.web.csrf import csrf_token

templates = Jinja2Blocks(directory=str(get_settings().templates_dir))


def eur(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format_currency(value, "EUR", locale="fr_FR")


def number(value: Decimal | None, digits: int = 0) -> str:
    if value is None:
        return ""
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=fmt, locale="fr_FR")


def qty(value: Decimal | None) -> str:
    """A quantity without useless zeros: 12, 12,5, 0,125."""
    if value is None:
        return ""
    return format_decimal(value.normalize() if value == value.to_integral() else value, locale="fr_FR")


def fr_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


templates.env.filters.update(eur=eur, number=number, qty=qty, fr_date=fr_date)


def render(request: Request, template: str, context: dict | None = None, *, block: str | None = None,
           status_code: int = 200, headers: dict | None = None):
    """Render the page, or only ``block`` (an htmx request replacing one fragment)."""
    ctx = {"csrf_token": csrf_token(request), "user": getattr(request.state, "user", None)}
    ctx.update(context or {})
    kwargs = {"block_name": block} if block else {}
    return templates.TemplateResponse(request, template, ctx, status_code=status_code, headers=headers, **kwargs)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _label(enum_path: str):
    def lookup(value: str) -> str:
        import importlib

        module, name = enum_path.rsplit(".", 1)
        enum = getattr(importlib.import_module(module), name)
        try:
            return enum(value).label
        except ValueError:
            return value
    return lookup


def terms_label(code: str) -> str:
    from sim.billing.terms import PAYMENT_TERMS

    return PAYMENT_TERMS.get(code, code)


templates.env.globals.update(
    terms_label=terms_label,
    method_label=_label("sim.crm.models.PaymentMethod"),
    claim_label=_label("sim.crm.models.ClaimStatus"),
    channel_label=_label("sim.crm.models.InteractionChannel"),
)
