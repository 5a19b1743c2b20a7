"""The seller, its sales reps, suppliers, carriers, customers and contacts."""
from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from faker import Faker

from seed import identifiers as ids
from seed.catalogue import CATEGORIES
from seed.geography import (
    COMPANY_SITES, FOREIGN_CITIES, FOREIGN_COUNTRY_WEIGHTS, FRENCH_CITIES, LEGAL_FORMS_ABROAD,
    PHONE_ZONE, SECTORS, STREET_PATTERNS, SURNAMES,
)
from seed.plan import (
    CarrierPlan, CompanyPlan, ContactPlan, CustomerPlan, SalesRepPlan, SupplierPlan,
)
from sim.billing.vat import vat_regime

# Numbers ARCEP reserves for fiction, per zone: nobody is called by mistake.
_FICTION_PHONE = {"1": "01 99 00", "2": "02 61 91", "3": "03 53 01", "4": "04 65 71",
                  "5": "05 36 49", "6": "06 39 98"}

REGION_WORDS = {
    "idf": ("Francilienne", "Seine", "Île-de-France"), "nord_est": ("Flandres", "Rhin", "Est"),
    "ouest": ("Loire", "Atlantique", "Armor"), "sud_est": ("Rhône", "Alpes", "Provence"),
    "sud_ouest": ("Garonne", "Aquitaine", "Occitanie"),
}

BANKS = (  # (name, bank code, BIC)
    ("BNP Paribas", "30004", "BNPAFRPPXXX"), ("Société Générale", "30003", "SOGEFRPPXXX"),
    ("LCL", "30002", "CRLYFRPPXXX"), ("CIC", "30066", "CMCIFRPPXXX"),
    ("Crédit Agricole", "18206", "AGRIFRPP882"), ("Banque Populaire", "13807", "CCBPFRPPNAN"),
)


def ascii_slug(text: str, sep: str = "-") -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(ch if ch.isalnum() else " " for ch in folded.lower()).split()
    return sep.join(words)


def fr_phone(rng: random.Random, zone: str) -> str:
    return f"{_FICTION_PHONE[zone]} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def foreign_phone(rng: random.Random, country: str) -> str:
    n = rng.randint(0, 999)
    return {
        "GB": f"+44 161 496 0{n:03d}", "IE": f"+353 1 555 {n:04d}",
        "US": f"+1 312 555 01{n % 100:02d}", "DE": f"+49 40 555 {n:04d}",
        "NL": f"+31 20 555 {n:04d}", "BE": f"+32 2 555 {n:02d} {rng.randint(0, 99):02d}",
        "IT": f"+39 02 555 {n:04d}",
    }[country]


def _fill(rng: random.Random, pattern: str) -> str:
    return "".join(str(rng.randint(0, 9)) if ch == "#" else
                   rng.choice("ABDEFGHJLNPQRSTUWXYZ") if ch == "@" else ch for ch in pattern)


class People:
    """Seeded Faker instances, one per locale, for names and streets."""

    def __init__(self, seed: int):
        self.fr = Faker("fr_FR")
        self.gb = Faker("en_GB")
        self.us = Faker("en_US")
        for fake in (self.fr, self.gb, self.us):
            fake.seed_instance(seed)

    def fr_street(self) -> str:
        """A French street address, always with a house number."""
        address = self.fr.street_address()
        if not address[:1].isdigit():
            address = f"{self.fr.random_int(1, 150)}, {address}"
        return address

    def for_country(self, country: str) -> Faker:
        return self.us if country == "US" else self.fr if country == "FR" else self.gb

    def last_name(self, rng: random.Random, country: str) -> str:
        if country in SURNAMES:
            return rng.choice(SURNAMES[country])
        return self.for_country(country).last_name()

    def street(self, rng: random.Random, country: str) -> str:
        if country == "FR":
            return self.fr_street()
        pattern = rng.choice(STREET_PATTERNS[country])
        name = self.last_name(rng, country)
        return pattern.format(n=rng.randint(1, 180), m=rng.randint(100, 900), name=name)


# ===== the seller =======================================================

TERMS_TEXT = (
    "Conditions générales de vente (extrait). Nos prix s'entendent hors taxes, franco de port en "
    "France métropolitaine. Nos factures sont payables à {terms}, par virement sur le compte indiqué "
    "sur la facture ; pas d'escompte pour paiement anticipé. Tout retard de paiement entraîne de plein "
    "droit, dès le lendemain de l'échéance, des pénalités au taux annuel de {rate} % et une indemnité "
    "forfaitaire pour frais de recouvrement de {indemnity} € (art. L441-10 du Code de commerce). "
    "Les marchandises restent notre propriété jusqu'au paiement intégral du prix (clause de réserve "
    "de propriété). Les réserves pour avarie ou manquant doivent être portées sur le bon de livraison "
    "et confirmées au transporteur par lettre recommandée dans les 3 jours (art. L133-3 du Code de "
    "commerce). Tout litige relève du tribunal de commerce de {court}."
)


# (brand, accent) colour pairs of a packaging distributor's house style: dark enough for white text.
HOUSE_COLOURS = (("#1f4e79", "#e07b00"), ("#2d6a4f", "#f4a259"), ("#7a2e2e", "#e9c46a"),
                 ("#264653", "#2a9d8f"), ("#3d348b", "#f18701"), ("#5c4033", "#7cb518"))


def make_company(rng: random.Random, people: People) -> CompanyPlan:
    postcode, city, sector, rcs_city = rng.choice(COMPANY_SITES)
    last = people.fr.last_name()
    region = rng.choice(REGION_WORDS[sector])
    name = rng.choice((f"Emballages {last}", f"{region} Emballages", f"Cartonnages {last}",
                       f"Pack'{region}", f"{last} Emballage Services", f"Embal'{region}"))
    legal_form = "SAS" if rng.random() < 0.65 else "SARL"
    capital = rng.choice((50_000, 80_000, 100_000, 150_000, 200_000) if legal_form == "SAS"
                         else (20_000, 30_000, 50_000, 75_000))
    siren = ids.siren(rng, set())
    domain = ascii_slug(name, "") + ".fr"
    bank_name, bank_code, bic = rng.choice(BANKS)
    eom_method = rng.choice(("45_then_eom", "eom_then_45"))
    penalty_rate, indemnity = Decimal("12.15"), Decimal("40.00")
    brand, accent = random.Random(f"colours:{name}").choice(HOUSE_COLOURS)
    return CompanyPlan(
        brand_colour=brand, accent_colour=accent,
        name=name, legal_form=legal_form, siren=siren, siret=siren + _nic(siren),
        vat_number=ids.french_vat(siren), capital=Decimal(capital).quantize(Decimal("0.01")),
        rcs_city=rcs_city, naf_code="46.76Z", address=people.fr_street(),
        postcode=postcode, city=city, phone=fr_phone(rng, PHONE_ZONE[sector]),
        email=f"adv@{domain}", website=f"www.{domain}", iban=ids.french_iban(rng, bank_code),
        bic=bic, bank_name=bank_name, payment_terms="30_net", eom_method=eom_method,
        penalty_rate=penalty_rate, recovery_indemnity=indemnity,
        early_payment_discount="Pas d'escompte pour paiement anticipé",
        terms_text=TERMS_TEXT.format(terms="30 jours net date de facture", rate="12,15",
                                     indemnity="40", court=rcs_city),
        max_discount_pct=Decimal("10.00"), max_credit_overrun_pct=Decimal("10.00"),
        max_payment_plan_months=3, domain=domain, sector=sector,
    )


def _nic(siren: str) -> str:
    """Head office NIC: 0001 + the Luhn key over the 14 digits."""
    from stdnum import luhn

    return "0001" + luhn.calc_check_digit(siren + "0001")


# ===== sales reps =======================================================

SECTOR_ORDER = ("idf", "nord_est", "ouest", "sud_est", "sud_ouest", "export")


def make_sales_reps(rng: random.Random, people: People, company: CompanyPlan) -> list[SalesRepPlan]:
    count = rng.choice((4, 5, 6))
    reps = []
    for k in range(count):
        sectors = SECTOR_ORDER[k::count]
        first, last = people.fr.first_name(), people.fr.last_name()
        reps.append(SalesRepPlan(
            first_name=first, last_name=last,
            email=f"{ascii_slug(first, '')}.{ascii_slug(last, '')}@{company.domain}",
            phone=fr_phone(rng, "6"), region=" / ".join(SECTORS[s] for s in sectors), sectors=sectors,
        ))
    return reps


def rep_for(reps: list[SalesRepPlan], sector: str) -> SalesRepPlan:
    for rep in reps:
        if sector in rep.sectors:
            return rep
    return reps[0]


# ===== suppliers and carriers ===========================================

_SUPPLIER_NAMES = {
    "CAR": ("Cartonnerie {last}", "Cartonnages {region}", "{last} Carton Ondulé"),
    "ADH": ("Adhésifs {last}", "{last} Adhésion Industrie", "Rubans {region}"),
    "FIL": ("Plastiques {last}", "Polyfilm {region}", "{last} Films Techniques"),
    "CAL": ("{last} Calage", "Protec'{region}", "Mousses {last}"),
    "ETI": ("Étiquettes {last}", "Etiq'{region}", "{last} Marquage"),
    "MAN": ("{last} Manutention", "Palettes {last}", "Équipements {region}"),
}
_FOREIGN_SUPPLIERS = {  # index in the supplier list -> (country, name pattern, lead time range)
    7: ("DE", "{last} Klebetechnik", (15, 21)),
    8: ("IT", "{last} Imballaggi", (21, 30)),
}


def _supplier_categories(count: int) -> list[tuple[str, ...]]:
    prefixes = [prefix for _, _, prefix, _ in CATEGORIES]
    covering = []
    for c in range(len(prefixes)):
        covering.append([s for s in range(count) if s % len(prefixes) == c] or [c % count])
    return [tuple(prefixes[c] for c in range(len(prefixes)) if s in covering[c]) for s in range(count)]


def make_suppliers(rng: random.Random, people: People, count: int) -> tuple[list[SupplierPlan], list[ContactPlan]]:
    suppliers, contacts, taken = [], [], set()
    for k, categories in enumerate(_supplier_categories(count)):
        foreign = _FOREIGN_SUPPLIERS.get(k) if count >= 9 else None
        if foreign:
            country, pattern, lead = foreign
            last = people.last_name(rng, country)
            name = pattern.format(last=last) + " " + LEGAL_FORMS_ABROAD[country]
            postcode_pattern, city = rng.choice(FOREIGN_CITIES[country])
            postcode, language = _fill(rng, postcode_pattern), "en"
            siren, vat = "", ids.foreign_vat(rng, country)
            address, phone = people.street(rng, country), foreign_phone(rng, country)
            lead_time = rng.randint(*lead)
            incoterm = "FCA" if country == "DE" else "EXW"
            email = f"orders@{ascii_slug(pattern.format(last=last), '')}.{country.lower()}"
        else:
            country, language = "FR", "fr"
            postcode, city, sector = rng.choice(FRENCH_CITIES)
            region = rng.choice(REGION_WORDS[sector])
            name = rng.choice(_SUPPLIER_NAMES[categories[0]]).format(last=people.fr.last_name(), region=region)
            siren = ids.siren(rng, taken)
            vat = ids.french_vat(siren)
            address, phone = people.fr_street(), fr_phone(rng, PHONE_ZONE[sector])
            lead_time = rng.randint(5, 12)
            incoterm = "DAP"
            email = f"commandes@{ascii_slug(name, '')}.fr"
        supplier = SupplierPlan(
            code=f"F{k + 1:03d}", name=name, siren=siren, vat_number=vat, address=address,
            postcode=postcode, city=city, country=country, language=language, email=email,
            phone=phone, lead_time_days=lead_time,
            payment_terms=rng.choice(("30_net", "45_fdm", "45_fdm", "60_net")),
            incoterm=incoterm, categories=categories,
        )
        suppliers.append(supplier)
        fake = people.for_country(country)
        first, last = fake.first_name(), people.last_name(rng, country)
        contacts.append(ContactPlan(
            customer=None, supplier=supplier, first_name=first, last_name=last,
            job_title="Sales Manager" if language == "en" else "Chargé(e) de clientèle",
            email=f"{ascii_slug(first, '')}.{ascii_slug(last, '')}@{email.split('@')[1]}",
            phone=phone, language=language, is_primary=True,
        ))
    return suppliers, contacts


_CARRIER_MODES = (
    # mode, name patterns, fr days, intl days, price per kg range, minimum charge range
    ("messagerie", ("Messageries {last}", "Trans'{region} Messagerie"), 2, 5, (0.42, 0.62), (9.5, 14.0)),
    ("express", ("{last} Express", "Flash Colis {region}"), 1, 3, (1.10, 1.60), (15.0, 22.0)),
    ("affrètement", ("Affrètement {last}", "{last} Fret Routier"), 2, 4, (0.16, 0.28), (120.0, 180.0)),
    ("international", ("{last} International", "EuroLiaisons {region}"), 3, 4, (0.80, 1.20), (35.0, 55.0)),
)


def make_carriers(rng: random.Random, people: People, count: int) -> list[CarrierPlan]:
    carriers = []
    for k in range(count):
        mode, patterns, days_fr, days_intl, price, minimum = _CARRIER_MODES[k % len(_CARRIER_MODES)]
        name = rng.choice(patterns).format(last=people.fr.last_name(),
                                           region=rng.choice(REGION_WORDS[rng.choice(SECTOR_ORDER[:5])]))
        slug = ascii_slug(name, "")
        initials = "".join(w[0] for w in ascii_slug(name, " ").split()).upper()[:2].ljust(2, "X")
        carriers.append(CarrierPlan(
            name=name, mode=mode, email=f"exploitation@{slug}.fr", phone=fr_phone(rng, rng.choice("12345")),
            transit_days_fr=days_fr, transit_days_intl=days_intl,
            price_per_kg=Decimal(str(round(rng.uniform(*price), 2))),
            min_charge=Decimal(str(round(rng.uniform(*minimum), 1))).quantize(Decimal("0.01")),
            tracking_url=f"https://suivi.{slug}.fr/colis/", tracking_prefix=initials,
        ))
    return carriers


# ===== customers ========================================================

_FR_NAME_PATTERNS = (
    "{last} Logistique", "Transports {last}", "Ateliers {last}", "{last} et Fils", "{last} Industrie",
    "Imprimerie {last}", "Domaine {last}", "Maison {last}", "{last} Distribution", "Menuiserie {last}",
    "{last} Cosmétiques", "Déménagements {last}", "Brasserie {last}", "Biscuiterie {last}",
    "{last} Mécanique", "Plasturgie {last}", "{last} Électronique", "Éditions {last}",
    "Laboratoires {last}", "{last} & {last2}", "Fromagerie {last}", "Vignobles {last}",
    "Chocolaterie {last}", "{city} Pièces Auto", "Jardinerie {last}", "{last} Textile", "{last} Négoce",
    "Librairie {last}", "{last} Équipements", "Savonnerie {last}", "{last} Boutique en ligne",
)
_FR_FORMS = (("SAS", 45), ("SARL", 33), ("SASU", 9), ("EURL", 8), ("SA", 5))
_FOREIGN_NAME_PATTERNS = {
    "GB": ("{last} Trading", "{last} & Sons", "{last} Logistics", "{last} Wines", "{last} Print",
           "{city} Components", "{last} Homeware", "{last} Supplies"),
    "IE": ("{last} Distribution", "{last} Foods", "{last} & Co", "{city} Crafts"),
    "US": ("{last} Supply", "{last} Imports", "{last} Brands", "{last} Gourmet"),
    "DE": ("{last} Logistik", "{last} Handel", "{last} Feinkost", "{last} Maschinenbau"),
    "NL": ("{last} Logistiek", "{last} Groothandel", "{last} Design", "{last} Verpakking"),
    "BE": ("{last} Trading", "{last} Distribution", "Chocolaterie {last}", "{last} Logistics"),
}
_NOTES_FR = (
    "Livraison uniquement le matin (quai fermé l'après-midi).",
    "Exige son numéro de bon de commande sur chaque facture.",
    "Prévenir le magasinier 24 h avant toute livraison.",
    "Client historique, très sensible aux délais.",
    "Demande un relevé de compte en fin de mois.",
    "Accès poids lourds difficile : privilégier la messagerie.",
)
_NOTES_EN = (
    "Prefers to be contacted by email, in English.",
    "Purchase order number must appear on every invoice.",
    "Goods-in closes at 3 pm local time.",
)
_JOBS_FR = ("Responsable achats", "Acheteuse", "Acheteur", "Gérant", "Gérante", "Responsable logistique",
            "Comptable", "Assistante de direction", "Responsable administratif et financier")
_JOBS_EN = ("Purchasing Manager", "Buyer", "Managing Director", "Logistics Manager",
            "Accounts Payable", "Office Manager")
_GDPR_B2B = "Prospection commerciale par courriel (intérêt légitime, offres professionnelles)"
_GDPR_B2C = "Envoi de la lettre d'information et d'offres promotionnelles"


def _weighted(rng: random.Random, pairs):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


def _half_up(value: float) -> int:
    return int(value + 0.5)


def make_customers(rng: random.Random, people: People, count: int, reps: list[SalesRepPlan],
                   history_start: date, sim_start: date) -> tuple[list[CustomerPlan], list[ContactPlan]]:
    abroad = _half_up(count * 0.15)
    b2c = _half_up((count - abroad) * 0.10)
    kinds = ["abroad"] * abroad + ["b2c"] * b2c + ["b2b"] * (count - abroad - b2c)
    rng.shuffle(kinds)
    customers, contacts = [], []
    taken_sirens: set[str] = set()
    taken_names: set[str] = set()
    history_days = (sim_start - history_start).days
    for index, kind in enumerate(kinds, start=1):
        if kind == "abroad":
            customer, sector = _foreign_customer(rng, people, taken_names)
        elif kind == "b2c":
            customer, sector = _private_customer(rng, people)
        else:
            customer, sector = _french_business(rng, people, taken_sirens, taken_names)
        customer.code = f"C{index:05d}"
        customer.sales_rep = rep_for(reps, sector)
        customer.vat_regime = vat_regime(customer.country, customer.vat_number, customer.kind)
        # Most customers are older than the history; some arrive during it.
        if rng.random() < (0.55 if kind == "b2c" else 0.12):
            customer.created_on = history_start + timedelta(days=rng.randint(0, max(1, history_days * 2 // 3)))
        else:
            customer.created_on = history_start - timedelta(days=rng.randint(30, 8 * 365))
        consent = rng.random() < (0.70 if kind == "b2c" else 0.90)
        if consent:
            customer.gdpr_consent = True
            customer.gdpr_purpose = _GDPR_B2C if kind == "b2c" else _GDPR_B2B
            customer.gdpr_consent_date = min(customer.created_on + timedelta(days=rng.randint(0, 20)),
                                             sim_start - timedelta(days=1))
        _consents_per_purpose(customer, kind, sim_start)
        if kind != "b2c" and rng.random() < 0.12:
            customer.notes = rng.choice(_NOTES_EN if customer.language == "en" else _NOTES_FR)
        customers.append(customer)
        contacts.extend(_contacts_for(rng, people, customer))
    return customers, contacts


def _consents_per_purpose(customer: CustomerPlan, kind: str, sim_start: date) -> None:
    """What the customer consented to, purpose by purpose (sim/communication/segments.py).

    The recorded consent names its purposes: a business's covers commercial
    offers by e-mail, sometimes also the newsletter and the event invitations
    (given later, at a trade show or by a form); a private customer's covers the
    newsletter and the offers. A few objected to any marketing (RGPD art. 21),
    some after having consented. Drawn from a generator of the customer's own
    (its code and name), so the rest of the company is what it was before."""
    rng = random.Random(f"consent:{customer.code}:{customer.name}")
    last_day = sim_start - timedelta(days=1)

    def later(day: date) -> date:
        return min(day + timedelta(days=rng.randint(0, 240)), last_day)

    given = customer.gdpr_consent_date
    if given is not None:
        customer.consent_offers_on = given
        if kind == "b2c":
            customer.consent_newsletter_on = given
            if rng.random() < 0.20:
                customer.consent_events_on = later(given)
        else:
            if rng.random() < 0.55:
                customer.consent_newsletter_on = later(given)
            if rng.random() < (0.35 if kind == "abroad" else 0.60):
                customer.consent_events_on = later(given)
        if rng.random() < 0.03:
            customer.marketing_objection_on = later(given)
    elif rng.random() < 0.25:
        start = max(customer.created_on, sim_start - timedelta(days=3 * 365))
        customer.marketing_objection_on = min(start + timedelta(days=rng.randint(0, 365)), last_day)


def _risk(rng: random.Random) -> str:
    return _weighted(rng, (("A", 55), ("B", 30), ("C", 11), ("D", 4)))


def _unique_name(rng, make, taken: set[str]) -> str:
    """A name no other customer has. The patterns run out past a couple of
    thousand customers (the ``large`` size): then the name gets a trade-register
    style suffix, as real homonymous companies do. Smaller companies never get
    there, so their names (and the seeds' determinism) are unchanged."""
    for _ in range(50):
        name = make()
        if name not in taken:
            taken.add(name)
            return name
    base = make()
    for n in range(2, 10_000):
        name = f"{base} ({n})"
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("could not find a new company name")  # pragma: no cover


def _french_business(rng, people: People, taken_sirens, taken_names) -> CustomerPlan:
    postcode, city, sector = rng.choice(FRENCH_CITIES)
    name = _unique_name(rng, lambda: rng.choice(_FR_NAME_PATTERNS).format(
        last=people.fr.last_name(), last2=people.fr.last_name(), city=city), taken_names)
    siren = ids.siren(rng, taken_sirens)
    size = _weighted(rng, (("small", 50), ("medium", 35), ("large", 15)))
    low, high, rate = {"small": (2_000, 8_000, 2.5), "medium": (8_000, 20_000, 4.5),
                       "large": (20_000, 50_000, 8.0)}[size]
    dormant = rng.random() < 0.08
    delivery, warehouse = "", None
    if rng.random() < 0.08:  # goods go to the customer's warehouse: its delivery address L1, the default
        d_postcode, d_city, _ = rng.choice([c for c in FRENCH_CITIES if c[2] == sector])
        warehouse = (f"Entrepôt de {d_city}", people.fr_street(), d_postcode, d_city)
        delivery = " — ".join((warehouse[0], warehouse[1], f"{d_postcode} {d_city}"))  # as address_text prints it
    domain = ascii_slug(name, "") + ".fr"
    return CustomerPlan(
        code="", kind="b2b", name=name, legal_form=_weighted(rng, _FR_FORMS), siren=siren,
        siret=ids.siret(rng, siren), vat_number=ids.french_vat(siren),
        address=people.fr_street(), postcode=postcode, city=city, country="FR", language="fr",
        email=f"{rng.choice(('contact', 'compta', 'achats', 'comptabilite'))}@{domain}",
        phone=fr_phone(rng, PHONE_ZONE[sector]),
        payment_terms=_weighted(rng, (("30_net", 62), ("45_fdm", 16), ("60_net", 10), ("30_fdm", 12))),
        payment_method=_weighted(rng, (("transfer", 65), ("bill", 12), ("cheque", 13), ("direct_debit", 10))),
        credit_limit=Decimal(rng.randint(low // 500, high // 500) * 500).quantize(Decimal("0.01")),
        risk_rating=_risk(rng), gdpr_consent=False, gdpr_purpose="", gdpr_consent_date=None,
        sales_rep=None, created_on=date.min, notes="", vat_regime="fr",
        discount_pct=Decimal(rng.choice({"small": (0, 0, 0, 2), "medium": (0, 2, 3, 5),
                                         "large": (5, 7.5, 10)}[size])).quantize(Decimal("0.01")),
        orders_per_year=0.0 if dormant else rate * rng.lognormvariate(0, 0.35),
        delivery_address=delivery, warehouse=warehouse,
    ), sector


def _private_customer(rng, people: People) -> CustomerPlan:
    postcode, city, sector = rng.choice(FRENCH_CITIES)
    first, last = people.fr.first_name(), people.fr.last_name()
    return CustomerPlan(
        code="", kind="b2c", name=f"{first} {last}", legal_form="", siren="", siret="", vat_number="",
        address=people.fr_street(), postcode=postcode, city=city, country="FR", language="fr",
        email=f"{ascii_slug(first, '')}.{ascii_slug(last, '')}@{people.fr.free_email_domain()}",
        phone=fr_phone(rng, "6"), payment_terms="comptant",
        payment_method=_weighted(rng, (("card", 75), ("cheque", 25))), credit_limit=Decimal("0.00"),
        risk_rating=_weighted(rng, (("A", 80), ("B", 20))), gdpr_consent=False, gdpr_purpose="",
        gdpr_consent_date=None, sales_rep=None, created_on=date.min, notes="", vat_regime="fr",
        discount_pct=Decimal("0.00"), orders_per_year=rng.uniform(0.6, 1.6), delivery_address="",
    ), sector


def _foreign_customer(rng, people: People, taken_names) -> CustomerPlan:
    country = _weighted(rng, FOREIGN_COUNTRY_WEIGHTS)
    postcode_pattern, city = rng.choice(FOREIGN_CITIES[country])
    short_city = city.split(",")[0]
    name = _unique_name(rng, lambda: rng.choice(_FOREIGN_NAME_PATTERNS[country]).format(
        last=people.last_name(rng, country), city=short_city), taken_names)
    domain = ascii_slug(name, "") + {"GB": ".co.uk", "US": ".com"}.get(country, "." + country.lower())
    return CustomerPlan(
        code="", kind="b2b", name=name, legal_form=LEGAL_FORMS_ABROAD[country], siren="", siret="",
        vat_number=ids.foreign_vat(rng, country), address=people.street(rng, country),
        postcode=_fill(rng, postcode_pattern), city=city, country=country, language="en",
        email=f"{rng.choice(('accounts', 'purchasing', 'info', 'orders'))}@{domain}",
        phone=foreign_phone(rng, country),
        payment_terms=_weighted(rng, (("30_net", 80), ("60_net", 20))), payment_method="transfer",
        credit_limit=Decimal(rng.randint(10, 60) * 500).quantize(Decimal("0.01")), risk_rating=_risk(rng),
        gdpr_consent=False, gdpr_purpose="", gdpr_consent_date=None, sales_rep=None, created_on=date.min,
        notes="", vat_regime="",
        discount_pct=Decimal(rng.choice((0, 0, 3, 5))).quantize(Decimal("0.01")),
        orders_per_year=3.0 * rng.lognormvariate(0, 0.35), delivery_address="",
    ), "export"


def _contacts_for(rng, people: People, customer: CustomerPlan) -> list[ContactPlan]:
    if customer.kind == "b2c":
        return []
    country = customer.country
    fake = people.for_country(country)
    domain = customer.email.split("@")[1]
    jobs = _JOBS_EN if customer.language == "en" else _JOBS_FR
    contacts = []
    for k in range(_weighted(rng, ((1, 45), (2, 35), (3, 20)))):
        first = fake.first_name()
        last = people.last_name(rng, country) if country != "FR" else people.fr.last_name()
        contact = ContactPlan(
            customer=customer, supplier=None, first_name=first, last_name=last, job_title=rng.choice(jobs),
            email=f"{ascii_slug(first, '')}.{ascii_slug(last, '')}@{domain}",
            phone=fr_phone(rng, "6") if country == "FR" else foreign_phone(rng, country),
            language=customer.language, is_primary=(k == 0),
        )
        contacts.append(contact)
        customer.contacts.append(contact)
    return contacts
