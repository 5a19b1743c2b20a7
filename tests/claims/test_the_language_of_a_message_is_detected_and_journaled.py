"""The language of every message sent is detected (lingua, French or English
only) and journaled with it: REAC CP3 asks for customer relations in French and
in English; the evaluator reads the language the candidate actually wrote in,
not the one they chose in a list. Short and mixed texts included."""
from __future__ import annotations

import pytest

from sim.db import UnitOfWork
from sim.inbox.service import send
from sim.writing import language
from tests.factories import ACTOR, last_entry, make_customer


@pytest.mark.parametrize("text, expected", [
    ("Thanks", "en"),
    ("Merci beaucoup", "fr"),
    ("Bien reçu, merci.", "fr"),
    ("Well received, thank you.", "en"),
    ("Your credit note is attached.", "en"),
    ("Votre avoir est en pièce jointe.", "fr"),
])
def test_short_texts_are_told_apart(text, expected):
    assert language.detect(text) == expected


@pytest.mark.parametrize("text", ["", "OK", "12/11/2026", "FA-2026-00042", "  "])
def test_a_text_that_says_too_little_is_undecided(text):
    assert language.detect(text) is None
    assert language.report(text).label == "langue indécise"


def test_a_mixed_text_is_reported_with_its_parts():
    text = ("Bonjour Madame Kelly, nous avons bien reçu votre réclamation concernant la livraison abîmée et nous "
            "vous prions de nous excuser pour ce désagrément. Nous revenons vers vous très rapidement. "
            "Dear Ms Kelly, we have received your complaint about the damaged delivery and we apologise for "
            "the inconvenience. We will come back to you very shortly with a solution.")
    found = language.report(text)
    assert found.mixed
    assert {p.language for p in found.parts} == {"fr", "en"}
    assert all(0.3 < p.share < 0.7 for p in found.parts)


def test_a_plain_english_text_is_not_mixed():
    found = language.report("Dear Siobhan, we are sorry that three boxes arrived damaged. "
                            "We will issue a credit note of 50 euros on invoice FA-2026-00042.")
    assert found.language == "en" and not found.mixed and found.confidence > 0.9


def test_each_message_sent_journals_the_language_it_is_written_in(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    with UnitOfWork(ws) as uow:
        # declared French, written in English: the journal keeps both
        send(uow, actor=ACTOR, to_role="customer", customer_id=customer.id, language="fr",
             to_email="buyer@client.example",
             subject="Your claim", body="Dear Sir, we are sorry about the damaged goods. Kind regards.")
        uow.commit()
    sent = last_entry(ws, "message.sent")
    assert sent.payload["language"] == "fr"
    assert sent.payload["detected_language"] == "en"
    assert sent.payload["mixed_languages"] is False
    assert float(sent.payload["language_confidence"]) > 0.8
