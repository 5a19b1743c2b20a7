"""A candidate sees only their own workspace (DESIGN.md, "Who uses it").

Generated from the route table: every URL that names an object gets
candidate1's objects, and candidate2 asks for them.
"""
from __future__ import annotations

from fastapi.routing import APIRoute
from sqlalchemy import select

from sim.accounts.models import Role
from sim.db import UnitOfWork
from sim.web.deps import access_rule
from sim.web.paths import PATH_OBJECTS
from tests.crm import a_delivery_address
from tests.inbox import a_message_with_an_attachment
from tests.purchasing import a_goods_receipt
from tests.communication import a_support
from tests.shipping.helpers import a_carrier_protest
from tests.claims import a_claim
from tests.dashboards import a_dashboard_with_a_panel
from sim.workspace.models import Workspace


def _objects_of(workspace_id: int) -> dict[str, list[int]]:
    """Some ids of each kind of object a URL can name, all in this workspace."""
    ids: dict[str, list[int]] = {}
    with UnitOfWork(workspace_id, write=False) as uow:
        for param, model in PATH_OBJECTS.items():
            if param in ("session_id", "key"):  # staff pages only: a candidate gets 403 whatever they name
                ids[param] = [1] if param == "session_id" else ["any"]
            elif model is Workspace:
                ids[param] = [workspace_id]
            else:
                ids[param] = list(uow.session.scalars(select(model.id).order_by(model.id).limit(3)))
    return ids


def test_candidate2_gets_404_for_every_url_naming_candidate1s_objects(app, make_user, make_workspace, login):
    candidate1, candidate2 = make_user("candidate"), make_user("candidate")
    first = make_workspace(owner=candidate1)
    a_message_with_an_attachment(first.id)  # so that every kind of URL has an object to name
    a_delivery_address(first.id)
    a_goods_receipt(first.id)
    a_support(first.id)
    a_carrier_protest(first.id)
    a_claim(first.id)
    a_dashboard_with_a_panel(first.id)
    from tests.tradeshow import a_visitor
    a_visitor(first.id)
    from tests.projects.reporting import a_project_with_a_plan
    a_project_with_a_plan(first.id)
    make_workspace(owner=candidate2)
    theirs = _objects_of(first.id)
    browser = login(candidate2)

    checked = 0
    for route in app.routes:
        if not isinstance(route, APIRoute) or not route.param_convertors:
            continue
        rule = access_rule(route.dependant)
        for method in route.methods:
            params = list(route.param_convertors)
            for index in range(3):
                url = route.path
                for name in params:
                    url = url.replace("{" + name + "}", str(theirs[name][index % len(theirs[name])]))
                response = browser.get(url) if method == "GET" else browser.post(url)
                if Role.CANDIDATE in rule.roles:
                    assert response.status_code == 404, f"{method} {url}: {response.status_code}"
                else:
                    # Staff pages are closed to candidates whatever they name.
                    assert response.status_code == 403, f"{method} {url}: {response.status_code}"
                checked += 1
    assert checked >= 6


def test_candidate1_can_open_the_same_urls(app, make_user, make_workspace, login):
    candidate1 = make_user("candidate")
    first = make_workspace(owner=candidate1)
    theirs = _objects_of(first.id)
    browser = login(candidate1)
    for customer_id in theirs["customer_id"]:
        assert browser.get(f"/customers/{customer_id}").status_code == 200
