"""Dashboards (CP6)."""
from __future__ import annotations


def a_dashboard_with_a_panel(ws: int):
    """A saved dashboard with one panel (revenue by category, last month), for the route-table tests."""
    from sim.dashboards import service
    from sim.db import UnitOfWork
    from tests.factories import ACTOR

    with UnitOfWork(ws) as uow:
        dashboard = service.create_dashboard(uow, actor=ACTOR, title="Ventes du mois")
        panel = service.add_panel(uow, actor=ACTOR, dashboard_id=dashboard.id, values={"rows": "category"})
        uow.commit()
        return dashboard, panel
