"""A dashboard exported: XLSX (openpyxl) and CSV.

The workbook has one formatted sheet per panel — the pivot table whose
totals, shares and variations are spreadsheet formulas (``=SUM(…)``,
``=B5/B$12``…), so that a spreadsheet recomputes them when a figure is
changed — then a « Données » sheet: every figure of every panel on its own
line, numbers as numbers, for the candidate's own pivot tables. A measure that
does not add up (average basket, conversion rate) keeps its totals as
computed by the ERP (a formula could not recompute an average from averages).

The CSV is the « Données » sheet: UTF-8 with a BOM, ``;``-separated, decimal
comma (what a French spreadsheet opens as numbers).
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from sim.dashboards.pivot import MEASURES

FORMATS = {"money": '#,##0.00\\ "€"', "quantity": "#,##0.000", "count": "0", "pct": '0.0\\ "%"'}
SHARE_FORMAT = "0.0%"
DATA_COLUMNS = ["Graphique", "Titre", "Période", "Indicateur", "Axe", "Ligne", "Répartition", "Colonne", "Valeur",
                "Part (%)", "Comparaison", "Valeur comparée", "Variation (%)"]


def data_rows(panels) -> list[list]:
    """The « Données » lines: one per figure (per cell when the pivot has columns), totals included."""
    lines = []
    for n, panel in enumerate(panels, 1):
        p = panel.pivot
        head = [n, panel.title, p.period_label, p.measure_label, p.rows_label]
        for row in p.rows + [None]:
            label = row.label if row else "Total"
            if p.columns:
                for key, col_label in p.columns:
                    value = row.cells.get(key) if row else p.column_totals.get(key)
                    lines.append(head + [label, p.columns_label, col_label, value, None, "", None, None])
            total = row.total if row else p.total
            share = row.share if row else (Decimal(100) if MEASURES[p.spec.measure][2] and p.total else None)
            previous = row.previous if row else p.previous_total
            variation = row.variation if row else p.total_variation
            lines.append(head + [label, p.columns_label if p.columns else "", "Total" if p.columns else "", total,
                                 share, p.compare_label if p.spec.compare else "", previous if p.spec.compare else None,
                                 variation if p.spec.compare else None])
    return lines


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return str(value)


def to_csv(panels) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(DATA_COLUMNS)
    for line in data_rows(panels):
        writer.writerow([_csv_value(v) for v in line])
    return "\ufeff" + out.getvalue()


def _sheet_title(n: int, title: str, taken: set[str]) -> str:
    bad = '[]:*?/\\'
    clean = "".join("-" if c in bad else c for c in title)
    name = f"{n} {clean}"[:31].strip()
    while name in taken:
        name = name[:28] + f"~{n}"
    taken.add(name)
    return name


def to_xlsx(dashboard, panels) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold, header_fill = Font(bold=True), PatternFill("solid", fgColor="DCE6F1")
    thin = Side(style="thin", color="999999")
    taken: set[str] = set()
    for n, panel in enumerate(panels, 1):
        p = panel.pivot
        sheet = book.create_sheet(_sheet_title(n, panel.title, taken))
        number_format = FORMATS[p.unit]
        if p.unit == "quantity" and all(v is None or v == v.to_integral_value() for r in p.rows
                                        for v in (r.total, *r.cells.values())):
            number_format = "#,##0"  # whole units (« #,##0.### » would print « 8. »)
        additive = MEASURES[p.spec.measure][2]
        sheet["A1"] = panel.title
        sheet["A1"].font = Font(bold=True, size=13)
        sheet["A2"] = f"{dashboard.title} — {p.measure_label} — {p.period_label}"
        filters = ", ".join(f"{k} = {v}" for k, v in p.spec.filters().items())
        if filters:
            sheet["A3"] = f"Filtres : {filters}"
        header_row, first = 4, 5
        last = first + len(p.rows) - 1
        total_row = last + 1
        headers = [p.rows_label] + [label for _, label in p.columns] + (["Total"] if p.columns else [p.measure_label])
        value_col = len(headers)  # the row's value (its total when the pivot has columns)
        if additive:
            headers.append("Part")
        if p.spec.compare:
            headers += [p.compare_label or "Comparaison", "Variation"]
        for c, text in enumerate(headers, 1):
            cell = sheet.cell(header_row, c, text)
            cell.font, cell.fill = bold, header_fill
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
            cell.border = Border(bottom=thin)
        value_letter = get_column_letter(value_col)
        for i, row in enumerate(p.rows):
            r = first + i
            sheet.cell(r, 1, row.label)
            for c, (key, _) in enumerate(p.columns, 2):
                _number(sheet.cell(r, c), row.cells.get(key), number_format)
            if p.columns and additive:
                sheet.cell(r, value_col, f"=SUM(B{r}:{get_column_letter(value_col - 1)}{r})").number_format = number_format
            else:
                _number(sheet.cell(r, value_col), row.total, number_format)
            c = value_col + 1
            if additive:
                sheet.cell(r, c, f'=IF({value_letter}${total_row}=0,"",{value_letter}{r}/{value_letter}${total_row})'
                           ).number_format = SHARE_FORMAT
                c += 1
            if p.spec.compare:
                _number(sheet.cell(r, c), row.previous, number_format)
                prev = get_column_letter(c)
                sheet.cell(r, c + 1, f'=IF(OR({prev}{r}="",{prev}{r}=0),"",({value_letter}{r}-{prev}{r})/ABS({prev}{r}))'
                           ).number_format = SHARE_FORMAT
        sheet.cell(total_row, 1, "Total").font = bold
        for c, (key, _) in enumerate(p.columns, 2):
            letter = get_column_letter(c)
            cell = sheet.cell(total_row, c, f"=SUM({letter}{first}:{letter}{last})" if additive and p.rows
                              else None)
            if not additive:
                _number(cell, p.column_totals.get(key), number_format)
            cell.number_format, cell.font = number_format, bold
        cell = sheet.cell(total_row, value_col)
        if additive and p.rows:
            cell.value = f"=SUM({value_letter}{first}:{value_letter}{last})"
        else:
            _number(cell, p.total, number_format)
        cell.number_format, cell.font = number_format, bold
        c = value_col + 1
        if additive:
            share = sheet.cell(total_row, c, f'=IF({value_letter}{total_row}=0,"",SUM({get_column_letter(c)}{first}:'
                                             f'{get_column_letter(c)}{last}))' if p.rows else None)
            share.number_format, share.font = SHARE_FORMAT, bold
            c += 1
        if p.spec.compare:
            prev = get_column_letter(c)
            cell = sheet.cell(total_row, c, f"=SUM({prev}{first}:{prev}{last})" if additive and p.rows else None)
            if not (additive and p.rows):
                _number(cell, p.previous_total, number_format)
            cell.number_format, cell.font = number_format, bold
            sheet.cell(total_row, c + 1, f'=IF(OR({prev}{total_row}="",{prev}{total_row}=0),"",'
                                         f'({value_letter}{total_row}-{prev}{total_row})/ABS({prev}{total_row}))'
                       ).number_format = SHARE_FORMAT
        for c in range(1, len(headers) + 1):
            sheet.cell(total_row, c).border = Border(top=thin)
        sheet.column_dimensions["A"].width = 34
        for c in range(2, len(headers) + 1):
            sheet.column_dimensions[get_column_letter(c)].width = 16
        sheet.freeze_panes = sheet.cell(first, 2)
        for note_row, note in enumerate(p.notes, total_row + 2):
            sheet.cell(note_row, 1, note).font = Font(italic=True, color="666666")
    data = book.create_sheet("Données")
    data.append(DATA_COLUMNS)
    for cell in data[1]:
        cell.font, cell.fill = bold, header_fill
    for line in data_rows(panels):
        data.append(line)
    for i, width in enumerate((10, 40, 20, 28, 22, 34, 18, 22, 14, 10, 14, 14, 12), 1):
        data.column_dimensions[get_column_letter(i)].width = width
    if dashboard.commentary:
        notes = book.create_sheet("Commentaire")
        notes["A1"] = dashboard.title
        notes["A1"].font = Font(bold=True, size=13)
        for i, paragraph in enumerate(dashboard.commentary.splitlines(), 3):
            notes.cell(i, 1, paragraph)
        notes.column_dimensions["A"].width = 120
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(cell, value, number_format: str) -> None:
    # openpyxl writes a Decimal exactly as its digits (a cell holds an IEEE double in any spreadsheet)
    cell.value = value
    cell.number_format = number_format
