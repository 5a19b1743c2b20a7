"""Candidate-script actions: dashboards (CP6)."""
from __future__ import annotations

from sim.scenario.actions import ACTOR
from sim.scenario.actions._fields import MONTH, TEXT


def create_dashboard(uow, ctx, spec):
    from sim.dashboards.service import create_dashboard as service

    dashboard = service(uow, actor=ACTOR, title=spec["title"], objective=spec.get("objective", ""))
    ctx.register("dashboard", spec["name"], dashboard)


def add_panel(uow, ctx, spec):
    """A pivot on the dashboard: the builder's fields (sim/dashboards/pivot.py, ``read_spec``)."""
    from sim.dashboards.service import add_panel as service

    values = {k: str(v) for k, v in spec.items() if k not in ("dashboard", "filters")}
    values |= {k: str(v) for k, v in (spec.get("filters") or {}).items()}
    service(uow, actor=ACTOR, dashboard_id=ctx.entity("dashboard", spec["dashboard"]).id, values=values)


def comment_dashboard(uow, ctx, spec):
    from sim.dashboards.service import comment

    comment(uow, actor=ACTOR, dashboard_id=ctx.entity("dashboard", spec["dashboard"]).id, text=spec["text"])


def refresh_dashboard(uow, ctx, spec):
    from sim.dashboards.service import refresh

    refresh(uow, actor=ACTOR, dashboard_id=ctx.entity("dashboard", spec["dashboard"]).id)


def send_dashboard(uow, ctx, spec):
    from sim.dashboards.service import send

    send(uow, actor=ACTOR, dashboard_id=ctx.entity("dashboard", spec["dashboard"]).id, subject=spec["subject"],
         body=spec["body"])


def _panel_fields() -> dict:
    from sim.dashboards.pivot import CHARTS, COMPARES, DIMENSIONS, KINDS, MEASURES, SORTS

    return {"measure": {"enum": sorted(MEASURES)}, "rows": {"enum": sorted(DIMENSIONS)},
            "columns": {"enum": sorted(DIMENSIONS)}, "from_month": MONTH, "to_month": MONTH,
            "sort": {"enum": sorted(SORTS)}, "compare": {"enum": sorted(c for c in COMPARES if c)},
            "chart": {"enum": sorted(CHARTS)}, "title": {"type": "string", "maxLength": 160},
            "filters": {"type": "object", "properties": {
                "category": {"type": "string"}, "country": {"type": "string"}, "region": {"type": "string"},
                "sales_rep": {"type": "string"}, "kind": {"enum": sorted(KINDS)}, "customer": {"type": "string"}},
                "additionalProperties": False}}


_PANEL = _panel_fields()


FIELDS = {
    "create_dashboard": ({"name": {"type": "string"}, "title": {**TEXT, "maxLength": 160},
                          "objective": {"type": "string", "maxLength": 2000}}, ["name", "title"]),
    "add_panel": ({"dashboard": {"type": "string"}, **_PANEL}, ["dashboard", "measure", "rows"]),
    "comment_dashboard": ({"dashboard": {"type": "string"}, "text": {**TEXT, "maxLength": 8000}},
                          ["dashboard", "text"]),
    "refresh_dashboard": ({"dashboard": {"type": "string"}}, ["dashboard"]),
    "send_dashboard": ({"dashboard": {"type": "string"}, "subject": {**TEXT, "maxLength": 200},
                        "body": {**TEXT, "maxLength": 20_000}}, ["dashboard", "subject", "body"]),
}
DEFINES = {"create_dashboard": "dashboard"}
ACTIONS = (create_dashboard, add_panel, comment_dashboard, refresh_dashboard, send_dashboard)
