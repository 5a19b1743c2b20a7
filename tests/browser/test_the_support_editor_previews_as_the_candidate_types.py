"""In a real browser: the support editor's preview follows what the candidate
types — the channel's rendering, the segment's count with who is left out for
want of consent, a social post's length against its limit — then the draft is
published to its recipients, without a single Content-Security-Policy
violation."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages_satisfy_the_content_security_policy import Watch
from tests.communication import customers_with_known_consents

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    page.goto(url + "/login")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("secret")
    page.get_by_role("button", name="Se connecter").click()


def test_the_preview_follows_the_text_the_segment_and_the_channel(live_server, page, screenshot,
                                                                   candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customers_with_known_consents(workspace.id)
    watch = Watch(page)
    log_in(page, live_server, user.username)
    page.goto(live_server + "/communication/new")

    page.locator("select[name=seg_kind]").select_option("b2b")
    page.get_by_label("Titre (objet").fill("-15 % sur toute la gamme carton jusqu'au 30/11")
    page.get_by_label("Texte (Markdown").fill("Bonjour,\n\n**-15 %** sur la gamme carton recyclé.\n\n"
                                              "- livraison sous 48 h\n- franco dès 300 € HT")
    preview = page.locator("#support-preview")
    expect(preview.locator(".pv-body strong")).to_have_text("-15 %")
    expect(preview.get_by_test_id("recipients")).to_have_text("1")
    expect(preview).to_contain_text("opposition à la prospection enregistrée le 01/06/2026")
    page.locator("#support-preview details summary").first.click()
    screenshot("support-editor-email")

    page.locator("select[name=channel]").select_option("social")
    page.get_by_label("Texte (Markdown").fill("Notre gamme carton recyclé arrive ! " + "x" * 260)
    expect(preview.get_by_test_id("preview-social")).to_be_visible()
    expect(preview.locator("tr.limit-hard")).to_contain_text("Publication : 280 caractères au plus")
    screenshot("support-editor-social")

    page.locator("select[name=channel]").select_option("leaflet")
    page.get_by_label("Texte (Markdown").fill("## Portes ouvertes\n\nVenez découvrir la gamme **carton recyclé**.")
    expect(preview.get_by_test_id("preview-leaflet").locator("h2")).to_have_text("Portes ouvertes")
    screenshot("support-editor-leaflet")

    # saved as a draft, then published from its page: the emailing reaches its one recipient
    page.locator("select[name=channel]").select_option("email")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("COM-2026-001")
    page.get_by_role("button", name="Envoyer l'emailing à 1 destinataire(s)").click()
    expect(page.get_by_test_id("reach")).to_contain_text("1 destinataire(s)")
    screenshot("support-published")
    assert watch.violations() == []
