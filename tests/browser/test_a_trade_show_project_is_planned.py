"""CP7 in a real browser — « organiser une action commerciale » : the candidate
creates a trade-show project, completes its checklist (htmx swaps the list in
place), plans two tasks where the second depends on the first (a start before
the first's end is refused next to the field), sees them on the timeline (an
inline SVG Gantt with the dependency arrow), retains the supplier's quote into
the budget and downloads the schedule as iCalendar — with no
Content-Security-Policy violation, and the page holds at 1024 px wide."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from sim.clock import sim_date
from sim.db import UnitOfWork
from tests.browser.test_pages_satisfy_the_content_security_policy import Watch, log_in
from tests.projects import a_supplier_quote

pytestmark = pytest.mark.browser


@pytest.fixture
def candidate_with_a_quote(candidate_with_workspace):
    """The candidate's company has received a stand builder's quote (the supplier_quote event's work)."""
    user, workspace = candidate_with_workspace
    a_supplier_quote(workspace.id, supplier="Stands Expo Rhône", amount="3200.00", label="Stand 12 m² équipé")
    with UnitOfWork(workspace.id, write=False) as uow:
        return user, workspace, sim_date(uow)


def test_a_trade_show_project_is_planned_on_a_timeline(live_server, browser, page, screenshot,
                                                       candidate_with_a_quote):
    user, workspace, today = candidate_with_a_quote
    day = lambda n: (today + timedelta(days=n)).isoformat()  # noqa: E731
    watch = Watch(page)
    log_in(page, live_server, user.username)

    # the project: a trade show three weeks ahead, 8 000 € HT, 120 qualified contacts
    page.goto(f"{live_server}/projects")
    page.get_by_role("link", name="Nouvelle action").click()
    page.get_by_label("Type d'action").select_option("trade_show")
    page.get_by_label("Nom *").fill("Salon Maison & Jardin")
    page.get_by_label("Lieu").fill("Lyon Eurexpo")
    page.get_by_label("Date *").fill(day(21))
    page.get_by_label("Budget annoncé").fill("8000,00")
    page.get_by_label("Objectif 1").fill("Contacts qualifiés")
    page.get_by_label("Cible 1").fill("120")
    page.get_by_label("Unité 1").fill("contacts")
    page.get_by_role("button", name="Créer l'action").click()
    expect(page.locator("h1")).to_contain_text("Salon Maison & Jardin")
    expect(page.get_by_test_id("flash")).to_contain_text("PA-001 créée")
    project_url = page.url.split("#")[0]

    # the checklist: an item added in place (htmx: no reload), another ticked done
    checklist = page.locator("#checklist")
    checklist.get_by_label("Nouvel élément").fill("Commander les badges")
    checklist.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_test_id("checklist-notice")).to_contain_text("« Commander les badges » ajouté")
    expect(page.locator("#checklist ul.project-checklist input[name=label]").last).to_have_value("Commander les badges")
    page.locator("#checklist").get_by_label("Fait : Inviter les clients").check()
    expect(page.get_by_test_id("checklist-notice")).to_contain_text("« Inviter les clients » fait")
    expect(page.locator("#checklist li.done")).to_have_count(1)
    assert page.url.split("#")[0] == project_url  # swapped in, never reloaded
    # a label already there is refused next to the field, in place
    checklist = page.locator("#checklist")
    checklist.get_by_label("Nouvel élément").fill("commander les BADGES")
    checklist.get_by_role("button", name="Ajouter").click()
    expect(page.locator("#checklist .field-error")).to_have_text("Élément : déjà dans la check-list.")

    # two tasks, the second after the first
    tasks = page.locator("#task-form")
    tasks.get_by_label("Tâche *").fill("Réserver le stand")
    tasks.get_by_label("Responsable").fill("Léa Martin")
    tasks.get_by_label("Début *").fill(day(-5))
    tasks.get_by_label("Échéance *").fill(day(-1))
    tasks.get_by_role("button", name="Ajouter la tâche").click()
    expect(page.get_by_test_id("flash")).to_contain_text("Tâche T1 « Réserver le stand » planifiée")
    tasks = page.locator("#task-form")
    tasks.get_by_label("Tâche *").fill("Organiser le transport du stand")
    tasks.get_by_label("Début *").fill(day(-3))
    tasks.get_by_label("Échéance *").fill(day(9))
    tasks.get_by_label("Dépend de").fill("T1")
    tasks.get_by_role("button", name="Ajouter la tâche").click()
    expect(page.locator("#err-start_date")).to_contain_text("ne peut pas commencer avant la fin de T1")
    page.locator("#task-form").get_by_label("Début *").fill(day(0))
    page.locator("#task-form").get_by_role("button", name="Ajouter la tâche").click()
    expect(page.get_by_test_id("flash")).to_contain_text("Tâche T2")
    page.locator("#task-form").get_by_label("Tâche *").fill("Envoyer les invitations")
    page.locator("#task-form").get_by_label("Début *").fill(day(1))
    page.locator("#task-form").get_by_label("Échéance *").fill(day(8))
    page.locator("#task-form").get_by_role("button", name="Ajouter la tâche").click()
    page.get_by_label("Statut de T3").select_option("doing")
    page.locator("#taches tr", has_text="Envoyer les invitations").get_by_role("button", name="OK").click()
    expect(page.get_by_test_id("flash")).to_contain_text("T3 « Envoyer les invitations » : en cours")
    # T1 was due yesterday and is not done: the banner and the menu say so
    expect(page.get_by_test_id("late-alert")).to_contain_text("1 tâche en retard")
    expect(page.get_by_test_id("late-alert")).to_contain_text("T1 « Réserver le stand »")
    expect(page.get_by_test_id("projects-late-count")).to_contain_text("1")

    # the timeline: one bar per task, the dependency as an arrow, today's line, labels as text
    gantt = page.get_by_test_id("timeline")
    expect(gantt).to_be_visible()
    expect(gantt.locator("g.task")).to_have_count(3)
    expect(gantt.locator("path.dep")).to_have_count(1)
    expect(gantt.locator("g.task.late text.task-label")).to_have_text("T1 Réserver le stand")
    expect(gantt.locator("g.task.doing text.task-label")).to_have_text("T3 Envoyer les invitations")
    expect(gantt.locator("text.marker-label.today")).to_contain_text("Aujourd'hui")
    expect(gantt.locator("text.marker-label.event")).to_contain_text("Salon")

    # the budget: the stand builder's quote retained
    budget = page.locator("#budget")
    budget.get_by_role("button", name="Retenir le devis de Stands Expo Rhône").click()
    expect(page.get_by_test_id("flash")).to_contain_text("Devis retenu")
    expect(page.get_by_test_id("planned-total")).to_have_text("3 200,00 €")
    expect(page.locator("#quotes")).to_contain_text("retenu")

    # the schedule as iCalendar
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter le planning (.ics)").click()
    assert download.value.suggested_filename == "PA-001.ics"
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"T1 Réserver le stand", "T2 Organiser le transport du stand", "T3 Envoyer les invitations"}
    assert events["T2 Organiser le transport du stand"]["DTSTART"].dt.isoformat() == day(0)

    page.goto(project_url)
    screenshot("project-timeline")
    watch.assert_none("the project page")

    # a small laptop: the page never scrolls sideways
    narrow = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 768})
    small = narrow.new_page()
    log_in(small, live_server, user.username)
    for path in ("/projects", project_url.removeprefix(live_server)):
        small.goto(live_server + path)
        width = small.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], (path, width)
    narrow.close()
