"""Which VAT applies to a sale of goods (domain/payment-and-invoicing.md §7)."""
from __future__ import annotations

from decimal import Decimal

EU_COUNTRIES = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
}

INTRA_EU_MENTION = "Exonération de TVA, art. 262 ter I du CGI — autoliquidation par le preneur"
EXPORT_MENTION = "Exonération de TVA, art. 262 I du CGI — exportation hors Union européenne"


def vat_regime(country: str, vat_number: str, kind: str) -> str:
    """``"fr"`` (French VAT), ``"intra_eu"`` (B2B to another EU state with a VAT
    number: exempt, art. 262 ter I) or ``"export"`` (outside the EU: exempt, art. 262 I).
    An EU consumer (B2C) pays French VAT (distance-selling thresholds aside)."""
    if country == "FR":
        return "fr"
    if country in EU_COUNTRIES:
        return "intra_eu" if kind == "b2b" and vat_number else "fr"
    return "export"


def vat_rate_for(regime: str, product_rate: Decimal) -> Decimal:
    return product_rate if regime == "fr" else Decimal("0.00")


def vat_mention(regime: str) -> str:
    return {"intra_eu": INTRA_EU_MENTION, "export": EXPORT_MENTION}.get(regime, "")
