"""CP7 in scenarios: the ``trade_show_announced`` event opens the project (once
per event key) as a scenario entity; the ``supplier_quote`` event records a
quote for the budget and delivers its e-mail; both are linted at
``file:line:col`` and shown in the dry run; the candidate-script actions of
``sim/scenario/actions/projects.py`` go through the project's services."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from sim.crm.models import Interaction
from sim.db import UnitOfWork
from sim.errors import SimError
from sim.journal.models import JournalEntry
from sim.projects import service
from sim.projects.models import Project, SupplierQuote
from sim.scenario import candidate
from sim.scenario.dryrun import print_run, run
from sim.scenario.engine import EventContext
from sim.scenario.events import registry
from sim.scenario.loader import lint_script_text, lint_text
from tests.scenario.test_event_handlers import entity, installed, msg, one_entry, play_until, scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = (ROOT / "scenarios" / "trade-show.yaml").read_text(encoding="utf-8")

ANNOUNCED = {"id": "show_news", "kind": "trade_show_announced", "at": "2026-11-02T09:30", "name": "salon",
             "show": {"name": "Emballage Expo", "date": "2026-11-20", "place": "Lyon Eurexpo", "budget": 3500,
                      "objectives": ["20 contacts qualifiés"]},
             "message": msg("Salon Emballage Expo", "Merci d'organiser notre présence.")}
QUOTE = {"id": "stand_offer", "kind": "supplier_quote", "at": "2026-11-02T11:00", "name": "stand_a",
         "supplier": "Stand Concept Lyon", "email": "devis@standconcept.example", "post": "stand",
         "amount": "2800.50", "valid_until": "2026-11-12", "label": "Stand équipé 12 m²",
         "message": msg("Devis SC-1 — stand", "Bonjour,\nVoici notre devis : 2 800,50 € HT.")}


def test_the_announcement_opens_the_project_once_under_its_scenario_name(make_workspace):
    ws = installed(make_workspace, scenario(ANNOUNCED))

    play_until(ws, datetime(2026, 11, 2, 9, 30))

    project = entity(ws, "project", "salon")
    assert (project.number, project.name, project.budget_amount, project.event_key) == (
        "PA-001", "Emballage Expo", 3500, "show_news")
    assert project.objectives == [{"label": "20 contacts qualifiés", "target": "20", "unit": "contacts"}]
    created = one_entry(ws, "project.created")
    assert (created.actor, created.refs) == ("scenario", {"project": "PA-001", "event": "show_news"})
    # the same event handled again (a retried transaction): no second project
    with UnitOfWork(ws) as uow:
        registry()["trade_show_announced"].handle(EventContext(uow, event_key="show_news"), ANNOUNCED)
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        assert len(uow.session.scalars(select(Project)).all()) == 1


def test_a_supplier_quote_is_recorded_for_the_budget_and_its_email_lands_in_the_inbox(make_workspace):
    ws = installed(make_workspace, scenario(ANNOUNCED, QUOTE))

    play_until(ws, datetime(2026, 11, 2, 11, 0))

    quote = entity(ws, "supplier_quote", "stand_a")
    assert (quote.supplier, quote.post, str(quote.amount_ht), quote.valid_until.isoformat(), quote.label) == (
        "Stand Concept Lyon", "stand", "2800.50", "2026-11-12", "Stand équipé 12 m²")
    received = one_entry(ws, "project.quote_received")
    assert received.refs == {"event": "stand_offer"}
    assert received.payload["amount_ht"] == "2800.50" and received.payload["valid_until"] == "2026-11-12"
    with UnitOfWork(ws, write=False) as uow:
        message = uow.session.get(Interaction, quote.message_id)
        assert (message.counterpart_role, message.counterpart_name, message.counterpart_email, message.read) == (
            "supplier", "Stand Concept Lyon", "devis@standconcept.example", False)
        assert message.event_key == "stand_offer"


def test_the_script_actions_plan_the_project_and_accept_the_quote(make_workspace):
    ws = installed(make_workspace, scenario(ANNOUNCED, QUOTE))
    play_until(ws, datetime(2026, 11, 2, 11, 0))

    def act(**spec):
        with UnitOfWork(ws) as uow:
            candidate.perform(uow, {"project": "salon", **spec})
            uow.commit()

    act(do="add_checklist_item", label="Commander les badges")
    act(do="edit_checklist_item", item="commander les BADGES", done=True)
    act(do="edit_checklist_item", item=1, label="Réserver le stand (hall 4)")
    act(do="add_task", title="Réserver le stand", owner="Julie", start="2026-11-02", due="2026-11-03")
    act(do="add_task", title="Transport du stand", start="2026-11-04", due="2026-11-06", depends_on="T1")
    act(do="set_task_status", task="T1", status="done")
    act(do="accept_quote", supplier_quote="stand_a")
    act(do="add_cost", post="goodies", label="Stylos", planned=120)
    act(do="set_actual", line="stylos", actual="98.40")
    act(do="record_review", leads=12, orders=2, notes="Bon salon.")

    with UnitOfWork(ws, write=False) as uow:
        project = service.by_number(uow, "PA-001")
        labels = {i.label: i.done for i in service.items(uow, project)}
        assert labels["Commander les badges"] is True and "Réserver le stand (hall 4)" in labels
        assert [(t.number, t.status, t.depends_on) for t in service.tasks(uow, project)] == [
            (1, "done", []), (2, "todo", [1])]
        totals = service.budget(uow, project)
        assert (str(totals.planned), str(totals.actual)) == ("2920.50", "98.40")
        assert (project.leads, project.orders) == (12, 2)
        actors = set(uow.session.scalars(select(JournalEntry.actor).where(JournalEntry.kind.like("project.%"))))
    assert actors == {"scenario", "candidate:script"}

    # a name the project does not have is refused, as a candidate's click would be
    with UnitOfWork(ws) as uow, pytest.raises(SimError):
        candidate.perform(uow, {"do": "set_task_status", "project": "salon", "task": "T9", "status": "done"})
    with UnitOfWork(ws) as uow, pytest.raises(SimError):
        candidate.perform(uow, {"do": "edit_checklist_item", "project": "salon", "item": "Traiteur"})

    act(do="send_project", subject="Dossier", body="Ci-joint.")
    sent = one_entry(ws, "project.sent")
    assert sent.actor == "candidate:script" and sent.payload["accepted_quotes"] == ["stand_offer"]


def test_a_quote_with_a_bad_post_amount_or_validity_is_reported_where_it_is_written():
    bad = (SCENARIO.replace("    post: printing\n", "    post: imprimerie\n")
           .replace("    amount: 960\n", "    amount: 960.555\n")
           .replace("    valid_until: 2026-11-05\n", "    valid_until: 2026-11-01\n"))
    problems = lint_text(bad, "salon.yaml").problems
    lines = bad.splitlines()
    assert len(problems) == 3, problems
    found = {lines[p.line - 1].strip(): p.message for p in problems}
    assert "imprimerie" in found["post: imprimerie"]
    assert "au centime" in found["amount: 960.555"]
    assert "valable jusqu'au 01/11/2026, avant son arrivée (03/11/2026)" in found["valid_until: 2026-11-01"]
    assert all(p.file == "salon.yaml" and p.col > 0 for p in problems)


def test_a_script_names_the_projects_and_quotes_the_scenario_defines():
    data = lint_text(SCENARIO, "salon.yaml").data
    script = ("- at: 2026-11-02T12:00\n  do: accept_quote\n  project: fair\n  supplier_quote: stand_gold\n"
              "- at: 2026-11-02T12:10\n  do: add_cost\n  project: salon\n  post: stand\n  label: Moquette\n"
              "  planned: douze\n"
              "- at: 2026-11-02T12:20\n  do: add_task\n  project: salon\n  title: Badges\n  start: 2026-11-31\n"
              "  due: 2026-12-01\n")
    problems = lint_script_text(script, "x.candidate.yaml", data).problems
    messages = {p.line: p.message for p in problems}
    assert "projet inconnu(e) : « fair » (définis : salon)" in messages[3]
    assert "devis fournisseur inconnu(e) : « stand_gold »" in messages[4]
    assert "douze" in messages[10]
    assert "2026-11-31" in messages[15]
    assert len(problems) == 4, problems


def test_the_dry_run_shows_the_quotes_and_the_report(tmp_path):
    result = run(ROOT / "scenarios" / "trade-show.yaml", ROOT / "scenarios" / "trade-show.candidate.yaml",
                 workdir=str(tmp_path))
    text = print_run(result)

    assert result.ok
    quotes = [e for e in result.entries if e["kind"] == "project.quote_received"]
    assert [q["refs"]["event"] for q in quotes] == ["stand_quote", "stand_premium", "printing_quote",
                                                    "travel_quote", "catering_quote"]
    assert "project.quote_received" in text and "event=stand_premium" in text and "project.sent" in text
    [sent] = [e for e in result.entries if e["kind"] == "project.sent"]
    assert sent["payload"]["planned_total"] == "5710.00" and sent["payload"]["over_budget"] is False
