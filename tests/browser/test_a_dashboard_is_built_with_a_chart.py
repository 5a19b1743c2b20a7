"""In a real browser: the candidate creates a dashboard, previews a pivot (htmx
swaps the preview in: table and SVG chart), adds it to the dashboard, switches
to a stacked chart by a second axis, writes the commentary — with no
Content-Security-Policy violation (the charts are inline SVG, no style attribute)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages_satisfy_the_content_security_policy import Watch, log_in

pytestmark = pytest.mark.browser


def test_a_dashboard_with_a_chart_built_in_the_browser(live_server, page, screenshot, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    watch = Watch(page)
    log_in(page, live_server, user.username)

    page.goto(f"{live_server}/dashboards")
    page.get_by_label("Titre *").fill("Ventes d'octobre 2026")
    page.get_by_label("Objectif", exact=False).fill("CA d'octobre par catégorie, pour la direction")
    page.get_by_role("button", name="Créer le tableau de bord").click()
    expect(page.locator("h1")).to_contain_text("Ventes d'octobre 2026")

    builder = page.locator("#builder")
    builder.get_by_label("Indicateur").select_option("revenue")
    builder.get_by_label("Axe (lignes)").select_option("category")
    builder.get_by_label("Du mois").fill("2026-10")
    builder.get_by_label("au mois").fill("2026-10")
    builder.get_by_label("Type de graphique").select_option("pie")
    builder.get_by_role("button", name="Aperçu").click()
    preview = page.locator("#preview")
    expect(preview.locator("svg.chart")).to_be_visible()
    expect(preview.locator("table.pivot tfoot")).to_contain_text("Total")
    assert "preview=1" not in page.url  # htmx swapped the preview in: the page did not reload

    builder.get_by_label("Titre du graphique", exact=False).fill("CA d'octobre par catégorie")
    builder.get_by_role("button", name="Ajouter au tableau de bord").click()
    panel = page.locator("section.panel").first
    expect(panel.locator("h2")).to_contain_text("CA d'octobre par catégorie")
    expect(panel.locator("svg.chart path").first).to_be_visible()

    builder.get_by_label("Axe (lignes)").select_option("month")
    builder.get_by_label("Répartition (colonnes)").select_option("category")
    builder.get_by_label("Du mois").fill("2026-08")
    builder.get_by_label("Type de graphique").select_option("stacked")
    builder.get_by_label("Titre du graphique", exact=False).fill("CA par mois et par catégorie")
    builder.get_by_role("button", name="Ajouter au tableau de bord").click()
    expect(page.locator("section.panel")).to_have_count(2)
    expect(page.locator("section.panel").nth(1).locator("svg.chart rect").first).to_be_visible()

    page.get_by_label("Votre analyse des chiffres", exact=False).fill(
        "Octobre : la première catégorie fait plus du tiers du CA ; à surveiller : le recul des films.")
    page.get_by_role("button", name="Enregistrer le commentaire").click()
    expect(page.locator(".flash, .toast").first).to_contain_text("Commentaire enregistré")
    screenshot("dashboard")
    watch.assert_none("dashboard page")
