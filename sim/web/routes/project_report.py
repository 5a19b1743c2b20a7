"""The commercial action project's report to management (CP7): the PDF
(checklist, tasks, budget per post) and the form that sends it, attached to a
message to management (``sim.projects.report``). The project's own pages are
in ``projects.py``; the form block is ``templates/projects/_send.html``, which
the project page includes."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from sim.accounts.models import User
from sim.db import UnitOfWork
from sim.documents.to_management import print_ahead, print_pdf
from sim.errors import SimError
from sim.projects import report
from sim.projects import service
from sim.web.deps import actor, candidate_only, candidate_or_inspector, viewing_uow, writing_uow
from sim.web.flash import flash
from sim.web.forms import new_form_token
from sim.web.forms import show_refusal as _refused
from sim.web.rendering import is_htmx, render
from sim.web.routes import form_data
from sim.web.routes import router as routes_router
from sim.web.shell import shell

router = routes_router()


def default_subject(project) -> str:
    return f"{project.name} — check-list, planning et budget"


def send_context(project, *, errors=None, values=None) -> dict:
    """What ``projects/_send.html`` reads (the project page passes the same)."""
    return {"project": project, "send_errors": errors or {}, "send_values": values or {},
            "send_subject": default_subject(project), "send_form_token": new_form_token()}


def _send_page(request, uow, project_id: int, *, errors=None, values=None, status_code=200):
    found = service.project(uow, project_id)
    context = {**send_context(found, errors=errors, values=values), **shell(uow, "projects")}
    if is_htmx(request):
        return render(request, "projects/_send.html", context, status_code=status_code, block="project_send")
    return render(request, "projects/report_send.html", context, status_code=status_code)


@router.get("/projects/{project_id}/report.pdf")
def project_report_pdf(request: Request, project_id: int, user: User = Depends(candidate_or_inspector),
                       uow: UnitOfWork = Depends(viewing_uow)):
    found, html = report.render_html(uow, project_id)
    name = report.filename(found)
    uow.rollback()  # WeasyPrint runs on no open transaction
    return Response(print_pdf(html), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.post("/projects/{project_id}/send")
def project_send(request: Request, project_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    # printed before the write lock (the unit of work has not begun): WeasyPrint never runs under it
    printed = print_ahead(uow, lambda reader: report.render_html(reader, project_id)[1])
    try:
        report.send_to_management(uow, actor=actor(user), project_id=project_id,
                                  subject=values.get("subject", ""), body=values.get("body", ""),
                                  printed=printed, form_token=values.get("form_token"))
        uow.commit()
    except SimError as refused:
        return _refused(uow, refused, lambda reader, errors, status: _send_page(
            request, reader, project_id, errors=errors, values=values, status_code=status))
    flash(request, "Dossier du projet envoyé à la direction (PDF joint au courriel).")
    return RedirectResponse(f"/projects/{project_id}", status_code=303)
