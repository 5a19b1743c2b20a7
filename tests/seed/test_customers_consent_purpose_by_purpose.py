"""The seeded customers consented purpose by purpose, as a French SME's CRM records it.

A business's consent covers commercial offers by e-mail, often the newsletter or
the event invitations too (given later); a private customer's covers the
newsletter and the offers; a few customers objected to any marketing (RGPD
art. 21), some after having consented. Every date falls before the sim start.
"""
from __future__ import annotations

from seed.company import DEFAULT, SIM_START, generate


def test_consents_are_given_per_purpose_in_believable_proportions():
    customers = generate(2026, DEFAULT).customers
    b2b = [c for c in customers if c.kind == "b2b"]
    b2c = [c for c in customers if c.kind == "b2c"]

    def share(group, test):
        return sum(1 for c in group if test(c)) / len(group)

    assert 0.80 <= share(b2b, lambda c: c.consent_offers_on) <= 0.97
    assert 0.35 <= share(b2b, lambda c: c.consent_newsletter_on) <= 0.65
    assert 0.35 <= share(b2b, lambda c: c.consent_events_on) <= 0.70
    assert 0.50 <= share(b2c, lambda c: c.consent_newsletter_on) <= 0.90
    objected = [c for c in customers if c.marketing_objection_on]
    assert 0.01 <= len(objected) / len(customers) <= 0.08
    assert any(c.consent_offers_on for c in objected)  # some objected after consenting
    for c in customers:
        for day in (c.consent_offers_on, c.consent_newsletter_on, c.consent_events_on, c.marketing_objection_on):
            assert day is None or day < SIM_START
        # a purpose's consent never precedes the consent the record names
        if c.consent_newsletter_on or c.consent_events_on:
            assert c.gdpr_consent and c.gdpr_consent_date <= min(d for d in (c.consent_newsletter_on,
                                                                             c.consent_events_on) if d)


def test_the_consents_come_from_the_seed_alone():
    first, second = generate(11, DEFAULT).customers, generate(11, DEFAULT).customers
    assert [(c.code, c.consent_offers_on, c.consent_newsletter_on, c.consent_events_on, c.marketing_objection_on)
            for c in first] == \
        [(c.code, c.consent_offers_on, c.consent_newsletter_on, c.consent_events_on, c.marketing_objection_on)
         for c in second]
