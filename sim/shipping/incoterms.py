"""The 11 Incoterms® 2020 rules as data (ICC publication, see
shared/domain/incoterms-2020.md): where risk passes, who pays the main
carriage, who clears export and import, who insures, who loads and unloads,
and what the named place is.

S = the seller (the simulated company), B = the buyer (the customer).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

VERSION = "Incoterms® 2020"

SELLER, BUYER = "S", "B"

# the transport modes a quote, an order or a carrier service names
TRANSPORT_MODES = {
    "road": "Route",
    "rail": "Rail",
    "air": "Aérien",
    "sea": "Maritime",
    "inland_waterway": "Fluvial",
    "multimodal": "Multimodal",
}
SEA_MODES = ("sea", "inland_waterway")

# The simulated company's cargo policy: premium per 100 € of insured value, on
# 110 % of the price (the ICC minimum for CIP and CIF, A5).
INSURANCE_RATE_PCT = Decimal("0.30")
INSURED_SHARE_PCT = Decimal("110")


@dataclass(frozen=True)
class Rule:
    code: str
    name_en: str
    name_fr: str
    modes: str  # "any" | "sea" (sea and inland waterway only)
    risk_passes: str  # where delivery (the transfer of risk) takes place
    main_carriage: str  # S or B: who contracts and pays the main carriage
    insurance: str  # "" (none required), "A" or "C" (Institute Cargo Clauses the seller must buy)
    export_clearance: str  # S or B
    import_clearance: str  # S or B (duties and import VAT with it)
    loading: str  # who loads / unloads, in words
    named_place: str  # "shipment" (place or port of shipment) | "destination"

    @property
    def seller_pays_carriage(self) -> bool:
        return self.main_carriage == SELLER

    @property
    def seller_insures(self) -> bool:
        return bool(self.insurance)

    @property
    def sea_only(self) -> bool:
        return self.modes == "sea"

    @property
    def family(self) -> str:
        return self.code[0]  # E, F, C or D

    def written(self, place: str) -> str:
        """How it is printed: rule + named place + version (``CIF Montréal, Incoterms® 2020``)."""
        return f"{self.code} {place}, {VERSION}" if place else f"{self.code}, {VERSION}"

    def seller_obligations(self) -> list[str]:
        """What the chosen rule puts on the seller, in French, for the order page and documents."""
        duties = []
        if self.code == "EXW":
            duties.append("Mettre la marchandise à disposition dans ses locaux, non chargée, emballée et marquée.")
        elif self.code == "FCA":
            duties.append("Remettre la marchandise au transporteur de l'acheteur au lieu convenu "
                          "(chargée si c'est chez le vendeur).")
        elif self.code == "FAS":
            duties.append("Placer la marchandise le long du navire au port d'embarquement convenu.")
        elif self.code == "FOB":
            duties.append("Charger la marchandise à bord du navire au port d'embarquement convenu.")
        elif self.family == "C":
            duties.append("Conclure et payer le contrat de transport principal jusqu'au lieu de destination convenu.")
            duties.append("Remettre la marchandise au premier transporteur : le risque passe à l'acheteur dès "
                          "l'origine." if self.modes == "any" else
                          "Charger à bord au port d'embarquement : le risque passe à l'acheteur dès le chargement.")
        else:  # D rules
            duties.append("Conclure et payer le transport jusqu'au lieu de destination convenu, "
                          "et supporter les risques jusque-là.")
            if self.code == "DPU":
                duties.append("Décharger la marchandise au lieu de destination (seule règle où le vendeur décharge).")
            else:
                duties.append("Livrer sur le moyen de transport arrivé, prêt pour le déchargement "
                              "(l'acheteur décharge).")
        if self.insurance:
            duties.append(f"Assurer la marchandise au profit de l'acheteur : Institute Cargo Clauses "
                          f"({self.insurance}){' au minimum' if self.insurance == 'C' else ''}, "
                          "110 % du prix.")
        if self.export_clearance == SELLER:
            duties.append("Accomplir les formalités de dédouanement à l'export.")
        else:
            duties.append("Aucune formalité d'export : l'acheteur dédouane (attention à la preuve "
                          "d'exportation pour l'exonération de TVA, CGI 262 I).")
        if self.import_clearance == SELLER:
            duties.append("Dédouaner à l'import et payer droits et TVA d'import dans le pays de l'acheteur "
                          "(choix à risque : accord de la direction).")
        duties.append("Fournir la preuve de livraison et les documents de transport prévus.")
        return duties


def _rule(code, en, fr, modes, risk, carriage, insurance, export, import_, loading, place) -> Rule:
    return Rule(code, en, fr, modes, risk, carriage, insurance, export, import_, loading, place)


S, B = SELLER, BUYER
RULES: dict[str, Rule] = {r.code: r for r in (
    _rule("EXW", "Ex Works", "À l'usine", "any",
          "marchandise à disposition de l'acheteur au lieu convenu (locaux du vendeur), non chargée",
          B, "", B, B, "l'acheteur charge", "shipment"),
    _rule("FCA", "Free Carrier", "Franco transporteur", "any",
          "remise au transporteur de l'acheteur au lieu convenu (chargée si chez le vendeur)",
          B, "", S, B, "chez le vendeur : le vendeur charge ; ailleurs : l'acheteur décharge", "shipment"),
    _rule("CPT", "Carriage Paid To", "Port payé jusqu'à", "any",
          "remise au premier transporteur, à l'origine",
          S, "", S, B, "déchargement à destination : l'acheteur, sauf contrat de transport", "destination"),
    _rule("CIP", "Carriage and Insurance Paid To", "Port payé, assurance comprise, jusqu'à", "any",
          "remise au premier transporteur, à l'origine",
          S, "A", S, B, "comme CPT", "destination"),
    _rule("DAP", "Delivered at Place", "Rendu au lieu de destination", "any",
          "au lieu de destination convenu, sur le véhicule arrivé, prête à être déchargée",
          S, "", S, B, "l'acheteur décharge", "destination"),
    _rule("DPU", "Delivered at Place Unloaded", "Rendu au lieu de destination déchargé", "any",
          "au lieu de destination convenu, déchargée",
          S, "", S, B, "le vendeur décharge", "destination"),
    _rule("DDP", "Delivered Duty Paid", "Rendu droits acquittés", "any",
          "au lieu de destination convenu, prête à être déchargée, dédouanée à l'import",
          S, "", S, S, "l'acheteur décharge", "destination"),
    _rule("FAS", "Free Alongside Ship", "Franco le long du navire", "sea",
          "le long du navire au port d'embarquement convenu",
          B, "", S, B, "l'acheteur charge à bord", "shipment"),
    _rule("FOB", "Free On Board", "Franco à bord", "sea",
          "à bord du navire au port d'embarquement convenu",
          B, "", S, B, "le vendeur charge à bord", "shipment"),
    _rule("CFR", "Cost and Freight", "Coût et fret", "sea",
          "à bord du navire au port d'embarquement",
          S, "", S, B, "débarquement : l'acheteur, sauf contrat de fret", "destination"),
    _rule("CIF", "Cost, Insurance and Freight", "Coût, assurance et fret", "sea",
          "à bord du navire au port d'embarquement",
          S, "C", S, B, "comme CFR", "destination"),
)}
CODES = tuple(RULES)


def rule(code: str) -> Rule | None:
    return RULES.get((code or "").strip().upper())


def mode_error(code: str, mode: str) -> str:
    """Why ``code`` cannot be used with transport ``mode`` ("" when it fits).

    FAS, FOB, CFR and CIF are for sea and inland waterway transport only."""
    found = rule(code)
    if found is None or not found.sea_only or not mode:
        return ""
    if mode in SEA_MODES:
        return ""
    return (f"{found.code} est réservé au transport maritime ou fluvial (Incoterms® 2020) ; "
            f"en {TRANSPORT_MODES.get(mode, mode).lower()}, utilisez "
            f"{'FCA' if found.main_carriage == BUYER else 'CIP' if found.insurance else 'CPT'}.")


@dataclass
class CostSplit:
    """Who pays what on a sale under a rule: the price the seller quotes covers
    the goods plus what the rule puts on the seller (freight, insurance)."""

    rule: str
    goods: Decimal
    freight: Decimal  # main carriage, as priced by the carrier
    insurance: Decimal  # premium on 110 % of the price (CIP, CIF)
    seller_pays: Decimal  # freight and insurance the seller adds to the price
    buyer_pays: Decimal  # carriage the buyer pays its carrier on top of the price
    price: Decimal  # what the seller invoices (goods + seller_pays)


def insurance_premium(goods: Decimal, freight: Decimal) -> Decimal:
    """The cargo premium on 110 % of the CIP/CIF price (goods + freight), rounded to the cent."""
    from sim.sales.pricing import money

    insured = (Decimal(goods) + Decimal(freight)) * INSURED_SHARE_PCT / 100
    return money(insured * INSURANCE_RATE_PCT / 100)


def cost_split(code: str, goods: Decimal, freight: Decimal) -> CostSplit:
    from sim.sales.pricing import ZERO, money

    found = RULES[code]
    goods, freight = money(goods), money(freight)
    insurance = insurance_premium(goods, freight) if found.seller_insures else ZERO
    seller = (freight if found.seller_pays_carriage else ZERO) + insurance
    buyer = ZERO if found.seller_pays_carriage else freight
    return CostSplit(code, goods, freight, insurance, seller, buyer, goods + seller)


# ===== DDP: the seller pays the import duties and taxes ===================

_DUTIES_WORDS = ("droit", "douane", "dédouan", "duties", "duty", "customs", "tva import", "import vat",
                 "taxes d'import", "taxe d'import")


def is_duties_line(line) -> bool:
    """A line for the import duties and taxes: its kind says so, or a line without a product whose
    description names them (« Droits et taxes d'import », « Customs duties »)."""
    if getattr(line, "line_kind", "") == "duties":
        return True
    description = (getattr(line, "description", "") or "").lower()
    return getattr(line, "product_id", None) is None and any(word in description for word in _DUTIES_WORDS)


def ddp_duties_warning(code: str, country: str, lines) -> str:
    """Under DDP the seller clears the goods for import and pays the duties and the import VAT in the
    buyer's country (ICC 2020; domain/incoterms-2020.md): to a destination outside the EU, an order with
    no line for them sells below cost. The warning the order page shows, else ""."""
    from sim.billing.vat import EU_COUNTRIES

    if (code or "").upper() != "DDP" or not country or country.upper() in EU_COUNTRIES:
        return ""
    if any(is_duties_line(line) for line in lines):
        return ""
    return (f"DDP hors Union européenne ({country.upper()}) : nous payons les droits de douane et la TVA "
            "d'importation du pays de l'acheteur, et aucune ligne de la commande ne les chiffre. Chiffrez-les "
            "(ligne « Droits et taxes d'import ») ou proposez un autre Incoterm (DAP : l'acheteur dédouane "
            "à l'import).")
