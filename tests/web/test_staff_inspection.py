"""Trainers and evaluators read a candidate's workspace, read-only.

``GET /inspect/{workspace_id}?next=...`` points the staff member's login session
at the workspace; the candidate's reading pages then show it with a banner,
every form inert, every candidate action refused (403), and nothing written
into the candidate's journal: no account seen, no message read, no PDF opened.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sim.accounts.models import Role
from sim.db import UnitOfWork
from sim.crm.models import Interaction
from sim.web.deps import READ_ONLY, access_rule
from sim.workspace.models import Workspace
from tests.inbox import delivered
from tests.web.test_route_table import app_routes, fill, one_of_each_role  # noqa: F401  (a fixture)

C, T, E, A = Role.CANDIDATE, Role.TRAINER, Role.EVALUATOR, Role.ADMIN
POST_FORM = re.compile(r'(<form\b[^>]*\bmethod="post"[^>]*>)(.*?)</form>', re.S | re.I)


def _evidence(workspace_id: int) -> tuple:
    """What a reader could leave behind: the journal's head, the messages' read flags."""
    with UnitOfWork(workspace_id, write=False) as uow:
        ws = uow.session.get(Workspace, workspace_id)
        read = uow.session.execute(select(Interaction.id, Interaction.read).order_by(Interaction.id)).all()
        return ws.journal_seq, ws.journal_head, tuple(read)


def _a_formal_notice(ws: int) -> dict:
    """A customer's formal notice as sent: the recovery letter route reads only a letter of that customer."""
    from datetime import date

    from sim.receivables.recovery import issue_letter
    from tests.receivables import a_customer, an_invoice, at

    at(ws, date(2026, 11, 30))
    customer = a_customer(ws)
    invoice = an_invoice(ws, customer, "1200.00", issued=date(2026, 9, 1), due=date(2026, 10, 1))
    with UnitOfWork(ws) as uow:
        [detail, *_] = issue_letter(uow, actor="candidate", customer_id=customer.id, invoice_ids=[invoice.id],
                                    level="formal_notice")
        uow.commit()
        return {"customer_id": customer.id, "document_id": detail.document_id}


@pytest.fixture
def inspecting(one_of_each_role):
    browsers, objects = one_of_each_role
    ws = objects["workspace_id"]
    message = delivered(ws)  # an unread message: opening its thread as the candidate would mark it read
    with UnitOfWork(ws, write=False) as uow:  # a message and the document it carries (the table's ids may not pair)
        from sim.crm.models import MessageAttachment

        attached = uow.session.execute(select(MessageAttachment.interaction_id, MessageAttachment.document_id)
                                       .order_by(MessageAttachment.id)).first()
    objects = {**objects, "unread_id": message.id, "message_id": attached[0], "document_id": attached[1],
               "letter": _a_formal_notice(ws)}
    for role in (T, E, A):
        response = browsers[role].get(f"/inspect/{ws}?next=/customers")
        assert response.status_code == 303 and response.headers["location"] == "/customers"
    return browsers, objects


FRAGMENTS = {"/receivables/todo/count"}  # htmx pieces of a page (the page around them has the banner)


def _readable_gets(app):
    for method, route in app_routes(app):
        rule = access_rule(route.dependant)
        # the candidate's reading pages: the routes both candidates and staff have, but their own account's
        if method == "GET" and not rule.public and {C, T} <= rule.roles and route.path not in ("/", "/account/password"):
            yield route


def test_a_candidate_cannot_inspect_anyone(one_of_each_role):
    browsers, objects = one_of_each_role
    response = browsers[C].get(f"/inspect/{objects['workspace_id']}?next=/inbox")
    assert response.status_code == 403


def test_next_must_be_a_local_path(one_of_each_role):
    browsers, objects = one_of_each_role
    ws = objects["workspace_id"]
    for target, lands in [("/invoices?show=overdue", "/invoices?show=overdue"), ("https://evil.example/", "/inbox"),
                          ("//evil.example/x", "/inbox"), ("/\\evil.example", "/inbox"), ("", "/inbox"),
                          ("javascript:alert(1)", "/inbox"), ("/inbox\r\nSet-Cookie: x=1", "/inbox")]:
        response = browsers[T].get(f"/inspect/{ws}", params={"next": target})
        assert response.status_code == 303 and response.headers["location"] == lands, target
    assert browsers[T].get("/inspect/2000000000?next=/inbox").status_code == 404


def test_staff_read_every_page_with_the_banner_and_leave_no_trace(app, inspecting):
    browsers, objects = inspecting
    ws = objects["workspace_id"]
    before = _evidence(ws)
    assert any(not is_read for _, is_read in before[2]), "an unread message, else this proves nothing"
    for role in (T, E, A):
        for route in _readable_gets(app):
            letter = route.path == "/customers/{customer_id}/recovery/documents/{document_id}"
            url = fill(route.path, {**objects, **objects["letter"]} if letter else objects)
            response = browsers[role].get(url)
            assert response.status_code == 200, f"{role} GET {url}: {response.status_code}"
            if response.headers["content-type"].startswith("text/html") and route.path not in FRAGMENTS:
                assert "Consultation en lecture seule — espace de" in response.text, url
                assert "Quitter la consultation" in response.text, url
        assert browsers[role].get(f"/inbox/{objects['unread_id']}").status_code == 200
        # every other GET the route table has, too (forms answer 403, staff pages render)
        for method, route in app_routes(app):
            if method == "GET" and "{session_id}" not in route.path and route.path != "/inspect/{workspace_id}":
                browsers[role].get(fill(route.path, objects))
    assert _evidence(ws) == before, "a staff member's reading wrote into the candidate's workspace"

    # the same pages, read by the candidate, do leave evidence: the comparison above can fail
    candidate = browsers[C]
    assert candidate.get(fill("/customers/{customer_id}", objects)).status_code == 200
    assert candidate.get(f"/inbox/{objects['unread_id']}").status_code == 200
    after = _evidence(ws)
    assert after[0] > before[0] and after[2] != before[2]


def test_every_form_on_a_page_read_by_staff_is_inert(app, inspecting):
    browsers, objects = inspecting
    checked = 0
    for route in _readable_gets(app):
        if route.path.endswith("pdf") or "/attachments/" in route.path:
            continue  # printed documents: no form
        url = fill(route.path, objects)
        for role, browser in browsers.items():
            response = browser.get(url)
            if not response.headers["content-type"].startswith("text/html"):
                continue
            for opening, inner in POST_FORM.findall(response.text):
                if role == C:
                    assert "inspection-lock" not in inner, f"the candidate's own form is locked on {url}"
                elif "data-shell" not in opening:
                    assert inner.startswith('<fieldset class="inspection-lock" disabled>'), f"{role} {url}: {opening}"
                    checked += 1
    assert checked > 10  # the quote, order, invoice, delivery, customer and thread pages have action forms


def test_every_candidate_action_is_refused_to_an_inspecting_staff_member(app, inspecting):
    """Every POST route of the route table: the candidate's answer 403 with the read-only page;
    the staff's own (a session's console, an approval, leaving the inspection) are not the candidate's."""
    browsers, objects = inspecting
    ws = objects["workspace_id"]
    before = _evidence(ws)
    refused = 0
    for method, route in app_routes(app):
        if method != "POST" or route.path in ("/logout", "/inspect/end"):
            continue
        rule = access_rule(route.dependant)
        for role in (T, E, A):
            response = browsers[role].post(fill(route.path, objects))
            if rule.public or role in rule.roles:
                assert READ_ONLY not in response.text, f"{role} POST {route.path}"
            else:
                assert response.status_code == 403, f"{role} POST {route.path}: {response.status_code}"
                if C in rule.roles:
                    assert "Consultation en lecture seule" in response.text, f"{role} POST {route.path}"
                    refused += 1
    assert refused > 30 * 3
    # the forms of the candidate's pages refuse too (their pages are not for staff)
    for path in ("/quotes/new", "/orders/new", "/inbox/new", "/customers/new", "/customers/{customer_id}/edit",
                 "/customers/{customer_id}/payments/new"):
        response = browsers[E].get(fill(path, objects))
        assert response.status_code == 403 and "Consultation en lecture seule" in response.text, path
    assert _evidence(ws) == before


def test_leaving_the_inspection_and_a_staff_member_who_inspects_nothing(app, inspecting, make_user, login):
    browsers, objects = inspecting
    trainer = browsers[T]
    assert trainer.get("/customers").status_code == 200
    response = trainer.post("/inspect/end")
    assert response.status_code == 303 and response.headers["location"] == "/workspaces"
    response = trainer.get("/customers")
    assert response.status_code == 303 and response.headers["location"] == "/workspaces"
    page = trainer.get("/workspaces")
    assert "Consultation en lecture seule" not in page.text and f"/inspect/{objects['workspace_id']}" in page.text
    # the other staff members' sessions still inspect: the inspection belongs to one login session
    assert browsers[E].get("/customers").status_code == 200
    fresh = login(make_user("trainer"))
    assert fresh.get("/inbox").headers["location"] == "/workspaces"


def test_the_session_console_links_to_each_candidates_workspace(make_user, login):
    from tests.exam import a_session, workspaces

    session_id, _ = a_session(make_user, candidates=2)
    trainer = login(make_user("trainer"))
    page = trainer.get(f"/sessions/{session_id}").text
    for ws in workspaces(session_id):
        assert f'href="/inspect/{ws.id}?next=/inbox"' in page
    ws = workspaces(session_id)[0]
    trainer.get(f"/inspect/{ws.id}?next=/inbox")
    inbox = trainer.get("/inbox")
    assert inbox.status_code == 200
    with UnitOfWork(write=False) as uow:
        from sim.exam.models import ExamSession

        title = uow.session.get(ExamSession, session_id).title
    assert f"({title})" in inbox.text
    assert trainer.post("/inspect/end").headers["location"] == f"/sessions/{session_id}"
