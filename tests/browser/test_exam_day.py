"""In a real browser, the whole exam day: the trainer prepares a session for two
candidates, starts it and jumps to the next event; the first candidate, sitting
on a page, sees the message arrive without reloading; each candidate has their
own copy of it (a reply of one is not in the other's sent box); the trainer ends
the exam and the candidate's workspace turns read-only (banner, writes refused
with 409). The console raises no Content-Security-Policy violation."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages_satisfy_the_content_security_policy import Watch, log_in

pytestmark = pytest.mark.browser

SUBJECT = "Règlements non reçus — Durand Quincaillerie"  # non-payment's first event on the clock
CLOSED = "L'épreuve est terminée : votre espace est en lecture seule"


def test_an_exam_day_from_the_console_to_the_read_only_end(live_server, browser, make_user):
    trainer, candidate1, candidate2 = make_user("trainer"), make_user("candidate"), make_user("candidate")
    contexts = [browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 900}) for _ in range(3)]
    console, first, second = (context.new_page() for context in contexts)
    try:
        watch = Watch(console)
        log_in(console, live_server, trainer.username)
        console.goto(live_server + "/sessions/new")
        console.get_by_label("Titre").fill("Épreuve E4 — groupe du matin")
        option = console.locator("select[name=scenario] option", has_text="(non-payment")
        console.get_by_label("Scénario").select_option(option.get_attribute("value"))
        console.get_by_label("Durée prévue (minutes)").fill("60")
        for candidate in (candidate1, candidate2):
            console.locator("label.check", has_text=candidate.username).get_by_role("checkbox").check()
        console.get_by_role("button", name="Préparer la session").click()
        expect(console).to_have_url(re.compile(r"/sessions/\d+$"), timeout=20_000)
        console.get_by_role("button", name="Démarrer l'épreuve").click()
        expect(console.get_by_role("button", name="Aller à l'événement suivant")).to_be_visible()
        watch.assert_none("console, session started")

        # both candidates log in during the exam: they work in their exam copy
        log_in(first, live_server, candidate1.username)
        log_in(second, live_server, candidate2.username)
        first.goto(live_server + "/customers")
        unread = first.locator("#live .unread strong")
        before = int(unread.inner_text())

        console.get_by_role("button", name="Aller à l'événement suivant").click()
        expect(console.locator("body")).to_contain_text("Déclenché")
        watch.assert_none("console, after the jump")

        # no reload: the top bar polls /live every 5 s
        expect(first.locator("#live").get_by_text("Nouveau message reçu")).to_be_visible(timeout=15_000)
        assert int(unread.inner_text()) > before

        second.goto(live_server + "/inbox")
        expect(second.get_by_role("link", name=SUBJECT)).to_be_visible()

        first.goto(live_server + "/inbox")
        first.get_by_role("link", name=SUBJECT).click()
        first.get_by_label("Objet").fill("Re : " + SUBJECT)
        first.get_by_label("Message").fill("Bien reçu, je lance la première relance aujourd'hui.")
        first.get_by_role("button", name="Envoyer la réponse").click()
        expect(first.locator("article.message.outbound")).to_contain_text("je lance la première relance")

        # the reply is in candidate1's sent box, not in candidate2's, whose copy is still unread
        first.goto(live_server + "/inbox?box=sent")
        expect(first.locator("#inbox-table")).to_contain_text(SUBJECT)
        second.goto(live_server + "/inbox?box=sent")
        expect(second.locator("main")).to_be_visible()
        expect(second.locator("main")).not_to_contain_text(SUBJECT)
        second.goto(live_server + "/inbox?box=unread")
        expect(second.get_by_role("link", name=SUBJECT)).to_be_visible()

        console.once("dialog", lambda dialog: dialog.accept())
        console.get_by_role("button", name="Terminer l'épreuve").click()
        expect(console.locator("h1 .status")).to_contain_text("Terminée")
        watch.assert_none("console, session ended")

        first.goto(live_server + "/inbox")
        expect(first.locator(".ended-banner")).to_contain_text("L'épreuve est terminée")
        first.get_by_role("link", name=SUBJECT).click()
        first.get_by_label("Objet").fill("Re : " + SUBJECT)
        first.get_by_label("Message").fill("Un dernier mot après la fin.")
        # (the spelling aid's check, /writing/check, posts as one types: it writes nothing)
        with first.expect_response(lambda r: r.request.method == "POST" and "/writing/" not in r.url) as refused:
            first.get_by_role("button", name="Envoyer la réponse").click()
        assert refused.value.status == 409
        expect(first.locator("main")).to_contain_text(CLOSED)
        first.goto(live_server + "/inbox?box=sent")
        first.get_by_role("link", name=SUBJECT).click()
        expect(first.locator("article.message.outbound")).to_have_count(1)  # nothing sent after the end
    finally:
        for context in contexts:
            context.close()
