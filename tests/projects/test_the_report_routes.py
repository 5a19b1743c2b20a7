"""The project report's routes (sim/web/routes/project_report.py): the PDF, and
the « Envoyer à la direction » form — CSRF, messages next to the fields, 422
and nothing saved on error, one message for a form sent twice."""
from __future__ import annotations

from tests.factories import last_entry, snapshot
from tests.projects.reporting import a_project_with_a_plan


def test_the_pdf_opens_inline_with_the_projects_number(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    project = a_project_with_a_plan(workspace.id)
    browser = login(user)

    response = browser.get(f"/projects/{project.id}/report.pdf")

    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="Projet_PA-001_Salon-Maison-Jardin.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_report_is_sent_once_and_journaled(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    project = a_project_with_a_plan(workspace.id)
    browser = login(user)
    form = {"subject": "Salon — dossier", "body": "Bonjour,\nci-joint.", "form_token": "tok-report-1"}

    sent = browser.post(f"/projects/{project.id}/send", form)

    assert sent.status_code == 303 and sent.headers["location"] == f"/projects/{project.id}"
    assert last_entry(workspace.id, "project.sent").refs["project"] == "PA-001"
    assert browser.post(f"/projects/{project.id}/send", form).status_code == 409  # the same form again


def test_an_empty_subject_shows_the_form_again_with_its_message_and_saves_nothing(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    project = a_project_with_a_plan(workspace.id)
    browser = login(user)
    before = snapshot(workspace.id)

    refused = browser.post(f"/projects/{project.id}/send", {"subject": "", "body": "<b>Ci-joint</b>"})

    assert refused.status_code == 422
    assert 'id="err-subject"' in refused.text and "L&#39;objet est obligatoire." in refused.text
    assert "&lt;b&gt;Ci-joint&lt;/b&gt;" in refused.text  # what the candidate wrote, kept and escaped
    assert 'action="/projects/{}/send"'.format(project.id) in refused.text
    assert snapshot(workspace.id) == before
    # an htmx request gets the form block alone
    fragment = browser.post(f"/projects/{project.id}/send", {"subject": "", "body": "x"},
                            headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and fragment.text.lstrip().startswith('<section class="card" id="project-send">')


def test_without_the_csrf_token_nothing_is_sent(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    project = a_project_with_a_plan(workspace.id)
    browser = login(user)
    before = snapshot(workspace.id)

    response = browser.client.post(f"/projects/{project.id}/send", data={"subject": "S", "body": "B"})

    assert response.status_code == 403
    assert snapshot(workspace.id) == before
