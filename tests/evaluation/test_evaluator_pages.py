"""The evaluator's pages over HTTP: staff only, decisions through the forms (refusals next to the
field), candidate-written text escaped, and practice feedback that an exam never shows."""
from __future__ import annotations

import re

import pytest

from sim.crm.service import create_customer
from sim.db import UnitOfWork, get_engine
from sim.evaluation import review
from sim.inbox.service import send
from sim.journal import service as journal
from tests.evaluation import an_evaluation
from tests.exam import a_session, workspaces

SCRIPT = "<script>alert('pwned')</script>"
ONERROR = '<img src=x onerror="alert(1)">'


@pytest.fixture
def stand_in_engine(monkeypatch):
    """The automatic evaluation: the engine's (``automatic``) when it is there, the contract's dataclasses in
    these page tests, so that they test the pages and decisions, not the scoring."""
    monkeypatch.setattr(review, "automatic", lambda uow, workspace_id: (an_evaluation(), {}))


@pytest.fixture
def ended_exam(make_user):
    """An exam whose candidate wrote to a customer named with an onerror attribute, with a script tag."""
    from sim.exam.service import end_session, start_session

    session_id, [candidate] = a_session(make_user, candidates=1)
    start_session(get_engine(), session_id, actor="trainer:t")
    [workspace] = workspaces(session_id)
    with UnitOfWork(workspace.id) as uow:
        customer = create_customer(uow, actor=f"candidate:{candidate.username}", name=f"Durand {ONERROR}",
                                   email="durand@example.fr")
        send(uow, actor=f"candidate:{candidate.username}", to_role="customer", customer_id=customer.id,
             subject=f"Votre commande {SCRIPT}", body=f"Bonjour,\n{SCRIPT}\n{ONERROR}\nCordialement", language="fr")
        uow.commit()
    end_session(get_engine(), session_id, actor="trainer:t")
    return session_id, workspace.id, candidate


def form_token(html: str, action: str) -> str:
    form = html[html.index(f'action="{action}"'):]
    return re.search(r'name="form_token" value="([^"]+)"', form).group(1)


def test_the_evaluator_judges_overrides_and_validates_through_the_pages(stand_in_engine, ended_exam, make_user,
                                                                         login):
    session_id, ws, _ = ended_exam
    evaluator = login(make_user("evaluator"))
    matrix = evaluator.get(f"/evaluation/sessions/{session_id}")
    assert matrix.status_code == 200 and "CP2" in matrix.text and "À juger" in matrix.text
    page_url = f"/evaluation/sessions/{session_id}/candidates/{ws}"
    assert page_url in matrix.text
    page = evaluator.get(page_url)
    assert page.status_code == 200 and "Ton professionnel du courriel" in page.text
    assert f"/inspect/{ws}?next=/inbox/" in page.text  # the message the candidate sent, opened read-only

    judge_url = page_url + "/judge"
    refused = evaluator.post(judge_url, {"expectation_id": "tone", "status": "met", "points": "1",
                                         "comment": "Bien.", "form_token": form_token(page.text, judge_url)})
    assert refused.status_code == 422 and 'id="err-points"' in refused.text
    done = evaluator.post(judge_url, {"expectation_id": "tone", "status": "met", "points": "4",
                                      "comment": "Courriel courtois.", "form_token": form_token(page.text, judge_url)})
    assert done.status_code == 303
    again = evaluator.post(judge_url, {"expectation_id": "tone", "status": "met", "points": "4", "comment": "",
                                       "form_token": form_token(page.text, judge_url)})
    assert again.status_code == 409  # the same form twice: once only

    page = evaluator.get(page_url)
    override_url = page_url + "/override"
    refused = evaluator.post(override_url, {"target": "cp:CP4", "status": "acquired", "points": "", "comment": "",
                                            "form_token": form_token(page.text, override_url)})
    assert refused.status_code == 422 and 'id="err-comment"' in refused.text
    assert evaluator.post(override_url, {"target": "cp:CP4", "status": "acquired", "points": "",
                                         "comment": "Vu à l'entretien.",
                                         "form_token": form_token(page.text, override_url)}).status_code == 303
    page = evaluator.get(page_url)
    validate_url = page_url + "/validate"
    assert evaluator.post(validate_url, {"cp": "CP2", "comment": "",
                                         "form_token": form_token(page.text, validate_url)}).status_code == 303
    page = evaluator.get(page_url)
    assert "✓ Validée" in page.text and "Courriel courtois." in page.text and "Vu à l&#39;entretien." in page.text
    with UnitOfWork(write=False) as uow:
        [report] = journal.verify(uow.session, ws)
    assert report.ok
    summary = evaluator.get(f"/evaluation/sessions/{session_id}/summary")
    assert summary.status_code == 200 and "assistant-commercial/CP2/1" in summary.text


def test_candidate_written_text_is_escaped_on_the_evaluator_pages(stand_in_engine, ended_exam, make_user, login):
    session_id, ws, _ = ended_exam
    evaluator = login(make_user("evaluator"))
    html = evaluator.get(f"/evaluation/sessions/{session_id}/candidates/{ws}").text
    assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror=" in html
    assert SCRIPT not in html and "<img src=x" not in html and "onerror=\"alert" not in html
    for url in (f"/evaluation/sessions/{session_id}", f"/evaluation/sessions/{session_id}/summary"):
        page = evaluator.get(url).text
        assert SCRIPT not in page and "<img src=x" not in page


def test_candidates_get_403_on_the_evaluator_pages(stand_in_engine, ended_exam, login):
    session_id, ws, candidate = ended_exam
    browser = login(candidate)
    for url in (f"/evaluation/sessions/{session_id}", f"/evaluation/sessions/{session_id}/summary",
                f"/evaluation/sessions/{session_id}/candidates/{ws}"):
        assert browser.get(url).status_code == 403
    assert browser.post(f"/evaluation/sessions/{session_id}/candidates/{ws}/judge",
                        {"expectation_id": "tone", "status": "met", "points": "4"}).status_code == 403


def test_an_exam_candidate_never_sees_scores(stand_in_engine, ended_exam, login):
    session_id, ws, candidate = ended_exam
    browser = login(candidate)
    assert browser.get(f"/my-workspaces/{ws}/feedback").status_code == 404
    listing = browser.get("/my-workspaces").text
    assert "feedback" not in listing and "Mon évaluation" not in listing


def test_a_practice_run_shows_the_candidate_their_evaluation_at_the_end(stand_in_engine, make_user, login):
    from sim.exam.service import end_session, start_session

    session_id, [candidate] = a_session(make_user, candidates=1, mode="practice")
    start_session(get_engine(), session_id, actor=f"candidate:{candidate.username}")
    [workspace] = workspaces(session_id)
    browser = login(candidate)
    running = browser.get(f"/my-workspaces/{workspace.id}/feedback")
    assert running.status_code == 200 and "pas terminé" in running.text and "Stock consulté." not in running.text
    end_session(get_engine(), session_id, actor=f"candidate:{candidate.username}")
    assert f"/my-workspaces/{workspace.id}/feedback" in browser.get("/my-workspaces").text
    page = browser.get(f"/my-workspaces/{workspace.id}/feedback")
    assert page.status_code == 200
    assert "Vérifier le stock" in page.text and "Stock consulté." in page.text and "Aucune relance." in page.text
    other = login(make_user("candidate"))
    assert other.get(f"/my-workspaces/{workspace.id}/feedback").status_code == 404
