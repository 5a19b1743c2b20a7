"""Each sample scenario played three ways, and scored: the reference script earns every
automatic point, the idle script (``[]``) none (a ``never`` rule earns nothing by
inaction), the careless script loses exactly the points its scenario designs it to lose."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sim.scenario.dryrun import run

ROOT = Path(__file__).resolve().parents[2]
IDLE = Path(__file__).resolve().parent / "idle.yaml"

# expectation id -> (status, points) for each script
DESIGNED = {
    "tableau-de-bord-mensuel": {
        "reference": {"by-category": ("met", 2), "by-sales-rep": ("met", 2), "category-sorted": ("met", 1),
                      "rep-sorted": ("met", 1), "category-chart": ("met", 2), "rep-chart": ("met", 1),
                      "commentary-written": ("met", 1), "commentary-relevant": ("to_judge", 0)},
        # sent after Friday 17:00, categories sorted by name on a line chart, a five-word commentary
        "careless": {"by-category": ("partly", 1), "by-sales-rep": ("partly", 1), "category-sorted": ("missed", 0),
                     "rep-sorted": ("met", 1), "category-chart": ("missed", 0), "rep-chart": ("met", 1),
                     "commentary-written": ("missed", 0), "commentary-relevant": ("to_judge", 0)},
        "max": 10, "careless_total": Decimal(4),
        "competences": {"reference": {"CP6": "acquired"}, "careless": {"CP6": "not_acquired"},
                        "idle": {"CP6": "not_acquired"}},
    },
    "late-delivery": {
        "reference": {"supplier-mail-read": ("met", 1), "customer-told-before-asking": ("met", 2),
                      "customer-told-in-english": ("met", 3), "new-date-from-supplier": ("met", 2),
                      "stock-checked": ("met", 1), "date-repromised": ("met", 2), "reorder-placed": ("met", 2),
                      "shortage-chased": ("met", 1), "english-level": ("to_judge", 0)},
        "careless": {"supplier-mail-read": ("partly", Decimal("0.5")), "customer-told-before-asking": ("partly", 1),
                     "customer-told-in-english": ("partly", 1), "new-date-from-supplier": ("met", 2),
                     "stock-checked": ("missed", 0), "date-repromised": ("partly", 1),
                     "reorder-placed": ("partly", 1), "shortage-chased": ("missed", 0),
                     "english-level": ("to_judge", 0)},
        "max": 14, "careless_total": Decimal("6.5"),
        "competences": {"reference": {"CP2": "acquired", "CP3": "acquired"},
                        "careless": {"CP2": "not_acquired", "CP3": "not_acquired"},
                        "idle": {"CP2": "not_acquired", "CP3": "not_acquired"}},
    },
    "non-payment": {
        "reference": {"first-reminder": ("met", 2), "recovery-ladder": ("met", 2), "promise-noted": ("met", 1),
                      "formal-notice": ("met", 3),
                      "outstanding-checked-before-order": ("met", 2), "no-blind-confirmation": ("met", 3),
                      "tone": ("to_judge", 0)},
        "careless": {"first-reminder": ("partly", 1), "recovery-ladder": ("missed", 0),
                     "promise-noted": ("missed", 0), "formal-notice": ("missed", 0),
                     "outstanding-checked-before-order": ("missed", 0), "no-blind-confirmation": ("missed", 0),
                     "tone": ("to_judge", 0)},
        "max": 13, "careless_total": Decimal(1),
        "competences": {"reference": {"CP3": "to_judge", "CP4": "acquired"},
                        "careless": {"CP3": "to_judge", "CP4": "not_acquired"},
                        "idle": {"CP3": "to_judge", "CP4": "not_acquired"}},
    },
    "relance-export": {
        "reference": {"english-reminder": ("met", 3), "call-with-promise": ("met", 2),
                      "outstanding-checked-before-order": ("met", 2), "no-blind-confirmation": ("met", 3),
                      "english-tone": ("to_judge", 0)},
        "careless": {"english-reminder": ("partly", 1), "call-with-promise": ("missed", 0),
                     "outstanding-checked-before-order": ("missed", 0), "no-blind-confirmation": ("missed", 0),
                     "english-tone": ("to_judge", 0)},
        "max": 10, "careless_total": Decimal(1),
        "competences": {"reference": {"CP3": "to_judge", "CP4": "acquired"},
                        "careless": {"CP3": "to_judge", "CP4": "not_acquired"},
                        "idle": {"CP3": "to_judge", "CP4": "not_acquired"}},
    },
    "echeancier": {
        "reference": {"solvency-checked": ("met", 2), "plan-beyond-delegation-asked": ("met", 3),
                      "customer-answered-after-decision": ("met", 2), "tone": ("to_judge", 0)},
        "careless": {"solvency-checked": ("missed", 0), "plan-beyond-delegation-asked": ("met", 3),
                     "customer-answered-after-decision": ("missed", 0), "tone": ("to_judge", 0)},
        "max": 7, "careless_total": Decimal(3),
        "competences": {"reference": {"CP3": "to_judge", "CP4": "acquired"},
                        "careless": {"CP3": "to_judge", "CP4": "not_acquired"},
                        "idle": {"CP3": "to_judge", "CP4": "not_acquired"}},
    },
    "reclamation-client-anglais": {
        "reference": {"claim-analysed": ("met", 1), "solution-on-time": ("met", 3),
                      "credit-note-within-delegation": ("met", 2), "logistics-alerted": ("met", 2),
                      "written-answer-in-english": ("met", 3), "call-answered": ("met", 2),
                      "claim-closed": ("met", 1), "oral-english": ("to_judge", 0), "written-english": ("to_judge", 0)},
        "careless": {"claim-analysed": ("met", 1), "solution-on-time": ("partly", 1),
                     "credit-note-within-delegation": ("missed", 0), "logistics-alerted": ("missed", 0),
                     "written-answer-in-english": ("partly", 1), "call-answered": ("partly", 1),
                     "claim-closed": ("missed", 0), "oral-english": ("to_judge", 0), "written-english": ("to_judge", 0)},
        "max": 14, "careless_total": Decimal(4),
        "competences": {"reference": {"CP3": "acquired"}, "careless": {"CP3": "not_acquired"},
                        "idle": {"CP3": "not_acquired"}},
    },
    "trade-show": {
        # CP7 on the project's report (project.sent): careless sends it late, misses three required
        # checklist items, leaves three items unplanned and takes the stand that breaks the budget
        "reference": {"checklist-on-time": ("met", 2), "checklist-exhaustive": ("met", 3),
                      "tasks-ordered": ("met", 3), "budget-within": ("met", 3), "budget": ("to_judge", 0),
                      "new-customer-checked": ("met", 2), "first-order-confirmed": ("met", 2),
                      "order-acknowledged-in-english": ("met", 2), "english-visitor": ("to_judge", 0),
                      # CP8, the stand
                      "visitors-welcomed": ("met", 2), "visitor-facts-reliable": ("met", 3),
                      "english-visitor-answered-in-english": ("met", 2), "contact-forms-accurate": ("met", 3),
                      "contact-consent-recorded": ("met", 2), "contacts-handed-over": ("met", 2),
                      "stand-posture": ("to_judge", 0), "stand-oral-expression": ("to_judge", 0)},
        "careless": {"checklist-on-time": ("partly", 1), "checklist-exhaustive": ("partly", 1),
                     "tasks-ordered": ("partly", 1), "budget-within": ("partly", 1), "budget": ("to_judge", 0),
                     "new-customer-checked": ("missed", 0), "first-order-confirmed": ("met", 2),
                     "order-acknowledged-in-english": ("partly", 1), "english-visitor": ("to_judge", 0),
                     # CP8: a wrong price (3 reliable answers of 4), one accurate form of 3 (a company
                     # miswritten, a visitor without a form), one consent of 3, two handovers of 3
                     "visitors-welcomed": ("met", 2), "visitor-facts-reliable": ("partly", 1),
                     "english-visitor-answered-in-english": ("met", 2), "contact-forms-accurate": ("partly", 1),
                     "contact-consent-recorded": ("partly", 1), "contacts-handed-over": ("partly", 1),
                     "stand-posture": ("to_judge", 0), "stand-oral-expression": ("to_judge", 0)},
        "max": 31, "careless_total": Decimal(15),
        "competences": {"reference": {"CP1": "acquired", "CP4": "acquired", "CP7": "acquired", "CP8": "acquired"},
                        "careless": {"CP1": "acquired", "CP4": "not_acquired", "CP7": "not_acquired",
                                     "CP8": "to_judge"},
                        # CP8 idle: 7 judged points of 23 even at full marks
                        "idle": {"CP1": "not_acquired", "CP4": "not_acquired", "CP7": "not_acquired",
                                 "CP8": "not_acquired"}},
    },
    "offre-promotionnelle": {
        "reference": {"emailing-to-inactive-b2b": ("met", 3), "offer-facts": ("met", 3),
                      "email-subject-fits": ("met", 1), "social-post": ("met", 2),
                      "style-fits-target": ("to_judge", 0), "spelling": ("to_judge", 0)},
        "careless": {"emailing-to-inactive-b2b": ("partly", 1), "offer-facts": ("partly", 1),
                     "email-subject-fits": ("missed", 0), "social-post": ("partly", 1),
                     "style-fits-target": ("to_judge", 0), "spelling": ("to_judge", 0)},
        "max": 9, "careless_total": Decimal(3),
        "competences": {"reference": {"CP5": "acquired"}, "careless": {"CP5": "not_acquired"},
                        "idle": {"CP5": "not_acquired"}},
    },
    # shipping (issue 11): a damaged delivery; an export quote under CIF
    "avarie-transport": {
        "reference": {"reserves-recorded": ("met", 2), "protest-within-three-days": ("met", 3),
                      "customer-informed": ("met", 2), "replacement-shipped": ("met", 2),
                      "protest-reasoned": ("to_judge", 0)},
        "careless": {"reserves-recorded": ("met", 2), "protest-within-three-days": ("missed", 0),
                     "customer-informed": ("partly", 1), "replacement-shipped": ("missed", 0),
                     "protest-reasoned": ("to_judge", 0)},
        "max": 9, "careless_total": Decimal(3),
        "competences": {"reference": {"CP2": "acquired", "CP3": "acquired"},
                        "careless": {"CP2": "not_acquired", "CP3": "not_acquired"},
                        "idle": {"CP2": "not_acquired", "CP3": "not_acquired"}},
    },
    "export-incoterm": {
        "reference": {"quote-under-cif": ("met", 2), "freight-priced": ("met", 2), "proforma-sent": ("met", 2),
                      "right-mentions": ("met", 3), "english-reply": ("to_judge", 0)},
        "careless": {"quote-under-cif": ("missed", 0), "freight-priced": ("missed", 0),
                     "proforma-sent": ("partly", 1), "right-mentions": ("partly", 1),
                     "english-reply": ("to_judge", 0)},
        "max": 9, "careless_total": Decimal(2),
        "competences": {"reference": {"CP1": "acquired", "CP3": "to_judge"},
                        "careless": {"CP1": "not_acquired", "CP3": "to_judge"},
                        "idle": {"CP1": "not_acquired", "CP3": "to_judge"}},
    },
}


def _script(scenario: str, who: str) -> Path:
    return {"reference": ROOT / "scenarios" / f"{scenario}.candidate.yaml",
            "careless": ROOT / "scenarios" / f"{scenario}.careless.yaml", "idle": IDLE}[who]


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    cache = {}

    def play(scenario: str, who: str):
        if (scenario, who) not in cache:
            result = run(ROOT / "scenarios" / f"{scenario}.yaml", _script(scenario, who),
                         workdir=str(tmp_path_factory.mktemp(f"{scenario}-{who}")))
            # idle: a reply waiting for the candidate's message never fires, nothing else may fail
            assert result.chain_ok and not result.failed_events and not result.refused_actions, result.errors
            if who != "idle":
                assert result.ok, (result.errors, result.unfired_events, result.unrun_actions)
            cache[scenario, who] = result.evaluation
        return cache[scenario, who]

    return play


@pytest.mark.parametrize("scenario", sorted(DESIGNED))
def test_the_reference_script_earns_every_automatic_point(played, scenario):
    evaluation = played(scenario, "reference")

    assert evaluation.auto_points == evaluation.auto_max_points == DESIGNED[scenario]["max"]
    assert {e.id: (e.status, e.points) for e in evaluation.expectations} == DESIGNED[scenario]["reference"]
    for e in evaluation.expectations:
        if e.status == "met":
            assert e.evidence, e.id  # every point earned points at the journal
    assert {c.cp: c.proposed for c in evaluation.competences} == DESIGNED[scenario]["competences"]["reference"]


@pytest.mark.parametrize("scenario", sorted(DESIGNED))
def test_the_idle_script_earns_nothing(played, scenario):
    evaluation = played(scenario, "idle")

    assert evaluation.auto_points == 0
    assert evaluation.auto_max_points == DESIGNED[scenario]["max"]
    for e in evaluation.expectations:
        assert e.points == 0
        assert e.status == ("to_judge" if e.judge == "evaluator" else "missed"), e.id
    assert {c.cp: c.proposed for c in evaluation.competences} == DESIGNED[scenario]["competences"]["idle"]


@pytest.mark.parametrize("scenario", sorted(DESIGNED))
def test_the_careless_script_loses_exactly_the_designed_points(played, scenario):
    evaluation = played(scenario, "careless")

    assert {e.id: (e.status, e.points) for e in evaluation.expectations} == DESIGNED[scenario]["careless"]
    assert evaluation.auto_points == DESIGNED[scenario]["careless_total"]
    assert {c.cp: c.proposed for c in evaluation.competences} == DESIGNED[scenario]["competences"]["careless"]


def test_a_never_rule_is_broken_by_confirming_the_blocked_order(played):
    """non-payment: the careless candidate confirmed without looking; a forced confirmation
    would break the ``never`` rule: the approval alone does not make up for it."""
    evaluation = played("non-payment", "careless")
    why = evaluation.expectation("outstanding-checked-before-order").why

    assert "pas avant" in why  # viewed, but after the order was blocked
    assert evaluation.expectation("no-blind-confirmation").evidence == ()
