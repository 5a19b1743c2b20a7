"""A project's schedule as iCalendar (RFC 5545), written with ``icalendar``:
one all-day VEVENT per task (DTEND is the day after the due date: all-day
events end exclusive), its predecessors named in DESCRIPTION and linked by
RELATED-TO;RELTYPE=DEPENDS-ON (RFC 9253) to their UIDs."""
from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from sim.projects.models import Project, ProjectTask, TaskStatus

PRODID = "-//advsim//Actions commerciales//FR"
STATUS = {TaskStatus.TODO.value: "NEEDS-ACTION", TaskStatus.DOING.value: "IN-PROCESS",
          TaskStatus.DONE.value: "COMPLETED"}


def uid(project: Project, task: ProjectTask) -> str:
    return f"{project.number}-T{task.number}-ws{project.workspace_id}@advsim"


def to_ics(project: Project, tasks: list[ProjectTask], stamp: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{project.number} {project.name}")
    numbers = {t.number: t for t in tasks}
    for task in tasks:
        event = Event()
        event.add("uid", uid(project, task))
        event.add("dtstamp", stamp)
        event.add("summary", f"T{task.number} {task.title}")
        event.add("dtstart", task.start_date)
        event.add("dtend", task.due_date + timedelta(days=1))
        before = [numbers[n] for n in task.depends_on if n in numbers]
        lines = [f"Responsable : {task.owner or '—'}",
                 f"Statut : {TaskStatus(task.status).label}"]
        if before:
            lines.append("Après : " + ", ".join(f"T{t.number} {t.title}" for t in before))
        event.add("description", "\n".join(lines))
        event.add("x-advsim-status", STATUS[task.status])
        for predecessor in before:
            event.add("related-to", uid(project, predecessor), parameters={"RELTYPE": "DEPENDS-ON"})
        calendar.add_component(event)
    return calendar.to_ical()
