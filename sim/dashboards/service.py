"""Saved dashboards: create, add and remove panels, comment, refresh on demand
(« actualiser »), print and send to management. Each action journals in its
own transaction; the caller commits.

A panel keeps the figures of its last refresh (``snapshot``): the dashboard
shows them, its exports and its PDF print them, and « Actualiser » computes
every panel again from the ERP's current data (``dashboard.refreshed``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sqlalchemy import func, select

from sim.clock import sim_date, sim_now
from sim.documents.to_management import attach_and_send
from sim.company.models import Company
from sim.dashboards import charts
from sim.dashboards import pivot as pivots
from sim.dashboards.models import Dashboard, DashboardPanel
from sim.db import NotFound
from sim.errors import SimError, ValidationFailed
from sim.journal import service as journal
from sim.parsing import read_text

MAX_PANELS = 8
MAX_COMMENTARY = 8000


@dataclass
class Panel:
    row: DashboardPanel
    pivot: pivots.Pivot

    @property
    def chart(self):
        return charts.draw(self.pivot, self.title)

    @property
    def title(self) -> str:
        return self.row.title or default_title(self.pivot)


def default_title(pivot: pivots.Pivot) -> str:
    split = f" et {pivot.columns_label.lower()}" if pivot.columns_label else ""
    return f"{pivot.measure_label} par {pivot.rows_label.lower()}{split} — {pivot.period_label}"




def _dashboard(uow, dashboard_id: int) -> Dashboard:
    found = uow.session.get(Dashboard, dashboard_id)
    if found is None or found.workspace_id != uow.workspace_id:
        raise NotFound(f"dashboard {dashboard_id}")
    return found


def dashboards(uow) -> list[Dashboard]:
    return list(uow.session.scalars(select(Dashboard).order_by(Dashboard.id.desc())))


def panels(uow, dashboard: Dashboard) -> list[Panel]:
    rows = uow.session.scalars(select(DashboardPanel).where(DashboardPanel.dashboard_id == dashboard.id)
                               .order_by(DashboardPanel.position, DashboardPanel.id))
    return [Panel(row, pivots.from_dict(json.loads(row.snapshot))) for row in rows]


def panel_counts(uow) -> dict[int, int]:
    return dict(uow.session.execute(select(DashboardPanel.dashboard_id, func.count(DashboardPanel.id))
                                    .group_by(DashboardPanel.dashboard_id)).all())


def create_dashboard(uow, *, actor: str, title: str, objective: str = "", form_token: str | None = None) -> Dashboard:
    from sim.workspace.forms import claim

    claim(uow, form_token, "dashboard.create")
    errors: dict[str, str] = {}
    clean_title = read_text(title, "title", errors, label="Titre", max_length=160, required=True)
    clean_objective = read_text(objective, "objective", errors, label="Objectif", max_length=2000, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    count = uow.session.scalar(select(func.count(Dashboard.id))) or 0
    now = sim_now(uow)
    dashboard = Dashboard(workspace_id=uow.workspace_id, number=f"TB-{count + 1:03d}", title=clean_title,
                          objective=clean_objective, created_at=now, refreshed_at=now)
    uow.add(dashboard)
    uow.session.flush()
    journal.append(uow, kind="dashboard.created", actor=actor, refs={"dashboard": dashboard.number},
                   payload={"title": dashboard.title, "objective": dashboard.objective})
    return dashboard


def _journal_spec(spec: pivots.PivotSpec) -> dict:
    return spec.as_dict()


def add_panel(uow, *, actor: str, dashboard_id: int, values: dict, form_token: str | None = None) -> DashboardPanel:
    """A panel from the builder's fields (``pivot.read_spec``), its figures computed now."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "dashboard.panel")
    dashboard = _dashboard(uow, dashboard_id)
    today = sim_date(uow)
    errors: dict[str, str] = {}
    title = read_text(values.get("title"), "title", errors, label="Titre du graphique", max_length=160)
    try:
        spec = pivots.read_spec(values, today)
    except ValidationFailed as refused:
        raise ValidationFailed({**refused.errors, **errors}) from None
    if errors:
        raise ValidationFailed(errors)
    existing = uow.session.scalars(select(DashboardPanel.position).where(
        DashboardPanel.dashboard_id == dashboard.id)).all()
    if len(existing) >= MAX_PANELS:
        raise SimError(f"Un tableau de bord compte {MAX_PANELS} graphiques au plus : retirez-en un d'abord.")
    table = pivots.build(uow, spec, today)
    now = sim_now(uow)
    panel = DashboardPanel(workspace_id=uow.workspace_id, dashboard_id=dashboard.id,
                           position=max(existing, default=0) + 1, title=title, spec=json.dumps(spec.__dict__),
                           snapshot=json.dumps(pivots.to_dict(table)), refreshed_at=now)
    uow.add(panel)
    uow.session.flush()
    journal.append(uow, kind="dashboard.panel_added", actor=actor, refs={"dashboard": dashboard.number},
                   payload={"panel": panel.position, "title": title or default_title(table), **_journal_spec(spec),
                            "total": None if table.total is None else str(table.total), "rows_count": len(table.rows)})
    return panel


def remove_panel(uow, *, actor: str, dashboard_id: int, panel_id: int) -> None:
    dashboard = _dashboard(uow, dashboard_id)
    panel = uow.session.get(DashboardPanel, panel_id)
    if panel is None or panel.dashboard_id != dashboard.id:
        raise SimError("Ce graphique a déjà été retiré du tableau de bord.")
    title = panel.title or default_title(pivots.from_dict(json.loads(panel.snapshot)))
    uow.session.delete(panel)
    uow.session.flush()
    journal.append(uow, kind="dashboard.panel_removed", actor=actor, refs={"dashboard": dashboard.number},
                   payload={"panel": panel.position, "title": title})


def comment(uow, *, actor: str, dashboard_id: int, text: str) -> Dashboard:
    dashboard = _dashboard(uow, dashboard_id)
    errors: dict[str, str] = {}
    clean = read_text(text, "commentary", errors, label="Commentaire", max_length=MAX_COMMENTARY, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    dashboard.commentary = clean
    uow.add(dashboard)
    uow.session.flush()
    journal.append(uow, kind="dashboard.commented", actor=actor, refs={"dashboard": dashboard.number},
                   payload={"text": clean, "words": len(re.findall(r"\w+", clean))})
    return dashboard


def refresh(uow, *, actor: str, dashboard_id: int) -> Dashboard:
    """« Actualiser » : every panel computed again from the current data."""
    dashboard = _dashboard(uow, dashboard_id)
    today, now = sim_date(uow), sim_now(uow)
    totals = []
    for row in uow.session.scalars(select(DashboardPanel).where(DashboardPanel.dashboard_id == dashboard.id)
                                   .order_by(DashboardPanel.position)):
        table = pivots.build(uow, pivots.PivotSpec(**json.loads(row.spec)), today)
        row.snapshot, row.refreshed_at = json.dumps(pivots.to_dict(table)), now
        uow.add(row)
        totals.append(None if table.total is None else str(table.total))
    dashboard.refreshed_at = now
    uow.add(dashboard)
    uow.session.flush()
    journal.append(uow, kind="dashboard.refreshed", actor=actor, refs={"dashboard": dashboard.number},
                   payload={"panels": len(totals), "totals": totals})
    return dashboard


def record_export(uow, *, actor: str, dashboard: Dashboard, fmt: str) -> None:
    journal.append(uow, kind="dashboard.exported", actor=actor, refs={"dashboard": dashboard.number},
                   payload={"format": fmt})


# ===== printing and sending ==================================================

def filename(dashboard: Dashboard, ext: str) -> str:
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in dashboard.title)[:60].strip("-")
    return f"Tableau-de-bord_{dashboard.number}_{stem}.{ext}"


def render_html(uow, dashboard_id: int) -> tuple[Dashboard, str]:
    from sim.documents.rendering import render_html as render

    dashboard = _dashboard(uow, dashboard_id)
    company = uow.session.scalar(select(Company))
    html = render("documents/dashboard.html", {"dashboard": dashboard, "panels": panels(uow, dashboard),
                                               "company": company, "value_text": charts.value_text})
    return dashboard, html


def send(uow, *, actor: str, dashboard_id: int, subject: str, body: str, printed: dict[str, bytes] | None = None,
         form_token: str | None = None):
    """Send the dashboard to management: its PDF attached to a message
    (``message.sent``), and ``dashboard.sent`` with what it shows. ``printed``:
    the PDF printed before the write lock, keyed by the HTML's version (printed
    again here only if the dashboard changed meanwhile)."""
    dashboard, html = render_html(uow, dashboard_id)
    shown = panels(uow, dashboard)
    if not shown:
        raise ValidationFailed({"form": "Ajoutez au moins un graphique avant d'envoyer le tableau de bord."})
    name = filename(dashboard, "pdf")
    _, message = attach_and_send(uow, actor=actor, html=html, printed=printed, kind="dashboard", filename=name,
                                 ref_kind="dashboard", ref_id=dashboard.id, subject=subject, body=body,
                                 form_token=form_token)
    dashboard.sent_at = sim_now(uow)
    uow.add(dashboard)
    uow.session.flush()
    journal.append(uow, kind="dashboard.sent", actor=actor,
                   refs={"dashboard": dashboard.number, "message": message.reference},
                   payload={"to_role": "management", "title": dashboard.title, "filename": name,
                            "commentary": dashboard.commentary,
                            "panels": [{"title": p.title, **p.pivot.spec.as_dict(),
                                        "total": None if p.pivot.total is None else str(p.pivot.total)}
                                       for p in shown]})
    return message
