"""Numbers, ids and text typed in a form are read once, bounded, and refused
with a French message on their field: never cut, never a crash."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from sim.formatting import NNBSP, fr_number
from sim.parsing import read_amount, read_decimal, read_id, read_quantity, read_text


def _read(fn, raw, **kw):
    errors: dict[str, str] = {}
    return fn(raw, "f", errors, **kw), errors.get("f")


@pytest.mark.parametrize("raw, value", [("12", D("12")), ("1 250,50", D("1250.50")), ("1250.5", D("1250.5")),
                                        ("1\u202f000", D("1000")), ("-3", D("-3")), (",5", D("0.5"))])
def test_a_number_is_read_the_french_way(raw, value):
    assert _read(read_decimal, raw, message="Prix : nombre attendu.") == (value, None)


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity", "1e400", "1E+1", "abc", "\x00", "1,2,3", "١٢",
                                 "é" * 100_000, "", "0x10", "1_000"])
def test_anything_else_is_not_a_number(raw):
    assert _read(read_decimal, raw, message="Prix : nombre attendu.") == (None, "Prix : nombre attendu.")


def test_bounds_and_decimals_each_have_their_message_with_numbers_written_the_french_way():
    message = "Prix : nombre attendu."
    assert _read(read_decimal, "100000", message=message, maximum=D("99999.99")) == \
        (None, f"Prix : 99{NNBSP}999,99 au plus.")
    assert _read(read_decimal, "-1", message=message, minimum=0) == (None, "Prix : 0 au moins.")
    assert _read(read_decimal, "1,255", message=message, places=2) == (None, "Prix : 2 décimales au plus.")
    assert _read(read_decimal, "99999999999999999999", message=message) == \
        (None, f"Prix : 999{NNBSP}999{NNBSP}999{NNBSP}999 au plus.")  # any number stays far from Decimal's limits


def test_a_quantity_is_whole_for_counted_units_and_has_three_decimals_at_most_otherwise():
    assert _read(read_quantity, "3", unit="u") == (D("3"), None)
    assert _read(read_quantity, "1,5", unit="lot") == (None, "Quantité : nombre entier attendu (vendu à l'unité : lot).")
    assert _read(read_quantity, "0,0001", unit="u")[1].startswith("Quantité : nombre entier attendu")
    assert _read(read_quantity, "2,125", unit="kg") == (D("2.125"), None)
    assert _read(read_quantity, "2,1255", unit="kg") == (None, "Quantité : 3 décimales au plus.")
    assert _read(read_quantity, "1000001", unit="u") == (None, f"Quantité : 1{NNBSP}000{NNBSP}000 au plus.")


def test_an_amount_is_to_the_cent_and_below_a_billion():
    assert _read(read_amount, "1 250,50") == (D("1250.50"), None)
    assert _read(read_amount, "12,345") == (None, "Montant au centime près.")
    assert _read(read_amount, "1000000000") == (None, f"Montant : 999{NNBSP}999{NNBSP}999,99 au plus.")


@pytest.mark.parametrize("raw, value", [("42", 42), (" 7 ", 7), ("2147483647", 2**31 - 1), ("2147483648", None),
                                        ("99999999999999999999", None), ("0", None), ("-1", None), ("abc", None),
                                        ("١٢", None), ("9" * 5000, None), (None, None), ("", None)])
def test_an_id_is_a_positive_postgresql_integer_or_names_nothing(raw, value):
    assert read_id(raw) == value


def test_text_is_refused_never_cut_when_too_long_or_holding_a_control_character():
    assert _read(read_text, "  Retour  ", label="Motif", max_length=10) == ("Retour", None)
    assert _read(read_text, "é" * 11, label="Motif", max_length=10) == (None, "Motif : 11 caractères, 10 au plus.")
    assert _read(read_text, "a\x00b", label="Motif", max_length=10)[1].startswith("Motif : caractère non imprimable")
    assert _read(read_text, "a\nb", label="Motif", max_length=10)[1].startswith("Motif : caractère non imprimable")
    assert _read(read_text, "a\nb\tc", label="Motif", max_length=10, multiline=True) == ("a\nb\tc", None)
    assert _read(read_text, " ", label="Motif", max_length=10, required=True) == (None, "Motif : à remplir.")


@pytest.mark.parametrize("value, text", [("1E+1", "10"), ("10.00", "10"), ("12.50", "12,5"), ("0.125", "0,125"),
                                         ("1000000", f"1{NNBSP}000{NNBSP}000"), ("-2.5", "-2,5"), ("0", "0")])
def test_numbers_in_messages_are_written_the_french_way_never_1E_plus_1(value, text):
    assert fr_number(D(value)) == text
