"""The spelling aid checks what the candidate writes against Hunspell's French
and British English dictionaries (REAC CP5: « l'orthographe et la grammaire
sont correctes »): it underlines, it suggests, it journals the flagged words as
evidence — the evaluator judges."""
from __future__ import annotations

from sim.db import UnitOfWork
from sim.inbox.service import send
from sim.writing import spelling
from tests.factories import ACTOR, last_entry, make_customer


def test_french_misspellings_are_flagged_with_suggestions():
    flags = spelling.check("Nous avons bien recu votre comande.", "fr")
    assert [(f.word, f.kind) for f in flags] == [("recu", "spelling"), ("comande", "spelling")]
    assert "reçu" in flags[0].suggestions and "commande" in flags[1].suggestions


def test_correct_french_with_elisions_accents_and_compounds_passes():
    text = ("Nous vous prions de nous excuser : l'avoir n° AV-2026-00012 de 60,00 € TTC vous est adressé "
            "aujourd'hui. Qu'il s'agisse d'un porte-monnaie ou d'un colis abîmé, nous répondons sous 48 h.")
    assert spelling.check(text, "fr") == []


def test_british_english_is_the_reference_for_english():
    assert spelling.check("We apologise: the colour of the goods was wrong.", "en") == []
    flags = spelling.check("We are sory for the damagd goods.", "en")
    assert [f.word for f in flags] == ["sory", "damagd"]
    assert "damaged" in flags[1].suggestions


def test_references_addresses_acronyms_and_the_other_language_are_not_flagged():
    text = ("Facture FA-2026-00042 du client C00042, contact s.kelly@galwaycrafts.ie, voir https://x.example/a, "
            "envoi DHL, produit « stretch film » en stock.")
    assert spelling.check(text, "fr") == []


def test_a_repeated_word_is_flagged():
    flags = spelling.check("Le le colis est arrivé.", "fr")
    assert [(f.word, f.kind) for f in flags] == [("le", "repeat")]


def test_underlined_text_is_escaped_and_marks_the_flagged_words():
    html = str(spelling.underline("<b>Merci</b> pour la comande", "fr"))
    assert html.startswith("&lt;b&gt;Merci&lt;/b&gt;")
    assert '<mark class="misspelt" title="Orthographe ? commande' in html and ">comande</mark>" in html


def test_a_message_sent_journals_its_flagged_words(workspace):
    ws = workspace.id
    customer = make_customer(ws)
    with UnitOfWork(ws) as uow:
        send(uow, actor=ACTOR, to_role="customer", customer_id=customer.id, language="fr",
             to_email="buyer@client.example",
             subject="Votre réclamation", body="Nous avons bien recu votre réclamation et vous prions de nous excuser.")
        uow.commit()
    assert last_entry(ws, "message.sent").payload["flagged_words"] == ["recu"]


def test_checks_from_several_request_threads_at_once_are_safe():
    """Hunspell is not thread-safe and the routes run in a thread pool: unguarded, two
    checks at once crash the server process (segfault). They are taken one at a time."""
    import threading

    from sim.writing.spelling import check

    text = "Nous avons bien recu votre comande, merci pour votre confiance et a bientot. " * 3
    results, threads = [], []
    for _ in range(6):
        def run():
            for _ in range(30):
                results.append(len(check(text, "fr")) + len(check("Thank you for your oder.", "en")))
        threads.append(threading.Thread(target=run))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 180 and len(set(results)) == 1 and results[0] >= 4
