"""Live mode (CP8): the candidate welcomes a visitor with « l'évaluateur joue le visiteur »; from the
evaluator's view of that candidate, a staff-only page takes the visitor's lines
(``trade_show.visitor_line``, the evaluator as actor) and the candidate's stand page shows them.
Candidates get 403; a workspace that is not the session's is a 404; a scripted visitor takes no line."""
from __future__ import annotations

from sqlalchemy import select

from sim.db import UnitOfWork
from sim.journal.models import JournalEntry
from tests.exam import a_session, workspaces
from tests.tradeshow import a_visitor


def _setup(make_user, login, *, live=True):
    session_id, [candidate] = a_session(make_user, candidates=1, scenario="trade-show")
    [workspace] = workspaces(session_id)
    visitor = a_visitor(workspace.id, "show_day.2", welcomed=True, live=live)
    evaluator = login(make_user("evaluator"))
    base = f"/evaluation/sessions/{session_id}/candidates/{workspace.id}/stand"
    return session_id, workspace, visitor, evaluator, login(candidate), base


def _lines(workspace_id):
    with UnitOfWork(workspace_id, write=False) as uow:
        return list(uow.session.scalars(select(JournalEntry).where(JournalEntry.kind == "trade_show.visitor_line")))


def test_the_evaluators_line_reaches_the_candidates_stand_and_the_answer_comes_back(make_user, login):
    _, workspace, visitor, evaluator, candidate, base = _setup(make_user, login)
    page = evaluator.get(base)
    assert page.status_code == 200 and f'action="{base}/{visitor.id}/say"' in page.text

    said = evaluator.post(f"{base}/{visitor.id}/say", {"line": "Do you deliver to <b>Hamburg</b>?"})
    assert said.status_code == 303 and said.headers["location"] == f"{base}#visitor-{visitor.id}"
    [entry] = _lines(workspace.id)
    assert entry.actor.startswith("evaluator:") and entry.refs == {"visitor": "show_day.2"}

    # the candidate's page polls its dialogue: the line is there, escaped
    polled = candidate.get(f"/stand/{visitor.id}/lines", headers={"HX-Request": "true"})
    assert polled.status_code == 200 and "Do you deliver to &lt;b&gt;Hamburg&lt;/b&gt;?" in polled.text
    assert "<b>Hamburg" not in polled.text
    answered = candidate.post(f"/stand/{visitor.id}/answer", {"answer": "Yes, we deliver to Hamburg in 10 days."})
    assert answered.status_code == 303
    assert "Yes, we deliver to Hamburg in 10 days." in evaluator.get(base).text


def test_an_empty_line_is_refused_next_to_the_field_and_nothing_is_said(make_user, login):
    _, workspace, visitor, evaluator, _, base = _setup(make_user, login)

    refused = evaluator.post(f"{base}/{visitor.id}/say", {"line": "   "})

    assert refused.status_code == 422
    assert 'id="err-line"' in refused.text and "Réplique" in refused.text
    assert _lines(workspace.id) == []


def test_a_scripted_visitor_takes_no_line_from_the_evaluator(make_user, login):
    _, workspace, visitor, evaluator, _, base = _setup(make_user, login, live=False)
    assert f'{base}/{visitor.id}/say' not in evaluator.get(base).text  # no form for it

    refused = evaluator.post(f"{base}/{visitor.id}/say", {"line": "Anything else?"})

    assert refused.status_code == 409 and "suit le script du scénario" in refused.text
    assert _lines(workspace.id) == []


def test_candidates_are_refused_and_another_workspace_is_not_found(make_user, make_workspace, login):
    session_id, workspace, visitor, evaluator, candidate, base = _setup(make_user, login)
    assert candidate.get(base).status_code == 403
    assert candidate.post(f"{base}/{visitor.id}/say", {"line": "Hello"}).status_code == 403

    other = make_workspace(owner=make_user("candidate"))  # not a candidate of this session
    assert evaluator.get(f"/evaluation/sessions/{session_id}/candidates/{other.id}/stand").status_code == 404
    stray = a_visitor(other.id, "stray", live=True)
    assert evaluator.post(f"/evaluation/sessions/{session_id}/candidates/{workspace.id}/stand/{stray.id}/say",
                          {"line": "Hello"}).status_code == 404
    assert _lines(workspace.id) == [] and _lines(other.id) == []


def test_a_post_without_the_csrf_token_is_refused(make_user, login):
    _, workspace, visitor, evaluator, _, base = _setup(make_user, login)

    response = evaluator.client.post(f"{base}/{visitor.id}/say", data={"line": "Hello"})

    assert response.status_code == 403 and _lines(workspace.id) == []
