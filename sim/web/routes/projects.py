"""Commercial action projects (CP7): the list, a new project, and the project
page — objectives, checklist (htmx fragment), tasks and their Gantt timeline,
late tasks, budget with the supplier quotes, review — and its iCalendar
(sim/projects/service.py, calendar.py, timeline.py)."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from starlette.datastructures import FormData

from sim.accounts.models import User
from sim.clock import sim_date, sim_now
from sim.db import UnitOfWork
from sim.errors import SimError, ValidationFailed
from sim.formatting import eur
from sim.projects import calendar, service, timeline
from sim.projects.models import ProjectKind, ProjectTask, TaskStatus
from sim.web.deps import actor, candidate_only, reading_uow, viewing_uow, writing_uow
from sim.web.flash import flash
from sim.web.forms import new_form_token, show_refusal
from sim.web.rendering import is_htmx, render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import shell

router = routes_router()
OBJECTIVE_ROWS = service.MAX_OBJECTIVES


def _strings(form: FormData, keys) -> dict[str, str]:
    return {k: str(form.get(k, "")) for k in keys}


def _objective_rows(form: FormData) -> list[dict]:
    return [{"label": str(form.get(f"objective_label_{i}", "")), "target": str(form.get(f"objective_target_{i}", "")),
             "unit": str(form.get(f"objective_unit_{i}", ""))} for i in range(OBJECTIVE_ROWS)]


def _checkbox(raw: str, key: str) -> bool:
    """A checkbox: absent or "1" ("on" from a browser without a value); anything else is a forged form."""
    if raw not in ("", "1", "on"):
        raise ValidationFailed({key: "Case à cocher : valeur inconnue."})
    return raw != ""


# ===== the list ==========================================================

def _status(project, today) -> tuple[str, str]:
    if project.reviewed_at:
        return "Bilan fait", "s-paid"
    if project.sent_at:
        return "Envoyé à la direction", "s-sent"
    if project.event_date and project.event_date < today:
        return "Réalisée, bilan à faire", "s-partial"
    return "En préparation", ""


@router.get("/projects")
def project_list(request: Request, uow: UnitOfWork = Depends(viewing_uow)):
    today = sim_date(uow)
    late = dict(uow.session.execute(
        select(ProjectTask.project_id, func.count(ProjectTask.id))
        .where(ProjectTask.status != TaskStatus.DONE.value, ProjectTask.due_date < today)
        .group_by(ProjectTask.project_id)).all())
    rows = [{"p": p, "late": late.get(p.id, 0), "status": _status(p, today),
             "kind": ProjectKind(p.kind).label if p.kind in ProjectKind._value2member_map_ else p.kind}
            for p in service.projects(uow)]
    return render(request, "projects/project_list.html", {"rows": rows, **shell(uow, "projects")})


# ===== a new project =====================================================

def _new_page(request, uow, values, errors=None, status_code=200):
    return render(request, "projects/project_new.html",
                  {"values": values, "errors": errors or {}, "kinds": list(ProjectKind),
                   "objective_rows": 4, "form_token": values.get("form_token") or new_form_token(),
                   **shell(uow, "projects")}, status_code=status_code)


@router.get("/projects/new")
def project_new(request: Request, uow: UnitOfWork = Depends(reading_uow)):
    return _new_page(request, uow, {"kind": ProjectKind.TRADE_SHOW.value})


@router.post("/projects")
def project_create(request: Request, user: User = Depends(candidate_only), uow: UnitOfWork = Depends(writing_uow),
                   form: FormData = Depends(form_data)):
    values = _strings(form, ("kind", "name", "place", "event_date", "budget_amount", "form_token"))
    objectives = _objective_rows(form)
    values |= {f"objective_{part}_{i}": row[part] for i, row in enumerate(objectives) for part in row}
    try:
        created = service.create_project(
            uow, actor=actor(user), kind=values["kind"], name=values["name"], place=values["place"],
            event_date=values["event_date"], budget_amount=values["budget_amount"], objectives=objectives,
            form_token=values["form_token"])
        uow.commit()
    except SimError as refused:
        return show_refusal(uow, refused, lambda reader, errors, status: _new_page(
            request, reader, values, errors, status))
    flash(request, f"Action commerciale {created.number} créée : complétez la check-list, planifiez les tâches.")
    return RedirectResponse(f"/projects/{created.id}", status_code=303)


# ===== the project page ==================================================

def _context(uow, project_id: int, *, section: str = "", target=None, values=None, errors=None,
             notice: str = "") -> dict:
    found = service.project(uow, project_id)
    today = sim_date(uow)
    task_list = service.tasks(uow, found)
    costs = service.costs(uow, found)
    totals = service.budget(uow, found)
    actual_by_post: dict[str, object] = {}
    for line in costs:
        if line.actual_amount is not None:
            actual_by_post[line.post] = actual_by_post.get(line.post, 0) + line.actual_amount
    late = [t for t in task_list if timeline.state_of(t, today) == "late"]
    kind_label = ProjectKind(found.kind).label if found.kind in ProjectKind._value2member_map_ else found.kind
    errors = errors or {}
    return {
        "project": found, "kind_label": kind_label, "today": today, "items": service.items(uow, found),
        "tasks": task_list, "late": late, "problems": service.order_problems(task_list),
        "chart": timeline.layout(task_list, today, found.event_date,
                                 "Salon" if found.kind == ProjectKind.TRADE_SHOW.value else "Jour J"),
        "states": {t.id: timeline.state_of(t, today) for t in task_list}, "statuses": list(TaskStatus),
        "deps": {t.id: ", ".join(f"T{n}" for n in t.depends_on) for t in task_list},
        "costs": costs, "totals": totals, "actual_by_post": actual_by_post, "posts": service.POSTS,
        "quotes": service.quotes(uow), "spent": service.spent(totals),
        "cost_per_lead": service.cost_per_lead(totals, found.leads),
        "leads_found": service.leads_during(uow, found),
        # the objective the leads answer to (« 120 contacts qualifiés »), when there is one
        "lead_target": next((o for o in found.objectives if any(
            word in service.fold(f"{o.get('label', '')} {o.get('unit', '')}")
            for word in ("contact", "lead", "prospect", "visiteur"))), None),
        "objective_rows": min(max(len(found.objectives) + 2, 3), OBJECTIVE_ROWS),
        # which form the messages belong to (one page, several forms)
        "section": section, "target": target, "values": values or {}, "errors": errors, "notice": notice,
        "form_token": new_form_token(),
    }


def _page(request, uow, project_id, *, status_code=200, block=None, **context):
    return render(request, "projects/project_page.html",
                  {**_context(uow, project_id, **context), **shell(uow, "projects")},
                  status_code=status_code, block=block)


@router.get("/projects/{project_id}")
def project_page(request: Request, project_id: int, task: str = "", uow: UnitOfWork = Depends(viewing_uow)):
    from sim.parsing import read_id

    editing = read_id(task[:20]) if task else None
    return _page(request, uow, project_id, section="task" if editing else "", target=editing)


@router.get("/projects/{project_id}/calendar.ics")
def project_calendar(request: Request, project_id: int, uow: UnitOfWork = Depends(viewing_uow)):
    found = service.project(uow, project_id)
    content = calendar.to_ics(found, service.tasks(uow, found), sim_now(uow))
    return Response(content, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{found.number}.ics"'})


def _act(request, uow: UnitOfWork, project_id: int, do, *, section: str, anchor: str, done, target=None,
         values=None, fragment: str | None = None):
    """Run one service call and commit; a refusal shows the page (or the fragment) again with its messages."""
    service.project(uow, project_id)  # NotFound (404) for another workspace's project
    htmx = fragment is not None and is_htmx(request)
    try:
        result = do()
        uow.commit()
    except SimError as refused:
        return show_refusal(uow, refused, lambda reader, errors, status: _page(
            request, reader, project_id, status_code=status, block=fragment if htmx else None, section=section,
            target=target, values=values, errors=errors))
    message = done(result) if callable(done) else done
    if htmx:
        with UnitOfWork(uow.workspace_id, write=False) as reader:
            return _page(request, reader, project_id, block=fragment, section=section, notice=message)
    flash(request, message)
    return RedirectResponse(f"/projects/{project_id}#{anchor}", status_code=303)


@router.post("/projects/{project_id}/objectives")
def project_objectives(request: Request, project_id: int, user: User = Depends(candidate_only),
                       uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    objectives = _objective_rows(form)
    values = {f"objective_{part}_{i}": row[part] for i, row in enumerate(objectives) for part in row}
    return _act(request, uow, project_id, lambda: service.edit_objectives(
        uow, actor=actor(user), project_id=project_id, objectives=objectives),
        section="objectives", anchor="objectifs", values=values, done="Objectifs enregistrés.")


# --- the checklist (an htmx fragment: #checklist) ---

@router.post("/projects/{project_id}/checklist")
def checklist_add(request: Request, project_id: int, user: User = Depends(candidate_only),
                  uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = _strings(form, ("label",))
    return _act(request, uow, project_id, lambda: service.add_item(
        uow, actor=actor(user), project_id=project_id, label=values["label"]),
        section="item-new", anchor="checklist", values=values, fragment="checklist",
        done=lambda item: f"« {item.label} » ajouté à la check-list.")


@router.post("/projects/{project_id}/checklist/{checklist_item_id}")
def checklist_edit(request: Request, project_id: int, checklist_item_id: int, user: User = Depends(candidate_only),
                   uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    values = _strings(form, ("label", "done"))
    return _act(request, uow, project_id, lambda: service.edit_item(
        uow, actor=actor(user), project_id=project_id, item_id=checklist_item_id, label=values["label"],
        done=_checkbox(values["done"], "done")),
        section="item", target=checklist_item_id, anchor="checklist", values=values, fragment="checklist",
        done=lambda item: f"« {item.label} » {'fait' if item.done else 'enregistré'}.")


@router.post("/projects/{project_id}/checklist/{checklist_item_id}/delete")
def checklist_remove(request: Request, project_id: int, checklist_item_id: int,
                     user: User = Depends(candidate_only), uow: UnitOfWork = Depends(writing_uow)):
    return _act(request, uow, project_id, lambda: service.remove_item(
        uow, actor=actor(user), project_id=project_id, item_id=checklist_item_id),
        section="item", target=checklist_item_id, anchor="checklist", fragment="checklist",
        done="Élément retiré de la check-list.")


# --- tasks ---

TASK_FIELDS = ("title", "owner", "start_date", "due_date", "depends_on")


@router.post("/projects/{project_id}/tasks")
def task_add(request: Request, project_id: int, user: User = Depends(candidate_only),
             uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _strings(form, TASK_FIELDS)
    return _act(request, uow, project_id, lambda: service.add_task(
        uow, actor=actor(user), project_id=project_id, title=v["title"], owner=v["owner"],
        start_date=v["start_date"], due_date=v["due_date"], depends_on=v["depends_on"]),
        section="task-new", anchor="taches", values=v, done=lambda t: f"Tâche T{t.number} « {t.title} » planifiée.")


@router.post("/projects/{project_id}/tasks/{task_id}")
def task_edit(request: Request, project_id: int, task_id: int, user: User = Depends(candidate_only),
              uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _strings(form, TASK_FIELDS)
    return _act(request, uow, project_id, lambda: service.edit_task(
        uow, actor=actor(user), project_id=project_id, task_id=task_id, title=v["title"], owner=v["owner"],
        start_date=v["start_date"], due_date=v["due_date"], depends_on=v["depends_on"]),
        section="task", target=task_id, anchor="taches", values=v,
        done=lambda t: f"Tâche T{t.number} « {t.title} » replanifiée.")


@router.post("/projects/{project_id}/tasks/{task_id}/status")
def task_status(request: Request, project_id: int, task_id: int, user: User = Depends(candidate_only),
                uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _strings(form, ("status",))
    return _act(request, uow, project_id, lambda: service.set_task_status(
        uow, actor=actor(user), project_id=project_id, task_id=task_id, status=v["status"]),
        section="status", target=task_id, anchor="taches", values=v,
        done=lambda t: f"T{t.number} « {t.title} » : {TaskStatus(t.status).label.lower()}.")


# --- budget ---

@router.post("/projects/{project_id}/quotes/{supplier_quote_id}/accept")
def quote_accept(request: Request, project_id: int, supplier_quote_id: int, user: User = Depends(candidate_only),
                 uow: UnitOfWork = Depends(writing_uow)):
    return _act(request, uow, project_id, lambda: service.accept_quote(
        uow, actor=actor(user), project_id=project_id, quote_id=supplier_quote_id),
        section="quote", target=supplier_quote_id, anchor="budget",
        done=lambda line: f"Devis retenu : {line.label} pour {eur(line.planned_amount)} HT, ajouté au budget.")


@router.post("/projects/{project_id}/costs")
def cost_add(request: Request, project_id: int, user: User = Depends(candidate_only),
             uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _strings(form, ("post", "label", "planned_amount", "actual_amount"))
    return _act(request, uow, project_id, lambda: service.add_cost(
        uow, actor=actor(user), project_id=project_id, post=v["post"], label=v["label"],
        planned_amount=v["planned_amount"], actual_amount=v["actual_amount"]),
        section="cost-new", anchor="budget", values=v,
        done=lambda line: f"Ligne « {line.label} » ajoutée au budget ({eur(line.planned_amount)} HT prévus).")


@router.post("/projects/{project_id}/costs/{cost_id}/actual")
def cost_actual(request: Request, project_id: int, cost_id: int, user: User = Depends(candidate_only),
                uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _strings(form, ("actual_amount",))
    return _act(request, uow, project_id, lambda: service.set_actual(
        uow, actor=actor(user), project_id=project_id, cost_id=cost_id, actual_amount=v["actual_amount"]),
        section="cost", target=cost_id, anchor="budget", values=v,
        done=lambda line: f"Dépense réelle de « {line.label} » : {eur(line.actual_amount)} HT.")


# --- review ---

@router.post("/projects/{project_id}/review")
def project_review(request: Request, project_id: int, user: User = Depends(candidate_only),
                   uow: UnitOfWork = Depends(writing_uow), form: FormData = Depends(form_data)):
    v = _strings(form, ("leads", "orders", "notes"))

    def do():
        found = service.record_review(uow, actor=actor(user), project_id=project_id, leads=v["leads"],
                                      orders=v["orders"], notes=v["notes"])
        return service.cost_per_lead(service.budget(uow, found), found.leads)
    return _act(request, uow, project_id, do, section="review", anchor="bilan", values=v,
                done=lambda cost: "Bilan enregistré" + (f" : coût par contact {eur(cost)} HT."
                                                        if cost is not None else "."))
