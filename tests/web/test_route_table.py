"""Every route declares one access rule, and each rule holds for every role.

Generated from the app's route table: a new route without a rule, or missing
from EXPECTED below, fails this test.
"""
from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select

from sim.accounts.models import Role
from sim.db import UnitOfWork
from sim.web.csrf import check_csrf
from sim.web.deps import access_rule
from sim.web.paths import PATH_OBJECTS
from tests.communication import a_support
from sim.calls import service as calls
from tests.claims import a_claim, a_phone_call
from tests.crm import a_delivery_address
from tests.dashboards import a_dashboard_with_a_panel
from tests.inbox import a_message_with_an_attachment
from tests.purchasing import a_goods_receipt

C, T, E, A = Role.CANDIDATE, Role.TRAINER, Role.EVALUATOR, Role.ADMIN
PUBLIC = "public"
READABLE = [
    "/customers", "/customers/{customer_id}", "/customers/{customer_id}/statement.pdf",
    "/quotes", "/quotes/{quote_id}", "/quotes/{quote_id}/pdf",
    "/orders", "/orders/{order_id}", "/orders/{order_id}/acknowledgement.pdf",
    "/deliveries/{delivery_id}", "/deliveries/{delivery_id}/pdf",
    "/invoices", "/invoices/{invoice_id}", "/invoices/{invoice_id}/pdf", "/credit-notes/{credit_note_id}/pdf",
    "/invoices/{invoice_id}/facturx.pdf", "/credit-notes/{credit_note_id}/facturx.pdf",
    "/products", "/inbox", "/inbox/{message_id}", "/inbox/{message_id}/attachments/{document_id}",
    "/products/{product_id}", "/deliveries", "/payments", "/credit-notes/{credit_note_id}", "/payments/{payment_id}",
    "/purchase-orders", "/purchase-orders/{purchase_order_id}", "/purchase-orders/{purchase_order_id}/pdf",
    "/goods-receipts/{receipt_id}/pdf", "/reorder-proposals", "/orders-at-risk", "/orders/{order_id}/risk",
    "/communication", "/communication/brand.css", "/communication/{support_id}", "/communication/{support_id}/leaflet.pdf",
    # shipping (sim/web/routes/shipping.py)
    "/carriers", "/quotes/{quote_id}/proforma.pdf", "/orders/{order_id}/proforma.pdf",
    "/deliveries/{delivery_id}/packing-list.pdf", "/protests/{protest_id}/pdf",
    # recovery (sim/web/routes/receivables.py)
    "/receivables", "/receivables/todo", "/receivables/todo/count", "/receivables/overdue", "/customers/{customer_id}/recovery",
    "/customers/{customer_id}/recovery/documents/{document_id}",
    "/dashboards", "/dashboards/{dashboard_id}", "/dashboards/{dashboard_id}/export.xlsx",
    "/dashboards/{dashboard_id}/export.csv", "/dashboards/{dashboard_id}/pdf",
    "/claims", "/claims/{claim_id}", "/calls", "/calls/{call_id}", "/calls/{call_id}/audio/{audio_id}",
    # the stand (sim/tradeshow)
    "/stand", "/stand/{visitor_id}", "/stand/{visitor_id}/lines", "/stand/{visitor_id}/audio/{recording_id}",
    # commercial action projects (sim/projects): the list, a project's page, its schedule as iCalendar
    "/projects", "/projects/{project_id}", "/projects/{project_id}/calendar.ics",
    # the commercial action project's report (sim/web/routes/project_report.py)
    "/projects/{project_id}/report.pdf",
]
EXPECTED = {
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): {C, T, E, A},
    ("GET", "/"): {C, T, E, A},
    ("GET", "/account/password"): {C, T, E, A},
    ("POST", "/account/password"): {C, T, E, A},
    # the candidate's ERP/CRM, forms and actions: their own workspace only (staff get 403, inspecting or not)
    **{(method, path): {C} for method, path in [
        ("GET", "/customers/{customer_id}/payments/new"), ("POST", "/customers/{customer_id}/payments"),
        ("GET", "/customers/new"), ("POST", "/customers"), ("POST", "/customers/{customer_id}/interactions"),
        ("GET", "/customers/{customer_id}/edit"), ("POST", "/customers/{customer_id}/edit"),
        ("GET", "/customers/{customer_id}/contacts/new"), ("POST", "/customers/{customer_id}/contacts"),
        ("GET", "/customers/{customer_id}/contacts/{contact_id}/edit"),
        ("POST", "/customers/{customer_id}/contacts/{contact_id}"),
        ("GET", "/customers/{customer_id}/addresses/new"), ("POST", "/customers/{customer_id}/addresses"),
        ("GET", "/customers/{customer_id}/addresses/{address_id}/edit"),
        ("POST", "/customers/{customer_id}/addresses/{address_id}"),
        ("GET", "/quotes/new"), ("POST", "/quotes/preview"), ("GET", "/quotes/editor-row"),
        ("POST", "/quotes"), ("POST", "/quotes/{quote_id}/send"),
        ("GET", "/quotes/product-suggestions"), ("GET", "/quotes/customer-suggestions"),
        ("POST", "/quotes/{quote_id}/accept"), ("POST", "/quotes/{quote_id}/refuse"),
        ("POST", "/quotes/{quote_id}/order"),
        ("GET", "/quotes/{quote_id}/edit"), ("POST", "/quotes/{quote_id}/edit"), ("POST", "/quotes/{quote_id}/delete"),
        ("POST", "/quotes/{quote_id}/cancel"), ("POST", "/quotes/{quote_id}/delivery-address"), ("GET", "/orders/{order_id}/edit"), ("POST", "/orders/{order_id}/edit"),
        ("POST", "/orders/{order_id}/delete"), ("POST", "/orders/{order_id}/cancel"),
        ("GET", "/orders/new"), ("POST", "/orders"),
        ("POST", "/orders/{order_id}/confirm"), ("POST", "/orders/{order_id}/approval-request"),
        ("POST", "/orders/{order_id}/delivery-address"), ("POST", "/orders/{order_id}/deliveries"),
        ("POST", "/deliveries/{delivery_id}/invoice"),
        ("POST", "/deliveries/{delivery_id}/booking"), ("POST", "/deliveries/{delivery_id}/receipt"),
        ("POST", "/deliveries/{delivery_id}/protest"), ("POST", "/deliveries/{delivery_id}/replacement"),
        ("POST", "/invoices/{invoice_id}/credit-notes"),
        ("POST", "/invoices/{invoice_id}/credit-notes/amount"),
        ("POST", "/customers/{customer_id}/credits/allocate"), ("POST", "/customers/{customer_id}/credits/refund"),
        # the recovery procedure's actions
        *(("POST", f"/customers/{{customer_id}}/recovery/{action}") for action in (
            "email", "call", "letter", "penalty-invoice", "dispute", "payment-plan", "credit-report", "litigation")),
        ("GET", "/inbox/new"), ("POST", "/inbox"),
        ("POST", "/inbox/{message_id}/reply"),
        # folders (sim/documents/filing.py)
        ("GET", "/customers/{customer_id}/folder"), ("GET", "/orders/{order_id}/folder"),
        ("GET", "/filed/{filed_id}"), ("GET", "/filed/{filed_id}/file"), ("POST", "/filed/{filed_id}/refile"),
        ("POST", "/filed/{filed_id}/pass-on"), ("GET", "/inbox/{message_id}/attachments/{document_id}/filing"),
        ("POST", "/inbox/{message_id}/attachments/{document_id}/filing"),
        # purchasing and orders at risk (sim/purchasing)
        ("GET", "/purchase-orders/new"), ("POST", "/purchase-orders"),
        ("POST", "/purchase-orders/{purchase_order_id}/send"),
        ("POST", "/purchase-orders/{purchase_order_id}/acknowledgement"),
        ("POST", "/purchase-orders/{purchase_order_id}/reminder"),
        ("POST", "/purchase-orders/{purchase_order_id}/new-date"),
        ("POST", "/purchase-orders/{purchase_order_id}/receipts"),
        ("POST", "/orders/{order_id}/repromise"), ("POST", "/orders/{order_id}/inform"),
        ("POST", "/orders/{order_id}/substitute"),
        # communication supports (sim/web/routes/communication.py)
        ("GET", "/communication/new"), ("POST", "/communication/preview"), ("POST", "/communication"),
        ("GET", "/communication/{support_id}/edit"), ("POST", "/communication/{support_id}/edit"),
        ("POST", "/communication/{support_id}/publish"), ("POST", "/customers/{customer_id}/consents"),
        # dashboards (sim/dashboards)
        ("POST", "/dashboards"), ("POST", "/dashboards/{dashboard_id}/panels"),
        ("POST", "/dashboards/{dashboard_id}/panels/{panel_id}/delete"),
        ("POST", "/dashboards/{dashboard_id}/commentary"), ("POST", "/dashboards/{dashboard_id}/refresh"),
        ("POST", "/dashboards/{dashboard_id}/send"),
        # phone calls: the candidate's answer (sim/calls)
        ("POST", "/calls/{call_id}/answer"),
        # the stand (sim/tradeshow): welcome a visitor, answer, the contact form
        ("POST", "/stand/{visitor_id}/welcome"), ("POST", "/stand/{visitor_id}/answer"),
        ("POST", "/stand/{visitor_id}/contact"),
        # the writing aid (sim/writing): reply templates, the spelling check
        ("GET", "/writing/reply"), ("POST", "/writing/check"),
        # claims (sim/crm/claims.py)
        ("GET", "/claims/new"), ("POST", "/claims"), ("POST", "/claims/{claim_id}/analyse"),
        ("POST", "/claims/{claim_id}/propose"), ("POST", "/claims/{claim_id}/escalate"),
        ("POST", "/claims/{claim_id}/alert"), ("POST", "/claims/{claim_id}/answer"),
        ("POST", "/claims/{claim_id}/close"),
        # commercial action projects (sim/projects)
        ("GET", "/projects/new"), ("POST", "/projects"), ("POST", "/projects/{project_id}/objectives"),
        ("POST", "/projects/{project_id}/checklist"), ("POST", "/projects/{project_id}/checklist/{checklist_item_id}"),
        ("POST", "/projects/{project_id}/checklist/{checklist_item_id}/delete"),
        ("POST", "/projects/{project_id}/tasks"), ("POST", "/projects/{project_id}/tasks/{task_id}"),
        ("POST", "/projects/{project_id}/tasks/{task_id}/status"),
        ("POST", "/projects/{project_id}/quotes/{supplier_quote_id}/accept"),
        ("POST", "/projects/{project_id}/costs"), ("POST", "/projects/{project_id}/costs/{cost_id}/actual"),
        ("POST", "/projects/{project_id}/review"),
        # the project's report sent to management (sim/projects/report.py)
        ("POST", "/projects/{project_id}/send"),
    ]},
    # the candidate's pages that read: also staff, inspecting a workspace read-only (sim/accounts/inspection.py)
    **{("GET", path): {C, T, E, A} for path in READABLE},
    # staff: the candidates' workspaces, journals and management approvals
    ("GET", "/workspaces"): {T, E, A},
    ("GET", "/inspect/{workspace_id}"): {T, E, A},
    ("POST", "/inspect/end"): {T, E, A},
    # the scenario library: trainers and evaluators read it; trainers (and admins) upload
    ("GET", "/scenarios"): {T, E, A},
    ("GET", "/scenarios/view"): {T, E, A},
    ("POST", "/scenarios"): {T, A},
    ("POST", "/scenarios/audio"): {T, A},  # a recording for the phone calls (sim/scenario/library.save_audio)
    ("GET", "/workspaces/{workspace_id}/journal"): {T, E, A},
    ("GET", "/workspaces/{workspace_id}/approvals"): {T, E, A},
    # only the manager (played by the trainer) releases a blocked order; never a candidate or the evaluator
    ("POST", "/workspaces/{workspace_id}/orders/{order_id}/approve"): {T, A},
    # live exam sessions: trainers conduct them, evaluators watch
    ("GET", "/sessions"): {T, E, A},
    ("GET", "/sessions/{session_id}"): {T, E, A},
    **{(method, path): {T, A} for method, path in [
        ("GET", "/sessions/new"), ("POST", "/sessions"), ("POST", "/sessions/{session_id}/start"),
        ("POST", "/sessions/{session_id}/pause"), ("POST", "/sessions/{session_id}/resume"),
        ("POST", "/sessions/{session_id}/speed"), ("POST", "/sessions/{session_id}/jump"),
        ("POST", "/sessions/{session_id}/events/{key}/fire"), ("POST", "/sessions/{session_id}/end"),
        ("POST", "/sessions/{session_id}/candidates/{workspace_id}/hold"),
        ("POST", "/sessions/{session_id}/candidates/{workspace_id}/release"),
        ("POST", "/sessions/{session_id}/candidates/{workspace_id}/extra-time"),
        ("POST", "/sessions/{session_id}/candidates/{workspace_id}/end"),
        ("POST", "/sessions/{session_id}/logins.pdf"),
    ]},
    # the candidate: the live notice, their workspaces, practice runs
    **{(method, path): {C} for method, path in [
        ("GET", "/live"), ("GET", "/my-workspaces"), ("POST", "/my-workspaces/{workspace_id}/enter"),
        ("GET", "/practice"), ("POST", "/practice"), ("POST", "/practice/pause"), ("POST", "/practice/resume"), ("POST", "/practice/speed"),
    ]},
    ("POST", "/workspaces/{workspace_id}/orders/{order_id}/decision"): {T, A},
    ("POST", "/workspaces/{workspace_id}/customers/{customer_id}/payment-plan/decision"): {T, A},
    ("POST", "/workspaces/{workspace_id}/claims/{claim_id}/decision"): {T, A},
    # the evaluator's pages: staff only (a candidate never sees another's scores, nor their own exam's)
    **{(method, path): {T, E, A} for method, path in [
        ("GET", "/evaluation/sessions/{session_id}"), ("GET", "/evaluation/sessions/{session_id}/summary"),
        ("GET", "/evaluation/sessions/{session_id}/candidates/{workspace_id}"),
        ("GET", "/evaluation/sessions/{session_id}/candidates/{workspace_id}/audio/{document_id}"),
        ("POST", "/evaluation/sessions/{session_id}/candidates/{workspace_id}/judge"),
        ("POST", "/evaluation/sessions/{session_id}/candidates/{workspace_id}/override"),
        ("POST", "/evaluation/sessions/{session_id}/candidates/{workspace_id}/validate"),
        # live mode at the stand: the evaluator plays the visitor (sim/web/routes/tradeshow.py)
        ("GET", "/evaluation/sessions/{session_id}/candidates/{workspace_id}/stand"),
        ("POST", "/evaluation/sessions/{session_id}/candidates/{workspace_id}/stand/{visitor_id}/say"),
        # the exports (sim/web/routes/exports.py)
        ("GET", "/evaluation/sessions/{session_id}/export.csv"),
        ("GET", "/evaluation/sessions/{session_id}/candidates/{workspace_id}/report.pdf"),
    ]},
    # a practice run's own evaluation, for its candidate
    ("GET", "/my-workspaces/{workspace_id}/feedback"): {C},
}


def app_routes(app):
    for route in app.routes:
        if isinstance(route, APIRoute):
            for method in sorted(route.methods):
                yield method, route


def test_every_route_has_one_access_rule_and_is_expected(app):
    seen = set()
    for method, route in app_routes(app):
        rule = access_rule(route.dependant)
        assert rule is not None, f"{method} {route.path} declares no access rule"
        expected = EXPECTED.get((method, route.path))
        assert expected is not None, f"{method} {route.path} is not in EXPECTED: add it with its roles"
        assert (PUBLIC if rule.public else set(rule.roles)) == expected, f"{method} {route.path}: {rule!r}"
        assert any(dep.call is check_csrf for dep in route.dependant.dependencies), \
            f"{method} {route.path} is not CSRF-checked: make its router with sim.web.routes.router()"
        for param in route.param_convertors:
            assert param in PATH_OBJECTS, f"{route.path}: add {{{param}}} to sim/web/paths.py"
        seen.add((method, route.path))
    assert seen == set(EXPECTED)


# URL parts that name no workspace's row: a session no test has (staff pages answer 404 to staff,
# 403 to the others), an event key
NOT_IN_A_WORKSPACE = {"session_id": 2_000_000_000, "key": "no-such-event"}


def fill(path: str, objects: dict) -> str:
    for name, value in objects.items():
        path = path.replace("{" + name + "}", str(value))
    return path


@pytest.fixture
def one_of_each_role(make_user, make_workspace, login):
    candidate = make_user("candidate")
    workspace = make_workspace(owner=candidate)
    a_message_with_an_attachment(workspace.id)  # so that every kind of URL has an object to name
    a_delivery_address(workspace.id)
    a_goods_receipt(workspace.id)
    a_support(workspace.id)
    from tests.shipping.helpers import a_carrier_protest

    a_carrier_protest(workspace.id)
    a_dashboard_with_a_panel(workspace.id)
    a_claim(workspace.id)
    call = a_phone_call(workspace.id)
    from tests.tradeshow import a_visitor
    from tests.tradeshow.test_an_answer_at_the_stand_can_be_spoken import WEBM
    from sim.tradeshow import service as stand

    visitor = a_visitor(workspace.id, welcomed=True)
    with UnitOfWork(workspace.id) as uow:  # a spoken answer at the stand
        spoken = stand.answer(uow, actor="candidate:test", visitor_id=visitor.id, recording=WEBM, mime="audio/webm",
                              duration_s="5", spoken=True)
        uow.commit()
        recording_id = spoken.document_id
    from tests.projects import a_project
    a_project(workspace.id)
    objects = {"workspace_id": workspace.id}
    with UnitOfWork(workspace.id, write=False) as uow:
        for param, model in PATH_OBJECTS.items():
            if param in NOT_IN_A_WORKSPACE:
                objects[param] = NOT_IN_A_WORKSPACE[param]
            elif param != "workspace_id":
                objects[param] = uow.session.scalars(select(model.id).order_by(model.id).limit(1)).one()
        # a phone call and its voice (the first interaction and document are an e-mail's)
        objects["call_id"] = call.id
        objects["audio_id"] = calls.call(uow, call.id).voice.id
        objects["visitor_id"], objects["recording_id"] = visitor.id, recording_id
    browsers = {role: login(make_user(role.value)) for role in (T, E, A)}
    browsers[C] = login(candidate)
    return browsers, objects


def test_each_role_gets_exactly_the_routes_its_rule_admits(app, one_of_each_role):
    browsers, objects = one_of_each_role
    for method, route in app_routes(app):
        if route.path in ("/logout",):
            continue  # would end the session the loop uses; covered in test_csrf
        rule = access_rule(route.dependant)
        url = fill(route.path, objects)
        for role, browser in browsers.items():
            response = browser.get(url) if method == "GET" else browser.post(url)
            if rule.public:
                assert response.status_code != 403, f"{role} {method} {url}"
            elif role in rule.roles:
                assert response.status_code not in (401, 403), f"{role} {method} {url}"
                assert not response.headers.get("location", "").startswith("/login?"), f"{role} {method} {url}"
            else:
                assert response.status_code == 403, f"{role} {method} {url}: {response.status_code}"


def test_anonymous_visitors_are_sent_to_the_login_page(app, one_of_each_role):
    from starlette.testclient import TestClient

    _, objects = one_of_each_role
    with TestClient(app, follow_redirects=False) as anonymous:
        for method, route in app_routes(app):
            rule = access_rule(route.dependant)
            if rule.public or method != "GET":
                continue
            response = anonymous.get(fill(route.path, objects))
            assert response.status_code == 303 and response.headers["location"].startswith("/login")
