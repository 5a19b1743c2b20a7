"""Payment terms and due dates (domain/payment-and-invoicing.md §1).

A terms code is ``comptant`` or ``<days>_net`` / ``<days>_fdm``:

- ``30_net``: 30 days after the invoice date;
- ``45_fdm``: 45 days *fin de mois*, computed with the company's CGV setting
  ``eom_method``: ``"45_then_eom"`` (+45 days, then the end of that month) or
  ``"eom_then_45"`` (the end of the invoice's month, then +45 days). Invoice of
  2 Jan: 28/29 Feb or 17 Mar [service-public F23211].

The legal maximum (C. com. L441-10 I) is 60 days after the invoice date, or,
by derogation, 45 days end of month when the contract stipulates it. So a
``<n>_fdm`` term up to 45 days is legal under either method even when it lands
more than 60 days after the invoice (17 Mar above); any other term that would
go past 60 days is capped at ``legal_max_due_date``.

Pure functions on dates: no database, no clock.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

PAYMENT_TERMS: dict[str, str] = {
    "comptant": "Comptant à réception",
    "30_net": "30 jours net",
    "30_fdm": "30 jours fin de mois",
    "45_fdm": "45 jours fin de mois",
    "60_net": "60 jours net",
}

EOM_METHODS: dict[str, str] = {
    "45_then_eom": "Date de facture + 45 jours, puis fin de mois",
    "eom_then_45": "Fin du mois de facture, puis + 45 jours",
}

LEGAL_MAX_DAYS = 60  # after the invoice date, C. com. L441-10 I
FDM_DEROGATION_DAYS = 45  # "45 jours fin de mois", same article

_CODE = re.compile(r"^(?P<days>\d{1,3})_(?P<kind>net|fdm)$")


class UnknownPaymentTerms(ValueError):
    """The code is neither ``comptant`` nor ``<days>_net`` / ``<days>_fdm``."""


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def legal_max_due_date(issue_date: date) -> date:
    """The latest due date the general rule allows: invoice date + 60 days."""
    return issue_date + timedelta(days=LEGAL_MAX_DAYS)


def parse_terms(terms_code: str) -> tuple[int, str]:
    """``"45_fdm"`` → ``(45, "fdm")``; ``"comptant"`` → ``(0, "net")``."""
    if terms_code == "comptant":
        return 0, "net"
    match = _CODE.match(terms_code or "")
    if not match:
        raise UnknownPaymentTerms(f"conditions de paiement inconnues : {terms_code!r}")
    return int(match["days"]), match["kind"]


def terms_label(terms_code: str) -> str:
    """The French label printed on documents, e.g. "45 jours fin de mois"."""
    if terms_code in PAYMENT_TERMS:
        return PAYMENT_TERMS[terms_code]
    days, kind = parse_terms(terms_code)
    return f"{days} jours net" if kind == "net" else f"{days} jours fin de mois"


def due_date(issue_date: date, terms_code: str, eom_method: str = "45_then_eom") -> date:
    """The due date printed on the invoice (C. com. L441-9), legal cap applied."""
    days, kind = parse_terms(terms_code)
    if kind == "net":
        computed = issue_date + timedelta(days=days)
    elif eom_method == "45_then_eom":
        computed = end_of_month(issue_date + timedelta(days=days))
    elif eom_method == "eom_then_45":
        computed = end_of_month(issue_date) + timedelta(days=days)
    else:
        raise ValueError(f"méthode fin de mois inconnue : {eom_method!r}")
    if kind == "fdm" and days <= FDM_DEROGATION_DAYS:
        # The "45 jours fin de mois" derogation: legal as computed.
        return computed
    return min(computed, legal_max_due_date(issue_date))
