"""Trainers: the scenario library — timeline, lint result, upload."""
from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import Depends, Request
from starlette.datastructures import FormData, UploadFile

from sim.accounts.models import Role, User
from sim.scenario import library
from sim.scenario.events import registry
from sim.web.deps import requires
from sim.web.rendering import render
from sim.web.routes import form_data, router as routes_router
from sim.web.shell import staff_shell

router = routes_router()
trainers = requires(Role.TRAINER, Role.EVALUATOR, Role.ADMIN)
uploaders = requires(Role.TRAINER, Role.ADMIN)


def _timeline(data: dict) -> list[dict]:
    """The events with the sim time each fires at, when it can be known in advance."""
    start = datetime.fromisoformat(str(data["start"]).replace(" ", "T"))
    times: dict[str, datetime | None] = {}
    events = data.get("timeline", [])
    for _ in range(len(events) + 1):  # resolve chains of "after"
        for e in events:
            if "at" in e:
                times[e["id"]] = datetime.fromisoformat(str(e["at"]).replace(" ", "T"))
            elif "after" in e and times.get(e["after"]["event"]) is not None:
                from sim.scenario.durations import parse_delay

                delay = parse_delay(e["after"]["delay"]) if e["after"].get("delay") else timedelta(0)
                times[e["id"]] = times[e["after"]["event"]] + delay
    rows = []
    for e in events:
        trigger = ("à heure fixe" if "at" in e else f"après « {e['after']['event']} »" if "after" in e
                   else f"quand le journal montre « {e['when']['journal']} »")
        message = e.get("message") or {}
        rows.append({"id": e["id"], "kind": e["kind"], "title": registry()[e["kind"]].TITLE, "when": times.get(e["id"]),
                     "trigger": trigger, "subject": message.get("subject", ""), "language": message.get("language", "")})
    rows.sort(key=lambda r: (r["when"] is None, r["when"] or start))
    return rows


def _criteria(data: dict) -> dict:
    from sim.referentials import criterion

    texts = {}
    for exp in data.get("expectations", []):
        try:
            texts[exp["criterion"]] = criterion(exp["criterion"]).text
        except KeyError:
            texts[exp["criterion"]] = "?"
    return texts


@router.get("/scenarios")
def scenario_list(request: Request, user: User = Depends(trainers)):
    return render(request, "scenarios/scenario_list.html",
                  {"files": library.listing(), "upload": None, "can_upload": user.role in ("trainer", "admin"),
                   "recordings": library.audio_files(), **staff_shell("scenarios")})


@router.get("/scenarios/view")
def scenario_page(request: Request, name: str = "", user: User = Depends(trainers)):
    found = library.find(name)
    if found is None:
        from sim.db import NotFound

        raise NotFound(f"scénario {name}")
    data = found.result.data
    context = {"file": found, "data": data, "timeline": _timeline(data) if found.result.ok else [],
               "criteria": _criteria(data) if found.result.ok else {}, **staff_shell("scenarios")}
    return render(request, "scenarios/scenario_page.html", context)


@router.post("/scenarios")
def scenario_upload(request: Request, user: User = Depends(uploaders), form: FormData = Depends(form_data)):
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        result = None
        error = "Choisissez un fichier de scénario (.yaml)."
        return render(request, "scenarios/scenario_list.html",
                      {"files": library.listing(), "upload": None, "upload_error": error, "can_upload": True,
                       "recordings": library.audio_files(), **staff_shell("scenarios")}, status_code=422)
    name, result = library.save_upload(upload.filename, upload.file.read(library.MAX_BYTES + 1))
    return render(request, "scenarios/scenario_list.html",
                  {"files": library.listing(), "upload": result, "uploaded_name": name, "can_upload": True,
                   "recordings": library.audio_files(), **staff_shell("scenarios")},
                  status_code=200 if result.ok else 422)


@router.post("/scenarios/audio")
def scenario_audio_upload(request: Request, user: User = Depends(uploaders), form: FormData = Depends(form_data)):
    """A recording for the phone calls of scenarios (``audio: NAME`` in a phone_call event)."""
    from sim.calls.service import RECORDING_MAX_BYTES

    upload = form.get("audio")
    if not isinstance(upload, UploadFile) or not upload.filename:
        name, error = "", "Choisissez un fichier son."
    else:
        name, error = library.save_audio(upload.filename, upload.file.read(RECORDING_MAX_BYTES + 1))
    return render(request, "scenarios/scenario_list.html",
                  {"files": library.listing(), "upload": None, "can_upload": True, "recordings": library.audio_files(),
                   "audio_error": error, "audio_saved": "" if error else name, **staff_shell("scenarios")},
                  status_code=422 if error else 200)
