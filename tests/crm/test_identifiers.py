"""SIREN, SIRET and VAT numbers are checked with python-stdnum, offline
(domain/receivables-recovery.md §1: identify the customer before selling)."""
from __future__ import annotations

import pytest

from sim.crm.identifiers import french_vat_from_siren, siren_error, siret_error, vat_error


@pytest.mark.parametrize("siren", ["732829320", "552 032 534", "303265045"])
def test_real_sirens_are_accepted(siren):
    assert siren_error(siren) is None


@pytest.mark.parametrize("siren, message", [("732829321", "clé de contrôle"), ("12345", "9 chiffres"),
                                            ("ABCDEFGHI", "9 chiffres")])
def test_wrong_sirens_are_refused_with_a_reason(siren, message):
    assert message in siren_error(siren)


def test_a_real_siret_is_accepted_and_must_extend_its_siren():
    assert siret_error("73282932000074") is None
    assert siret_error("73282932000074", siren="732829320") is None
    assert "commencer par le SIREN" in siret_error("73282932000074", siren="552032534")


def test_a_siret_with_a_wrong_check_digit_is_refused():
    assert "clé de contrôle" in siret_error("73282932000075")


@pytest.mark.parametrize("number, country", [("FR40303265045", "FR"), ("FR 40 303 265 045", "FR"),
                                             ("DE136695976", "DE"), ("BE0403019261", "BE"),
                                             ("NL004495445B01", "NL"), ("IE6388047V", "IE"),
                                             ("GB980780684", "GB")])
def test_real_vat_numbers_are_accepted(number, country):
    assert vat_error(number, country) is None


@pytest.mark.parametrize("number, country", [("FR41303265045", "FR"), ("DE136695977", "DE"),
                                             ("FR40303265045", "DE"), ("", "FR")])
def test_wrong_vat_numbers_are_refused(number, country):
    assert vat_error(number, country) is not None


def test_the_french_vat_key_is_computed_from_the_siren():
    # key = (12 + 3 × (SIREN mod 97)) mod 97
    assert french_vat_from_siren("303265045") == "FR40303265045"
