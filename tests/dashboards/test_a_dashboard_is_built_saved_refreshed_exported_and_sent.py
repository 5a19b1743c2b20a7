"""CP6 — « Les tableaux de bord sont conçus et actualisés » : on the pages, the
candidate builds a pivot with its chart, saves it on a dashboard, writes the
commentary, refreshes the figures after a new invoice (« actualiser »),
exports XLSX / CSV / PDF and sends the dashboard to management; each step is
journaled, a refused form changes nothing."""
from __future__ import annotations

import html
import io
import json
from decimal import Decimal as D

from sqlalchemy import select

from sim.dashboards.models import Dashboard, DashboardPanel
from sim.db import UnitOfWork
from sim.crm.models import Interaction, MessageAttachment
from tests.factories import last_entry, make_customer, make_product, snapshot
from tests.money_helpers import invoiced


def _dashboard(ws):
    with UnitOfWork(ws, write=False) as uow:
        return uow.session.scalars(select(Dashboard)).one()


def test_build_save_comment_refresh_export_and_send(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    ws = workspace.id
    browser = login(user)
    page = browser.get("/dashboards")
    assert page.status_code == 200 and "Nouveau tableau de bord" in page.text

    refused = browser.post("/dashboards", {"title": "", "objective": "x"})
    assert refused.status_code == 422 and "Titre : à remplir." in refused.text
    created = browser.post("/dashboards", {"title": "Ventes du mois", "objective": "Ventes d'octobre pour la direction"})
    assert created.status_code == 303
    dashboard = _dashboard(ws)
    url = f"/dashboards/{dashboard.id}"
    assert last_entry(ws, "dashboard.created").refs == {"dashboard": "TB-001"}

    preview = browser.get(url, params={"preview": "1", "measure": "revenue", "rows": "category", "chart": "pie",
                                       "from_month": "2026-10", "to_month": "2026-10"})
    assert preview.status_code == 200 and "<svg" in preview.text and "Aperçu" in preview.text
    fragment = browser.get(url, params={"preview": "1", "rows": "sales_rep", "chart": "bar"},
                           headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith('<div id="preview">')

    before = snapshot(ws)
    bad = browser.post(f"{url}/panels", {"measure": "revenue", "rows": "category", "chart": "stacked",
                                         "from_month": "2026-10", "to_month": "2026-10"})
    assert bad.status_code == 422 and "Des barres empilées demandent une répartition" in bad.text
    assert snapshot(ws) == before

    added = browser.post(f"{url}/panels", {"measure": "revenue", "rows": "category", "chart": "bar",
                                           "sort": "value_desc", "from_month": "2026-10", "to_month": "2026-10",
                                           "title": "CA d'octobre par catégorie"})
    assert added.status_code == 303
    entry = last_entry(ws, "dashboard.panel_added")
    assert (entry.payload["measure"], entry.payload["rows"], entry.payload["chart"], entry.payload["sort"]) == (
        "revenue", "category", "bar", "value_desc")
    before_total = D(entry.payload["total"])
    shown = browser.get(url)
    assert "CA d'octobre par catégorie" in html.unescape(shown.text) and 'class="chart"' in shown.text

    assert browser.post(f"{url}/commentary", {"commentary": "Octobre : les cartons tirent les ventes.\nÀ suivre."}
                        ).status_code == 303
    assert last_entry(ws, "dashboard.commented").payload["words"] == 8

    # a new invoice in October: the saved figures stay until « Actualiser »
    customer = make_customer(ws)
    product = make_product(ws, price="100.00")
    invoiced(ws, customer, (product, 3))
    with UnitOfWork(ws, write=False) as uow:
        panel = uow.session.scalars(select(DashboardPanel)).one()
        assert D(json.loads(panel.snapshot)["total"]) == before_total
    assert browser.post(f"{url}/refresh").status_code == 303
    refreshed = last_entry(ws, "dashboard.refreshed")
    assert refreshed.payload["panels"] == 1
    assert D(refreshed.payload["totals"][0]) - before_total in (D("0"), D("300.00"))

    csv_text = browser.get(f"{url}/export.csv")
    assert csv_text.status_code == 200 and csv_text.headers["content-type"].startswith("text/csv")
    assert csv_text.text.startswith("\ufeffGraphique;Titre;Période;Indicateur")
    xlsx = browser.get(f"{url}/export.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[-2:] == ["Données", "Commentaire"]
    sheet = book.worksheets[0]
    assert str(sheet.cell(sheet.max_row, 2).value).startswith("=SUM(")
    pdf = browser.get(f"{url}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert [e.payload["format"] for e in [last_entry(ws, "dashboard.exported")]] == ["pdf"]

    sent = browser.post(f"{url}/send", {"subject": "Tableau de bord d'octobre", "body": "Bonjour, ci-joint."})
    assert sent.status_code == 303, sent.text
    entry = last_entry(ws, "dashboard.sent")
    assert entry.payload["panels"][0]["rows"] == "category" and entry.payload["commentary"].startswith("Octobre")
    with UnitOfWork(ws, write=False) as uow:
        message = uow.session.scalars(select(Interaction).where(
            Interaction.reference == entry.refs["message"])).one()
        assert message.counterpart_role == "management"
        attachment = uow.session.scalars(select(MessageAttachment).where(
            MessageAttachment.interaction_id == message.id)).one()
    assert _dashboard(ws).sent_at is not None
    thread = browser.get(f"/inbox/{message.id}")  # the sent message, its PDF attached
    assert thread.status_code == 200 and "Tableau-de-bord_TB-001" in thread.text
    attached = browser.get(f"/inbox/{message.id}/attachments/{attachment.document_id}")
    assert attached.status_code == 200 and attached.content.startswith(b"%PDF")


def test_sending_an_empty_dashboard_is_refused_and_changes_nothing(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    browser = login(user)
    browser.post("/dashboards", {"title": "Vide"})
    dashboard = _dashboard(workspace.id)
    before = snapshot(workspace.id)
    refused = browser.post(f"/dashboards/{dashboard.id}/send", {"subject": "TB", "body": "Ci-joint."})
    assert refused.status_code == 422 and "Ajoutez au moins un graphique" in refused.text
    assert snapshot(workspace.id) == before


def test_a_form_sent_twice_adds_one_panel_and_sends_one_message(login, candidate_with_workspace):
    from sqlalchemy import func

    from sim.journal.models import JournalEntry

    user, workspace = candidate_with_workspace
    browser = login(user)
    browser.post("/dashboards", {"title": "Ventes", "form_token": "tok-create-1"})
    assert browser.post("/dashboards", {"title": "Ventes", "form_token": "tok-create-1"}).status_code == 409
    url = f"/dashboards/{_dashboard(workspace.id).id}"
    panel = {"measure": "orders", "rows": "kind", "chart": "pie", "form_token": "tok-panel-1"}
    assert browser.post(f"{url}/panels", panel).status_code == 303
    assert browser.post(f"{url}/panels", panel).status_code == 409
    send = {"subject": "TB", "body": "Ci-joint.", "form_token": "tok-send-1"}
    assert browser.post(f"{url}/send", send).status_code == 303
    assert browser.post(f"{url}/send", send).status_code == 409
    with UnitOfWork(workspace.id, write=False) as uow:
        counts = dict(uow.session.execute(select(JournalEntry.kind, func.count()).where(
            JournalEntry.kind.like("dashboard.%")).group_by(JournalEntry.kind)).all())
    assert counts == {"dashboard.created": 1, "dashboard.panel_added": 1, "dashboard.sent": 1}


def test_a_trainer_inspecting_reads_the_dashboard_and_leaves_no_trace(login, make_user, candidate_with_workspace):
    from tests.dashboards import a_dashboard_with_a_panel

    user, workspace = candidate_with_workspace
    dashboard, _ = a_dashboard_with_a_panel(workspace.id)
    trainer = login(make_user("trainer"))
    assert trainer.get(f"/inspect/{workspace.id}", params={"next": "/dashboards"}).status_code == 303
    before = snapshot(workspace.id)
    page = trainer.get(f"/dashboards/{dashboard.id}")
    assert page.status_code == 200 and 'class="chart"' in page.text
    assert "Construire un tableau croisé" not in page.text and "Envoyer le tableau de bord" not in page.text
    assert trainer.get(f"/dashboards/{dashboard.id}/export.xlsx").status_code == 200
    assert trainer.get(f"/dashboards/{dashboard.id}/pdf").status_code == 200
    assert snapshot(workspace.id) == before  # no dashboard.exported in the candidate's journal
