"""Templates: one per page, htmx fragments as named blocks (jinja2-fragments)."""
from __future__ import annotations

from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks

from sim.billing.terms import terms_label
from sim.config import get_settings
from sim.formatting import FILTERS, eur  # noqa: F401  (eur: re-exported for tests)
from sim.web.csrf import csrf_token

templates = Jinja2Blocks(directory=str(get_settings().templates_dir))


templates.env.filters.update(FILTERS)


def render(request: Request, template: str, context: dict | None = None, *, block: str | None = None,
           status_code: int = 200, headers: dict | None = None):
    """Render the page, or only ``block`` (an htmx request replacing one fragment)."""
    ctx = {"csrf_token": csrf_token(request), "user": getattr(request.state, "user", None)}
    ctx.update(context or {})
    if not block:  # a fragment never takes the message a full page is to show
        from sim.web.flash import pop_flash

        ctx.setdefault("flash", pop_flash(request))
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


templates.env.globals.update(
    terms_label=terms_label,
    method_label=_label("sim.crm.models.PaymentMethod"),
    claim_label=_label("sim.crm.models.ClaimStatus"),
    channel_label=_label("sim.crm.models.InteractionChannel"),
)
