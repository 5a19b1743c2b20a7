"""The trade: a B2B distributor of packaging, shipping and handling supplies.

Six categories of stocked products, each bought from the supplier(s) of that
category. Prices come from a purchase cost and a margin rate (taux de marque =
(price − cost) ÷ price) typical of the category, kept between 25 % and 55 %.
Everything sold here is taxed at the standard 20 % rate (CGI 278): there is no
reduced-rate item in a packaging catalogue.
"""
from __future__ import annotations

import math
import random
from decimal import ROUND_CEILING, Decimal

from seed.plan import ProductPlan, SupplierPlan

# (name, English name, reference prefix, margin-rate range)
CATEGORIES: tuple[tuple[str, str, str, tuple[float, float]], ...] = (
    ("Cartons et caisses", "Boxes and cases", "CAR", (0.28, 0.42)),
    ("Adhésifs et cerclage", "Tapes and strapping", "ADH", (0.34, 0.50)),
    ("Films et sacs", "Films and bags", "FIL", (0.26, 0.40)),
    ("Calage et protection", "Void fill and protection", "CAL", (0.34, 0.52)),
    ("Étiquetage et marquage", "Labelling and marking", "ETI", (0.36, 0.52)),
    ("Manutention et stockage", "Handling and storage", "MAN", (0.26, 0.38)),
)

# Per category: (name FR with {v}, name EN with {v}, unit, cost of the base variant,
# weight kg of the base variant, usual quantity per order line, variants (FR, EN, factor)).
_T = tuple
TEMPLATES: dict[str, tuple] = {
    "CAR": (
        ("Carton simple cannelure {v} (lot de 25)", "Single-wall box {v} (pack of 25)", "lot", "9.80", "3.2", (3, 30),
         _T([("200×150×100 mm", "200×150×100 mm", 0.6), ("250×200×150 mm", "250×200×150 mm", 0.8),
             ("300×200×200 mm", "300×200×200 mm", 1.0), ("400×300×250 mm", "400×300×250 mm", 1.4),
             ("500×400×300 mm", "500×400×300 mm", 1.9), ("600×400×400 mm", "600×400×400 mm", 2.5)])),
        ("Carton double cannelure {v} (lot de 20)", "Double-wall box {v} (pack of 20)", "lot", "16.50", "5.5", (2, 20),
         _T([("300×300×300 mm", "300×300×300 mm", 1.0), ("400×300×300 mm", "400×300×300 mm", 1.2),
             ("500×350×350 mm", "500×350×350 mm", 1.5), ("600×400×400 mm", "600×400×400 mm", 1.9),
             ("800×600×500 mm", "800×600×500 mm", 2.8)])),
        ("Boîte postale extra-plate {v} (lot de 50)", "Flat mailing box {v} (pack of 50)", "lot", "14.00", "4.0", (2, 20),
         _T([("format A5", "A5", 0.7), ("format A4", "A4", 1.0), ("format A3", "A3", 1.6)])),
        ("Carton d'archives dos {v} (lot de 25)", "Archive box {v} spine (pack of 25)", "lot", "21.00", "6.0", (1, 10),
         _T([("80 mm", "80 mm", 0.9), ("100 mm", "100 mm", 1.0), ("150 mm", "150 mm", 1.2)])),
        ("Caisse carton palettisable {v}", "Pallet box {v}", "u", "22.00", "9.0", (2, 12),
         _T([("1200×800×600 mm", "1200×800×600 mm", 1.0), ("1200×800×800 mm", "1200×800×800 mm", 1.25),
             ("1200×800×1000 mm", "1200×800×1000 mm", 1.5)])),
        ("Étui d'expédition {v} (lot de 10)", "Bottle shipping box {v} (pack of 10)", "lot", "18.00", "3.5", (2, 25),
         _T([("1 bouteille", "1 bottle", 0.6), ("2 bouteilles", "2 bottles", 0.8),
             ("3 bouteilles", "3 bottles", 1.0), ("6 bouteilles", "6 bottles", 1.6)])),
        ("Carton de déménagement {v} (lot de 10)", "Moving box {v} (pack of 10)", "lot", "11.00", "4.0", (2, 15),
         _T([("standard 55 l", "standard 55 l", 1.0), ("renforcé 70 l", "heavy-duty 70 l", 1.3),
             ("livres 35 l", "book 35 l", 0.8)])),
    ),
    "ADH": (
        ("Ruban adhésif PP silencieux {v} (lot de 36)", "Low-noise PP tape {v} (pack of 36)", "lot", "28.00", "9.5", (1, 12),
         _T([("48 mm × 66 m havane", "48 mm × 66 m brown", 1.0), ("48 mm × 66 m transparent", "48 mm × 66 m clear", 1.0),
             ("48 mm × 100 m havane", "48 mm × 100 m brown", 1.4), ("75 mm × 66 m havane", "75 mm × 66 m brown", 1.5)])),
        ("Ruban adhésif PVC {v} (lot de 36)", "PVC tape {v} (pack of 36)", "lot", "42.00", "11.0", (1, 8),
         _T([("48 mm × 66 m havane", "48 mm × 66 m brown", 1.0), ("48 mm × 66 m blanc", "48 mm × 66 m white", 1.0),
             ("50 mm × 100 m imprimé Fragile", "50 mm × 100 m printed Fragile", 1.6)])),
        ("Ruban kraft gommé {v} (lot de 10)", "Gummed paper tape {v} (pack of 10)", "lot", "24.00", "8.0", (1, 8),
         _T([("60 mm × 200 m", "60 mm × 200 m", 1.0), ("70 mm × 200 m renforcé", "70 mm × 200 m reinforced", 1.4)])),
        ("Dévidoir {v}", "Tape dispenser {v}", "u", "6.50", "0.6", (1, 10),
         _T([("pistolet 50 mm", "gun 50 mm", 1.0), ("pistolet 75 mm", "gun 75 mm", 1.4),
             ("de table", "tabletop", 1.8), ("silencieux professionnel", "low-noise professional", 2.2)])),
        ("Feuillard polypropylène {v}", "PP strapping {v}", "bobine", "19.00", "10.0", (1, 8),
         _T([("12 mm × 2 000 m", "12 mm × 2,000 m", 1.0), ("16 mm × 1 500 m", "16 mm × 1,500 m", 1.2),
             ("19 mm × 1 000 m", "19 mm × 1,000 m", 1.3)])),
        ("Feuillard polyester {v}", "PET strapping {v}", "bobine", "34.00", "18.0", (1, 6),
         _T([("12,5 mm × 1 800 m", "12.5 mm × 1,800 m", 1.0), ("16 mm × 1 100 m", "16 mm × 1,100 m", 1.2)])),
        ("Boucles métal pour feuillard {v} (boîte de 1 000)", "Metal strapping buckles {v} (box of 1,000)", "boîte", "18.00", "4.5", (1, 6),
         _T([("12 mm", "12 mm", 1.0), ("16 mm", "16 mm", 1.3), ("19 mm", "19 mm", 1.5)])),
        ("Tendeur manuel {v}", "Manual strapping tensioner {v}", "u", "48.00", "2.2", (1, 3),
         _T([("pour feuillard PP", "for PP strapping", 1.0), ("pour feuillard PET", "for PET strapping", 1.8)])),
        ("Dérouleur de feuillard {v}", "Strapping dispenser cart {v}", "u", "75.00", "14.0", (1, 2),
         _T([("mobile", "mobile", 1.0), ("mobile avec plateau", "mobile with tray", 1.4)])),
        ("Cutter de sécurité {v}", "Safety cutter {v}", "u", "3.20", "0.1", (2, 20),
         _T([("lame rétractable 18 mm", "18 mm retractable blade", 1.0),
             ("lame auto-rétractable", "self-retracting blade", 1.9)])),
    ),
    "FIL": (
        ("Film étirable manuel {v} (lot de 6)", "Hand stretch film {v} (pack of 6)", "lot", "36.00", "13.0", (1, 10),
         _T([("17 µm × 450 mm × 300 m transparent", "17 µm × 450 mm × 300 m clear", 1.0),
             ("23 µm × 450 mm × 270 m transparent", "23 µm × 450 mm × 270 m clear", 1.15),
             ("20 µm × 450 mm × 300 m noir", "20 µm × 450 mm × 300 m black", 1.2),
             ("pré-étiré 9 µm × 450 mm", "pre-stretched 9 µm × 450 mm", 0.95)])),
        ("Film étirable machine {v}", "Machine stretch film {v}", "rouleau", "22.00", "16.0", (2, 20),
         _T([("17 µm × 500 mm × 1 500 m", "17 µm × 500 mm × 1,500 m", 1.0),
             ("23 µm × 500 mm × 1 500 m", "23 µm × 500 mm × 1,500 m", 1.25),
             ("pré-étiré 250 % 20 µm", "pre-stretched 250% 20 µm", 1.4)])),
        ("Film à bulles {v}", "Bubble wrap {v}", "rouleau", "14.00", "3.5", (1, 15),
         _T([("50 cm × 100 m", "50 cm × 100 m", 1.0), ("100 cm × 100 m", "100 cm × 100 m", 1.9),
             ("150 cm × 50 m double couche", "150 cm × 50 m double layer", 2.1)])),
        ("Sachets zip 50 µm {v} (lot de 1 000)", "Zip bags 50 µm {v} (pack of 1,000)", "lot", "12.00", "2.5", (1, 10),
         _T([("60×80 mm", "60×80 mm", 0.5), ("100×150 mm", "100×150 mm", 1.0),
             ("160×220 mm", "160×220 mm", 1.8), ("230×320 mm", "230×320 mm", 3.0)])),
        ("Pochettes d'expédition plastique {v} (lot de 250)", "Plastic mailing bags {v} (pack of 250)", "lot", "16.00", "4.0", (1, 12),
         _T([("250×350 mm", "250×350 mm", 1.0), ("320×420 mm", "320×420 mm", 1.3),
             ("400×500 mm", "400×500 mm", 1.7), ("500×600 mm opaques", "500×600 mm opaque", 2.2)])),
        ("Housses palette {v} (rouleau de 50)", "Pallet covers {v} (roll of 50)", "rouleau", "38.00", "15.0", (1, 6),
         _T([("1200×800×1500 mm", "1200×800×1500 mm", 1.0), ("1200×1000×1800 mm", "1200×1000×1800 mm", 1.3)])),
        ("Gaine rétractable {v}", "Shrink film tubing {v}", "rouleau", "55.00", "22.0", (1, 5),
         _T([("450 mm × 50 µm", "450 mm × 50 µm", 1.0), ("600 mm × 50 µm", "600 mm × 50 µm", 1.3)])),
        ("Enveloppes à bulles {v} (lot de 100)", "Padded envelopes {v} (pack of 100)", "lot", "13.00", "3.0", (1, 12),
         _T([("150×215 mm", "150×215 mm", 0.8), ("220×340 mm", "220×340 mm", 1.0), ("300×445 mm", "300×445 mm", 1.5)])),
    ),
    "CAL": (
        ("Papier kraft de calage {v}", "Kraft void-fill paper {v}", "rouleau", "19.00", "12.0", (1, 10),
         _T([("70 g 50 cm × 300 m", "70 g 50 cm × 300 m", 1.0), ("90 g 100 cm × 250 m", "90 g 100 cm × 250 m", 1.7)])),
        ("Chips de calage {v}", "Loose fill chips {v}", "sac", "9.00", "2.4", (2, 20),
         _T([("polystyrène 400 l", "polystyrene 400 l", 1.0), ("biodégradables 400 l", "biodegradable 400 l", 1.5)])),
        ("Coussins d'air {v}", "Air cushions {v}", "rouleau", "21.00", "3.0", (1, 10),
         _T([("200×100 mm", "200×100 mm", 1.0), ("200×200 mm", "200×200 mm", 1.1),
             ("recyclés 200×100 mm", "recycled 200×100 mm", 1.2)])),
        ("Cornières carton {v} (lot de 100)", "Cardboard edge protectors {v} (pack of 100)", "lot", "24.00", "14.0", (1, 8),
         _T([("35×35×3 mm L 800 mm", "35×35×3 mm L 800 mm", 1.0), ("45×45×3 mm L 1 000 mm", "45×45×3 mm L 1,000 mm", 1.3),
             ("50×50×5 mm L 1 200 mm", "50×50×5 mm L 1,200 mm", 1.8)])),
        ("Mousse polyéthylène {v}", "PE foam roll {v}", "rouleau", "26.00", "3.5", (1, 8),
         _T([("2 mm × 1 m × 200 m", "2 mm × 1 m × 200 m", 1.0), ("5 mm × 1 m × 100 m", "5 mm × 1 m × 100 m", 1.3)])),
        ("Intercalaires carton {v} (lot de 100)", "Cardboard layer pads {v} (pack of 100)", "lot", "48.00", "40.0", (1, 5),
         _T([("1200×800 mm", "1200×800 mm", 1.0), ("1200×1000 mm", "1200×1000 mm", 1.25)])),
        ("Papier de soie {v} (rame de 480 feuilles)", "Tissue paper {v} (ream of 480 sheets)", "rame", "15.00", "5.0", (1, 10),
         _T([("blanc 50×75 cm", "white 50×75 cm", 1.0), ("kraft 50×75 cm", "kraft 50×75 cm", 1.1),
             ("couleurs assorties", "assorted colours", 1.3)])),
        ("Mousse de calage expansive {v}", "Foam-in-place kit {v}", "kit", "85.00", "7.0", (1, 3),
         _T([("20 sachets", "20 bags", 1.0), ("50 sachets", "50 bags", 2.2)])),
        ("Coins de protection plastique {v} (lot de 500)", "Plastic corner protectors {v} (pack of 500)", "lot", "19.00", "3.0", (1, 6),
         _T([("25 mm", "25 mm", 1.0), ("35 mm", "35 mm", 1.3)])),
        ("Papier kraft froissé {v}", "Crumpled kraft paper {v}", "carton", "32.00", "15.0", (1, 6),
         _T([("carton distributeur 450 m", "450 m dispenser box", 1.0),
             ("distributeur et 2 cartons", "dispenser and 2 boxes", 2.6)])),
        ("Plaques de mousse PU {v} (lot de 10)", "PU foam sheets {v} (pack of 10)", "lot", "22.00", "2.0", (1, 6),
         _T([("20 mm", "20 mm", 1.0), ("30 mm", "30 mm", 1.4), ("50 mm", "50 mm", 2.0)])),
    ),
    "ETI": (
        ("Étiquettes thermiques {v}", "Direct thermal labels {v}", "rouleau", "6.50", "0.6", (4, 40),
         _T([("100×150 mm (500 étiquettes)", "100×150 mm (500 labels)", 1.0),
             ("100×50 mm (1 000 étiquettes)", "100×50 mm (1,000 labels)", 0.8),
             ("57×32 mm (1 000 étiquettes)", "57×32 mm (1,000 labels)", 0.55),
             ("102×210 mm (250 étiquettes)", "102×210 mm (250 labels)", 0.9)])),
        ("Pochettes porte-documents {v} (lot de 1 000)", "Packing-list envelopes {v} (pack of 1,000)", "lot", "22.00", "5.0", (1, 6),
         _T([("C6 « Documents ci-inclus »", "C6 printed 'Documents enclosed'", 1.0), ("C5 neutres", "C5 plain", 1.3),
             ("DL neutres", "DL plain", 0.85)])),
        ("Étiquettes de signalisation {v} (rouleau de 500)", "Warning labels {v} (roll of 500)", "rouleau", "7.50", "0.7", (2, 15),
         _T([("« Fragile »", "'Fragile'", 1.0), ("« Haut »", "'This way up'", 1.0),
             ("« Attention verre »", "'Glass – handle with care'", 1.0), ("« Ne pas gerber »", "'Do not stack'", 1.0)])),
        ("Marqueurs permanents {v} (boîte de 12)", "Permanent markers {v} (box of 12)", "boîte", "7.80", "0.2", (1, 10),
         _T([("noirs pointe ogive", "black bullet tip", 1.0), ("noirs pointe biseau", "black chisel tip", 1.0),
             ("couleurs assorties", "assorted colours", 1.1)])),
        ("Rubans transfert thermique {v} (lot de 10)", "Thermal transfer ribbons {v} (pack of 10)", "lot", "29.00", "2.4", (1, 6),
         _T([("cire 110 mm × 300 m", "wax 110 mm × 300 m", 1.0), ("cire-résine 110 mm × 300 m", "wax-resin 110 mm × 300 m", 1.5)])),
        ("Imprimante d'étiquettes thermique {v}", "Thermal label printer {v}", "u", "245.00", "2.6", (1, 2),
         _T([("4 pouces USB", "4-inch USB", 1.0), ("4 pouces USB et Ethernet", "4-inch USB and Ethernet", 1.35),
             ("industrielle 203 dpi", "industrial 203 dpi", 3.1)])),
        ("Pistolet étiqueteur {v}", "Price labeller {v}", "u", "24.00", "0.4", (1, 4),
         _T([("1 ligne", "1 line", 1.0), ("2 lignes", "2 lines", 1.4)])),
        ("Étiquettes adresse A4 {v} (boîte de 100 feuilles)", "A4 address labels {v} (box of 100 sheets)", "boîte", "14.00", "2.2", (1, 8),
         _T([("21 par feuille 70×42,3 mm", "21 per sheet 70×42.3 mm", 1.0), ("8 par feuille 105×74 mm", "8 per sheet 105×74 mm", 1.02),
             ("1 par feuille 210×297 mm", "1 per sheet 210×297 mm", 1.05)])),
        ("Guide pratique du marquage des colis : {v} (livre)", "Parcel marking handbook: {v} (book)", "u", "19.50",
         "0.5", (1, 3),
         _T([("matières dangereuses ADR", "dangerous goods (ADR)", 1.0), ("export et douane", "export and customs", 0.9),
             ("Incoterms 2020 expliqués", "Incoterms 2020 explained", 0.8)])),
        ("Lecteur code-barres {v}", "Barcode scanner {v}", "u", "68.00", "0.3", (1, 3),
         _T([("filaire", "wired", 1.0), ("sans fil", "wireless", 1.7)])),
    ),
    "MAN": (
        ("Palette bois {v}", "Wooden pallet {v}", "u", "9.50", "25.0", (5, 40),
         _T([("EPAL 1200×800 mm reconditionnée", "EPAL 1200×800 mm refurbished", 0.8),
             ("EPAL 1200×800 mm neuve", "EPAL 1200×800 mm new", 1.0), ("perdue 1200×1000 mm", "one-way 1200×1000 mm", 0.9)])),
        ("Palette plastique {v}", "Plastic pallet {v}", "u", "42.00", "15.0", (2, 20),
         _T([("1200×800 mm légère", "1200×800 mm light", 1.0), ("1200×1000 mm renforcée", "1200×1000 mm reinforced", 1.8)])),
        ("Transpalette manuel {v}", "Hand pallet truck {v}", "u", "210.00", "65.0", (1, 2),
         _T([("2 500 kg fourches 1 150 mm", "2,500 kg 1,150 mm forks", 1.0), ("2 500 kg galets tandem", "2,500 kg tandem rollers", 1.15),
             ("peseur 2 000 kg", "weighing scale 2,000 kg", 3.2)])),
        ("Diable {v}", "Sack truck {v}", "u", "48.00", "14.0", (1, 3),
         _T([("acier 250 kg", "steel 250 kg", 1.0), ("pliant aluminium 150 kg", "folding aluminium 150 kg", 1.5),
             ("monte-escaliers 200 kg", "stair climber 200 kg", 3.0)])),
        ("Bac à bec {v}", "Picking bin {v}", "u", "2.10", "0.3", (10, 100),
         _T([("taille 2 (3 l)", "size 2 (3 l)", 0.6), ("taille 4 (9 l)", "size 4 (9 l)", 1.0), ("taille 6 (30 l)", "size 6 (30 l)", 2.4)])),
        ("Caisse plastique gerbable {v}", "Stackable plastic crate {v}", "u", "6.80", "1.4", (5, 50),
         _T([("600×400×220 mm", "600×400×220 mm", 1.0), ("600×400×320 mm", "600×400×320 mm", 1.3),
             ("600×400×420 mm", "600×400×420 mm", 1.6)])),
        ("Rayonnage métallique {v}", "Steel shelving unit {v}", "u", "62.00", "38.0", (1, 6),
         _T([("5 tablettes 1800×900×400 mm", "5 shelves 1800×900×400 mm", 1.0),
             ("5 tablettes 2000×1200×500 mm", "5 shelves 2000×1200×500 mm", 1.5)])),
        ("Chariot de préparation {v}", "Order picking trolley {v}", "u", "115.00", "28.0", (1, 3),
         _T([("2 plateaux", "2 shelves", 1.0), ("3 plateaux", "3 shelves", 1.3)])),
        ("Table d'emballage {v}", "Packing table {v}", "u", "320.00", "55.0", (1, 2),
         _T([("1 600 mm", "1,600 mm", 1.0), ("2 000 mm avec dérouleur", "2,000 mm with roll holder", 1.4)])),
        ("Gants de manutention {v} (lot de 12 paires)", "Handling gloves {v} (pack of 12 pairs)", "lot", "14.00", "0.9", (1, 10),
         _T([("enduits nitrile T9", "nitrile-coated size 9", 1.0), ("anti-coupure T9", "cut-resistant size 9", 2.3)])),
    ),
}

DESCRIPTIONS = {
    "CAR": "Carton ondulé recyclable, livré à plat. Norme de résistance indiquée sur chaque lot.",
    "ADH": "Consommable de fermeture et de cerclage pour colis et palettes.",
    "FIL": "Film et sachets polyéthylène pour la protection et l'expédition.",
    "CAL": "Produit de calage pour protéger les marchandises pendant le transport.",
    "ETI": "Identification et traçabilité des colis, compatible avec les transporteurs.",
    "MAN": "Matériel de manutention et de stockage pour entrepôt et atelier.",
}

VAT_STANDARD = Decimal("20.00")
# Books are taxed at the reduced rate (CGI art. 278-0 bis, domain/payment-and-invoicing.md §7):
# the handbooks of the labelling range carry 5.5 %, everything else 20 %.
VAT_REDUCED = {"Guide pratique du marquage des colis : {v} (livre)": Decimal("5.50")}


def _ceil_to(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def _price(cost: Decimal, margin: float) -> Decimal:
    """Sale price HT from cost and margin rate, rounded up to a clean figure."""
    raw = cost / Decimal(str(round(1 - margin, 4)))
    step = Decimal("0.01") if raw < 10 else Decimal("0.10") if raw < 100 else Decimal("1.00")
    return _ceil_to(raw, step).quantize(Decimal("0.01"))


def suppliers_by_category(suppliers: list[SupplierPlan]) -> dict[str, list[SupplierPlan]]:
    result: dict[str, list[SupplierPlan]] = {prefix: [] for _, _, prefix, _ in CATEGORIES}
    for supplier in suppliers:
        for prefix in supplier.categories:
            result[prefix].append(supplier)
    return result


def build_catalogue(rng: random.Random, count: int, suppliers: list[SupplierPlan]) -> list[ProductPlan]:
    """``count`` products spread evenly over the categories (round robin)."""
    per_category: list[list[tuple]] = []
    for _, _, prefix, _ in CATEGORIES:
        items = [(template, variant) for template in TEMPLATES[prefix] for variant in template[6]]
        rng.shuffle(items)
        per_category.append(items)
    capacity = sum(len(items) for items in per_category)
    if count > capacity:
        raise ValueError(f"the catalogue has {capacity} products at most")

    picked: list[list[tuple]] = [[] for _ in CATEGORIES]
    index = 0
    while sum(len(p) for p in picked) < count:
        cat = index % len(CATEGORIES)
        position = len(picked[cat])
        if position < len(per_category[cat]):
            picked[cat].append(per_category[cat][position])
        index += 1

    sources = suppliers_by_category(suppliers)
    products: list[ProductPlan] = []
    for cat, (name_fr, name_en, prefix, margins) in enumerate(CATEGORIES):
        # Products of one template stay together, smaller sizes first.
        items = sorted(picked[cat], key=lambda item: (TEMPLATES[prefix].index(item[0]), item[1][2]))
        for number, (template, variant) in enumerate(items, start=1):
            label_fr, label_en, unit, cost, weight, qty_range, _ = template
            v_fr, v_en, factor = variant
            supplier = sources[prefix][(number - 1) % len(sources[prefix])]
            jitter = Decimal(str(round(rng.uniform(0.94, 1.06), 3)))
            purchase_cost = (Decimal(cost) * Decimal(str(factor)) * jitter).quantize(Decimal("0.01"))
            margin = rng.uniform(*margins)
            price = _price(purchase_cost, margin)
            low, high = qty_range
            products.append(ProductPlan(
                reference=f"{prefix}-{number:04d}",
                name=label_fr.format(v=v_fr), name_en=label_en.format(v=v_en),
                category=name_fr, description=DESCRIPTIONS[prefix], unit=unit,
                price_ht=price, purchase_cost=purchase_cost, vat_rate=VAT_REDUCED.get(label_fr, VAT_STANDARD),
                weight_kg=(Decimal(weight) * Decimal(str(factor))).quantize(Decimal("0.001")),
                supplier=supplier, lead_time_days=supplier.lead_time_days,
                popularity=rng.lognormvariate(0, 0.9) * (1.6 if high >= 10 else 1.0),
                quantity_range=(low, max(low, high)),
            ))
    return products


def order_quantity(rng: random.Random, product: ProductPlan, small_buyer: bool) -> int:
    low, high = product.quantity_range
    if small_buyer:
        return rng.randint(1, max(1, min(3, high)))
    # Skewed towards the low end: most orders are replenishments of a few lots.
    return max(low, min(high, int(low + (high - low + 1) * rng.random() ** 1.3)))


def ceil_int(value: float) -> int:
    return int(math.ceil(value - 1e-9))
