"""CP7 — « organiser une action commerciale » : the checklist's exhaustiveness
by synonyms, tasks ordered by their dependencies (no cycle), late tasks
against the sim clock, the budget's totals, the schedule as iCalendar."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from icalendar import Calendar

from sim.clock import set_clock
from sim.db import UnitOfWork
from sim.errors import SimError, ValidationFailed
from sim.projects import calendar, service
from tests.factories import last_entry, snapshot


def _at(ws, when: datetime):
    with UnitOfWork(ws) as uow:
        set_clock(uow, sim_time=when, speed=0)
        uow.commit()


@pytest.fixture
def show(workspace):
    """A trade show on 2026-11-20, budget 8 000 € HT, the clock paused on 2026-11-02."""
    _at(workspace.id, datetime(2026, 11, 2, 9, 0))
    with UnitOfWork(workspace.id) as uow:
        created = service.create_project(
            uow, actor="candidate", kind="trade_show", name="Salon Maison & Jardin", place="Lyon Eurexpo",
            event_date="2026-11-20", budget_amount="8000,00",
            objectives=[{"label": "Contacts qualifiés", "target": "120", "unit": "contacts"},
                        {"label": "", "target": "", "unit": ""}])
        uow.commit()
        return workspace.id, created.id


def test_a_project_starts_from_its_kinds_template_and_is_journaled(show):
    ws, pid = show
    with UnitOfWork(ws, write=False) as uow:
        found = service.project(uow, pid)
        labels = [i.label for i in service.items(uow, found)]
    assert labels == service.templates()["trade_show"]
    entry = last_entry(ws, "project.created")
    assert entry.refs == {"project": "PA-001"}
    assert entry.payload["budget"] == "8000.00" and entry.payload["objectives"] == [
        {"label": "Contacts qualifiés", "target": "120", "unit": "contacts"}]


def test_a_refused_project_changes_nothing(workspace):
    before = snapshot(workspace.id)
    with UnitOfWork(workspace.id) as uow, pytest.raises(ValidationFailed) as refused:
        service.create_project(uow, actor="candidate", kind="fair", name="", event_date="20/11/2026",
                               budget_amount="huit mille", objectives=[{"label": "Contacts", "target": "beaucoup"}])
    assert set(refused.value.errors) == {"kind", "name", "event_date", "budget_amount", "objective_target_0"}
    assert snapshot(workspace.id) == before


def test_required_items_are_found_by_synonyms_accents_and_case_ignored():
    found = service.coverage("trade_show", ["RÉSERVER LE STAND", "Acheminement du matériel", "Assurance RC",
                                            "Commander les badges", "Plaquettes et catalogues", "Échantillons",
                                            "Inviter clients et prospects", "Planning de permanence",
                                            "Préparer la fiche contact", "Relancer les contacts après le salon"])
    assert all(found.values()), found
    partial = service.coverage("trade_show", ["Reserver l'emplacement", "Commander la documentation"])
    assert partial["stand_booking"] == "Reserver l'emplacement"
    assert partial["documentation"] == "Commander la documentation"
    assert partial["insurance"] is None and partial["badges"] is None
    # a word inside another does not count: « transport » is not « passport »'s
    assert service.coverage("trade_show", ["Passeport"])["stand_transport"] is None


def test_checklist_items_are_added_edited_and_removed(show):
    ws, pid = show
    with UnitOfWork(ws) as uow:
        item = service.add_item(uow, actor="candidate", project_id=pid, label="Souscrire l'assurance")
        uow.commit()
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as duplicate:
        service.add_item(uow, actor="candidate", project_id=pid, label="souscrire l’ASSURANCE")
    assert duplicate.value.errors == {"label": "Élément : déjà dans la check-list."}
    with UnitOfWork(ws) as uow:
        service.edit_item(uow, actor="candidate", project_id=pid, item_id=item.id, label="Assurance du stand",
                          done=True)
        uow.commit()
    assert last_entry(ws, "project.checklist_item_edited").payload == {"item": 4, "label": "Assurance du stand",
                                                                        "done": True}
    with UnitOfWork(ws) as uow:
        service.remove_item(uow, actor="candidate", project_id=pid, item_id=item.id)
        uow.commit()
    assert last_entry(ws, "project.checklist_item_removed").payload["label"] == "Assurance du stand"


def _task(ws, pid, title, start, due, depends_on=""):
    with UnitOfWork(ws) as uow:
        task = service.add_task(uow, actor="candidate", project_id=pid, title=title, owner="Léa",
                                start_date=start, due_date=due, depends_on=depends_on)
        uow.commit()
        return task


def test_a_task_cannot_start_before_its_predecessor_ends(show):
    ws, pid = show
    _task(ws, pid, "Réserver le stand", "2026-11-02", "2026-11-05")
    before = snapshot(ws)
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        service.add_task(uow, actor="candidate", project_id=pid, title="Transport du stand",
                         start_date="2026-11-04", due_date="2026-11-19", depends_on="T1")
    assert refused.value.errors["start_date"].startswith("Début : la tâche ne peut pas commencer avant la fin de T1")
    assert snapshot(ws) == before
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as unknown:
        service.add_task(uow, actor="candidate", project_id=pid, title="X", start_date="2026-11-05",
                         due_date="2026-11-04", depends_on="T9")
    assert set(unknown.value.errors) == {"depends_on", "due_date"}
    second = _task(ws, pid, "Transport du stand", "2026-11-05", "2026-11-19", "T1")
    assert second.depends_on == [1]
    assert last_entry(ws, "project.task_added").payload["depends_on"] == [1]


def test_a_cycle_of_dependencies_is_refused_with_a_field_error(show):
    ws, pid = show
    first = _task(ws, pid, "A", "2026-11-02", "2026-11-03")
    _task(ws, pid, "B", "2026-11-03", "2026-11-04", "1")
    _task(ws, pid, "C", "2026-11-04", "2026-11-05", "2")
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as refused:
        service.edit_task(uow, actor="candidate", project_id=pid, task_id=first.id, title="A",
                          start_date="2026-11-06", due_date="2026-11-07", depends_on="T3")
    assert "cycle" in refused.value.errors["depends_on"] and "T1" in refused.value.errors["depends_on"]
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as itself:
        service.edit_task(uow, actor="candidate", project_id=pid, task_id=first.id, title="A",
                          start_date="2026-11-02", due_date="2026-11-03", depends_on="T1")
    assert "elle-même" in itself.value.errors["depends_on"]
    # moving A's end after B's start is refused too
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as pushed:
        service.edit_task(uow, actor="candidate", project_id=pid, task_id=first.id, title="A",
                          start_date="2026-11-02", due_date="2026-11-04")
    assert "T2" in pushed.value.errors["due_date"]


def test_a_task_not_done_after_its_due_date_is_late(show):
    ws, pid = show
    first = _task(ws, pid, "Réserver le stand", "2026-11-02", "2026-11-04")
    second = _task(ws, pid, "Commander les badges", "2026-11-04", "2026-11-10", "T1")
    with UnitOfWork(ws) as uow, pytest.raises(ValidationFailed) as blocked:
        service.set_task_status(uow, actor="candidate", project_id=pid, task_id=second.id, status="doing")
    assert blocked.value.errors == {"status": "Statut : T1 doit être faite avant."}
    _at(ws, datetime(2026, 11, 5, 9, 0))
    with UnitOfWork(ws, write=False) as uow:
        assert [t.number for t in service.late_tasks(uow, service.project(uow, pid))] == [1]
        assert service.late_count(uow) == 1
    with UnitOfWork(ws) as uow:
        service.set_task_status(uow, actor="candidate", project_id=pid, task_id=first.id, status="done")
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        assert service.late_tasks(uow, service.project(uow, pid)) == []


def test_the_budget_sums_accepted_quotes_and_warns_over_the_announced_budget(show):
    ws, pid = show
    with UnitOfWork(ws) as uow:
        stand = service.receive_quote(uow, event_key="quote-stand", supplier="Eurexpo", post="stand",
                                      amount_ht="4200.00", valid_until="2026-11-10", label="Stand 18 m²")
        print_ = service.receive_quote(uow, event_key="quote-print", supplier="ImprimLyon", post="printing",
                                       amount_ht="1350.50", valid_until="2026-11-03")
        extra = service.receive_quote(uow, event_key="quote-traiteur", supplier="Traiteur Bellecour",
                                      post="catering", amount_ht="2800.00")
        uow.commit()
    with UnitOfWork(ws) as uow:
        service.accept_quote(uow, actor="candidate", project_id=pid, quote_id=stand.id)
        service.accept_quote(uow, actor="candidate", project_id=pid, quote_id=print_.id)
        service.add_cost(uow, actor="candidate", project_id=pid, post="travel", label="Trajets et hôtel",
                         planned_amount="980,25")
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        totals = service.budget(uow, service.project(uow, pid))
    # 4 200,00 + 1 350,50 + 980,25 = 6 530,75 of 8 000,00
    assert (totals.planned, totals.remaining, totals.over) == (D("6530.75"), D("1469.25"), False)
    assert totals.by_post == {"stand": D("4200.00"), "printing": D("1350.50"), "travel": D("980.25")}
    with UnitOfWork(ws) as uow, pytest.raises(SimError):
        service.accept_quote(uow, actor="candidate", project_id=pid, quote_id=stand.id)
    with UnitOfWork(ws) as uow:
        service.accept_quote(uow, actor="candidate", project_id=pid, quote_id=extra.id)
        uow.commit()
    entry = last_entry(ws, "project.quote_accepted")
    # 6 530,75 + 2 800,00 = 9 330,75 > 8 000,00
    assert entry.payload["planned_total"] == "9330.75" and entry.payload["over_budget"] is True
    assert entry.refs == {"project": "PA-001", "event": "quote-traiteur"}


def test_an_expired_quote_cannot_be_accepted(show):
    ws, pid = show
    with UnitOfWork(ws) as uow:
        quote = service.receive_quote(uow, event_key="q", supplier="Goodies & Co", post="goodies",
                                      amount_ht="300.00", valid_until="2026-11-01")
        uow.commit()
    with UnitOfWork(ws) as uow, pytest.raises(SimError) as refused:
        service.accept_quote(uow, actor="candidate", project_id=pid, quote_id=quote.id)
    assert "n'est plus valable depuis le 01/11/2026" in refused.value.message


def test_the_review_computes_the_cost_per_lead(show):
    ws, pid = show
    with UnitOfWork(ws) as uow:
        service.add_cost(uow, actor="candidate", project_id=pid, post="stand", label="Stand",
                         planned_amount="4000", actual_amount="4150.00")
        service.add_cost(uow, actor="candidate", project_id=pid, post="printing", label="Flyers",
                         planned_amount="600", actual_amount="550.00")
        service.record_review(uow, actor="candidate", project_id=pid, leads="94", orders="7",
                              notes="Bon emplacement, trop peu d'échantillons.")
        uow.commit()
    entry = last_entry(ws, "project.review_recorded")
    # actual 4 700,00 / 94 leads = 50,00
    assert (entry.payload["cost"], entry.payload["cost_per_lead"], entry.payload["orders"]) == ("4700.00", "50.00", 7)


def test_the_schedule_exports_as_icalendar_with_its_dependencies(show):
    ws, pid = show
    _task(ws, pid, "Réserver le stand", "2026-11-02", "2026-11-04")
    _task(ws, pid, "Transport du stand", "2026-11-04", "2026-11-19", "T1")
    with UnitOfWork(ws, write=False) as uow:
        found = service.project(uow, pid)
        data = calendar.to_ics(found, service.tasks(uow, found), datetime(2026, 11, 2, 9, 0))
    parsed = Calendar.from_ical(data)
    events = list(parsed.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["T1 Réserver le stand", "T2 Transport du stand"]
    assert events[1].decoded("DTSTART") == date(2026, 11, 4) and events[1].decoded("DTEND") == date(2026, 11, 20)
    assert "Après : T1 Réserver le stand" in str(events[1]["DESCRIPTION"])
    related = events[1]["RELATED-TO"]
    assert str(related) == str(events[0]["UID"]) and related.params["RELTYPE"] == "DEPENDS-ON"


def test_a_trade_show_announcement_opens_the_project_once(workspace):
    _at(workspace.id, datetime(2026, 11, 2, 9, 0))
    with UnitOfWork(workspace.id) as uow:
        first = service.create_from_announcement(uow, event_key="salon", name="Salon Habitat", date_text="2026-11-20",
                                                 place="Lyon", budget_text="8 000 € HT",
                                                 objectives=["120 contacts qualifiés", "15 rendez-vous"])
        again = service.create_from_announcement(uow, event_key="salon", name="Salon Habitat",
                                                 date_text="2026-11-20", place="Lyon", budget_text="8000",
                                                 objectives=[])
        uow.commit()
    assert again is None
    assert first.budget_amount == D("8000.00") and first.objectives[0] == {
        "label": "120 contacts qualifiés", "target": "120", "unit": "contacts"}


def test_the_leads_of_the_show_day_are_the_contact_forms_saved_at_the_stand(show):
    from sqlalchemy import select

    from sim.company.models import SalesRep
    from sim.tradeshow import service as stand
    from tests.tradeshow import a_visitor

    workspace_id, project_id = show
    _at(workspace_id, datetime(2026, 11, 20, 10, 0))
    received, _walked_away = a_visitor(workspace_id, "tom", welcomed=True), a_visitor(workspace_id, "ann")
    with UnitOfWork(workspace_id) as uow:
        rep = uow.session.scalars(select(SalesRep).order_by(SalesRep.id)).first()
        stand.save_contact(uow, actor="candidate", visitor_id=received.id, values={
            "first_name": "Tom", "last_name": "Becker", "company": "Becker Versand GmbH", "job_title": "Buyer",
            "email": "t.becker@becker-versand.example", "phone": "", "language": "en", "country": "DE",
            "need": "Boxes", "products": [], "documentation": "", "follow_up": "call",
            "follow_up_on": "2026-11-25", "sales_rep": str(rep.id), "consent": [], "retention_months": ""})
        uow.commit()
    with UnitOfWork(workspace_id, write=False) as uow:
        assert service.leads_during(uow, service.project(uow, project_id)) == 1
