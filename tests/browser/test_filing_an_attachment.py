"""In a real browser: a customer's purchase order arrives by email; the candidate
files it (« Classer ») into the order's folder, a missing folder refused next to
the field; it shows in the order's and the customer's folder; the candidate
passes it on to accounting. No Content-Security-Policy violation."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sim.db import UnitOfWork
from sim.documents.service import store
from sim.inbox.service import deliver
from sim.sales.models import SalesOrder
from tests.browser.test_pages_satisfy_the_content_security_policy import Watch, log_in

pytestmark = pytest.mark.browser


def test_a_purchase_order_filed_from_the_inbox_and_passed_on(live_server, page, screenshot, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id) as uow:
        order = uow.session.scalars(select(SalesOrder).order_by(SalesOrder.id.desc())).first()
        po = store(uow, actor="scenario:test", kind="customer_po", ref_id=order.id)
        message = deliver(uow, actor="scenario:test", role="customer", name="Jeanne Martin",
                          email="j.martin@client.example", subject="Notre bon de commande",
                          body="Bonjour,\nci-joint notre bon de commande.", customer_id=order.customer_id,
                          attachments=[po.id])
        uow.commit()
    watch = Watch(page)
    log_in(page, live_server, user.username)

    page.goto(f"{live_server}/inbox/{message.id}")
    page.get_by_test_id("classer").click()
    page.get_by_role("button", name="Classer").click()  # no folder chosen
    expect(page.locator("#err-folder")).to_contain_text("Choisissez le dossier")
    page.get_by_label("Dossier").select_option(f"order:{order.id}")
    page.get_by_label("Référence du document").fill("PO-77")
    page.get_by_role("button", name="Classer").click()
    expect(page).to_have_url(f"{live_server}/orders/{order.id}/folder#f-" + page.url.rsplit("#f-", 1)[-1])
    expect(page.get_by_test_id("folder")).to_contain_text("Bon de commande client")
    expect(page.get_by_test_id("folder")).to_contain_text("PO-77")
    screenshot("order-folder")

    page.goto(f"{live_server}/customers/{order.customer_id}#dossier")
    expect(page.locator("#dossier")).to_contain_text("PO-77")
    screenshot("customer-page-folder")

    page.locator("#dossier").get_by_role("link", name="Versions, transmettre…").first.click()
    form = page.locator("#transmettre")
    form.get_by_label("Destinataire").select_option("accounting")
    form.get_by_label("Note pour votre collègue").fill("Bon de commande signé, pour le contrôle de l'encours.")
    form.get_by_role("button", name="Transmettre").click()
    expect(page.locator("body")).to_contain_text("Transmission :")
    screenshot("passed-on")
    watch.assert_none("filing pages")
