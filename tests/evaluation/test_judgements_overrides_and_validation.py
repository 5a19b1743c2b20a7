"""The evaluator's decisions are signed journal entries of the candidate's workspace,
written after the seal too; ``final`` applies them; a CP is final only once validated."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from sim.db import UnitOfWork, get_engine
from sim.errors import SimError, ValidationFailed, WorkspaceClosed
from sim.evaluation import judgements, verdicts
from sim.journal import catalogue
from sim.journal import service as journal
from sim.workspace.models import Workspace
from tests.evaluation import EVALUATOR, an_evaluation
from tests.exam import a_session, workspaces


@pytest.fixture
def sealed(make_user):
    """A candidate's workspace whose exam has ended (its journal sealed)."""
    from sim.exam.service import end_session, start_session

    session_id, _ = a_session(make_user, candidates=1)
    start_session(get_engine(), session_id, actor="trainer:t")
    end_session(get_engine(), session_id, actor="trainer:t")
    [workspace] = workspaces(session_id)
    assert workspace.ended_at is not None and workspace.seal_hash
    return workspace


def decide(ws: int, service, **kw):
    with judgements.judging_uow(ws) as uow:
        entry = service(uow, actor=kw.pop("actor", EVALUATOR), evaluation=an_evaluation(), **kw)
        uow.commit()
        return entry


def current(ws: int) -> verdicts.FinalEvaluation:
    with UnitOfWork(ws, write=False) as uow:
        return verdicts.final(an_evaluation(), judgements.entries_of(uow))


def test_without_decisions_the_final_evaluation_is_the_proposal_and_nothing_is_validated(sealed):
    result = current(sealed.id)
    assert [e.status for e in result.expectations] == ["met", "to_judge", "missed"]
    assert result.competence("CP2").status == "to_judge" and result.competence("CP4").status == "not_acquired"
    assert not any(c.validated for c in result.competences) and result.competence("CP4").verdict is None


def test_a_judgement_scores_the_item_and_the_cp_follows(sealed):
    entry = decide(sealed.id, judgements.judge, expectation_id="tone", status="met", points="4",
                   comment="Courriel courtois et précis.")
    assert entry.kind == "evaluation.judged" and entry.actor == EVALUATOR
    assert not catalogue.problems(entry.kind, entry.refs, entry.payload, entry.version)
    result = current(sealed.id)
    tone = result.expectation("tone")
    assert (tone.status, tone.points, tone.auto.status) == ("met", D(4), "to_judge")
    assert tone.decision.who == "eva" and tone.decision.comment == "Courriel courtois et précis."
    assert result.criterion("assistant-commercial/CP2/1").status == "met"
    assert result.competence("CP2").status == "acquired" and not result.competence("CP2").validated
    # judged again (append-only: the latest decision is in force): 0 makes the CP not acquired (2/6 < 50 %)
    decide(sealed.id, judgements.judge, expectation_id="tone", status="missed", points="0", comment="")
    result = current(sealed.id)
    assert result.expectation("tone").points == 0 and len(result.expectation("tone").history) == 2
    assert result.competence("CP2").status == "not_acquired"
    assert result.criterion("assistant-commercial/CP2/1").status == "partly"
    decide(sealed.id, judgements.judge, expectation_id="tone", status="partly", points="1,5", comment="Un peu sec.")
    assert current(sealed.id).competence("CP2").status == "acquired"  # 3,5/6 ≥ 50 %, the essential item met


def test_the_seal_stays_and_the_journal_still_verifies(sealed):
    decide(sealed.id, judgements.judge, expectation_id="tone", status="partly", points="1,5", comment="Un peu sec.")
    decide(sealed.id, judgements.override, target="expectation:reminder-sent", status="met", points="3",
           comment="Relance faite par téléphone, hors outil : vu en salle.")
    with UnitOfWork(write=False) as uow:
        workspace = uow.session.get(Workspace, sealed.id)
        [report] = journal.verify(uow.session, sealed.id)
    assert report.ok, report.reason
    assert workspace.seal_hash == sealed.seal_hash and workspace.journal_seq == sealed.journal_seq + 2
    assert workspace.ended_at is not None


def test_a_judging_unit_of_work_writes_judgements_only_and_others_cannot_write_them(sealed):
    with judgements.judging_uow(sealed.id) as uow, pytest.raises(ValueError):
        journal.append(uow, kind="message.sent", actor="candidate:x", refs={"message": "M1"},
                       payload={"to_role": "customer", "to": "a@b.fr", "language": "fr", "subject": "s",
                                "text": "t", "attachments": []})
    with pytest.raises(ValueError), UnitOfWork(sealed.id) as uow:
        journal.append(uow, kind="evaluation.validated", actor=EVALUATOR, refs={"cp": "CP4"},
                       payload={"verdict": "acquired", "points": "0", "max_points": "3"})
    with pytest.raises(WorkspaceClosed), UnitOfWork(sealed.id) as uow:  # the seal holds for anything else
        journal.append(uow, kind="session.paused", actor="trainer:t", refs={"session": "S1"})


def test_an_override_needs_a_comment_and_changes_nothing_when_refused(sealed):
    before = sealed.journal_seq
    with pytest.raises(ValidationFailed) as refused:
        decide(sealed.id, judgements.override, target="cp:CP4", status="acquired", points="", comment="  ")
    assert "comment" in refused.value.errors
    for target, status, points, field in [("expectation:nope", "met", "3", "target"), ("bogus", "met", "", "target"),
                                          ("cp:CP4", "met", "", "status"),  # a CP is acquired or not
                                          ("expectation:reminder-sent", "met", "2", "points"),
                                          ("expectation:reminder-sent", "partly", "3", "points"),
                                          ("expectation:reminder-sent", "partly", "NaN", "points"),
                                          ("expectation:reminder-sent", "maybe", "1", "status")]:
        with pytest.raises(ValidationFailed) as refused:
            decide(sealed.id, judgements.override, target=target, status=status, points=points, comment="Parce que.")
        assert field in refused.value.errors, (target, status, points, refused.value.errors)
    with pytest.raises(ValidationFailed) as refused:  # an automatic item is overridden, not judged
        decide(sealed.id, judgements.judge, expectation_id="stock-checked", status="met", points="2", comment="")
    assert "expectation" in refused.value.errors
    with UnitOfWork(write=False) as uow:
        assert uow.session.get(Workspace, sealed.id).journal_seq == before


def test_overrides_of_a_criterion_and_of_a_cp_win_over_the_roll_up(sealed):
    decide(sealed.id, judgements.override, target="criterion:assistant-commercial/CP4/1", status="partly",
           points="", comment="Relance partielle constatée à l'oral.")
    decide(sealed.id, judgements.override, target="cp:CP4", status="acquired", points="",
           comment="Le jury retient la compétence au vu de l'entretien.")
    result = current(sealed.id)
    assert result.criterion("assistant-commercial/CP4/1").status == "partly"
    cp4 = result.competence("CP4")
    assert (cp4.auto.proposed, cp4.status, cp4.decision.kind) == ("not_acquired", "acquired", "evaluation.overridden")


def test_a_cp_is_final_only_once_validated_and_only_once(sealed):
    with pytest.raises(ValidationFailed) as refused:  # CP2 still depends on the item to judge
        decide(sealed.id, judgements.validate, cp="CP2", comment="")
    assert "tone" in refused.value.errors["cp"]
    decide(sealed.id, judgements.judge, expectation_id="tone", status="met", points="4", comment="Très bien.")
    entry = decide(sealed.id, judgements.validate, cp="CP2", comment="Validé en commission.")
    assert entry.payload["verdict"] == "acquired"
    assert not catalogue.problems(entry.kind, entry.refs, entry.payload, entry.version)
    result = current(sealed.id)
    assert result.competence("CP2").validated and result.competence("CP2").verdict == "acquired"
    assert result.competence("CP2").validation.comment == "Validé en commission."
    with pytest.raises(SimError, match="déjà validée"):
        decide(sealed.id, judgements.validate, cp="CP2", comment="")
    with pytest.raises(SimError, match="déjà validée"):
        decide(sealed.id, judgements.judge, expectation_id="tone", status="missed", points="0", comment="")
    with pytest.raises(SimError, match="déjà validée"):
        decide(sealed.id, judgements.override, target="cp:CP2", status="not_acquired", points="", comment="Non.")
    # validated without a comment: the comment is optional
    decide(sealed.id, judgements.validate, cp="CP4", comment="")
    assert current(sealed.id).competence("CP4").verdict == "not_acquired"


def test_final_ignores_decisions_entered_after_a_validation_and_other_kinds():
    evaluation = an_evaluation()
    from datetime import datetime

    def entry(seq, kind, refs, payload):
        return {"seq": seq, "kind": kind, "refs": refs, "payload": payload, "actor": EVALUATOR,
                "wall_time": datetime(2026, 12, 1, 10, seq)}

    entries = [entry(11, "message.sent", {"message": "M1"}, {}),
               entry(12, "evaluation.validated", {"cp": "CP4"}, {"verdict": "not_acquired", "points": "0",
                                                                 "max_points": "3"}),
               entry(13, "evaluation.overridden", {"cp": "CP4"}, {"previous": "not_acquired", "status": "acquired",
                                                                  "points": None, "comment": "trop tard"}),
               entry(14, "evaluation.judged", {"expectation": "gone"}, {"status": "met", "points": "1",
                                                                         "comment": ""})]
    result = verdicts.final(evaluation, entries)
    assert result.competence("CP4").verdict == "not_acquired" and result.competence("CP4").decision is None
    assert [d.seq for d in result.decisions] == [12]


def test_only_staff_decide(sealed):
    with pytest.raises(SimError):
        decide(sealed.id, judgements.judge, actor="candidate:x", expectation_id="tone", status="met", points="4",
               comment="")


def test_the_engine_ignores_the_judgements_and_the_real_evaluation_takes_them(sealed):
    """On the sample scenario's real evaluation (the engine's): decisions change the final verdicts,
    never the automatic part."""
    from sim.evaluation.engine import evaluate, scenario_of

    def automatic():
        with UnitOfWork(sealed.id, write=False) as uow:
            scenario = scenario_of(uow, sealed.id)
            return evaluate(uow, sealed.id, scenario), scenario

    before, scenario = automatic()
    [tone] = [e for e in before.expectations if e.judge == "evaluator"]
    with judgements.judging_uow(sealed.id) as uow:
        judgements.judge(uow, actor=EVALUATOR, evaluation=before, scenario=scenario, expectation_id=tone.id,
                         status="met", points=str(tone.max_points), comment="Ton juste.")
        uow.commit()
    after, _ = automatic()
    assert after.expectations == before.expectations and after.competences == before.competences
    with UnitOfWork(sealed.id, write=False) as uow:
        result = verdicts.final(after, judgements.entries_of(uow), scenario)
    assert result.expectation(tone.id).status == "met"
    assert result.competence(tone.cp).status == "acquired" and tone.cp != "CP4"
