"""Commercial action projects (CP7): create a project with its quantified
objectives, complete the checklist started from a template, schedule tasks
with their dependencies, receive supplier quotes and accept them into the
budget, record the post-event review. Each action journals in the caller's
transaction; the caller commits.

Rules:
- a checklist is exhaustive when every required item of its kind
  (``checklist_requirements.yaml``) matches one of its labels by a synonym,
  accents and case ignored;
- a task cannot start before its predecessors end (same day allowed) and the
  dependencies never make a cycle;
- a task not done whose due date is before today's sim date is late;
- the budget is the sum of its lines' planned amounts, to the cent, against
  the announced budget.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML
from sqlalchemy import func, select

from sim.clock import sim_date, sim_now
from sim.db import NotFound
from sim.errors import SimError, ValidationFailed
from sim.journal import service as journal
from sim.parsing import read_amount, read_decimal, read_text
from sim.projects.models import (
    Project, ProjectChecklistItem, ProjectCost, ProjectKind, ProjectTask, SupplierQuote, TaskStatus,
)

HERE = Path(__file__).resolve().parent
POSTS = {"stand": "Stand", "travel": "Déplacements", "transport": "Transport", "printing": "Impression",
         "goodies": "Goodies", "catering": "Restauration", "insurance": "Assurance", "staff": "Personnel",
         "communication": "Communication", "other": "Autre"}
MAX_ITEMS = 60
MAX_TASKS = 60
MAX_OBJECTIVES = 8


# === DATA FILES =============================================================

@lru_cache(maxsize=1)
def templates() -> dict[str, list[str]]:
    return dict(YAML(typ="safe").load((HERE / "checklist_templates.yaml").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def requirements() -> dict[str, dict[str, dict]]:
    return dict(YAML(typ="safe").load((HERE / "checklist_requirements.yaml").read_text(encoding="utf-8")))


def fold(text: str) -> str:
    """Lower case, accents off, apostrophes and runs of spaces made plain."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", plain).strip()


def coverage(kind: str, labels: list[str]) -> dict[str, str | None]:
    """Each required item of ``kind`` → the first checklist label that names it (or None)."""
    folded = [(label, fold(label)) for label in labels]
    found: dict[str, str | None] = {}
    for key, required in requirements().get(kind, {}).items():
        words = [fold(word) for word in [required["label"], *required.get("synonyms", [])]]
        found[key] = next((label for label, text in folded
                           if any(re.search(rf"(?<![a-z]){re.escape(word)}", text) for word in words)), None)
    return found


def required_label(kind: str, key: str) -> str:
    return requirements()[kind][key]["label"]


# === READING ================================================================

def project(uow, project_id: int) -> Project:
    found = uow.session.get(Project, project_id)
    if found is None or found.workspace_id != uow.workspace_id:
        raise NotFound(f"project {project_id}")
    return found


def by_number(uow, number: str) -> Project | None:
    return uow.session.scalars(select(Project).where(Project.number == number)).first()


def projects(uow) -> list[Project]:
    return list(uow.session.scalars(select(Project).order_by(Project.id.desc())))


def items(uow, project_: Project) -> list[ProjectChecklistItem]:
    return list(uow.session.scalars(select(ProjectChecklistItem).where(
        ProjectChecklistItem.project_id == project_.id).order_by(ProjectChecklistItem.position,
                                                                  ProjectChecklistItem.id)))


def tasks(uow, project_: Project) -> list[ProjectTask]:
    return list(uow.session.scalars(select(ProjectTask).where(ProjectTask.project_id == project_.id)
                                    .order_by(ProjectTask.start_date, ProjectTask.number)))


def costs(uow, project_: Project) -> list[ProjectCost]:
    return list(uow.session.scalars(select(ProjectCost).where(ProjectCost.project_id == project_.id)
                                    .order_by(ProjectCost.id)))


def quotes(uow) -> list[SupplierQuote]:
    return list(uow.session.scalars(select(SupplierQuote).order_by(SupplierQuote.id)))


def late_tasks(uow, project_: Project | None = None, today: date | None = None) -> list[ProjectTask]:
    """Tasks not done whose due date is before today's sim date."""
    today = today or sim_date(uow)
    query = select(ProjectTask).where(ProjectTask.status != TaskStatus.DONE.value, ProjectTask.due_date < today)
    if project_ is not None:
        query = query.where(ProjectTask.project_id == project_.id)
    return list(uow.session.scalars(query.order_by(ProjectTask.due_date, ProjectTask.number)))


def late_count(uow) -> int:
    return uow.session.scalar(select(func.count(ProjectTask.id)).where(
        ProjectTask.status != TaskStatus.DONE.value, ProjectTask.due_date < sim_date(uow))) or 0


@dataclass
class Budget:
    announced: Decimal
    planned: Decimal
    actual: Decimal
    by_post: dict[str, Decimal]

    @property
    def remaining(self) -> Decimal:
        return self.announced - self.planned

    @property
    def over(self) -> bool:
        return self.announced > 0 and self.planned > self.announced


def budget(uow, project_: Project) -> Budget:
    lines = costs(uow, project_)
    by_post: dict[str, Decimal] = {}
    for line in lines:
        by_post[line.post] = by_post.get(line.post, Decimal("0")) + line.planned_amount
    return Budget(announced=project_.budget_amount, planned=sum((c.planned_amount for c in lines), Decimal("0")),
                  actual=sum((c.actual_amount or Decimal("0") for c in lines), Decimal("0")), by_post=by_post)


def order_problems(task_list: list[ProjectTask]) -> list[str]:
    """What breaks the schedule: a due date before the start, a task starting before a predecessor ends."""
    numbers = {t.number: t for t in task_list}
    problems = []
    for task in task_list:
        if task.due_date < task.start_date:
            problems.append(f"T{task.number} finit avant de commencer")
        for number in task.depends_on:
            before = numbers.get(number)
            if before is not None and task.start_date < before.due_date:
                problems.append(f"T{task.number} commence avant la fin de T{before.number}")
    return problems


# === PROJECT ================================================================

def _parse_date(raw, key: str, errors: dict[str, str], label: str, *, required: bool = True) -> date | None:
    text = (raw if isinstance(raw, str) else "" if raw is None else str(raw)).strip()
    if not text:
        if required:
            errors[key] = f"{label} : à remplir."
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[key] = f"{label} : date attendue (AAAA-MM-JJ)."
        return None


def _read_objectives(raw: list[dict], errors: dict[str, str]) -> list[dict]:
    objectives = []
    for index, row in enumerate(raw[:MAX_OBJECTIVES]):
        label = read_text(row.get("label"), f"objective_label_{index}", errors, label="Objectif", max_length=160)
        target_raw = row.get("target")
        if not label and (target_raw in (None, "")):
            continue
        if not label:
            errors[f"objective_label_{index}"] = "Objectif : à remplir."
        target = read_decimal(target_raw, f"objective_target_{index}", errors,
                              "Cible : nombre attendu (ex. 120).", minimum=0, maximum=10**9, places=2)
        unit = read_text(row.get("unit"), f"objective_unit_{index}", errors, label="Unité", max_length=40)
        if label and target is not None:
            objectives.append({"label": label, "target": str(target), "unit": unit or ""})
    return objectives


def create_project(uow, *, actor: str, kind: str, name: str, place: str = "", event_date=None, budget_amount=None,
                   objectives: list[dict] | None = None, event_key: str = "", form_token: str | None = None) -> Project:
    """A new project, its checklist started from the kind's template."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "project.create")
    errors: dict[str, str] = {}
    if kind not in {k.value for k in ProjectKind}:
        errors["kind"] = "Type d'action : choisissez dans la liste."
    clean_name = read_text(name, "name", errors, label="Nom", max_length=160, required=True)
    clean_place = read_text(place, "place", errors, label="Lieu", max_length=160)
    when = _parse_date(event_date, "event_date", errors, "Date", required=True)
    amount = read_amount(budget_amount, "budget_amount", errors, default="0",
                         message="Budget : montant attendu (ex. 8000,00).")
    if amount is not None and amount < 0:
        errors["budget_amount"] = "Budget : montant positif attendu."
    clean_objectives = _read_objectives(objectives or [], errors)
    if errors:
        raise ValidationFailed(errors)
    count = uow.session.scalar(select(func.count(Project.id))) or 0
    created = Project(workspace_id=uow.workspace_id, number=f"PA-{count + 1:03d}", kind=kind, name=clean_name,
                      place=clean_place or "", event_date=when, budget_amount=amount, objectives=clean_objectives,
                      event_key=event_key or "", created_at=sim_now(uow))
    uow.add(created)
    uow.session.flush()
    template = templates().get(kind, [])
    for position, label in enumerate(template, start=1):
        uow.add(ProjectChecklistItem(workspace_id=uow.workspace_id, project_id=created.id, position=position,
                                     label=label))
    uow.session.flush()
    refs = {"project": created.number, **({"event": event_key} if event_key else {})}
    journal.append(uow, kind="project.created", actor=actor, refs=refs,
                   payload={"kind": kind, "name": created.name, "place": created.place,
                            "date": when.isoformat(), "budget": str(amount), "objectives": clean_objectives,
                            "checklist": list(template)})
    return created


def create_from_announcement(uow, *, event_key: str, name: str, date_text: str, place: str, budget_text: str,
                             objectives: list) -> Project | None:
    """The project a ``trade_show_announced`` event opens (once per event key), its fields from the announcement."""
    if uow.session.scalars(select(Project).where(Project.event_key == event_key)).first() is not None:
        return None
    rows = []
    for objective in objectives or []:
        if isinstance(objective, dict):
            rows.append({"label": objective.get("label", ""), "target": str(objective.get("target", "")),
                         "unit": objective.get("unit", "")})
        else:
            match = re.match(r"\s*(\d+(?:[.,]\d+)?)\s+(\S+)\s*(.*)", str(objective))
            if match:
                rows.append({"label": str(objective), "target": match.group(1).replace(",", "."),
                             "unit": match.group(2)})
    try:
        when = date.fromisoformat(str(date_text)[:10])
    except ValueError:
        when = sim_date(uow)
    amount = re.sub(r"[^\d,.]", "", str(budget_text or "")).replace(",", ".") or "0"
    try:
        return create_project(uow, actor="scenario", kind=ProjectKind.TRADE_SHOW.value, name=name or "Salon",
                              place=place or "", event_date=when.isoformat(), budget_amount=amount,
                              objectives=rows, event_key=event_key)
    except ValidationFailed:
        return create_project(uow, actor="scenario", kind=ProjectKind.TRADE_SHOW.value, name=(name or "Salon")[:160],
                              place="", event_date=when.isoformat(), budget_amount="0", objectives=[],
                              event_key=event_key)


# === CHECKLIST ==============================================================

def add_item(uow, *, actor: str, project_id: int, label: str) -> ProjectChecklistItem:
    found = project(uow, project_id)
    errors: dict[str, str] = {}
    clean = read_text(label, "label", errors, label="Élément", max_length=200, required=True)
    if errors:
        raise ValidationFailed(errors)
    existing = items(uow, found)
    if len(existing) >= MAX_ITEMS:
        raise SimError(f"Une check-list compte {MAX_ITEMS} éléments au plus.")
    if any(fold(item.label) == fold(clean) for item in existing):
        raise ValidationFailed({"label": "Élément : déjà dans la check-list."})
    item = ProjectChecklistItem(workspace_id=uow.workspace_id, project_id=found.id,
                                position=max((i.position for i in existing), default=0) + 1, label=clean)
    uow.add(item)
    uow.session.flush()
    journal.append(uow, kind="project.checklist_item_added", actor=actor, refs={"project": found.number},
                   payload={"item": item.position, "label": clean})
    return item


def _item(uow, found: Project, item_id: int) -> ProjectChecklistItem:
    item = uow.session.get(ProjectChecklistItem, item_id)
    if item is None or item.project_id != found.id:
        raise SimError("Cet élément n'est plus dans la check-list.")
    return item


def edit_item(uow, *, actor: str, project_id: int, item_id: int, label: str, done: bool) -> ProjectChecklistItem:
    found = project(uow, project_id)
    item = _item(uow, found, item_id)
    errors: dict[str, str] = {}
    clean = read_text(label, "label", errors, label="Élément", max_length=200, required=True)
    if errors:
        raise ValidationFailed(errors)
    if any(other.id != item.id and fold(other.label) == fold(clean) for other in items(uow, found)):
        raise ValidationFailed({"label": "Élément : déjà dans la check-list."})
    item.label, item.done = clean, bool(done)
    uow.add(item)
    uow.session.flush()
    journal.append(uow, kind="project.checklist_item_edited", actor=actor, refs={"project": found.number},
                   payload={"item": item.position, "label": clean, "done": item.done})
    return item


def remove_item(uow, *, actor: str, project_id: int, item_id: int) -> None:
    found = project(uow, project_id)
    item = _item(uow, found, item_id)
    label, position = item.label, item.position
    uow.session.delete(item)
    uow.session.flush()
    journal.append(uow, kind="project.checklist_item_removed", actor=actor, refs={"project": found.number},
                   payload={"item": position, "label": label})


# === TASKS ==================================================================

def _read_predecessors(raw, known: dict[int, ProjectTask], errors: dict[str, str]) -> list[int]:
    values = raw if isinstance(raw, (list, tuple)) else re.split(r"[\s,;]+", str(raw or ""))
    numbers: list[int] = []
    for value in values:
        text = str(value).strip().upper().removeprefix("T")
        if not text:
            continue
        if not text.isdigit() or int(text) not in known:
            errors["depends_on"] = f"Dépend de : la tâche « {value} » n'existe pas dans ce projet."
            return []
        if int(text) not in numbers:
            numbers.append(int(text))
    return numbers


def _cycle(graph: dict[int, list[int]]) -> list[int] | None:
    """A cycle of task numbers in ``graph`` (task → its predecessors), or None."""
    state: dict[int, int] = {}
    path: list[int] = []

    def visit(node: int) -> list[int] | None:
        state[node] = 1
        path.append(node)
        for before in graph.get(node, []):
            if state.get(before) == 1:
                return path[path.index(before):] + [before]
            if state.get(before) is None:
                found = visit(before)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in graph:
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def _check_task(task_number: int | None, start: date, due: date, predecessors: list[int],
                known: dict[int, ProjectTask], errors: dict[str, str]) -> None:
    if due < start:
        errors["due_date"] = "Échéance : pas avant le début."
    if task_number is not None:
        graph = {n: list(t.depends_on) for n, t in known.items()}
        graph[task_number] = predecessors
        cycle = _cycle(graph)
        if cycle:
            errors["depends_on"] = "Dépend de : ces dépendances forment un cycle (" + \
                " → ".join(f"T{n}" for n in reversed(cycle)) + ")."
            return
    for number in predecessors:
        before = known[number]
        if start < before.due_date:
            errors["start_date"] = (f"Début : la tâche ne peut pas commencer avant la fin de T{number} "
                                    f"« {before.title} » ({before.due_date:%d/%m/%Y}).")
            return


def _task_payload(task: ProjectTask) -> dict:
    return {"task": task.number, "title": task.title, "owner": task.owner, "start": task.start_date.isoformat(),
            "due": task.due_date.isoformat(), "status": task.status, "depends_on": list(task.depends_on)}


def add_task(uow, *, actor: str, project_id: int, title: str, owner: str = "", start_date=None, due_date=None,
             depends_on=None) -> ProjectTask:
    found = project(uow, project_id)
    known = {t.number: t for t in tasks(uow, found)}
    if len(known) >= MAX_TASKS:
        raise SimError(f"Un projet compte {MAX_TASKS} tâches au plus.")
    errors: dict[str, str] = {}
    clean = read_text(title, "title", errors, label="Tâche", max_length=200, required=True)
    clean_owner = read_text(owner, "owner", errors, label="Responsable", max_length=120)
    start = _parse_date(start_date, "start_date", errors, "Début")
    due = _parse_date(due_date, "due_date", errors, "Échéance")
    predecessors = _read_predecessors(depends_on, known, errors)
    if start and due and "depends_on" not in errors:
        _check_task(None, start, due, predecessors, known, errors)
    elif start and due and due < start:
        errors["due_date"] = "Échéance : pas avant le début."
    if errors:
        raise ValidationFailed(errors)
    task = ProjectTask(workspace_id=uow.workspace_id, project_id=found.id, number=max(known, default=0) + 1,
                       title=clean, owner=clean_owner or "", start_date=start, due_date=due, depends_on=predecessors)
    uow.add(task)
    uow.session.flush()
    journal.append(uow, kind="project.task_added", actor=actor, refs={"project": found.number},
                   payload=_task_payload(task))
    return task


def _task(uow, found: Project, task_id: int) -> ProjectTask:
    task = uow.session.get(ProjectTask, task_id)
    if task is None or task.project_id != found.id:
        raise SimError("Cette tâche n'est plus dans le projet.")
    return task


def edit_task(uow, *, actor: str, project_id: int, task_id: int, title: str, owner: str = "", start_date=None,
              due_date=None, depends_on=None) -> ProjectTask:
    """Change a task's dates, owner or predecessors; a cycle or a start before a predecessor's end is refused."""
    found = project(uow, project_id)
    task = _task(uow, found, task_id)
    known = {t.number: t for t in tasks(uow, found)}
    errors: dict[str, str] = {}
    clean = read_text(title, "title", errors, label="Tâche", max_length=200, required=True)
    clean_owner = read_text(owner, "owner", errors, label="Responsable", max_length=120)
    start = _parse_date(start_date, "start_date", errors, "Début")
    due = _parse_date(due_date, "due_date", errors, "Échéance")
    predecessors = _read_predecessors(depends_on, known, errors)
    if task.number in predecessors:
        errors["depends_on"] = "Dépend de : une tâche ne dépend pas d'elle-même."
    if start and due and "depends_on" not in errors:
        _check_task(task.number, start, due, predecessors, known, errors)
        # the tasks that follow this one must still start after its new due date
        for other in known.values():
            if task.number in other.depends_on and other.start_date < due:
                errors.setdefault("due_date", f"Échéance : T{other.number} « {other.title} » commence le "
                                              f"{other.start_date:%d/%m/%Y}, avant cette échéance.")
    if errors:
        raise ValidationFailed(errors)
    task.title, task.owner, task.start_date, task.due_date = clean, clean_owner or "", start, due
    task.depends_on = predecessors
    uow.add(task)
    uow.session.flush()
    journal.append(uow, kind="project.task_edited", actor=actor, refs={"project": found.number},
                   payload=_task_payload(task))
    return task


def set_task_status(uow, *, actor: str, project_id: int, task_id: int, status: str) -> ProjectTask:
    found = project(uow, project_id)
    task = _task(uow, found, task_id)
    if status not in {s.value for s in TaskStatus}:
        raise ValidationFailed({"status": "Statut : choisissez dans la liste."})
    if status != TaskStatus.TODO.value:
        known = {t.number: t for t in tasks(uow, found)}
        pending = [n for n in task.depends_on if n in known and known[n].status != TaskStatus.DONE.value]
        if pending:
            raise ValidationFailed({"status": "Statut : " + ", ".join(f"T{n}" for n in pending)
                                    + " doit être faite avant."})
    task.status = status
    uow.add(task)
    uow.session.flush()
    journal.append(uow, kind="project.task_status_set", actor=actor, refs={"project": found.number},
                   payload={"task": task.number, "title": task.title, "status": status,
                            "late": task.due_date < sim_date(uow) and status != TaskStatus.DONE.value})
    return task


# === BUDGET =================================================================

def receive_quote(uow, *, event_key: str, supplier: str, post: str, amount_ht, valid_until=None, label: str = "",
                  message_id: int | None = None) -> SupplierQuote:
    """A supplier's quote arrived (the ``supplier_quote`` event)."""
    quote = SupplierQuote(workspace_id=uow.workspace_id, event_key=event_key, supplier=supplier,
                          post=post if post in POSTS else "other", label=label, amount_ht=Decimal(str(amount_ht)),
                          valid_until=date.fromisoformat(str(valid_until)) if valid_until else None,
                          message_id=message_id, received_at=sim_now(uow))
    uow.add(quote)
    uow.session.flush()
    journal.append(uow, kind="project.quote_received", actor="scenario", refs={"event": event_key},
                   payload={"supplier": supplier, "post": quote.post, "label": label, "amount_ht": quote.amount_ht,
                            "valid_until": quote.valid_until})
    return quote


def accept_quote(uow, *, actor: str, project_id: int, quote_id: int) -> ProjectCost:
    found = project(uow, project_id)
    quote = uow.session.get(SupplierQuote, quote_id)
    if quote is None or quote.workspace_id != uow.workspace_id:
        raise NotFound(f"supplier quote {quote_id}")
    if quote.accepted_at is not None:
        raise SimError(f"Le devis de {quote.supplier} est déjà retenu au budget.")
    today = sim_date(uow)
    if quote.valid_until is not None and quote.valid_until < today:
        raise SimError(f"Le devis de {quote.supplier} n'est plus valable depuis le {quote.valid_until:%d/%m/%Y}.")
    quote.accepted_at, quote.project_id = sim_now(uow), found.id
    line = ProjectCost(workspace_id=uow.workspace_id, project_id=found.id, post=quote.post,
                       label=quote.label or quote.supplier, planned_amount=quote.amount_ht, quote_id=quote.id)
    uow.add(quote)
    uow.add(line)
    uow.session.flush()
    totals = budget(uow, found)
    journal.append(uow, kind="project.quote_accepted", actor=actor,
                   refs={"project": found.number, **({"event": quote.event_key} if quote.event_key else {})},
                   payload={"supplier": quote.supplier, "post": quote.post, "amount_ht": quote.amount_ht,
                            "planned_total": totals.planned, "budget": totals.announced, "over_budget": totals.over})
    return line


def add_cost(uow, *, actor: str, project_id: int, post: str, label: str, planned_amount,
             actual_amount=None) -> ProjectCost:
    """A budget line entered by hand (an internal cost, an estimate without a quote)."""
    found = project(uow, project_id)
    errors: dict[str, str] = {}
    if post not in POSTS:
        errors["post"] = "Poste : choisissez dans la liste."
    clean = read_text(label, "label", errors, label="Libellé", max_length=200, required=True)
    planned = read_amount(planned_amount, "planned_amount", errors)
    actual = read_amount(actual_amount, "actual_amount", errors) if str(actual_amount or "").strip() else None
    for key, value in (("planned_amount", planned), ("actual_amount", actual)):
        if value is not None and value < 0:
            errors[key] = "Montant : positif attendu."
    if errors:
        raise ValidationFailed(errors)
    line = ProjectCost(workspace_id=uow.workspace_id, project_id=found.id, post=post, label=clean,
                       planned_amount=planned, actual_amount=actual)
    uow.add(line)
    uow.session.flush()
    totals = budget(uow, found)
    journal.append(uow, kind="project.cost_added", actor=actor, refs={"project": found.number},
                   payload={"post": post, "label": clean, "planned": planned, "actual": actual,
                            "planned_total": totals.planned, "budget": totals.announced, "over_budget": totals.over})
    return line


def set_actual(uow, *, actor: str, project_id: int, cost_id: int, actual_amount) -> ProjectCost:
    found = project(uow, project_id)
    line = uow.session.get(ProjectCost, cost_id)
    if line is None or line.project_id != found.id:
        raise SimError("Cette ligne n'est plus au budget.")
    errors: dict[str, str] = {}
    actual = read_amount(actual_amount, "actual_amount", errors)
    if actual is not None and actual < 0:
        errors["actual_amount"] = "Montant : positif attendu."
    if errors:
        raise ValidationFailed(errors)
    line.actual_amount = actual
    uow.add(line)
    uow.session.flush()
    totals = budget(uow, found)
    journal.append(uow, kind="project.cost_actual_set", actor=actor, refs={"project": found.number},
                   payload={"post": line.post, "label": line.label, "actual": actual, "actual_total": totals.actual})
    return line


# === REVIEW =================================================================

def leads_during(uow, found: Project) -> int | None:
    """The contacts the stand recorded on the show's day (visitors whose contact form was saved:
    each became a prospect), to prefill the review's leads; None for a project without a date."""
    from sim.tradeshow.models import Visitor

    if found.event_date is None:
        return None
    start = datetime.combine(found.event_date, datetime.min.time())
    end = datetime.combine(found.event_date, datetime.max.time())
    return uow.session.scalar(select(func.count(Visitor.id)).where(
        Visitor.customer_id.is_not(None), Visitor.arrived_at >= start, Visitor.arrived_at <= end)) or 0


def record_review(uow, *, actor: str, project_id: int, leads, orders, notes: str) -> Project:
    found = project(uow, project_id)
    errors: dict[str, str] = {}
    lead_count = read_decimal(leads, "leads", errors, "Contacts : nombre entier attendu.", minimum=0,
                              maximum=100000, places=0)
    order_count = read_decimal(orders, "orders", errors, "Commandes : nombre entier attendu.", minimum=0,
                               maximum=100000, places=0)
    clean = read_text(notes, "notes", errors, label="Bilan qualitatif", max_length=8000, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    found.leads, found.orders, found.review_notes = int(lead_count), int(order_count), clean or ""
    found.reviewed_at = sim_now(uow)
    uow.add(found)
    uow.session.flush()
    totals = budget(uow, found)
    journal.append(uow, kind="project.review_recorded", actor=actor, refs={"project": found.number},
                   payload={"leads": found.leads, "orders": found.orders, "cost": spent(totals),
                            "cost_per_lead": cost_per_lead(totals, found.leads), "notes": found.review_notes})
    return found


def spent(totals: Budget) -> Decimal:
    return totals.actual if totals.actual > 0 else totals.planned


def cost_per_lead(totals: Budget, leads: int | None) -> Decimal | None:
    if not leads:
        return None
    return (spent(totals) / leads).quantize(Decimal("0.01"))
