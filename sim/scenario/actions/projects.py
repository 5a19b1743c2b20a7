"""Candidate-script actions for the commercial action project (CP7,
``sim.projects``): the checklist, the tasks, the budget from the supplier
quotes, the review, the report sent to management. Each names the project
as the scenario does (``project: salon``, the ``trade_show_announced``
event's ``name``) and goes through the same services as the pages."""
from __future__ import annotations

from sim.errors import SimError
from sim.scenario.actions import ACTOR
from sim.scenario.actions._fields import DAY as _DAY
from sim.scenario.actions._fields import TEXT as _TEXT

_AMOUNT = {"type": ["number", "string"]}
_PROJECT = {"project": {"type": "string", "description": "le projet, nommé par l'événement trade_show_announced"}}


def _project(ctx, spec):
    return ctx.entity("project", spec["project"])


def _item(uow, project, ref):
    """A checklist item by its number in the list (1, 2…) or its current label (accents and case ignored)."""
    from sim.projects import service

    items = service.items(uow, project)
    text = str(ref).strip()
    if text.isdigit():
        found = [i for i in items if i.position == int(text)]
    else:
        found = [i for i in items if service.fold(i.label) == service.fold(text)]
    if not found:
        raise SimError(f"Aucun élément « {ref} » dans la check-list du projet {project.number}.")
    return found[0]


def _task(uow, project, ref):
    """A task by its number: ``T2``, ``2``."""
    from sim.projects import service

    text = str(ref).strip().upper().removeprefix("T")
    found = [t for t in service.tasks(uow, project) if text.isdigit() and t.number == int(text)]
    if not found:
        raise SimError(f"Aucune tâche « {ref} » dans le projet {project.number}.")
    return found[0]


def add_checklist_item(uow, ctx, spec):
    from sim.projects.service import add_item

    add_item(uow, actor=ACTOR, project_id=_project(ctx, spec).id, label=spec["label"])


def edit_checklist_item(uow, ctx, spec):
    from sim.projects.service import edit_item

    project = _project(ctx, spec)
    item = _item(uow, project, spec["item"])
    edit_item(uow, actor=ACTOR, project_id=project.id, item_id=item.id, label=spec.get("label", item.label),
              done=spec.get("done", item.done))


def add_task(uow, ctx, spec):
    from sim.projects.service import add_task as service

    depends = spec.get("depends_on") or []
    service(uow, actor=ACTOR, project_id=_project(ctx, spec).id, title=spec["title"], owner=spec.get("owner", ""),
            start_date=spec["start"], due_date=spec["due"],
            depends_on=depends if isinstance(depends, list) else str(depends))


def set_task_status(uow, ctx, spec):
    from sim.projects.service import set_task_status as service

    project = _project(ctx, spec)
    service(uow, actor=ACTOR, project_id=project.id, task_id=_task(uow, project, spec["task"]).id,
            status=spec["status"])


def accept_quote(uow, ctx, spec):
    from sim.projects.service import accept_quote as service

    service(uow, actor=ACTOR, project_id=_project(ctx, spec).id,
            quote_id=ctx.entity("supplier_quote", spec["supplier_quote"]).id)


def add_cost(uow, ctx, spec):
    from sim.projects.service import add_cost as service

    service(uow, actor=ACTOR, project_id=_project(ctx, spec).id, post=spec["post"], label=spec["label"],
            planned_amount=str(spec["planned"]),
            actual_amount=str(spec["actual"]) if spec.get("actual") is not None else None)


def set_actual(uow, ctx, spec):
    """The actual amount of a budget line, named by its label (accents and case ignored)."""
    from sim.projects import service

    project = _project(ctx, spec)
    lines = [c for c in service.costs(uow, project) if service.fold(c.label) == service.fold(spec["line"])]
    if not lines:
        raise SimError(f"Aucune ligne « {spec['line']} » au budget du projet {project.number}.")
    service.set_actual(uow, actor=ACTOR, project_id=project.id, cost_id=lines[0].id, actual_amount=str(spec["actual"]))


def record_review(uow, ctx, spec):
    from sim.projects.service import record_review as service

    service(uow, actor=ACTOR, project_id=_project(ctx, spec).id, leads=str(spec["leads"]), orders=str(spec["orders"]),
            notes=spec.get("notes", ""))


def send_project(uow, ctx, spec):
    from sim.projects.report import send_to_management

    send_to_management(uow, actor=ACTOR, project_id=_project(ctx, spec).id, subject=spec["subject"],
                       body=spec["body"])


def _posts() -> list[str]:
    from sim.projects.service import POSTS

    return list(POSTS)


ACTIONS = [add_checklist_item, edit_checklist_item, add_task, set_task_status, accept_quote, add_cost, set_actual,
           record_review, send_project]
FIELDS = {
    "add_checklist_item": ({**_PROJECT, "label": {**_TEXT, "maxLength": 200}}, ["project", "label"]),
    "edit_checklist_item": ({**_PROJECT, "item": {"type": ["string", "integer"],
                                                  "description": "son numéro dans la liste ou son libellé actuel"},
                             "label": {**_TEXT, "maxLength": 200}, "done": {"type": "boolean"}},
                            ["project", "item"]),
    "add_task": ({**_PROJECT, "title": {**_TEXT, "maxLength": 200}, "owner": {"type": "string", "maxLength": 120},
                  "start": _DAY, "due": _DAY,
                  "depends_on": {"oneOf": [{"type": "string", "maxLength": 200},
                                           {"type": "array", "items": {"type": ["string", "integer"]}}],
                                 "description": "les tâches qui la précèdent : « T1, T3 » ou [T1, T3]"}},
                 ["project", "title", "start", "due"]),
    "set_task_status": ({**_PROJECT, "task": {"type": ["string", "integer"], "description": "T1, T2…"},
                         "status": {"enum": ["todo", "doing", "done"]}}, ["project", "task", "status"]),
    "accept_quote": ({**_PROJECT, "supplier_quote": {"type": "string",
                                                     "description": "le devis, nommé par l'événement supplier_quote"}},
                     ["project", "supplier_quote"]),
    "add_cost": ({**_PROJECT, "post": {"enum": _posts()}, "label": {**_TEXT, "maxLength": 200},
                  "planned": _AMOUNT, "actual": _AMOUNT}, ["project", "post", "label", "planned"]),
    "set_actual": ({**_PROJECT, "line": {**_TEXT, "description": "le libellé de la ligne de budget"},
                    "actual": _AMOUNT}, ["project", "line", "actual"]),
    "record_review": ({**_PROJECT, "leads": {"type": "integer", "minimum": 0, "maximum": 100000},
                       "orders": {"type": "integer", "minimum": 0, "maximum": 100000},
                       "notes": {"type": "string", "maxLength": 8000}}, ["project", "leads", "orders"]),
    "send_project": ({**_PROJECT, "subject": {**_TEXT, "maxLength": 200}, "body": {**_TEXT, "maxLength": 20_000}},
                     ["project", "subject", "body"]),
}
REFS = {"project": "project", "supplier_quote": "supplier_quote"}
