"""Facts in a message, written the way people write them; the language, French or English."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sim.evaluation.mentions import language_of, mentions_amount, mentions_date, mentions_key, mentions_text


@pytest.mark.parametrize("text", ["livré le 16/11/2026", "le 16/11", "16.11.26", "2026-11-16", "le 16 novembre",
                                  "lundi 16 novembre 2026", "16 nov. 2026", "on November 16th", "16th November",
                                  "Nov 16", "the 16th of November", "16 Novembre"])
def test_a_date_as_people_write_it(text):
    assert mentions_date(text, date(2026, 11, 16))


@pytest.mark.parametrize("text", ["le 6/11", "116/11", "16/12", "le 15 novembre", "November 6th", "2026-11-17"])
def test_not_another_date(text):
    assert not mentions_date(text, date(2026, 11, 16))


def test_the_first_of_the_month_in_french():
    assert mentions_date("livraison le 1er décembre", date(2026, 12, 1))


@pytest.mark.parametrize("text", ["4 800,00 €", "4800 €", "€4,800.00", "4.800,00", "4800.00 EUR", "4\u202f800,00\xa0€",
                                  "un montant de 4 800 € TTC"])
def test_an_amount_as_people_write_it(text):
    assert mentions_amount(text, Decimal("4800"))


@pytest.mark.parametrize("text", ["480,00 €", "48 000 €", "4 800,50 €", "48,00"])
def test_not_another_amount(text):
    assert not mentions_amount(text, Decimal("4800"))


def test_a_decimal_amount():
    assert mentions_amount("total 48,90 €", Decimal("48.90"))
    assert mentions_amount("total €1,250.50", Decimal("1250.50"))


def test_document_numbers_and_words():
    assert mentions_key("your order GC PO 7781", ["CO-2026-00027", "GC-PO-7781"])
    assert not mentions_key("your order 7781", ["GC-PO-7781"])
    assert mentions_text("Réservation du STAND et des Invitations", ["invitation"])
    assert mentions_text("planning du personnel", ["Personnel"])


def test_the_language_french_or_english():
    assert language_of("Dear Ms Kelly, your order will be delivered on 16 November. Best regards") == "en"
    assert language_of("Bonjour Madame, votre commande sera livrée le 16 novembre. Cordialement") == "fr"
    assert language_of("   ") is None
