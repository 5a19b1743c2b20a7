"""Charts drawn on the server as SVG: bar, line, pie and stacked bars.

Inline SVG with presentation attributes only (no ``style=``, no script): it
satisfies the pages' Content-Security-Policy and prints as it is in the PDFs
(WeasyPrint draws inline SVG). Text is escaped. At most ``MAX_ITEMS`` rows are
drawn, the others summed into « Autres » for a measure that adds up.
"""
from __future__ import annotations

import math
from decimal import Decimal
from html import escape

from markupsafe import Markup

from sim.formatting import eur, fr_number, pct, qty

MAX_ITEMS = 12
# a colour-blind-safe palette (Okabe–Ito, then Tableau's), one colour per series
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
           "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#9C755F")
WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 76, 16, 28, 78


def value_text(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "money":
        return eur(value)
    if unit == "pct":
        return pct(value)
    if unit == "quantity":
        return qty(value)
    return fr_number(value)


def _items(pivot) -> list[tuple[str, Decimal]]:
    rows = [(r.label, r.total if r.total is not None else Decimal(0)) for r in pivot.rows]
    if len(rows) <= MAX_ITEMS:
        return rows
    kept, rest = rows[:MAX_ITEMS - 1], rows[MAX_ITEMS - 1:]
    from sim.dashboards.pivot import MEASURES

    if MEASURES[pivot.spec.measure][2]:
        return kept + [(f"Autres ({len(rest)})", sum((v for _, v in rest), Decimal(0)))]
    return rows[:MAX_ITEMS]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _scale(values: list[float]) -> tuple[float, float]:
    high = _nice_max(max([0.0, *values]))
    low = -_nice_max(-min([0.0, *values])) if min([0.0, *values]) < 0 else 0.0
    return low, high


def _axis_text(value: float, unit: str) -> str:
    if unit == "pct":
        return f"{value:.0f} %"
    if abs(value) >= 1000:
        return f"{value / 1000:.0f} k" if value % 1000 == 0 else f"{value / 1000:.1f} k".replace(".", ",")
    return f"{value:.0f}"


def _t(x, y, text, anchor="middle", size=11, extra=""):
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-family="DejaVu Sans, Arial, sans-serif" fill="#222"{extra}>{escape(str(text))}</text>')


def _short(label: str, limit: int = 18) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


def _frame(title: str, body: list[str], width=WIDTH, height=HEIGHT) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title>')
    return Markup(head + "".join(body) + "</svg>")


def _grid(low, high, unit, plot_h, parts):
    for i in range(5):
        value = low + (high - low) * i / 4
        y = TOP + plot_h - (value - low) / (high - low) * plot_h
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(_t(LEFT - 6, y + 4, _axis_text(value, unit), anchor="end", size=10))


def _x_labels(labels, step, x0, parts):
    rotate = len(labels) > 6
    for i, label in enumerate(labels):
        x = x0 + step * i + step / 2
        y = HEIGHT - BOTTOM + 14
        if rotate:
            parts.append(_t(x, y, _short(label), anchor="end", size=10, extra=f' transform="rotate(-35 {x:.1f} {y:.1f})"'))
        else:
            parts.append(_t(x, y, _short(label, 22), size=10))


def bar(pivot, title: str) -> Markup:
    items = _items(pivot)
    values = [float(v) for _, v in items]
    low, high = _scale(values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [_t(WIDTH / 2, 16, title, size=13, extra=' font-weight="bold"')]
    _grid(low, high, pivot.unit, plot_h, parts)
    y = lambda v: TOP + plot_h - (v - low) / (high - low) * plot_h  # noqa: E731
    step = plot_w / max(1, len(items))
    for i, (label, value) in enumerate(items):
        top, bottom = sorted((y(float(value)), y(0.0)))
        x = LEFT + step * i + step * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{step * 0.7:.1f}" height="{max(bottom - top, 0.5):.1f}" '
                     f'fill="{PALETTE[0]}"><title>{escape(label)} : {escape(value_text(value, pivot.unit))}</title></rect>')
        if len(items) <= 8:
            parts.append(_t(x + step * 0.35, top - 4, value_text(value, pivot.unit), size=9))
    parts.append(f'<line x1="{LEFT}" y1="{y(0.0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0.0):.1f}" stroke="#444"/>')
    _x_labels([l for l, _ in items], step, LEFT, parts)
    return _frame(title, parts)


def line(pivot, title: str) -> Markup:
    rows = pivot.rows
    values = [float(r.total or 0) for r in rows]
    previous = [float(r.previous or 0) for r in rows] if pivot.spec.compare else []
    low, high = _scale(values + previous)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [_t(WIDTH / 2, 16, title, size=13, extra=' font-weight="bold"')]
    _grid(low, high, pivot.unit, plot_h, parts)
    step = plot_w / max(1, len(rows))
    point = lambda i, v: (LEFT + step * i + step / 2, TOP + plot_h - (v - low) / (high - low) * plot_h)  # noqa: E731
    for series, colour, dash, name in ((values, PALETTE[0], "", "Période"),
                                       (previous, PALETTE[1], ' stroke-dasharray="5 4"', pivot.compare_label)):
        if not series:
            continue
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(series)))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
        for i, v in enumerate(series):
            x, y = point(i, v)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(rows[i].label)} : '
                         f'{escape(value_text(Decimal(str(v)), pivot.unit))}</title></circle>')
    if previous:
        parts.append(_legend([("Période", PALETTE[0]), (pivot.compare_label or "Comparaison", PALETTE[1])],
                             WIDTH - RIGHT - 220, TOP - 6))
    _x_labels([r.label for r in rows], step, LEFT, parts)
    return _frame(title, parts)


def _legend(entries, x, y, columns=2, width=110, limit=16):
    parts = []
    for i, (label, colour) in enumerate(entries):
        cx, cy = x + (i % columns) * width, y + (i // columns) * 15
        parts.append(f'<rect x="{cx:.1f}" y="{cy - 8:.1f}" width="10" height="10" fill="{colour}"/>')
        parts.append(_t(cx + 14, cy + 1, _short(label, limit), anchor="start", size=10))
    return "".join(parts)


def pie(pivot, title: str) -> Markup:
    items = [(l, v) for l, v in _items(pivot) if v > 0]
    total = float(sum((v for _, v in items), Decimal(0)))
    parts = [_t(WIDTH / 2, 16, title, size=13, extra=' font-weight="bold"')]
    cx, cy, r = 170, (HEIGHT + TOP) / 2, (HEIGHT - TOP - 20) / 2
    angle = -math.pi / 2
    if not items or total <= 0:
        parts.append(_t(cx, cy, "Aucune valeur positive à représenter"))
        return _frame(title, parts)
    for i, (label, value) in enumerate(items):
        share = float(value) / total
        colour = PALETTE[i % len(PALETTE)]
        tip = f"<title>{escape(label)} : {escape(value_text(value, pivot.unit))} ({share * 100:.1f} %)</title>"
        if share >= 0.9999:
            parts.append(f'<circle cx="{cx}" cy="{cy:.1f}" r="{r:.1f}" fill="{colour}">{tip}</circle>')
        else:
            end = angle + share * 2 * math.pi
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
            large = 1 if share > 0.5 else 0
            parts.append(f'<path d="M{cx},{cy:.1f} L{x1:.1f},{y1:.1f} A{r:.1f},{r:.1f} 0 {large} 1 {x2:.1f},{y2:.1f} Z" '
                         f'fill="{colour}" stroke="#fff" stroke-width="1">{tip}</path>')
            angle = end
        ly = TOP + 14 + i * 19
        parts.append(f'<rect x="360" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        share_text = f"{share * 100:.1f}".replace(".", ",")
        parts.append(_t(378, ly, f"{_short(label, 30)} — {value_text(value, pivot.unit)} ({share_text} %)",
                        anchor="start", size=11))
    skipped = [l for l, v in _items(pivot) if v <= 0]
    if skipped:
        parts.append(_t(360, HEIGHT - 8, f"Non représenté (valeur nulle ou négative) : {len(skipped)}",
                        anchor="start", size=10))
    return _frame(title, parts)


def stacked(pivot, title: str) -> Markup:
    rows = pivot.rows[:MAX_ITEMS * 2]
    columns = pivot.columns[:len(PALETTE)]
    positive = [sum(float(max(r.cells.get(k) or 0, 0)) for k, _ in columns) for r in rows]
    negative = [sum(float(min(r.cells.get(k) or 0, 0)) for k, _ in columns) for r in rows]
    low, high = _scale(positive + negative)
    plot_w, plot_h = WIDTH - LEFT - RIGHT - 150, HEIGHT - TOP - BOTTOM
    parts = [_t((WIDTH - 150) / 2, 16, title, size=13, extra=' font-weight="bold"')]
    y = lambda v: TOP + plot_h - (v - low) / (high - low) * plot_h  # noqa: E731
    for i in range(5):
        value = low + (high - low) * i / 4
        parts.append(f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{LEFT + plot_w}" y2="{y(value):.1f}" stroke="#ddd"/>')
        parts.append(_t(LEFT - 6, y(value) + 4, _axis_text(value, pivot.unit), anchor="end", size=10))
    step = plot_w / max(1, len(rows))
    for i, row in enumerate(rows):
        up, down = 0.0, 0.0
        x = LEFT + step * i + step * 0.15
        for c, (key, label) in enumerate(columns):
            value = float(row.cells.get(key) or 0)
            if value == 0:
                continue
            if value > 0:
                top, bottom = y(up + value), y(up)
                up += value
            else:
                top, bottom = y(down), y(down + value)
                down += value
            parts.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{step * 0.7:.1f}" height="{max(bottom - top, 0.5):.1f}" '
                         f'fill="{PALETTE[c % len(PALETTE)]}"><title>{escape(row.label)} — {escape(label)} : '
                         f'{escape(value_text(row.cells.get(key), pivot.unit))}</title></rect>')
    parts.append(f'<line x1="{LEFT}" y1="{y(0.0):.1f}" x2="{LEFT + plot_w}" y2="{y(0.0):.1f}" stroke="#444"/>')
    _x_labels([r.label for r in rows], step, LEFT, parts)
    parts.append(_legend([(label, PALETTE[c % len(PALETTE)]) for c, (_, label) in enumerate(columns)],
                         LEFT + plot_w + 14, TOP + 6, columns=1, width=0, limit=22))
    return _frame(title, parts)


def draw(pivot, title: str = "") -> Markup | None:
    """The pivot's chart (its spec's ``chart``), or None for « Tableau seul »."""
    title = title or f"{pivot.measure_label} par {pivot.rows_label.lower()} — {pivot.period_label}"
    kind = pivot.spec.chart
    if kind == "none" or not pivot.rows:
        return None
    if kind == "stacked" and pivot.columns:
        return stacked(pivot, title)
    return {"bar": bar, "line": line, "pie": pie}.get(kind, bar)(pivot, title)
