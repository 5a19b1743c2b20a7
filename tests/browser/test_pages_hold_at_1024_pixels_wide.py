"""In a real browser 1024 px wide (a small laptop, a projector): the
candidate's main pages never scroll sideways — the shell gives the content
more room, the lists tighten, and a table still too wide scrolls inside the
content, never the page."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sim.billing.models import Invoice
from sim.crm.models import Interaction
from sim.db import UnitOfWork
from sim.sales.models import SalesOrder
from tests.browser.test_pages_satisfy_the_content_security_policy import log_in

pytestmark = pytest.mark.browser


def test_the_main_pages_do_not_scroll_sideways_at_1024_pixels(live_server, browser, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id, write=False) as uow:
        s = uow.session
        invoice = s.scalars(select(Invoice).order_by(Invoice.id.desc())).first()
        order = s.scalar(select(func.max(SalesOrder.id)))
        message = s.scalar(select(func.max(Interaction.id)).where(Interaction.channel == "email"))
    context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 768})
    page = context.new_page()
    log_in(page, live_server, user.username)
    for path in ("/customers", f"/customers/{invoice.customer_id}", f"/quotes/new?customer={invoice.customer_id}",
                 "/quotes", "/orders", f"/orders/{order}", "/deliveries", "/invoices", f"/invoices/{invoice.id}",
                 "/payments", "/inbox", f"/inbox/{message}"):
        page.goto(live_server + path)
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], (path, width)
    context.close()
