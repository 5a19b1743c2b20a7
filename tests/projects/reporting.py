"""A trade-show project with a plan to report (checklist, tasks, budget), for the
report's tests and the route-table / isolation / malformed-input guards."""
from __future__ import annotations

from datetime import datetime

from sim.clock import set_clock
from sim.db import UnitOfWork
from sim.projects import service
from tests.factories import ACTOR


def a_project_with_a_plan(ws: int, *, over_budget: bool = False):
    """« Salon Maison & Jardin » (8 000 € HT) on 2026-11-20, the clock on 2026-11-02: two
    checklist items added to the template's three, three tasks (T2 and T3 after T1), a stand
    quote accepted (6 900 € when ``over_budget``, else 4 200 €) and a printing line by hand."""
    with UnitOfWork(ws) as uow:
        set_clock(uow, sim_time=datetime(2026, 11, 2, 9, 0), speed=0)
        uow.commit()
    with UnitOfWork(ws) as uow:
        project = service.create_project(uow, actor=ACTOR, kind="trade_show", name="Salon Maison & Jardin",
                                         place="Lyon Eurexpo", event_date="2026-11-20", budget_amount="8000",
                                         objectives=[{"label": "Contacts qualifiés", "target": "120",
                                                      "unit": "contacts"}])
        service.add_item(uow, actor=ACTOR, project_id=project.id, label="Transport du stand")
        service.add_item(uow, actor=ACTOR, project_id=project.id, label="Assurance du matériel")
        service.add_task(uow, actor=ACTOR, project_id=project.id, title="Réserver l'emplacement du stand",
                         owner="Julie Martin", start_date="2026-11-02", due_date="2026-11-04")
        service.add_task(uow, actor=ACTOR, project_id=project.id, title="Transport du stand", owner="Logistique",
                         start_date="2026-11-05", due_date="2026-11-18", depends_on="T1")
        service.add_task(uow, actor=ACTOR, project_id=project.id, title="Commander la documentation commerciale",
                         owner="Marketing", start_date="2026-11-04", due_date="2026-11-12", depends_on="T1")
        quote = service.receive_quote(uow, event_key="stand_quote", supplier="Stand Concept Lyon", post="stand",
                                      amount_ht="6900.00" if over_budget else "4200.00", valid_until="2026-11-15",
                                      label="Stand équipé 18 m²")
        service.accept_quote(uow, actor=ACTOR, project_id=project.id, quote_id=quote.id)
        service.add_cost(uow, actor=ACTOR, project_id=project.id, post="printing", label="Plaquettes",
                         planned_amount="1450.50")
        uow.commit()
        return project
