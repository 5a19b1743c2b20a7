"""CP7 — « organiser une action commerciale », over HTTP: a project is created
from its form, its checklist edited (a full page or the htmx fragment), a task
whose dependencies would make a cycle refused with the message next to the
field, a supplier quote retained into the budget, the review recorded with its
cost per lead, the schedule downloaded as iCalendar and read back; a refused
form answers 422 and saves nothing."""
from __future__ import annotations

import html
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from sim.clock import sim_date
from sim.db import UnitOfWork
from sim.projects import service
from sim.projects.models import Project, ProjectChecklistItem, ProjectCost, SupplierQuote
from tests.factories import last_entry, snapshot
from tests.projects import a_project


def _project(ws: int, number: str = "PA-001") -> Project:
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(Project).where(Project.number == number)).one()


def _today(ws: int):
    with UnitOfWork(ws, write=False) as uow:
        return sim_date(uow)


def test_a_project_is_created_from_its_form_and_listed(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws, browser = workspace.id, login(user)
    page = browser.get("/projects/new")
    assert page.status_code == 200 and "Nouvelle action commerciale" in page.text
    form = {"kind": "trade_show", "name": "Salon Maison & Jardin", "place": "Lyon Eurexpo",
            "event_date": (_today(ws) + timedelta(days=20)).isoformat(), "budget_amount": "8 000,00",
            "objective_label_0": "Contacts qualifiés", "objective_target_0": "120", "objective_unit_0": "contacts"}

    # refused: the messages next to their fields, nothing saved
    before = snapshot(ws)
    refused = browser.post("/projects", {**form, "name": "", "budget_amount": "huit mille",
                                         "objective_target_0": "beaucoup"})
    assert refused.status_code == 422
    assert '<span class="field-error" id="err-name" role="alert">Nom : à remplir.</span>' in refused.text
    assert 'id="err-budget_amount"' in refused.text and 'id="err-objective_target_0"' in refused.text
    assert 'value="beaucoup"' in refused.text  # what was typed comes back
    assert snapshot(ws) == before

    created = browser.post("/projects", form)
    assert created.status_code == 303
    project = _project(ws)
    assert created.headers["location"] == f"/projects/{project.id}"
    assert project.budget_amount == 8000 and project.objectives == [
        {"label": "Contacts qualifiés", "target": "120", "unit": "contacts"}]
    page = browser.get(created.headers["location"])
    assert "Action commerciale PA-001 créée" in page.text  # the confirmation, once
    listing = browser.get("/projects")
    assert "PA-001" in listing.text and "Salon professionnel" in listing.text and "8\u202f000,00" in listing.text
    assert "Actions commerciales" in listing.text  # the menu entry


def test_the_checklist_is_edited_by_page_and_by_htmx_fragment(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws, browser = workspace.id, login(user)
    made = a_project(ws)
    url = f"/projects/{made.project.id}"

    added = browser.post(f"{url}/checklist", {"label": "Commander les badges"})
    assert added.status_code == 303 and added.headers["location"] == f"{url}#checklist"
    assert last_entry(ws, "project.checklist_item_added").payload["label"] == "Commander les badges"
    assert "« Commander les badges » ajouté à la check-list." in browser.get(url).text

    # htmx: the checklist alone comes back, with its confirmation; a refusal comes back as 422 in place
    fragment = browser.post(f"{url}/checklist", {"label": "Assurer le stand"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section class="card" id="checklist" data-swap-refusal>')
    assert "« Assurer le stand » ajouté à la check-list." in fragment.text and "<html" not in fragment.text
    before = snapshot(ws)
    twice = browser.post(f"{url}/checklist", {"label": "assurer le STAND"}, headers={"HX-Request": "true"})
    assert twice.status_code == 422 and 'id="checklist"' in twice.text
    assert "Élément : déjà dans la check-list." in twice.text
    assert snapshot(ws) == before

    with UnitOfWork(ws, write=False) as uow:
        item = uow.session.scalars(select(ProjectChecklistItem).where(
            ProjectChecklistItem.label == "Assurer le stand")).one()
    edited = browser.post(f"{url}/checklist/{item.id}", {"label": "Assurer le stand (RC)", "done": "1"})
    assert edited.status_code == 303
    assert last_entry(ws, "project.checklist_item_edited").payload == {
        "item": item.position, "label": "Assurer le stand (RC)", "done": True}
    forged = browser.post(f"{url}/checklist/{item.id}", {"label": "X", "done": "maybe"})
    assert forged.status_code == 422
    removed = browser.post(f"{url}/checklist/{item.id}/delete")
    assert removed.status_code == 303
    assert last_entry(ws, "project.checklist_item_removed").payload["label"] == "Assurer le stand (RC)"
    gone = browser.post(f"{url}/checklist/{item.id}", {"label": "Assurer le stand"}, headers={"HX-Request": "true"})
    assert gone.status_code == 409 and 'id="checklist"' in gone.text
    assert "Cet élément n'est plus dans la check-list." in html.unescape(gone.text)
    # the page never says which required items are missing: that is what the exam checks
    page = browser.get(url).text
    for required in service.requirements()["trade_show"].values():
        assert "manquant" not in page.lower() and f"« {required['label']} » manque" not in page


def test_a_task_making_a_cycle_is_refused_next_to_its_field(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws, browser = workspace.id, login(user)
    made = a_project(ws)
    url = f"/projects/{made.project.id}"
    first, second = made.tasks
    today = _today(ws)

    third = browser.post(f"{url}/tasks", {"title": "Commander les badges", "owner": "Léa",
                                          "start_date": second.due_date.isoformat(),
                                          "due_date": (second.due_date + timedelta(days=1)).isoformat(),
                                          "depends_on": "T2"})
    assert third.status_code == 303 and third.headers["location"] == f"{url}#taches"
    assert last_entry(ws, "project.task_added").payload["depends_on"] == [2]

    # T1 after T3 would close the loop T1 → T2 → T3 → T1
    before = snapshot(ws)
    cycle = browser.post(f"{url}/tasks/{first.id}", {"title": first.title, "owner": "",
                                                     "start_date": (today + timedelta(days=30)).isoformat(),
                                                     "due_date": (today + timedelta(days=31)).isoformat(),
                                                     "depends_on": "T3"})
    assert cycle.status_code == 422
    text = html.unescape(cycle.text)
    assert '<span class="field-error" id="err-depends_on" role="alert">Dépend de : ces dépendances forment un cycle' \
        in text
    assert 'aria-invalid="true" aria-describedby="err-depends_on"' in text
    assert "Modifier T1" in text  # the edit form is the one shown again, with what was typed
    assert 'value="T3"' in text
    assert snapshot(ws) == before

    # the status: not in progress before its predecessor is done
    blocked = browser.post(f"{url}/tasks/{second.id}/status", {"status": "doing"})
    assert blocked.status_code == 422 and "Statut : T1 doit être faite avant." in html.unescape(blocked.text)
    done = browser.post(f"{url}/tasks/{first.id}/status", {"status": "done"})
    assert done.status_code == 303
    assert last_entry(ws, "project.task_status_set").payload["status"] == "done"
    page = browser.get(url).text
    assert 'data-testid="timeline"' in page and page.count('class="dep"') == 2  # T1 → T2, T2 → T3
    assert "T1 Réserver le stand : du" in page  # each bar's accessible sentence


def test_a_late_task_shows_on_the_page_and_in_the_menu(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws, browser = workspace.id, login(user)
    made = a_project(ws)
    today = _today(ws)
    late = browser.post(f"/projects/{made.project.id}/tasks",
                        {"title": "Réserver l'hôtel", "start_date": (today - timedelta(days=4)).isoformat(),
                         "due_date": (today - timedelta(days=1)).isoformat()})
    assert late.status_code == 303
    page = browser.get(f"/projects/{made.project.id}").text
    assert 'data-testid="late-alert"' in page and "1 tâche en retard" in page
    assert 'data-testid="projects-late-count"' in browser.get("/customers").text  # every page's menu
    listing = browser.get("/projects").text
    assert '<span class="tag danger">1</span>' in listing


def test_a_supplier_quote_retained_goes_into_the_budget(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws, browser = workspace.id, login(user)
    made = a_project(ws)
    url = f"/projects/{made.project.id}"
    assert "Stands Expo Rhône" in browser.get(url).text

    accepted = browser.post(f"{url}/quotes/{made.quote.id}/accept")
    assert accepted.status_code == 303 and accepted.headers["location"] == f"{url}#budget"
    entry = last_entry(ws, "project.quote_accepted")
    assert entry.payload["planned_total"] == "3650.00" and entry.payload["over_budget"] is False
    page = browser.get(url).text
    assert "Devis retenu : Stand 12 m² équipé pour 3\u202f200,00\u00a0€ HT, ajouté au budget." in page
    assert "3\u202f650,00\u00a0€" in page  # planned: the quote + the travel line
    again = browser.post(f"{url}/quotes/{made.quote.id}/accept")
    assert again.status_code == 409 and "déjà retenu" in html.unescape(again.text)

    # a line by hand over the announced budget: the warning
    over = browser.post(f"{url}/costs", {"post": "catering", "label": "Cocktail clients",
                                         "planned_amount": "5000,00", "actual_amount": ""})
    assert over.status_code == 303
    assert 'data-testid="over-budget"' in browser.get(url).text
    with UnitOfWork(ws, write=False) as uow:
        line = uow.session.scalars(select(ProjectCost).where(ProjectCost.label == "Cocktail clients")).one()
    before = snapshot(ws)
    bad = browser.post(f"{url}/costs/{line.id}/actual", {"actual_amount": "12,345"})
    assert bad.status_code == 422 and 'id="err-actual_amount"' in bad.text
    assert snapshot(ws) == before
    assert browser.post(f"{url}/costs/{line.id}/actual", {"actual_amount": "4800,00"}).status_code == 303
    assert last_entry(ws, "project.cost_actual_set").payload["actual"] == "4800.00"


def test_objectives_and_review_with_the_cost_per_lead(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws, browser = workspace.id, login(user)
    made = a_project(ws)
    url = f"/projects/{made.project.id}"
    edited = browser.post(f"{url}/objectives", {"objective_label_0": "Contacts qualifiés", "objective_target_0": "150",
                                                "objective_unit_0": "contacts", "objective_label_1": "Commandes",
                                                "objective_target_1": "10", "objective_unit_1": ""})
    assert edited.status_code == 303
    assert last_entry(ws, "project.objectives_edited").payload["objectives"] == [
        {"label": "Contacts qualifiés", "target": "150", "unit": "contacts"},
        {"label": "Commandes", "target": "10", "unit": ""}]
    refused = browser.post(f"{url}/objectives", {"objective_label_0": "", "objective_target_0": "12"})
    assert refused.status_code == 422 and "Objectif : à remplir." in refused.text

    review = browser.post(f"{url}/review", {"leads": "9", "orders": "2", "notes": "Stand bien placé."})
    assert review.status_code == 303
    page = browser.get(url).text
    # spent: the planned 450,00 (no actual yet) ÷ 9 contacts = 50,00
    assert "Bilan enregistré : coût par contact 50,00\u00a0€ HT." in page
    assert '<strong data-testid="cost-per-lead">50,00\u00a0€</strong>' in page
    assert last_entry(ws, "project.review_recorded").payload["cost_per_lead"] == "50.00"


def test_the_schedule_downloads_as_icalendar(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws, browser = workspace.id, login(user)
    made = a_project(ws)
    response = browser.get(f"/projects/{made.project.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["content-disposition"] == 'attachment; filename="PA-001.ics"'
    calendar = Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    first, second = made.tasks
    assert set(events) == {"T1 Réserver le stand", "T2 Transport du stand"}
    transport = events["T2 Transport du stand"]
    assert transport["DTSTART"].dt == second.start_date
    assert transport["DTEND"].dt == second.due_date + timedelta(days=1)  # all-day: the end is exclusive
    assert str(transport["RELATED-TO"]) == str(events["T1 Réserver le stand"]["UID"])


def test_another_candidates_project_is_not_found(login, make_user, make_workspace, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    made = a_project(workspace.id)
    other = make_user("candidate")
    make_workspace(owner=other)
    browser = login(other)
    assert browser.get(f"/projects/{made.project.id}").status_code == 404
    assert browser.get(f"/projects/{made.project.id}/calendar.ics").status_code == 404
    assert browser.post(f"/projects/{made.project.id}/quotes/{made.quote.id}/accept").status_code == 404
    with UnitOfWork(workspace.id, write=False) as uow:
        assert uow.session.get(SupplierQuote, made.quote.id).accepted_at is None
