"""Each sample scenario, played with its reference candidate script in a
throw-away database, fires every event, keeps its journal in sim-time order
and leaves a hash chain that verifies (issue "Scenarios", done-when)."""
from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario.dryrun import print_run, run

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SAMPLES = ["late-delivery", "non-payment", "trade-show", "relance-export", "echeancier"]


@pytest.mark.parametrize("name", SAMPLES)
def test_the_sample_scenario_plays_end_to_end_with_its_reference_script(name, tmp_path):
    result = run(SCENARIOS / f"{name}.yaml", SCENARIOS / f"{name}.candidate.yaml", workdir=str(tmp_path))

    assert result.chain_ok
    assert result.errors == []  # every scripted action was accepted by the services
    times = [e["sim_time"] for e in result.entries]
    assert times == sorted(times), "the journal reads in sim-time order"
    fired = {e["refs"]["event"] for e in result.entries if e["kind"] == "scenario.event_fired"}
    assert fired == {event["id"] for event in result.scenario["timeline"]}
    actions = [e for e in result.entries if e["actor"] == "candidate:script"]
    assert actions, "the candidate's actions are journaled"
    assert "chaîne de hachage intègre" in print_run(result)


def test_the_late_delivery_story_reaches_the_customer_in_english(tmp_path):
    result = run(SCENARIOS / "late-delivery.yaml", SCENARIOS / "late-delivery.candidate.yaml", workdir=str(tmp_path))
    kinds = [e["kind"] for e in result.entries]
    # the supplier's delay moved the purchase order before the candidate wrote to the customer
    to_customer = [i for i, e in enumerate(result.entries) if e["kind"] == "message.sent" and e["refs"].get("customer")]
    assert kinds.index("purchase_order.delayed") < to_customer[0]
    sent = result.entries[to_customer[0]]
    assert sent["payload"]["language"] == "en" and "16 November" in sent["payload"]["text"]
    # the customer's scripted reply came after the candidate's message, in the same thread
    reply = next(e for e in result.entries if e["refs"].get("event") == "customer_thanks"
                 and e["kind"] == "message.received")
    assert reply["refs"]["thread"] == sent["refs"]["message"]


def test_the_non_payment_order_is_blocked_and_sent_for_approval(tmp_path):
    result = run(SCENARIOS / "non-payment.yaml", SCENARIOS / "non-payment.candidate.yaml", workdir=str(tmp_path))
    kinds = [e["kind"] for e in result.entries]
    assert "order.confirmed" not in kinds[kinds.index("scenario.installed"):]
    blocked = next(e for e in result.entries if e["kind"] == "order.blocked")
    # 4 800,00 outstanding + 2 400,00 > 6 000,00 plus 10 % of delegation
    assert (blocked["payload"]["outstanding"], blocked["payload"]["order_total"],
            blocked["payload"]["allowed"]) == ("4800.00", "2400.00", "6600.00")
    assert kinds.index("customer.account_viewed") < kinds.index("order.blocked")
    assert "order.approval_requested" in kinds
