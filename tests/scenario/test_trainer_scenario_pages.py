"""Trainers see each scenario's timeline and lint result, and upload new ones:
a broken file is refused with its file:line:col problems and not kept."""
from __future__ import annotations

from pathlib import Path

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_a_trainer_reads_the_timeline_and_the_expectations_of_a_sample(login, make_user):
    browser = login(make_user("trainer"))
    listing = browser.get("/scenarios")
    assert listing.status_code == 200 and "late-delivery" in listing.text and "valide" in listing.text
    page = browser.get("/scenarios/view?name=late-delivery")
    assert page.status_code == 200
    html = page.text
    assert "supplier_delay" in html and "02/11/2026 10:15" in html  # the event and its sim time
    assert "03/11/2026 12:15" in html  # "after" resolved: 1 day 2 hours later
    assert "assistant-commercial/CP3/5" in html and "niveau B1" in html  # the criterion quoted
    assert "<strong>assistant(e) commercial(e)</strong>" in html  # the briefing's Markdown


def test_an_uploaded_broken_scenario_is_refused_with_its_positions(login, make_user):
    browser = login(make_user("trainer"))
    broken = (SCENARIOS / "late-delivery.yaml").read_text().replace("kind: supplier_delay", "kind: supplier_dealy")
    response = browser.client.post("/scenarios", data={"csrf_token": browser.csrf},
                                   files={"file": ("mon-scenario.yaml", broken.encode(), "application/x-yaml")})
    assert response.status_code == 422
    assert "mon-scenario.yaml:" in response.text and "supplier_dealy" in response.text
    assert "mon-scenario" not in browser.get("/scenarios").text.split("<tbody>")[1]


def test_a_valid_upload_is_kept_and_listed(login, make_user):
    browser = login(make_user("admin"))
    text = (SCENARIOS / "trade-show.yaml").read_text().replace("id: trade-show", "id: trade-show-lyon")
    response = browser.client.post("/scenarios", data={"csrf_token": browser.csrf},
                                   files={"file": ("lyon.yaml", text.encode(), "application/x-yaml")})
    assert response.status_code == 200 and "a été déposé" in response.text
    assert browser.get("/scenarios/view?name=trade-show-lyon").status_code == 200


def test_an_evaluator_may_read_but_not_upload(login, make_user):
    browser = login(make_user("evaluator"))
    assert browser.get("/scenarios").status_code == 200
    response = browser.client.post("/scenarios", data={"csrf_token": browser.csrf},
                                   files={"file": ("x.yaml", b"id: x", "application/x-yaml")})
    assert response.status_code == 403
