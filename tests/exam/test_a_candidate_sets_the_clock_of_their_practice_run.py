"""Practice runs (issue 9 item 6): the candidate trains alone, on their own
clock — they pause it, resume it and change its speed, each change journaled
like the trainer's; in an exam only the trainer sets the clock."""
from __future__ import annotations

from sqlalchemy import select

from sim.db import UnitOfWork, get_engine
from sim.exam import service as exam
from sim.exam.models import SessionMode, SessionStatus
from sim.journal.models import JournalEntry


def _kinds(workspace_id: int) -> list[str]:
    with UnitOfWork(workspace_id, write=False) as uow:
        return list(uow.session.scalars(select(JournalEntry.kind).where(JournalEntry.kind.like("session.%"))
                                        .order_by(JournalEntry.seq)))


def test_the_candidate_pauses_resumes_and_speeds_up_their_practice_run(make_user, login):
    lea = make_user("candidate")
    browser = login(lea)
    started = browser.post("/practice", {"scenario": "non-payment", "speed": "10"})
    assert started.status_code == 303
    page = browser.get("/practice").text
    assert "Votre entraînement en cours" in page and "Mettre en pause" in page

    assert browser.post("/practice/pause").status_code == 303
    assert "Reprendre" in browser.get("/practice").text
    assert browser.post("/practice/speed", {"speed": "60"}).status_code == 303
    assert browser.post("/practice/resume").status_code == 303
    refused = browser.post("/practice/speed", {"speed": "7"})
    assert refused.status_code == 422 and "Vitesse" in refused.text

    from sim.workspace.models import Workspace

    with UnitOfWork(write=False) as uow:
        workspace = uow.session.scalars(select(Workspace).where(Workspace.owner_id == lea.id,
                                                                Workspace.exam_session_id.is_not(None))).one()
    session = exam.get_session(get_engine(), workspace.exam_session_id)
    assert session.mode == SessionMode.PRACTICE and session.status == SessionStatus.RUNNING and session.speed == 60
    kinds = _kinds(workspace.id)
    assert kinds[-3:] == ["session.paused", "session.speed_changed", "session.resumed"]



def test_in_an_exam_the_candidate_cannot_touch_the_clock(make_user, login):
    trainer, bob = make_user("trainer"), make_user("candidate")
    engine = get_engine()
    session_id = exam.create_session(engine, actor=trainer, title="Épreuve", scenario_name="non-payment",
                                     candidate_ids=[bob.id], mode=SessionMode.EXAM, speed=10)
    exam.start_session(engine, session_id, actor="trainer:t")
    [workspace] = exam.workspaces_of(engine, session_id)
    before = _kinds(workspace.id)
    browser = login(bob)
    for path, data in (("/practice/pause", {}), ("/practice/resume", {}), ("/practice/speed", {"speed": "60"})):
        response = browser.post(path, data)
        assert response.status_code == 409 and "Seul le formateur" in response.text
    assert exam.get_session(engine, session_id).status == SessionStatus.RUNNING
    assert exam.get_session(engine, session_id).speed == 10
    assert _kinds(workspace.id) == before
