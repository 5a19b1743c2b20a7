"""French and EU company identifiers, checked offline with python-stdnum
(never the online VIES service: the exam runs without network)."""
from __future__ import annotations

from stdnum import luhn
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.gb import vat as gb_vat

_COUNTRY_VAT = {"GB": gb_vat}


def clean(number: str) -> str:
    return "".join(ch for ch in number if ch.isalnum()).upper()


def siren_error(number: str) -> str | None:
    """None if valid, else a French message."""
    digits = clean(number)
    if len(digits) != 9 or not digits.isdigit():
        return "Le SIREN compte 9 chiffres."
    if not fr_siren.is_valid(digits):
        return "SIREN invalide (clé de contrôle incorrecte)."
    return None


def siret_error(number: str, siren: str = "") -> str | None:
    digits = clean(number)
    if len(digits) != 14 or not digits.isdigit():
        return "Le SIRET compte 14 chiffres."
    if not fr_siret.is_valid(digits):
        return "SIRET invalide (clé de contrôle incorrecte)."
    if siren and digits[:9] != clean(siren):
        return "Le SIRET doit commencer par le SIREN de l'entreprise."
    return None


def vat_error(number: str, country: str = "") -> str | None:
    """Intra-EU VAT number (and the UK's), checked by format and check digits."""
    value = clean(number)
    if not value:
        return "Numéro de TVA manquant."
    prefix = value[:2]
    if country and prefix != ("EL" if country == "GR" else country):
        return f"Le numéro de TVA doit commencer par {country}."
    try:
        if prefix in _COUNTRY_VAT:
            _COUNTRY_VAT[prefix].validate(value[2:])
        else:
            eu_vat.validate(value)
    except ValidationError:
        return "Numéro de TVA intracommunautaire invalide."
    return None


def french_vat_from_siren(siren: str) -> str:
    """FR + key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97."""
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def siren_with_check_digit(eight_digits: str) -> str:
    return eight_digits + luhn.calc_check_digit(eight_digits)
