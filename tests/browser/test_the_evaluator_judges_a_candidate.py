"""In a real browser, the evaluator's workflow on an ended exam: the session matrix, one candidate,
a `to judge` item judged with a comment, another verdict overridden, the CP verdict updated, the CP
validated; the candidate's journal still verifies. No Content-Security-Policy violation."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sim.db import UnitOfWork, get_engine
from sim.journal import service as journal
from tests.browser.test_pages_satisfy_the_content_security_policy import Watch, log_in
from tests.exam import a_session, workspaces

pytestmark = pytest.mark.browser


def test_the_evaluator_judges_overrides_and_the_cp_verdict_updates(live_server, page, make_user, screenshot):
    from sim.exam.service import end_session, start_session

    session_id, _ = a_session(make_user, candidates=1, scenario="non-payment")
    start_session(get_engine(), session_id, actor="trainer:t")
    end_session(get_engine(), session_id, actor="trainer:t")  # an idle candidate: CP3 waits on "tone"
    [workspace] = workspaces(session_id)
    evaluator = make_user("evaluator")
    watch = Watch(page)
    log_in(page, live_server, evaluator.username)

    page.goto(f"{live_server}/evaluation/sessions/{session_id}")
    expect(page.locator("#matrix")).to_contain_text("CP3")
    screenshot("evaluation-matrix")
    page.locator("#matrix a").first.click()
    expect(page.locator("h1")).to_be_visible()
    cp3 = page.locator("#cp-CP3 .cp-verdict")
    expect(cp3).to_contain_text("À juger")

    judge = page.locator("form.judge-form[data-expectation=tone]")
    judge.get_by_label("Jugement de « tone »").select_option("met")
    judge.get_by_label("Points (sur 2)").fill("2")
    judge.get_by_label("Commentaire").fill("Ton ferme et courtois : la relation est préservée.")
    judge.get_by_role("button", name="Enregistrer le jugement").click()
    expect(cp3).to_contain_text("Acquise")
    expect(page.locator("#exp-tone")).to_contain_text("Ton ferme et courtois")

    override = page.locator("form.override-form")
    override.get_by_label("Verdict à corriger").select_option("expectation:first-reminder")
    override.get_by_label("Nouveau statut").select_option("partly")
    override.get_by_label("Points").fill("1")
    override.get_by_role("button", name="Corriger").click()  # no comment: refused next to the field
    expect(page.locator("#err-comment")).to_contain_text("obligatoire")
    override = page.locator("form.override-form")
    override.get_by_label("Commentaire (obligatoire)").fill("Relance faite par téléphone, vue en salle.")
    override.get_by_role("button", name="Corriger").click()
    expect(page.locator("#exp-first-reminder .final-status")).to_contain_text("Partiel")
    expect(page.locator("#exp-first-reminder")).to_contain_text("Relance faite par téléphone")

    page.locator("#cp-CP3").get_by_role("button", name="Valider CP3").click()
    expect(page.locator("#cp-CP3")).to_contain_text("✓ Validée")
    screenshot("evaluation-candidate")
    page.goto(f"{live_server}/evaluation/sessions/{session_id}")
    expect(page.locator("#matrix")).to_contain_text("Acquise")
    page.goto(f"{live_server}/evaluation/sessions/{session_id}/summary")
    expect(page.locator("table")).to_contain_text("assistant-commercial/CP3/1")
    screenshot("evaluation-summary")
    watch.assert_none("evaluator's pages")

    with UnitOfWork(write=False) as uow:
        [report] = journal.verify(uow.session, workspace.id)
    assert report.ok, report.reason
