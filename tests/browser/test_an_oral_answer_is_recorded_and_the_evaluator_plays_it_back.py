"""In a real browser with a fake microphone (Chromium's fake media stream), the
candidate picks up a customer's phone call, hears the voice, records their
answer (MediaRecorder) and sends it; the evaluator finds it on the candidate's
timeline, plays it back and judges the oral criterion. No CSP violation."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sim.db import UnitOfWork, get_engine
from sim.scenario.engine import fire_due
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.test_pages_satisfy_the_content_security_policy import Watch, log_in
from tests.exam import a_session, workspaces

pytestmark = pytest.mark.browser
FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture
def with_microphone(browser):
    """Another Chromium of the session's Playwright, whose microphone is a fake device (a beep)."""
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_MEDIA, headless=True)
    yield chromium
    chromium.close()


def _shot(page, name):
    import os
    from pathlib import Path

    if os.environ.get("ADVSIM_SCREENSHOTS"):
        Path(os.environ["ADVSIM_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(os.environ["ADVSIM_SCREENSHOTS"]) / f"{name}.png"), full_page=True)


def test_a_recorded_answer_to_a_call_is_played_back_by_the_evaluator(live_server, with_microphone, make_user):
    from sim.exam.service import end_session, release_event, start_session

    session_id, [candidate] = a_session(make_user, candidates=1, scenario="reclamation-client-anglais")
    start_session(get_engine(), session_id, actor="trainer:t")
    [workspace] = workspaces(session_id)
    release_event(get_engine(), session_id, "customer_call", actor="trainer:t")
    assert fire_due(get_engine(), workspace.id)  # the phone rings

    context = with_microphone.new_context(locale="fr-FR", viewport={"width": 1400, "height": 900},
                                          permissions=["microphone"])
    page = context.new_page()
    watch = Watch(page)
    log_in(page, live_server, candidate.username)
    page.goto(f"{live_server}/calls")
    page.locator("table.calls-table").get_by_role("link", name="Broken gift boxes").click()
    voice = page.locator("[data-testid=customer-voice]")
    expect(voice).to_be_visible()
    assert page.evaluate("""el => new Promise(done => { el.addEventListener('loadedmetadata',
        () => done(el.duration), {once: true}); el.load(); })""", voice.element_handle()) > 3

    page.get_by_role("button", name="● Enregistrer ma réponse").click()
    expect(page.get_by_role("button", name="■ Arrêter")).to_be_enabled()
    page.wait_for_timeout(2500)
    page.get_by_role("button", name="■ Arrêter").click()
    expect(page.locator("[data-preview]")).to_be_visible()
    send = page.get_by_role("button", name="Envoyer l'enregistrement")
    expect(send).to_be_enabled()
    _shot(page, "call-recorded")
    send.click()
    expect(page.locator("#answer")).to_contain_text("Réponse enregistrée (voix du candidat)")
    expect(page.locator("[data-testid=answer-recording]")).to_be_visible()
    watch.assert_none("call page")
    context.close()

    end_session(get_engine(), session_id, actor="trainer:t")
    with UnitOfWork(workspace.id, write=False) as uow:
        from sqlalchemy import select

        from sim.journal.models import JournalEntry

        answered = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "call.answered")).one()
    assert answered.payload["mode"] == "recording" and 2 <= answered.payload["duration_s"] <= 5

    evaluator = make_user("evaluator")
    context = with_microphone.new_context(locale="fr-FR", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    log_in(page, live_server, evaluator.username)
    page.goto(f"{live_server}/evaluation/sessions/{session_id}/candidates/{workspace.id}")
    row = page.locator(f"#entry-{answered.seq}")
    expect(row).to_contain_text("Réponse orale enregistrée")
    player = row.locator("audio[data-testid=oral-evidence]")
    expect(player).to_have_count(1)
    played = page.evaluate("""el => new Promise(done => {
        el.muted = true;
        el.addEventListener('timeupdate', () => { if (el.currentTime > 0.2) done(el.currentTime); });
        el.addEventListener('error', () => done(-1), {once: true});
        el.play().catch(() => done(-2)); })""", player.element_handle())
    assert played > 0.2  # the evaluator hears the candidate's recording
    expect(page.locator("#exp-oral-english")).to_contain_text("écouter")
    row.scroll_into_view_if_needed()
    _shot(page, "evaluator-oral-evidence")

    judge = page.locator("form.judge-form[data-expectation=oral-english]")
    judge.get_by_label("Jugement de « oral-english »").select_option("met")
    judge.get_by_label("Points (sur 3)").fill("3")
    judge.get_by_label("Commentaire").fill("Excuses claires, solution et suite expliquées : B1.")
    judge.get_by_role("button", name="Enregistrer le jugement").click()
    expect(page.locator("#exp-oral-english")).to_contain_text("Excuses claires")
    watch.assert_none("evaluator page")
    context.close()
