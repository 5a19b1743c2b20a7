"""Exports of a session's final evaluations: JSON per candidate, CSV (candidate × criterion), the jury's
PDF (pdftotext), xAPI 1.0.3 statements checked against the spec's rules; the CLI and the staff downloads."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import uuid

import pytest

from sim.crm.service import create_customer
from sim.db import UnitOfWork, get_engine
from sim.evaluation import exports, judgements, review
from sim.evaluation.result import ExpectationResult
from sim.inbox.service import send
from sim.journal.models import JournalEntry
from tests.evaluation import EVALUATOR, an_evaluation
from tests.evaluation.xapi_rules import problems
from tests.exam import a_session, workspaces

SCRIPT = "<script>alert('pwned')</script>"


def _with_evidence(seq: int):
    """The contract's hand-built evaluation, its judged item citing the candidate's message as evidence."""
    base = an_evaluation()
    tone = base.expectation("tone")
    expectations = tuple(ExpectationResult(**{**e.__dict__, "evidence": (seq,)}) if e is tone else e
                         for e in base.expectations)
    return base.__class__(**{**base.__dict__, "expectations": expectations})


@pytest.fixture
def judged_exam(make_user, monkeypatch):
    """An ended exam of two candidates; the first wrote a message whose subject holds a script tag, and
    an evaluator judged its tone (comment with markup) and validated CP4 (not acquired)."""
    from sim.exam.service import end_session, start_session

    session_id, users = a_session(make_user, candidates=2)
    start_session(get_engine(), session_id, actor="trainer:t")
    first = next(w for w in workspaces(session_id) if w.owner_id == users[0].id)
    with UnitOfWork(first.id) as uow:
        customer = create_customer(uow, actor=f"candidate:{users[0].username}", name="Durand SARL",
                                   email="durand@example.fr")
        send(uow, actor=f"candidate:{users[0].username}", to_role="customer", customer_id=customer.id,
             subject=f"Votre commande {SCRIPT}", body="Bonjour", language="fr")
        uow.commit()
    end_session(get_engine(), session_id, actor="trainer:t")
    first = next(w for w in workspaces(session_id) if w.owner_id == users[0].id)  # sealed now
    with UnitOfWork(first.id, write=False) as uow:
        seq = uow.session.query(JournalEntry.seq).filter(JournalEntry.kind == "message.sent").scalar()
    evaluation = _with_evidence(seq)
    monkeypatch.setattr(review, "automatic", lambda uow, workspace_id: (evaluation, {}))
    with judgements.judging_uow(first.id) as uow:
        judgements.judge(uow, actor=EVALUATOR, evaluation=evaluation, expectation_id="tone", status="partly",
                         points="3", comment="Courtois <b>mais</b> long.")
        judgements.validate(uow, actor=EVALUATOR, evaluation=evaluation, cp="CP4", comment="Pas de relance.")
        uow.commit()
    return session_id, users, first, seq


def test_csv_has_one_row_per_candidate_and_criterion_with_the_final_verdicts(judged_exam):
    session_id, users, first, seq = judged_exam
    text = exports.to_csv(exports.collect(get_engine(), session_id))
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert tuple(rows[0].keys()) == exports.CSV_COLUMNS
    assert len(rows) == 2 * 2  # 2 candidates × 2 criteria
    mine = {r["criterion"]: r for r in rows if r["candidate_login"] == users[0].username}
    cp2 = mine["assistant-commercial/CP2/1"]
    # judged 3/4 + the automatic 2/2: 5 of 6, the CP rolled up again to acquired (not validated)
    assert (cp2["auto_status"], cp2["status"], cp2["points"], cp2["max_points"]) == ("to_judge", "partly", "5", "6")
    assert (cp2["cp_proposed"], cp2["cp_status"], cp2["cp_validated"], cp2["cp_verdict"]) == (
        "to_judge", "acquired", "non", "")
    assert cp2["decided_by"] == "eva" and cp2["comment"] == "Courtois <b>mais</b> long."
    assert cp2["evidence"] == f"3 {seq}" and cp2["seal_hash"] == first.seal_hash and len(first.seal_hash) == 64
    cp4 = mine["assistant-commercial/CP4/1"]
    assert (cp4["cp_status"], cp4["cp_validated"], cp4["cp_verdict"]) == ("not_acquired", "oui", "not_acquired")
    other = [r for r in rows if r["candidate_login"] == users[1].username]
    assert {r["status"] for r in other} == {"to_judge", "missed"} and all(r["decided_by"] == "" for r in other)
    # one candidate only
    only = exports.to_csv(exports.collect(get_engine(), session_id, users[1].username))
    assert len(only.strip().splitlines()) == 1 + 2


def test_json_is_the_evaluation_contract_per_candidate_with_the_final_one(judged_exam):
    session_id, users, first, _ = judged_exam
    data = exports.to_json(exports.collect(get_engine(), session_id, users[0].username))
    [candidate] = data["candidates"]
    assert candidate["login"] == users[0].username and candidate["seal_hash"] == first.seal_hash
    assert candidate["evaluation"] == an_evaluation().to_json() | {"expectations": candidate["evaluation"]
                                                                    ["expectations"]}
    assert {"expectations", "criteria", "competences", "auto_points", "auto_max_points"} <= set(candidate["evaluation"])
    assert candidate["final"]["competences"][1]["verdict"] == "not_acquired"
    assert uuid.UUID(data["session"]["registration"])


def test_xapi_statements_follow_the_1_0_3_rules(judged_exam):
    session_id, users, first, seq = judged_exam
    export = exports.collect(get_engine(), session_id)
    statements = exports.statements(export)
    for statement in statements:
        assert problems(statement) == [], statement
    assert len({s["id"] for s in statements}) == len(statements)
    assert exports.statements(exports.collect(get_engine(), session_id)) == statements  # deterministic ids
    registrations = {s["context"]["registration"] for s in statements}
    assert registrations == {str(exports.registration(export.session))}
    mine = [s for s in statements if s["actor"]["account"]["name"] == users[0].username]
    by_object = {s["object"]["id"].rsplit("/", 1)[-1]: s for s in mine}
    # one per scored expectation (all three decided for the first candidate), per criterion, per decided CP
    assert len(mine) == 7 and set(by_object) == {"stock-checked", "tone", "reminder-sent", "CP2", "CP4",
                                                 "assistant-commercial%2FCP2%2F1", "assistant-commercial%2FCP4%2F1"}
    tone = by_object["tone"]
    assert tone["verb"]["id"] == exports.VERBS["scored"]
    assert tone["result"]["score"] == {"scaled": 0.75, "raw": 3, "min": 0, "max": 4}
    assert tone["result"]["success"] is False and tone["context"]["extensions"][
        exports._iri("extensions", "evidence")] == [seq]
    cps = {s["object"]["id"].rsplit("/", 1)[-1]: s for s in mine if s["object"]["definition"]["type"]
           == exports.ACTIVITY_TYPES["competence"]}
    assert cps["CP2"]["verb"]["id"] == exports.VERBS["passed"] and cps["CP2"]["result"]["success"] is True
    assert cps["CP4"]["verb"]["id"] == exports.VERBS["failed"] and cps["CP4"]["result"]["success"] is False
    assert cps["CP4"]["context"]["contextActivities"]["category"][0]["id"] == exports.CMI5_MOVEON
    # the other candidate's to-judge items have no statement yet (nothing scored), their CP2 neither
    theirs = [s for s in statements if s["actor"]["account"]["name"] == users[1].username]
    names = [s["object"]["id"].rsplit("/", 1)[-1] for s in theirs]
    assert "tone" not in names and "CP2" not in names and "CP4" in names


def test_the_rules_catch_what_the_spec_forbids():
    good = {"id": str(uuid.uuid4()), "actor": {"objectType": "Agent", "account": {"homePage": "http://x.fr",
                                                                                    "name": "a"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/scored", "display": {"en-US": "scored"}},
            "object": {"objectType": "Activity", "id": "http://x.fr/a"},
            "result": {"score": {"scaled": 0.5, "raw": 1, "min": 0, "max": 2}, "duration": "PT1H2M3S"},
            "context": {"registration": str(uuid.uuid4())}, "timestamp": "2026-01-01T10:00:00Z"}
    assert problems(good) == []
    bad = json.loads(json.dumps(good))
    bad["verb"]["id"] = "scored"
    bad["result"]["score"]["scaled"] = 1.5
    bad["result"]["duration"] = "1h"
    bad["context"]["registration"] = "session-3"
    bad["actor"]["mbox"] = "mailto:a@x.fr"
    bad["timestamp"] = "2026-01-01 10:00"
    found = " ".join(problems(bad))
    for section in ("2.4.3", "[-1, 1]", "4.6", "registration", "2.4.2.1", "2.4.7"):
        assert section in found, section


def test_pdf_report_for_the_jury(judged_exam, tmp_path):
    session_id, users, first, seq = judged_exam
    export = exports.collect(get_engine(), session_id, users[0].username)
    html = exports.report_html(export, export.candidates[0])
    assert SCRIPT not in html and "&lt;script&gt;" in html and "&lt;b&gt;mais&lt;/b&gt;" in html
    pdf = exports.report_pdf(export, export.candidates[0])
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())  # words in reading order, cells wrapped
    for expected in ("Rapport d'évaluation", users[0].username, "CP2", "CP4", "Acquise", "Non acquise",
                     "validée par eva", "Pas de relance.", "Courtois <b>mais</b> long.", "Ton professionnel",
                     f"n° {seq}", "Courriel envoyé", "Sceau du journal", first.seal_hash[:32]):
        assert expected in text, expected
    assert "<script>" in text  # the candidate's subject, printed as text


def test_cli_evaluate_prints_json_csv_and_xapi(judged_exam, capsys):
    from sim.cli import main

    session_id, users, _, _ = judged_exam
    assert main(["evaluate", str(session_id), "--candidate", users[0].username, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["login"] for c in data["candidates"]] == [users[0].username]
    assert main(["evaluate", str(session_id), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith(";".join(exports.CSV_COLUMNS))
    assert main(["evaluate", str(session_id), "--format", "xapi"]) == 0
    assert all(problems(s) == [] for s in json.loads(capsys.readouterr().out))
    assert main(["evaluate", str(session_id), "--candidate", "nobody", "--format", "json"]) == 2
    assert main(["evaluate", "999999", "--format", "csv"]) == 2


def test_cli_evaluate_with_the_real_engine(make_user, capsys):
    """No stand-in: the engine scores the sample scenario; the export carries its contract as is."""
    from sim.cli import main
    from sim.exam.service import end_session, start_session

    session_id, _ = a_session(make_user, candidates=1)
    start_session(get_engine(), session_id, actor="trainer:t")
    end_session(get_engine(), session_id, actor="trainer:t")
    assert main(["evaluate", str(session_id), "--format", "json"]) == 0
    [candidate] = json.loads(capsys.readouterr().out)["candidates"]
    assert candidate["evaluation"]["expectations"] and all(
        {"id", "criterion", "status", "points", "max_points", "evidence", "why"} <= set(e)
        for e in candidate["evaluation"]["expectations"])
    assert main(["evaluate", str(session_id), "--format", "xapi"]) == 0
    statements = json.loads(capsys.readouterr().out)
    assert statements and all(problems(s) == [] for s in statements)


def test_staff_download_the_csv_and_the_pdf(judged_exam, make_user, login):
    session_id, users, _, _ = judged_exam
    evaluator = login(make_user("evaluator"))
    ws = judged_exam[2].id
    response = evaluator.get(f"/evaluation/sessions/{session_id}/export.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.decode("utf-8-sig").startswith("session_id;")
    pdf = evaluator.get(f"/evaluation/sessions/{session_id}/candidates/{ws}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = evaluator.get(f"/evaluation/sessions/{session_id}")
    assert f"/evaluation/sessions/{session_id}/export.csv" in page.text
    assert f"/evaluation/sessions/{session_id}/candidates/{ws}/report.pdf" in page.text
    candidate = login(users[0])
    assert candidate.get(f"/evaluation/sessions/{session_id}/export.csv").status_code in (403, 404)
    assert candidate.get(f"/evaluation/sessions/{session_id}/candidates/{ws}/report.pdf").status_code in (403, 404)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent")
def test_pdf_renders_as_an_image(judged_exam, tmp_path):
    session_id, users, _, _ = judged_exam
    export = exports.collect(get_engine(), session_id, users[0].username)
    path = tmp_path / "report.pdf"
    path.write_bytes(exports.report_pdf(export, export.candidates[0]))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                   check=True)
    [png] = list(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 5000


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    from tests.evaluation import ralph as lrs_server

    try:
        with lrs_server.running(tmp_path_factory.mktemp("ralph")) as endpoint:
            yield endpoint
    except lrs_server.RalphUnavailable as reason:
        pytest.skip(f"LRS Ralph indisponible : {reason}")


def test_statements_posted_to_a_real_lrs_are_read_back(judged_exam, ralph, monkeypatch, capsys):
    """Ralph (its own virtualenv, FS backend) accepts every statement; a GET returns them as sent."""
    from sim.cli import main
    from sim.config import get_settings
    from sim.evaluation import lrs
    from tests.evaluation.ralph import PASSWORD, USERNAME

    session_id, users, _, _ = judged_exam
    monkeypatch.setenv("ADVSIM_LRS_URL", ralph)
    monkeypatch.setenv("ADVSIM_LRS_USERNAME", USERNAME)
    monkeypatch.setenv("ADVSIM_LRS_PASSWORD", PASSWORD)
    get_settings.cache_clear()
    try:
        assert main(["evaluate", str(session_id), "--format", "xapi", "--post"]) == 0
        sent = json.loads(capsys.readouterr().out)
        # the same export posted again: same ids, the LRS keeps one copy of each
        assert lrs.post(sent) == [s["id"] for s in sent]
        # same ids, different content: the LRS refuses, we say so
        changed = json.loads(json.dumps(sent[:1]))
        changed[0]["result"]["score"]["raw"] = 0
        with pytest.raises(lrs.LRSError, match="409"):
            lrs.post(changed)
    finally:
        get_settings.cache_clear()
    auth = (USERNAME, PASSWORD)
    headers = {"X-Experience-API-Version": "1.0.3"}
    import httpx

    registration = sent[0]["context"]["registration"]
    found = httpx.get(lrs.statements_url(ralph), params={"registration": registration, "limit": 500},
                      auth=auth, headers=headers, timeout=30).json()["statements"]
    assert sorted(s["id"] for s in found) == sorted(s["id"] for s in sent)
    one = next(s for s in sent if s["object"]["id"].endswith("/tone"))
    back = httpx.get(lrs.statements_url(ralph), params={"statementId": one["id"]}, auth=auth, headers=headers,
                     timeout=30).json()
    if "statements" in back:  # Ralph (FS backend) answers a statementId GET as a StatementResult of one
        [back] = back["statements"]
    assert back["id"] == one["id"]
    assert back["actor"]["account"] == one["actor"]["account"] and back["verb"]["id"] == one["verb"]["id"]
    assert back["result"]["score"] == one["result"]["score"] and back["result"]["duration"] == one["result"]["duration"]
    assert back["context"]["registration"] == registration and "stored" in back
    # without credentials the LRS refuses: the error says so, nothing is claimed as sent
    with pytest.raises(lrs.LRSError, match="401"):
        lrs.post(sent[:1], url=ralph, username="", password="")
