"""The project's report to management (CP7): a PDF printed like the company's
other documents — the objectives, the checklist, the tasks with their dates,
owners and predecessors, the budget per post (planned and actual) against the
announced budget — and ``send_to_management``, which attaches it to a message
to management and journals ``project.sent`` with what the evaluator scores.

What the evaluator reads is computed here, once, when the report leaves:
- ``required_missing``: the required items of the project's kind
  (``checklist_requirements.yaml``) that no checklist label names
  (``service.coverage``);
- ``order_problems``: ``service.order_problems`` on the tasks;
- ``undated_tasks``: the checklist items that no task schedules — an item is
  scheduled when a task has the same title (accents and case ignored) or names
  a required item the checklist item names (the same synonyms);
- the budget: planned and actual totals, the announced budget, over or not,
  the posts with a planned amount, the supplier quotes accepted.

The PDF shows the candidate's own work only: it never says which required
items are missing (that is what the exam checks)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from sim.clock import sim_date, sim_now
from sim.documents.to_management import attach_and_send
from sim.journal import service as journal
from sim.projects import service
from sim.projects.models import Project, ProjectChecklistItem, ProjectKind, ProjectTask, SupplierQuote, TaskStatus


CENT = Decimal("0.01")


@dataclass
class PostLine:
    post: str
    label: str
    planned: Decimal
    actual: Decimal | None
    lines: list = field(default_factory=list)  # the budget lines of the post (label, planned, actual, supplier)


@dataclass
class Report:
    project: Project
    items: list[ProjectChecklistItem]
    tasks: list[ProjectTask]
    posts: list[PostLine]
    budget: service.Budget
    required_missing: list[str]
    order_problems: list[str]
    undated_tasks: list[str]
    accepted_quotes: list[str]

    @property
    def posts_used(self) -> list[str]:
        return [p.post for p in self.posts if p.planned > 0]


def _scheduled(kind: str, item: ProjectChecklistItem, task_titles: list[str], task_keys: set[str]) -> bool:
    if any(service.fold(title) == service.fold(item.label) for title in task_titles):
        return True
    named = {key for key, label in service.coverage(kind, [item.label]).items() if label}
    return bool(named & task_keys)


def build(uow, project_id: int) -> Report:
    """The report's content, read from the project as it stands."""
    found = service.project(uow, project_id)
    items = service.items(uow, found)
    tasks = sorted(service.tasks(uow, found), key=lambda t: t.number)
    kind = found.kind
    covered = service.coverage(kind, [i.label for i in items])
    titles = [t.title for t in tasks]
    task_keys = {key for key, label in service.coverage(kind, titles).items() if label}
    undated = [i.label for i in items if not _scheduled(kind, i, titles, task_keys)]
    lines = service.costs(uow, found)
    quotes = {q.id: q for q in uow.session.scalars(select(SupplierQuote).where(SupplierQuote.project_id == found.id))}
    by_post: dict[str, PostLine] = {}
    for line in lines:
        post = by_post.setdefault(line.post, PostLine(line.post, service.POSTS.get(line.post, line.post),
                                                      Decimal("0"), None))
        post.planned += line.planned_amount
        if line.actual_amount is not None:
            post.actual = (post.actual or Decimal("0")) + line.actual_amount
        quote = quotes.get(line.quote_id) if line.quote_id else None
        post.lines.append(SimpleNamespace(label=line.label, planned=line.planned_amount, actual=line.actual_amount,
                                          supplier=quote.supplier if quote else ""))
    order = list(service.POSTS)
    posts = sorted(by_post.values(), key=lambda p: order.index(p.post) if p.post in order else len(order))
    accepted = sorted({q.event_key for q in quotes.values() if q.event_key and q.accepted_at is not None})
    return Report(project=found, items=items, tasks=tasks, posts=posts, budget=service.budget(uow, found),
                  required_missing=[key for key, label in covered.items() if label is None],
                  order_problems=service.order_problems(tasks), undated_tasks=undated, accepted_quotes=accepted)


# ===== printing ==============================================================

def filename(found: Project) -> str:
    stem = re.sub(r"-{2,}", "-", "".join(c if c.isalnum() or c in "-_" else "-" for c in found.name))[:60].strip("-")
    return f"Projet_{found.number}_{stem}.pdf"


def render_html(uow, project_id: int, built: Report | None = None) -> tuple[Project, str]:
    """The report's HTML (``built``: its content, when the caller has read it already)."""
    from sim.company.models import Company
    from sim.documents.rendering import render_html as render

    report = built or build(uow, project_id)
    company = uow.session.scalars(select(Company)).one()
    management = SimpleNamespace(name="Direction commerciale", address=company.address, postcode=company.postcode,
                                 city=company.city, country=company.country, code="Direction", siren="",
                                 vat_number="")
    found = report.project
    doc = SimpleNamespace(title="Dossier du projet", number=found.number, date=sim_date(uow),
                          subtitle_en="")
    html = render("documents/project_report.html", {
        "company": company, "customer": management, "doc": doc, "english": False, "is_b2b": False,
        "report": report, "project": found, "kind_label": _kind_label(found.kind),
        "status_label": {s.value: s.label for s in TaskStatus}, "posts_fr": service.POSTS})
    return found, html


def _kind_label(kind: str) -> str:
    return next((k.label for k in ProjectKind if k.value == kind), kind)


# ===== sending ===============================================================

def send_to_management(uow, *, actor: str, project_id: int, subject: str, body: str,
                       printed: dict[str, bytes] | None = None, form_token: str | None = None):
    """Send the project's report to management: its PDF attached to a message
    (``message.sent``, role management) and ``project.sent`` with what the
    evaluator scores. ``printed``: the PDF printed before the write lock, keyed
    by the HTML's version (printed again here only if the project changed)."""
    report = build(uow, project_id)
    found, html = render_html(uow, project_id, report)
    name = filename(found)
    _, message = attach_and_send(uow, actor=actor, html=html, printed=printed, kind="project_report", filename=name,
                                 ref_kind="project", ref_id=found.id, subject=subject, body=body,
                                 form_token=form_token)
    found.sent_at = sim_now(uow)
    uow.add(found)
    uow.session.flush()
    totals = report.budget
    journal.append(uow, kind="project.sent", actor=actor, refs={"project": found.number, "message": message.reference},
                   payload={"to_role": "management", "filename": name, "items": len(report.items),
                            "required_missing": report.required_missing, "order_problems": report.order_problems,
                            "tasks": len(report.tasks), "undated_tasks": report.undated_tasks,
                            "planned_total": totals.planned, "actual_total": totals.actual.quantize(CENT),
                            "budget": totals.announced, "over_budget": totals.over,
                            "posts": report.posts_used, "accepted_quotes": report.accepted_quotes})
    return message
