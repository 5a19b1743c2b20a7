"""The grammar aid checks French with Grammalecte (Debian python3-grammalecte, loaded
by path): the rule's message and suggestions under the text, the flags journaled as
evidence with the spelling flags; English grammar is not checked, and the panel says so."""
from __future__ import annotations

import threading
import time

from sim.db import UnitOfWork
from sim.inbox.service import send
from sim.writing import grammar, spelling
from tests.factories import ACTOR, last_entry, make_customer


def test_agreement_and_mood_errors_are_flagged_with_the_rules_message_and_suggestions():
    flags = grammar.check("Bonjour,\nLes colis est arrivé ce matin. Il faut que vous venez le chercher.", "fr")
    assert [(f.word, f.suggestions[:1]) for f in flags] == [("est", ["sont"]), ("venez", ["veniez"])]
    assert "Conjugaison" in flags[0].message and "subjonctif" in flags[1].message
    text = "Bonjour,\nLes colis est arrivé ce matin. Il faut que vous venez le chercher."
    assert text[flags[0].start:flags[0].end] == "est" and text[flags[1].start:flags[1].end] == "venez"


def test_correct_french_and_typography_typed_on_a_keyboard_are_not_flagged():
    text = ("Nous vous prions de nous excuser : l'avoir n° AV-2026-00012 de 1 250,00 € TTC vous est adressé "
            "aujourd'hui ; les produits vous seront livrés la semaine prochaine.")
    assert grammar.check(text, "fr") == []


def test_english_grammar_is_not_checked():
    assert grammar.check("The parcels is damaged and we has sent a credit note.", "en") == []


def test_a_check_stays_well_under_the_page_budget():
    grammar.check("Les colis est arrivé.", "fr")  # loaded once per process
    text = "Nous avons bien reçu votre commande n° C00042 du 12 mars. Les produits vous seront livrés lundi.\n" * 30
    began = time.perf_counter()
    grammar.check(text, "fr")
    assert time.perf_counter() - began < 0.5


def test_underlined_text_marks_grammar_and_spelling_flags_escaped():
    text = "Les colis est arrivé, merci pour la comande <b>"
    html = str(spelling.underline(text, "fr", [*spelling.check(text, "fr"), *grammar.check(text, "fr")]))
    assert html.endswith("&lt;b&gt;")
    assert '<mark class="misspelt grammar" title="Conjugaison erronée' in html and ">est</mark>" in html
    assert ">comande</mark>" in html


def test_the_panel_shows_the_grammar_flags_and_says_english_grammar_is_not_checked(login, candidate_with_workspace):
    user, _ = candidate_with_workspace
    browser = login(user)
    french = browser.post("/writing/check", {"subject": "Votre colis", "language": "fr",
                                             "body": "Bonjour, les colis est arrivé endommagés ce matin."})
    assert french.status_code == 200
    assert "tournure" in french.text and "Grammalecte" in french.text
    assert 'data-testid="grammar-flags"' in french.text and "sont" in french.text
    english = browser.post("/writing/check", {"subject": "Your parcel", "language": "en",
                                              "body": "Dear Ms Kelly, the parcels is damaged, we apologise."})
    assert "grammaire non vérifiée en anglais" in english.text


def test_a_message_sent_journals_its_grammar_flags(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    with UnitOfWork(ws) as uow:
        send(uow, actor=ACTOR, to_role="customer", customer_id=customer.id, language="fr",
             to_email="buyer@client.example", subject="Votre réclamation",
             body="Nous avons bien reçu votre réclamation. Les colis est reparti ce matin.")
        uow.commit()
    payload = last_entry(ws, "message.sent").payload
    assert [(f["text"], f["rule"].startswith("gv2__conj")) for f in payload["grammar_flags"]] == [("est", True)]
    assert payload["flagged_words"] == []


def test_checks_from_several_request_threads_at_once_are_safe():
    text = "Les colis est arrivé. Il faut que vous venez. " * 3
    results, threads = [], []
    for _ in range(4):
        def run():
            for _ in range(15):
                results.append(len(grammar.check(text, "fr")))
        threads.append(threading.Thread(target=run))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 60 and len(set(results)) == 1 and results[0] >= 2
