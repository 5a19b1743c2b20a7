"""Templates: one per page, htmx fragments as named blocks (jinja2-fragments)."""
from __future__ import annotations

import re

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2_fragments.fastapi import Jinja2Blocks

from sim.billing.terms import terms_label
from sim.config import get_settings
from sim.formatting import FILTERS, eur  # noqa: F401  (eur: re-exported for tests)
from sim.web.csrf import csrf_token
from sim.web.shell import CANDIDATE_NAV

templates = Jinja2Blocks(directory=str(get_settings().templates_dir))


templates.env.filters.update(FILTERS)


def render(request: Request, template: str, context: dict | None = None, *, block: str | None = None,
           status_code: int = 200, headers: dict | None = None):
    """Render the page, or only ``block`` (an htmx request replacing one fragment)."""
    inspection = request.state._state.get("inspection")
    ctx = {"csrf_token": csrf_token(request), "user": getattr(request.state, "user", None), "inspection": inspection}
    ctx.update(context or {})
    if not block:  # a fragment never takes the message a full page is to show
        from sim.web.flash import pop_flash

        ctx.setdefault("flash", pop_flash(request))
    kwargs = {"block_name": block} if block else {}
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code, headers=headers, **kwargs)
    if inspection is not None and ctx.get("nav") is CANDIDATE_NAV:
        # a candidate's page read by a staff member: every form that would write is shown inert
        body = lock_write_forms(response.body.decode())
        response = HTMLResponse(body, status_code=status_code, headers={
            k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")})
    return response


_POST_FORM = re.compile(r'(<form\b[^>]*\bmethod="post"[^>]*>)(.*?)(</form>)', re.S | re.I)


def lock_write_forms(html: str) -> str:
    """Disable every POST form of a page (its fields and buttons inside a
    disabled fieldset), except the page shell's own (log out, leave the
    inspection: marked ``data-shell``). Forms never nest in HTML, so a form
    ends at the next ``</form>``. Done here, once, so that a form added to any
    candidate page later is inert for staff without its template knowing."""
    def lock(match: re.Match) -> str:
        opening, inner, closing = match.groups()
        if "data-shell" in opening:
            return match.group(0)
        return f'{opening}<fieldset class="inspection-lock" disabled>{inner}</fieldset>{closing}'
    return _POST_FORM.sub(lock, html)


def audio_response(content: bytes, mime: str, filename: str):
    """A sound file as evidence is served: played inline, its type not sniffed, never cached (a call's
    voice, a candidate's recorded answer)."""
    from fastapi.responses import Response

    return Response(content, media_type=mime, headers={
        "Content-Disposition": f'inline; filename="{filename}"', "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})


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
from sim.shipping.incoterms import CODES as _INCOTERM_CODES, TRANSPORT_MODES, rule as _incoterm_rule  # noqa: E402



def _regime_of(customer) -> str:
    from sim.billing.vat import vat_regime

    return vat_regime(customer.country, customer.vat_number, customer.kind) if customer else ""


templates.env.globals.update(incoterm_rule=_incoterm_rule, transport_modes=TRANSPORT_MODES, vat_regime_of=_regime_of,
                             incoterm_codes=[(code, code) for code in _INCOTERM_CODES])
