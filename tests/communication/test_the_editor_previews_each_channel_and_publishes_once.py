"""The support editor over HTTP: the live preview shows the channel, its limits
and the segment with who is left out and why; a candidate's Markdown is
sanitised; publishing an emailing journals its reach; staff read, never write."""
from __future__ import annotations

import re

from sqlalchemy import select

from sim.communication.models import CommunicationSupport
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry

from . import customers_with_known_consents

FORM = {"kind": "offer", "channel": "email", "request": "", "objective": "Relancer les clients professionnels",
        "seg_status": "customer", "seg_kind": "b2b", "seg_country": "", "seg_language": "", "seg_inactive_months": "",
        "seg_sales_rep": "", "seg_exclude_litigation": "1", "title": "-15 % sur la gamme carton",
        "body": "Bonjour,\n\n**-15 %** sur la gamme carton jusqu'au 30/11.\n\n<script>alert(1)</script>"}


def _form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_the_live_preview_shows_the_email_its_limits_and_who_is_left_out_and_why(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    codes = customers_with_known_consents(workspace.id)
    browser = login(user)

    preview = browser.post("/communication/preview", FORM, headers={"HX-Request": "true"})

    assert preview.status_code == 200
    html = preview.text
    assert html.lstrip().startswith('<section class="card preview-pane" id="support-preview"')
    assert 'data-testid="preview-email"' in html and "<strong>-15 %</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # what the candidate typed is text
    assert re.search(r'data-testid="recipients">1<', html)
    assert codes["objected"] in html and "opposition à la prospection enregistrée le 01/06/2026" in html
    assert "Se désinscrire" in html
    # the same text as a social post: over no limit, but the Markdown is not rendered there
    social = browser.post("/communication/preview", {**FORM, "channel": "social"}, headers={"HX-Request": "true"})
    assert 'data-testid="preview-social"' in social.text and "**-15 %**" in social.text
    assert "Diffusion publique" in social.text


def test_a_draft_is_saved_then_published_to_its_recipients_once(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customers_with_known_consents(workspace.id)
    browser = login(user)
    editor = browser.get("/communication/new")
    assert editor.status_code == 200 and 'id="support-preview"' in editor.text

    misspelt = {**FORM, "body": FORM["body"].replace("jusqu'au 30/11", "jusqu'au 30/11 pour toute comande")}
    created = browser.post("/communication", {**misspelt, "form_token": _form_token(editor.text)})
    assert created.status_code == 303
    with UnitOfWork(workspace.id, write=False) as uow:
        support = uow.session.scalars(select(CommunicationSupport)).one()
    page = browser.get(f"/communication/{support.id}")
    assert "Envoyer l&#39;emailing à 1 destinataire(s)" in page.text

    published = browser.post(f"/communication/{support.id}/publish", {"revision": str(support.revision)})
    again = browser.post(f"/communication/{support.id}/publish", {"revision": str(support.revision)})

    assert published.status_code == 303 and again.status_code == 409
    with UnitOfWork(workspace.id, write=False) as uow:
        entries = uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "support.published")).all()
    assert len(entries) == 1 and entries[0].payload["reach"] == 1
    assert entries[0].actor.startswith("candidate:")
    assert "comande" in entries[0].payload["flagged_words"]  # the spelling evidence, as for a message
    listed = browser.get("/communication")
    assert support.number in listed.text and "Publié" in listed.text


def test_a_refused_draft_comes_back_with_the_message_next_to_its_field(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    browser = login(user)
    editor = browser.get("/communication/new")

    refused = browser.post("/communication", {**FORM, "seg_inactive_months": "99",
                                              "form_token": _form_token(editor.text)})

    assert refused.status_code == 422
    assert 'id="err-filter_inactive_months"' in refused.text and "entre 1 et 60" in refused.text
    with UnitOfWork(workspace.id, write=False) as uow:
        assert uow.session.scalars(select(CommunicationSupport)).all() == []


def test_the_leaflet_prints_as_an_a5_pdf(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    browser = login(user)
    editor = browser.get("/communication/new")
    browser.post("/communication", {**FORM, "channel": "leaflet", "form_token": _form_token(editor.text)})
    with UnitOfWork(workspace.id, write=False) as uow:
        support = uow.session.scalars(select(CommunicationSupport)).one()

    pdf = browser.get(f"/communication/{support.id}/leaflet.pdf")

    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    import subprocess

    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "-15 % sur la gamme carton" in text and "<script>" in text  # printed as the text typed, not run
    info = subprocess.run(["pdfinfo", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "419.528 x 595.276 pts" in info  # A5: 148 × 210 mm
