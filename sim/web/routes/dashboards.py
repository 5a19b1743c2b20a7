"""Dashboards (CP6): the list, a dashboard with its pivot builder, its panels,
commentary, refresh, exports (XLSX, CSV, PDF) and sending to management."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from sim.accounts.models import User
from sim.clock import sim_date
from sim.dashboards import charts, exports
from sim.dashboards import pivot as pivots
from sim.dashboards import service
from sim.documents.to_management import print_ahead, print_pdf
from sim.db import UnitOfWork
from sim.errors import SimError, ValidationFailed
from sim.web.deps import actor, candidate_only, candidate_or_inspector, viewing_uow, writing_uow
from sim.web.flash import flash
from sim.web.forms import new_form_token
from sim.web.forms import show_refusal as _refused
from sim.web.rendering import is_htmx, render
from sim.web.routes import form_data
from sim.web.routes import router as routes_router
from sim.web.shell import shell

router = routes_router()
BUILDER_FIELDS = ("measure", "rows", "columns", "from_month", "to_month", "category", "country", "region",
                  "sales_rep", "kind", "customer", "sort", "compare", "chart", "title")


def _strings(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _choices(uow) -> dict:
    return {"measures": pivots.MEASURES, "dimensions": pivots.DIMENSIONS, "sorts": pivots.SORTS,
            "compares": pivots.COMPARES, "charts": pivots.CHARTS, "kinds": pivots.KINDS,
            "regions": sorted(pivots._REGIONS) + ["Hors de France"], "categories": pivots.categories(uow),
            "reps": pivots.sales_reps(uow)}


@router.get("/dashboards")
def dashboard_list(request: Request, user: User = Depends(candidate_or_inspector),
                   uow: UnitOfWork = Depends(viewing_uow)):
    return _list_page(request, uow)


def _list_page(request, uow, errors=None, values=None, status_code=200):
    return render(request, "dashboards/dashboard_list.html",
                  {"dashboards": service.dashboards(uow), "counts": service.panel_counts(uow),
                   "errors": errors or {}, "values": values or {}, "form_token": new_form_token(),
                   **shell(uow, "dashboards")}, status_code=status_code)


@router.post("/dashboards")
def dashboard_create(request: Request, user: User = Depends(candidate_only), uow: UnitOfWork = Depends(writing_uow),
                     form: FormData = Depends(form_data)):
    values = _strings(form)
    try:
        dashboard = service.create_dashboard(uow, actor=actor(user), title=values.get("title", ""),
                                             objective=values.get("objective", ""),
                                             form_token=values.get("form_token"))
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _list_page(
            request, reader, errors=errors, values=values, status_code=status))
    flash(request, f"Tableau de bord {dashboard.number} créé : ajoutez-y vos graphiques.")
    return RedirectResponse(f"/dashboards/{dashboard.id}", status_code=303)


def _page(request, uow, dashboard_id, *, builder: dict | None = None, errors=None, values=None, status_code=200,
          block=None):
    dashboard = service._dashboard(uow, dashboard_id)
    today = sim_date(uow)
    builder = builder if builder is not None else {}
    preview = None
    builder_errors = dict(errors or {}) if builder else {}
    if builder.get("preview") and not builder_errors:
        try:
            preview = pivots.build(uow, pivots.read_spec(builder, today), today)
        except ValidationFailed as refused:
            builder_errors = refused.errors
            status_code = 422
    spec = pivots.default_spec(today)
    defaults = {"measure": spec.measure, "rows": spec.rows, "from_month": spec.from_month, "to_month": spec.to_month,
                "chart": spec.chart}
    context = {"dashboard": dashboard, "panels": service.panels(uow, dashboard), "preview": preview,
               "preview_chart": charts.draw(preview, builder.get("title", "")) if preview else None,
               "builder": {**defaults, **{k: v for k, v in builder.items() if v}}, "builder_errors": builder_errors,
               "errors": {} if builder else (errors or {}), "values": values or {}, "form_token": new_form_token(),
               "value_text": charts.value_text, "send_subject": f"Tableau de bord — {dashboard.title}",
               **_choices(uow), **shell(uow, "dashboards")}
    return render(request, "dashboards/dashboard_page.html", context, status_code=status_code, block=block)


@router.get("/dashboards/{dashboard_id}")
def dashboard_page(request: Request, dashboard_id: int, user: User = Depends(candidate_or_inspector),
                   uow: UnitOfWork = Depends(viewing_uow)):
    params = {k: v[:100] for k, v in request.query_params.items() if k in BUILDER_FIELDS or k == "preview"}
    return _page(request, uow, dashboard_id, builder=params,
                 block="preview" if is_htmx(request) and params.get("preview") else None)


@router.post("/dashboards/{dashboard_id}/panels")
def panel_add(request: Request, dashboard_id: int, user: User = Depends(candidate_only),
              uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = _strings(form)
    try:
        panel = service.add_panel(uow, actor=actor(user), dashboard_id=dashboard_id, values=values,
                                  form_token=values.get("form_token"))
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _page(
            request, reader, dashboard_id, builder={**{k: values.get(k, "") for k in BUILDER_FIELDS}, "shown": "1"},
            errors=errors, status_code=status))
    return RedirectResponse(f"/dashboards/{dashboard_id}#panel-{panel.id}", status_code=303)


@router.post("/dashboards/{dashboard_id}/panels/{panel_id}/delete")
def panel_remove(request: Request, dashboard_id: int, panel_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow)):
    try:
        service.remove_panel(uow, actor=actor(user), dashboard_id=dashboard_id, panel_id=panel_id)
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _page(
            request, reader, dashboard_id, errors=errors, status_code=status))
    flash(request, "Graphique retiré du tableau de bord.")
    return RedirectResponse(f"/dashboards/{dashboard_id}", status_code=303)


@router.post("/dashboards/{dashboard_id}/commentary")
def dashboard_comment(request: Request, dashboard_id: int, user: User = Depends(candidate_only),
                      uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = _strings(form)
    try:
        service.comment(uow, actor=actor(user), dashboard_id=dashboard_id, text=values.get("commentary", ""))
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _page(
            request, reader, dashboard_id, errors=errors, values=values, status_code=status))
    flash(request, "Commentaire enregistré.")
    return RedirectResponse(f"/dashboards/{dashboard_id}#commentary", status_code=303)


@router.post("/dashboards/{dashboard_id}/refresh")
def dashboard_refresh(request: Request, dashboard_id: int, user: User = Depends(candidate_only),
                      uow: UnitOfWork = Depends(writing_uow)):
    try:
        dashboard = service.refresh(uow, actor=actor(user), dashboard_id=dashboard_id)
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _page(
            request, reader, dashboard_id, errors=errors, status_code=status))
    flash(request, f"Tableau de bord {dashboard.number} actualisé : chiffres recalculés sur les données du jour.")
    return RedirectResponse(f"/dashboards/{dashboard_id}", status_code=303)


def _export(uow, user, dashboard, fmt: str) -> None:
    if not uow.inspecting:  # a staff member reading the workspace leaves no trace
        with uow.evidence():
            service.record_export(uow, actor=actor(user), dashboard=dashboard, fmt=fmt)


@router.get("/dashboards/{dashboard_id}/export.xlsx")
def dashboard_xlsx(request: Request, dashboard_id: int, user: User = Depends(candidate_or_inspector),
                   uow: UnitOfWork = Depends(viewing_uow)):
    dashboard = service._dashboard(uow, dashboard_id)
    content = exports.to_xlsx(dashboard, service.panels(uow, dashboard))
    name = service.filename(dashboard, "xlsx")
    _export(uow, user, dashboard, "xlsx")
    return Response(content, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/dashboards/{dashboard_id}/export.csv")
def dashboard_csv(request: Request, dashboard_id: int, user: User = Depends(candidate_or_inspector),
                  uow: UnitOfWork = Depends(viewing_uow)):
    dashboard = service._dashboard(uow, dashboard_id)
    content = exports.to_csv(service.panels(uow, dashboard))
    name = service.filename(dashboard, "csv")
    _export(uow, user, dashboard, "csv")
    return Response(content, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/dashboards/{dashboard_id}/pdf")
def dashboard_pdf(request: Request, dashboard_id: int, user: User = Depends(candidate_or_inspector),
                  uow: UnitOfWork = Depends(viewing_uow)):
    dashboard, html = service.render_html(uow, dashboard_id)
    name = service.filename(dashboard, "pdf")
    uow.rollback()  # WeasyPrint runs on no open transaction
    content = print_pdf(html)
    _export(uow, user, dashboard, "pdf")
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.post("/dashboards/{dashboard_id}/send")
def dashboard_send(request: Request, dashboard_id: int, user: User = Depends(candidate_only),
                   uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = _strings(form)
    # printed before the write lock (the unit of work has not begun): WeasyPrint never runs under it
    printed = print_ahead(uow, lambda reader: service.render_html(reader, dashboard_id)[1])
    try:
        service.send(uow, actor=actor(user), dashboard_id=dashboard_id, subject=values.get("subject", ""),
                     body=values.get("body", ""), printed=printed, form_token=values.get("form_token"))
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _page(
            request, reader, dashboard_id, errors=errors, values=values, status_code=status))
    flash(request, "Tableau de bord envoyé à la direction (PDF joint au courriel).")
    return RedirectResponse(f"/dashboards/{dashboard_id}", status_code=303)
