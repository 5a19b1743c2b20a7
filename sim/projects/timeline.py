"""A project's schedule laid out as a Gantt chart: one bar per task over the
days, the dependencies as elbow arrows from a predecessor's end to its
follower's start, the sim "today" line and the action's own day. Pure
geometry (numbers and labels in SVG user units); the page draws it
(``templates/projects/_timeline.html``), no JavaScript."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sim.projects.models import ProjectTask, TaskStatus

LABEL_W = 236  # the task labels' column
AXIS_H = 40  # months above, days below
ROW_H = 30
BAR_H = 16
FOOT_H = 24  # the today / event-day labels
PAD_R = 76  # room for the last bar's dates
PLOT_W = 690  # the days' width to aim at (the chart is about 1 000 units wide, scaled to the page)
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
STATE_LABELS = {"done": "fait", "late": "en retard", "doing": "en cours", "todo": "à faire"}


@dataclass
class Bar:
    number: int
    label: str  # "T2 Transport du stand", cut to the column
    full: str  # the accessible sentence
    state: str  # done | late | doing | todo
    x: float
    y: float
    w: float
    row_y: float
    dates: str
    dates_x: float
    dates_anchor: str


@dataclass
class Timeline:
    width: float
    height: float
    day_w: float
    first: date
    last: date
    bars: list[Bar] = field(default_factory=list)
    arrows: list[str] = field(default_factory=list)  # SVG path data
    ticks: list[tuple[float, str]] = field(default_factory=list)
    grid: list[float] = field(default_factory=list)
    weekends: list[float] = field(default_factory=list)
    months: list[tuple[float, str]] = field(default_factory=list)
    markers: list[dict] = field(default_factory=list)  # today, the event day
    summary: str = ""

    @property
    def plot_bottom(self) -> float:
        return AXIS_H + len(self.bars) * ROW_H

    @property
    def label_w(self) -> int:
        return LABEL_W

    @property
    def axis_h(self) -> int:
        return AXIS_H

    @property
    def row_h(self) -> int:
        return ROW_H


def state_of(task: ProjectTask, today: date) -> str:
    if task.status == TaskStatus.DONE.value:
        return "done"
    if task.due_date < today:
        return "late"
    return "doing" if task.status == TaskStatus.DOING.value else "todo"


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars - 1].rstrip() + "…"


def layout(tasks: list[ProjectTask], today: date, event_date: date | None = None,
           event_label: str = "Jour J") -> Timeline | None:
    """The chart of ``tasks`` (None without a task); the range takes in today and the event day."""
    if not tasks:
        return None
    first = min([t.start_date for t in tasks] + [today])
    last = max([t.due_date for t in tasks] + [today] + ([event_date] if event_date else []))
    if event_date and event_date < first:
        first = event_date
    first, last = first - timedelta(days=1), last + timedelta(days=1)
    days = (last - first).days + 1
    day_w = max(3.0, min(44.0, PLOT_W / days))
    width = LABEL_W + days * day_w + PAD_R
    height = AXIS_H + len(tasks) * ROW_H + FOOT_H

    def x_of(day: date) -> float:
        return LABEL_W + (day - first).days * day_w

    chart = Timeline(width=round(width, 1), height=height, day_w=round(day_w, 2), first=first, last=last)
    # the days: a line per day when they are wide enough, the weekends shaded, a label every few days
    step = next(s for s in (1, 2, 7, 14, 28, 56, 112, 10_000) if s * day_w >= 40)
    for offset in range(days):
        day = first + timedelta(days=offset)
        x = round(x_of(day), 1)
        if day_w >= 8:
            chart.grid.append(x)
            if day.weekday() >= 5:
                chart.weekends.append(x)
        labelled = (offset % step == 0) if step < 7 else (day.weekday() == 0 and ((day - first).days // 7) %
                                                         (step // 7) == 0)
        if labelled and x + 30 < LABEL_W + days * day_w:
            chart.ticks.append((x, f"{day:%d/%m}"))
        if day.day == 1 or offset == 0:
            chart.months.append((x, f"{MONTHS[day.month - 1]} {day.year}"))
    # a month's name only where it has room before the next one
    kept = []
    for index, (x, name) in enumerate(chart.months):
        following = chart.months[index + 1][0] if index + 1 < len(chart.months) else LABEL_W + days * day_w
        if following - x >= 8 * len(name) or index + 1 == len(chart.months) and following - x >= 50:
            kept.append((x, name))
    chart.months = kept

    rows = {}
    late = 0
    for index, task in enumerate(tasks):
        state = state_of(task, today)
        late += state == "late"
        row_y = AXIS_H + index * ROW_H
        x = x_of(task.start_date)
        w = ((task.due_date - task.start_date).days + 1) * day_w
        dates = (f"{task.start_date:%d/%m}" if task.start_date == task.due_date
                 else f"{task.start_date:%d/%m} → {task.due_date:%d/%m}")
        after = ", ".join(f"T{n}" for n in task.depends_on)
        full = (f"T{task.number} {task.title} : du {task.start_date:%d/%m/%Y} au {task.due_date:%d/%m/%Y}, "
                f"{STATE_LABELS[state]}" + (f", après {after}" if after else "")
                + (f", responsable {task.owner}" if task.owner else ""))
        chart.bars.append(Bar(number=task.number, label=_cut(f"T{task.number} {task.title}", 31), full=full,
                              state=state, x=round(x, 1), y=row_y + (ROW_H - BAR_H) / 2, w=round(max(w, 3), 1),
                              row_y=row_y, dates=dates, dates_x=round(x + w + 12, 1), dates_anchor="start"))
        rows[task.number] = index
    # dependencies: from the predecessor's end to the follower's start
    for task in tasks:
        j = rows[task.number]
        for number in task.depends_on:
            if number not in rows:
                continue
            i = rows[number]
            before = tasks[i]
            x1 = x_of(before.due_date) + day_w
            y1 = AXIS_H + i * ROW_H + ROW_H / 2
            x2 = x_of(task.start_date)
            y2 = AXIS_H + j * ROW_H + ROW_H / 2
            if x2 - x1 >= 10:
                chart.arrows.append(f"M{x1:.1f},{y1:.1f} H{x1 + 5:.1f} V{y2:.1f} H{x2 - 1:.1f}")
            else:  # the follower starts the same day (or the plan is broken): around, between the rows
                between = AXIS_H + (j if j > i else j + 1) * ROW_H
                chart.arrows.append(f"M{x1:.1f},{y1:.1f} H{x1 + 5:.1f} V{between:.1f} H{x2 - 7:.1f} "
                                    f"V{y2:.1f} H{x2 - 1:.1f}")
    # the dates next to a bar: on its right, or on its left when an arrow or the edge is in the way
    for bar in chart.bars:
        if bar.dates_x + 80 > width:
            bar.dates_x, bar.dates_anchor = round(bar.x - 5, 1), "end"
    bottom = AXIS_H + len(tasks) * ROW_H
    x_today = round(x_of(today) + day_w / 2, 1)
    chart.markers.append({"kind": "today", "x": x_today, "label": f"Aujourd'hui {today:%d/%m}",
                          "y": bottom + 16})
    if event_date is not None:
        x_event = round(x_of(event_date) + day_w / 2, 1)
        chart.markers.append({"kind": "event", "x": x_event, "label": f"{event_label} {event_date:%d/%m}",
                              "y": bottom + 16})
    for marker in chart.markers:
        marker["anchor"] = "middle"
    if len(chart.markers) == 2 and abs(chart.markers[0]["x"] - chart.markers[1]["x"]) < 130:
        left, right = sorted(chart.markers, key=lambda m: m["x"])
        left["anchor"], right["anchor"] = "end", "start"
        left["x_text"], right["x_text"] = left["x"] - 4, right["x"] + 4
    for marker in chart.markers:
        marker.setdefault("x_text", marker["x"])
        if marker["anchor"] == "middle":  # kept inside the plot
            marker["x_text"] = min(max(marker["x"], LABEL_W + 60), width - 60)
    chart.summary = (f"{len(tasks)} tâche{'s' if len(tasks) > 1 else ''} du {min(t.start_date for t in tasks):%d/%m/%Y} "
                     f"au {max(t.due_date for t in tasks):%d/%m/%Y} ; aujourd'hui {today:%d/%m/%Y}"
                     + (f" ; {event_label.lower()} le {event_date:%d/%m/%Y}" if event_date else "")
                     + (f" ; {late} en retard" if late else "") + ".")
    return chart
