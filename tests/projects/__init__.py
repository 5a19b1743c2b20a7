"""Commercial action projects (CP7): helpers shared by the tests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sim.clock import sim_date
from sim.db import UnitOfWork
from sim.projects import service
from sim.projects.models import Project, ProjectTask, SupplierQuote


@dataclass
class AProject:
    project: Project
    tasks: list[ProjectTask]
    quote: SupplierQuote  # received, not accepted yet


def a_supplier_quote(workspace_id: int, *, supplier: str = "Stands Expo Rhône", post: str = "stand",
                     amount: str = "3200.00", label: str = "Stand 12 m² équipé", days_valid: int = 30,
                     event_key: str = "stand-quote") -> SupplierQuote:
    """A supplier's quote as the ``supplier_quote`` event delivers it, valid ``days_valid`` days from today."""
    with UnitOfWork(workspace_id) as uow:
        quote = service.receive_quote(uow, event_key=event_key, supplier=supplier, post=post, amount_ht=amount,
                                      label=label, valid_until=sim_date(uow) + timedelta(days=days_valid))
        uow.commit()
        return quote


def a_project(workspace_id: int, *, quote: bool = True) -> AProject:
    """A trade show three weeks from the sim date (budget 8 000 € HT), its template checklist, two tasks
    (T2 after T1), a budget line entered by hand and, unless told, a supplier quote received."""
    with UnitOfWork(workspace_id) as uow:
        today = sim_date(uow)
        created = service.create_project(
            uow, actor="candidate:test", kind="trade_show", name="Salon Maison & Jardin", place="Lyon Eurexpo",
            event_date=(today + timedelta(days=21)).isoformat(), budget_amount="8000,00",
            objectives=[{"label": "Contacts qualifiés", "target": "120", "unit": "contacts"}])
        first = service.add_task(uow, actor="candidate:test", project_id=created.id, title="Réserver le stand",
                                 owner="Léa", start_date=today.isoformat(),
                                 due_date=(today + timedelta(days=3)).isoformat())
        second = service.add_task(uow, actor="candidate:test", project_id=created.id, title="Transport du stand",
                                  start_date=(today + timedelta(days=3)).isoformat(),
                                  due_date=(today + timedelta(days=10)).isoformat(), depends_on="T1")
        service.add_cost(uow, actor="candidate:test", project_id=created.id, post="travel",
                         label="Déplacements de l'équipe", planned_amount="450,00")
        uow.commit()
    received = a_supplier_quote(workspace_id) if quote else None
    return AProject(project=created, tasks=[first, second], quote=received)
