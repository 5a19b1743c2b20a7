"""Valid-looking identifiers for generated companies: every number produced
here passes the same python-stdnum checks as the application (sim.crm.identifiers)."""
from __future__ import annotations

import random
from string import ascii_uppercase

from stdnum import iban as std_iban
from stdnum import luhn

from sim.crm.identifiers import french_vat_from_siren, siren_with_check_digit, vat_error


def siren(rng: random.Random, taken: set[str]) -> str:
    """A SIREN with a valid Luhn key, not in ``taken`` (which is updated)."""
    while True:
        number = siren_with_check_digit(str(rng.randint(30_000_000, 99_999_999)))
        if number not in taken:
            taken.add(number)
            return number


def siret(rng: random.Random, siren_number: str) -> str:
    """SIREN + NIC: 4 digits of establishment number + a Luhn key over all 14."""
    base = siren_number + f"{rng.choice((1, 1, 1, 2, 3, 4, 7, 12)):04d}"
    return base + luhn.calc_check_digit(base)


def french_vat(siren_number: str) -> str:
    return french_vat_from_siren(siren_number)


def _complete(country: str, stem: str, endings) -> str | None:
    """The first candidate ``stem + ending`` that validates as a VAT number."""
    for ending in endings:
        candidate = stem + ending
        if vat_error(candidate, country) is None:
            return candidate
    return None


def foreign_vat(rng: random.Random, country: str) -> str:
    """A VAT number for a customer or supplier in ``country`` ("" for the US)."""
    while True:
        number = _foreign_vat(rng, country)
        if number is not None:
            return number


def _foreign_vat(rng: random.Random, country: str) -> str | None:
    digits = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    if country == "GB":
        return _complete("GB", "GB" + str(rng.randint(1, 9)) + digits(6), [f"{k:02d}" for k in range(100)])
    if country == "DE":
        return _complete("DE", "DE" + str(rng.randint(1, 9)) + digits(7), [str(k) for k in range(10)])
    if country == "NL":
        return _complete("NL", "NL" + digits(8), [f"{k}B01" for k in range(10)])
    if country == "BE":
        return _complete("BE", "BE0" + str(rng.randint(2, 9)) + digits(6), [f"{k:02d}" for k in range(100)])
    if country == "IE":
        return _complete("IE", "IE" + str(rng.randint(1, 9)) + digits(6), list(ascii_uppercase[:23]))
    if country == "IT":
        return _complete("IT", "IT" + digits(7) + f"{rng.randint(1, 99):03d}", [str(k) for k in range(10)])
    if country == "US":
        return ""
    raise ValueError(f"no VAT generator for {country}")


def _rib_key(bank: str, branch: str, account: str) -> str:
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def french_iban(rng: random.Random, bank_code: str) -> str:
    """FR IBAN: bank (5) + branch (5) + account (11) + RIB key (2), ISO 13616 check digits."""
    branch = f"{rng.randint(1, 99_999):05d}"
    account = f"{rng.randint(0, 99_999_999_999):011d}"
    bban = bank_code + branch + account + _rib_key(bank_code, branch, account)
    number = "FR" + std_iban.calc_check_digits("FR00" + bban) + bban
    assert std_iban.is_valid(number)
    return number
