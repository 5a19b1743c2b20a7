"""CP6 — the XLSX export is a real spreadsheet: LibreOffice (headless) opens
it, recomputes its formulas (totals, shares, variations: openpyxl stores no
cached result, so every figure below was computed by LibreOffice) and converts
each sheet to CSV; the figures are the ERP's, to the cent. One soffice run."""
from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest

from sim.dashboards import exports, service
from sim.db import UnitOfWork
from tests.dashboards.fixed_company import fixed_company

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# CSV filter: « ; », « " », UTF-8, from line 1, French locale, raw values (not as shown), every sheet (-1)
CSV_FILTER = "csv:Text - txt - csv (StarCalc):59,34,76,1,,1036,false,true,false,false,false,-1"


def _number(text: str) -> D | None:
    text = text.strip().rstrip("%")
    return D(text) if text else None


def _close(value: D | None, expected: D | None, places: str = "0.01") -> bool:
    if expected is None:
        return value is None
    return value is not None and value.quantize(D(places)) == expected.quantize(D(places))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed: make debian-deps")
def test_libreoffice_recomputes_the_tables_with_the_same_figures(tmp_path):
    ws = fixed_company()
    with UnitOfWork(ws) as uow:
        board = service.create_dashboard(uow, actor="candidate:test", title="Ventes d'octobre")
        service.add_panel(uow, actor="candidate:test", dashboard_id=board.id,
                          values={"rows": "category", "from_month": "2026-10", "compare": "previous"})
        service.add_panel(uow, actor="candidate:test", dashboard_id=board.id,
                          values={"rows": "month", "columns": "category", "from_month": "2026-09",
                                  "to_month": "2026-10", "chart": "stacked"})
        service.add_panel(uow, actor="candidate:test", dashboard_id=board.id,
                          values={"measure": "basket", "rows": "category", "from_month": "2026-10"})
        uow.commit()
    with UnitOfWork(ws, write=False) as uow:
        dashboard = service._dashboard(uow, board.id)
        panels = service.panels(uow, dashboard)
        workbook = exports.to_xlsx(dashboard, panels)
        ours = exports.to_csv(panels)
    (tmp_path / "tb.xlsx").write_bytes(workbook)
    run = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", CSV_FILTER, "--outdir", str(tmp_path / "out"), str(tmp_path / "tb.xlsx")],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    sheets = {path.stem.removeprefix("tb-"): list(csv.reader(path.read_text(encoding="utf-8").splitlines(),
                                                             delimiter=";"))
              for path in (tmp_path / "out").glob("*.csv")}

    # 1. revenue by category, October against September: shares and variations are LibreOffice's formulas
    [first] = [rows for name, rows in sheets.items() if name.startswith("1 ")]
    assert first[3] == ["Catégorie de produits", "Chiffre d'affaires HT", "Part", "sept. 2026", "Variation"]
    table = {r[0]: r[1:] for r in first[4:]}
    assert set(table) == {"Films", "Cartons", "Adhésifs", "(hors catalogue)", "Total"}
    pivot = panels[0].pivot
    for row in pivot.rows:
        value, share, previous, variation = (_number(x) for x in table[row.label])
        assert value == row.total and previous == row.previous
        assert _close(share, row.share, "0.1") and _close(variation, row.variation, "0.1")
    total, share, previous, variation = (_number(x) for x in table["Total"])
    assert (total, share, previous) == (D("220"), D("100"), D("300"))  # =SUM(…) over the rows, recomputed
    assert _close(variation, pivot.total_variation, "0.1") and pivot.total_variation == D("-26.7")

    # 2. month × category: row totals and column totals are =SUM formulas
    [second] = [rows for name, rows in sheets.items() if name.startswith("2 ")]
    assert second[3] == ["Mois", "Adhésifs", "Cartons", "Films", "(hors catalogue)", "Total", "Part"]
    assert [r[:6] for r in second[4:]] == [["sept. 2026", "250", "50", "0", "0", "300"],
                                          ["oct. 2026", "0", "80", "145", "-5", "220"],
                                          ["Total", "250", "130", "145", "-5", "520"]]

    # 3. an average basket is not a sum: its total is the ERP's figure, kept as a value
    [third] = [rows for name, rows in sheets.items() if name.startswith("3 ")]
    assert {r[0]: _number(r[1]) for r in third[4:8]} == {"Adhésifs": D("100"), "Cartons": D("100"),
                                                          "Films": D("72.5"), "Total": D("115")}

    # the data sheet holds the figures of the CSV export, line for line
    mine = list(csv.reader(ours.removeprefix("\ufeff").splitlines(), delimiter=";"))
    data = sheets["Données"]
    assert data[0] == mine[0] and len(data) == len(mine)
    for theirs, expected in zip(data[1:], mine[1:]):
        assert theirs[:8] == expected[:8]
        for a, b in zip(theirs[8:], expected[8:]):
            if b and b[0] in "-0123456789":
                assert D(a) == D(b.replace(",", ".")), (theirs, expected)
            else:
                assert a == b
