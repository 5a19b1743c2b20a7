"""The linter reads values as strictly as the services: a file that lints plays
its dry run with no crash and no failed event. Each trainer's slip listed in
``broken/`` (quantity 0, −5 or "dix", price .inf, negative stock, three
decimals, a payment above what is due, a past invoice after the start, a
purchase order expected before its date, an ``after`` beyond the end, a reply
with nothing to answer) is refused by the linter; the same file with the value
at its limit lints, and then everything in it fires."""
from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario.dryrun import print_run, run
from sim.scenario.loader import lint_file

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE.parents[1] / "scenarios"
# the broken file, its fault, the value at the limit that the services accept
AT_THE_LIMIT = [
    ("order-line-quantity-zero.yaml", "quantity: 0}", "quantity: 1}"),
    ("order-line-quantity-negative.yaml", "quantity: -5}", 'quantity: "10"}'),
    ("order-line-quantity-in-words.yaml", "quantity: dix}", "quantity: 10.0}"),
    ("price-infinite.yaml", "price: .inf", "price: 25"),  # 0.01 would leave less due than the partial payment
    ("negative-stock.yaml", "stock: -20", "stock: 0"),
    ("amount-three-decimals.yaml", "amount: 1000.125", "amount: 1000.13"),
    ("partial-payment-above-due.yaml", "amount: 2500.00", "amount: 2347.20"),  # exactly what is due
    ("past-invoice-after-start.yaml", "date: 2026-11-20", "date: 2026-11-02"),  # the start day itself
    ("purchase-order-expected-before-its-date.yaml", "expected: 2026-10-20", "expected: 2026-10-26"),
    ("after-beyond-end.yaml", "delay: 6d}", "delay: 4d 22h 15m}"),  # the very end: 07/11 08:30
    ("reply-with-nothing-to-answer.yaml", "at: 2026-11-03T15:00",
     "when: {journal: message.sent, customer: galway, delay: 3h}"),
]
# the candidate writes to the customer, so that the reply has something to answer
SCRIPT = """\
- at: 2026-11-02T11:00
  do: send_message
  to: {customer: galway}
  language: en
  subject: "Your order"
  body: "The new delivery date is 16 November."
"""


@pytest.mark.parametrize("name,fault,fixed", AT_THE_LIMIT, ids=[n.removesuffix(".yaml") for n, _, _ in AT_THE_LIMIT])
def test_the_same_file_with_the_value_at_its_limit_lints_and_every_event_fires(name, fault, fixed, tmp_path):
    text = (HERE / "broken" / name).read_text(encoding="utf-8")
    assert text.count(fault) == 1
    scenario, script = tmp_path / "story.yaml", tmp_path / "story.candidate.yaml"
    # the customer gets an address, or the candidate could not write to them (the linter says so)
    text = text.replace("      language: en\n", "      language: en\n      email: orders@galwaycrafts.example\n", 1)
    scenario.write_text(text.replace(fault, fixed), encoding="utf-8")
    script.write_text(SCRIPT, encoding="utf-8")
    assert lint_file(scenario).problems == [] and lint_file(script).problems == []

    result = run(scenario, script, workdir=str(tmp_path))

    assert result.ok, print_run(result)
    fired = {e["refs"]["event"] for e in result.entries if e["kind"] == "scenario.event_fired"}
    assert fired == {event["id"] for event in result.scenario["timeline"]}


@pytest.mark.parametrize("name", ["late-delivery", "non-payment", "trade-show"])
def test_each_sample_lints_then_plays_with_no_failed_event(name, tmp_path):
    scenario, script = SCENARIOS / f"{name}.yaml", SCENARIOS / f"{name}.candidate.yaml"
    assert lint_file(scenario).ok and lint_file(script).ok
    result = run(scenario, script, workdir=str(tmp_path))
    assert result.ok, print_run(result)
    assert not result.failed_events and not result.unfired_events and not result.install_error
