"""Communication supports (CP5): the list, the editor with its live preview per
channel, the support's page, publishing, the leaflet's PDF."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData

from sim.accounts.models import User
from sim.clock import sim_now
from sim.communication import channels as limits
from sim.communication import service
from sim.communication.models import Channel, CommunicationRequest, CommunicationSupport, SupportKind
from sim.company.service import company_of
from sim.communication.rendering import logo_svg, social_text, to_html
from sim.communication.segments import COUNTRIES, FILTER_NAMES, describe
from sim.evaluation.mentions import language_of
from sim.writing import spelling
from sim.company.models import Company, SalesRep
from sim.db import UnitOfWork
from sim.errors import SimError, ValidationFailed
from sim.web.deps import actor, candidate_only, candidate_or_inspector, reading_uow, viewing_uow, writing_uow
from sim.web.flash import flash
from sim.web.forms import new_form_token
from sim.web.rendering import render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell

router = routes_router()
FIELDS = ("kind", "channel", "title", "objective", "body", "request", "form_token", "revision")
EXCLUDED_SHOWN = 40


def _values(form) -> dict:
    values = {k: str(form.get(k, "")) for k in FIELDS}
    values["filters"] = {name: str(form.get(f"seg_{name}", "")) for name in FILTER_NAMES}
    return values


def _values_of(uow, support: CommunicationSupport) -> dict:
    request = uow.session.get(CommunicationRequest, support.request_id) if support.request_id else None
    filters = {k: ("" if v is None else "1" if v is True else "0" if v is False else str(v))
               for k, v in (support.filters or {}).items()}
    return {"kind": support.kind, "channel": support.channel, "title": support.title,
            "objective": support.objective, "body": support.body, "request": request.event_key if request else "",
            "revision": str(support.revision), "filters": filters}


def _preview(uow, values: dict) -> dict:
    """What the preview shows for the values typed: the channel's rendering, its
    limits (and every channel's, to compare), the segment with its exclusions."""
    from sim.communication.segments import read_filters

    kind = values.get("kind") if values.get("kind") in {k.value for k in SupportKind} else SupportKind.OFFER
    channel = values.get("channel") if values.get("channel") in {c.value for c in Channel} else Channel.EMAIL
    filters, _ = read_filters(values.get("filters") or {})
    segment = service.segment_of(uow, {"kind": kind, "channel": channel, "filters": filters}, shown=EXCLUDED_SHOWN)
    title, body = values.get("title", ""), values.get("body", "")
    company = company_of(uow)
    reps = dict(uow.session.execute(select(SalesRep.id, SalesRep.first_name + " " + SalesRep.last_name)).all())
    text = f"{title}\n{body}"
    language = language_of(text)  # as the evaluator's engine reads it
    try:
        flagged = spelling.flagged_words(text, language or "fr")
    except spelling.DictionaryMissing:
        flagged = None  # no dictionary installed: the spelling line is not shown
    return {
        "p_kind": kind, "p_channel": channel, "company": company, "logo": logo_svg(company),
        "logo_small": logo_svg(company, 28), "html": to_html(body), "post": social_text(body),
        "title": title, "checks": limits.check(channel, title, body),
        "all_checks": {c.value: (c.label, limits.check(c.value, title, body)) for c in Channel},
        "segment": segment, "segment_text": describe(filters, reps), "excluded_shown": EXCLUDED_SHOWN,
        "audience": service.audience(uow, channel), "language": language, "spelling": flagged,
    }


def _editor_context(uow, values: dict, support: CommunicationSupport | None) -> dict:
    requests = service.requests(uow)
    return {
        "values": values, "support": support, "kinds": list(SupportKind), "channels": list(Channel),
        "requests": requests, "countries": COUNTRIES,
        "reps": uow.session.scalars(select(SalesRep).order_by(SalesRep.last_name)).all(),
        "form_token": values.get("form_token") or new_form_token(),
        "action": f"/communication/{support.id}/edit" if support else "/communication",
        **_preview(uow, values), **shell(uow, "communication"),
    }


def _editor(request, uow, values, support=None, errors=None, status_code=200):
    return render(request, "communication/editor.html",
                  {**_editor_context(uow, values, support), "errors": errors or {}}, status_code=status_code)


# ===== the list ==========================================================

@router.get("/communication")
def support_list(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    supports = uow.session.scalars(select(CommunicationSupport).order_by(CommunicationSupport.created_at.desc(),
                                                                         CommunicationSupport.id.desc())).all()
    answered = {s.request_id for s in supports if s.request_id and s.status == "published"}
    return render(request, "communication/support_list.html", {
        "supports": supports, "requests": service.requests(uow), "answered": answered,
        "kind_labels": {k.value: k.label for k in SupportKind}, "channel_labels": {c.value: c.label for c in Channel},
        **shell(uow, "communication")})


@router.get("/communication/brand.css")
def brand_stylesheet(uow: UnitOfWork = Depends(viewing_uow)):
    """The company's colours for the previews (the pages allow no inline style)."""
    from sim.communication.rendering import brand_css

    return Response(brand_css(uow.session.scalar(select(Company))), media_type="text/css",
                    headers={"Cache-Control": "private, max-age=60"})


# ===== the editor ========================================================

@router.get("/communication/new")
def new_support(request: Request, uow: UnitOfWork = Depends(reading_uow)):
    asked = str(request.query_params.get("request", ""))
    found = next((r for r in service.requests(uow) if r.event_key == asked), None)
    channel = next((c for c in (found.channels if found else []) if c in {c.value for c in Channel}), "email")
    values = {"kind": "social_post" if channel == "social" else "offer", "channel": channel, "title": "",
              "objective": found.objective if found else "", "body": "", "request": found.event_key if found else "",
              "filters": {"status": "customer", "exclude_litigation": "1"}}
    return _editor(request, uow, values)


@router.post("/communication/preview")
def support_preview(request: Request, uow: UnitOfWork = Depends(reading_uow), form: FormData = Depends(form_data)):
    """The editor's live preview (htmx): nothing is written."""
    values = _values(form)
    return render(request, "communication/editor.html", {"values": values, **_preview(uow, values)},
                  block="support_preview")


def _service_values(values: dict) -> dict:
    return {"kind": values["kind"], "channel": values["channel"], "title": values["title"],
            "objective": values["objective"], "body": values["body"], "filters": values["filters"],
            "request_event": values["request"]}


@router.post("/communication")
def create_support(request: Request, user: User = Depends(candidate_only), uow: UnitOfWork = Depends(writing_uow),
                   form: FormData = Depends(form_data)):
    values = _values(form)
    try:
        support = service.create_support(uow, actor=actor(user), form_token=values["form_token"],
                                         **_service_values(values))
        uow.commit()
    except SimError as refused:
        uow.rollback()
        errors = refused.errors if isinstance(refused, ValidationFailed) else {"form": refused.message}
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _editor(request, reader, values, errors=errors, status_code=refused.status_code)
    flash(request, f"Brouillon {support.number} enregistré.")
    return RedirectResponse(f"/communication/{support.id}", status_code=303)


@router.get("/communication/{support_id}/edit")
def edit_support(request: Request, support_id: int, uow: UnitOfWork = Depends(reading_uow)):
    support = uow.get(CommunicationSupport, support_id)
    if support.status != "draft":
        return RedirectResponse(f"/communication/{support.id}", status_code=303)
    return _editor(request, uow, _values_of(uow, support), support)


def _revision(values) -> int | None:
    """The revision the page showed (None: a form without one); a forged one is refused."""
    raw = values.get("revision", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        raise ValidationFailed({"form": "Formulaire invalide (révision altérée) : rechargez la page."})
    return int(raw)


@router.post("/communication/{support_id}/edit")
def save_support(request: Request, support_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = _values(form)
    support = uow.get(CommunicationSupport, support_id)
    try:
        service.update_support(uow, actor=actor(user), support_id=support.id, revision=_revision(values),
                               **_service_values(values))
        uow.commit()
    except SimError as refused:
        uow.rollback()
        errors = refused.errors if isinstance(refused, ValidationFailed) else {"form": refused.message}
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _editor(request, reader, values, reader.get(CommunicationSupport, support_id), errors=errors,
                           status_code=refused.status_code)
    flash(request, f"Brouillon {support.number} enregistré.")
    return RedirectResponse(f"/communication/{support_id}", status_code=303)


# ===== the support's page, publishing ====================================

def _page(request, uow, support, errors=None, status_code=200):
    values = _values_of(uow, support)
    req = uow.session.get(CommunicationRequest, support.request_id) if support.request_id else None
    return render(request, "communication/support_page.html", {
        "support": support, "values": values, "request_row": req, "errors": errors or {},
        "kind_label": SupportKind(support.kind).label, "channel_label": Channel(support.channel).label,
        "response_shown": service.response_shown(uow, support),
        "response_on": support.published_at + service.RESPONSE_AFTER if support.published_at else None,
        "now": sim_now(uow), **_preview(uow, values), **shell(uow, "communication")}, status_code=status_code)


@router.get("/communication/{support_id}")
def support_page(request: Request, support_id: int, user: User = Depends(candidate_or_inspector),
                 uow: UnitOfWork = Depends(viewing_uow)):
    return _page(request, uow, uow.get(CommunicationSupport, support_id))


@router.post("/communication/{support_id}/publish")
def publish_support(request: Request, support_id: int, user: User = Depends(candidate_only),
                    uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    support = uow.get(CommunicationSupport, support_id)
    try:
        service.publish(uow, actor=actor(user), support_id=support.id,
                        revision=_revision({"revision": str(form.get("revision", ""))}))
        uow.commit()
    except SimError as refused:
        uow.rollback()
        errors = refused.errors if isinstance(refused, ValidationFailed) else {"form": refused.message}
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _page(request, reader, reader.get(CommunicationSupport, support_id), errors=errors,
                         status_code=refused.status_code)
    flash(request, f"Support {support.number} publié.")
    return RedirectResponse(f"/communication/{support_id}", status_code=303)


@router.get("/communication/{support_id}/leaflet.pdf")
def leaflet_pdf(support_id: int, user: User = Depends(candidate_or_inspector), uow: UnitOfWork = Depends(viewing_uow)):
    """The support printed as an A5 leaflet (any channel's text can be printed; nothing is journaled)."""
    from sim.documents.rendering import html_to_pdf, render_html

    support = uow.get(CommunicationSupport, support_id)
    company = uow.session.scalar(select(Company))
    from sim.communication.rendering import colour

    html = render_html("documents/leaflet.html", {
        "support": support, "company": company, "logo": logo_svg(company, 64), "html": to_html(support.body),
        "brand": colour(company.brand_colour, "#1f4e79"), "accent": colour(company.accent_colour, "#e07b00")})
    uow.session.close()  # the connection goes back to the pool while WeasyPrint prints
    return Response(html_to_pdf(html), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{support.number}.pdf"'})


# ===== a customer's consents (the customer page's form) ==================

@router.post("/customers/{customer_id}/consents")
def customer_consents(request: Request, customer_id: int, user: User = Depends(candidate_only),
                      uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    """Record the consents a customer gave or withdrew, or its objection (sim/communication/consents.py)."""
    from sim.communication.consents import record_consents
    from sim.web.forms import show_refusal
    from sim.web.routes.customers import _page_context

    given = {str(v) for v in form.getlist("consent")}
    objection = str(form.get("objection", ""))
    try:
        if objection not in ("", "1"):
            raise ValidationFailed({"consent_form": "Opposition : cochée ou non."})
        changes = record_consents(uow, actor=actor(user), customer_id=customer_id, given=given,
                                  objected=objection == "1", source=str(form.get("consent_source", "")),
                                  seen_revision=str(form.get("consent_revision", "")))
        uow.commit()
    except SimError as refused:
        return show_refusal(uow, refused, lambda reader, errors, status: render(
            request, "crm/customer_page.html",
            {**_page_context(reader, customer_id, errors=errors), "consent_values": {
                "consent": given, "objection": objection, "source": str(form.get("consent_source", ""))}},
            status_code=status))
    if changes:
        flash(request, "Consentements enregistrés : le prochain emailing en tiendra compte.")
    return RedirectResponse(f"/customers/{customer_id}#consentements", status_code=303)
