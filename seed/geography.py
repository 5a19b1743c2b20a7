"""Places and names the generator draws from: real French cities with their
postcode and sales sector, a few foreign cities per country, and surnames for
the countries Faker's English locales do not cover."""
from __future__ import annotations

# Sales sectors (one per sales rep, or shared when there are fewer reps).
SECTORS: dict[str, str] = {
    "idf": "Île-de-France",
    "nord_est": "Nord-Est",
    "ouest": "Grand Ouest",
    "sud_est": "Sud-Est",
    "sud_ouest": "Sud-Ouest",
    "export": "Export",
}

# First digit after 0 of a landline in each sector (numéros géographiques).
PHONE_ZONE = {"idf": "1", "ouest": "2", "nord_est": "3", "sud_est": "4", "sud_ouest": "5"}

# (postcode, city, sector). Postcodes are those of the city (or of one of its districts).
FRENCH_CITIES: tuple[tuple[str, str, str], ...] = (
    ("75011", "Paris", "idf"), ("75015", "Paris", "idf"), ("75018", "Paris", "idf"),
    ("92100", "Boulogne-Billancourt", "idf"), ("93200", "Saint-Denis", "idf"),
    ("94150", "Rungis", "idf"), ("95100", "Argenteuil", "idf"), ("77600", "Bussy-Saint-Georges", "idf"),
    ("91300", "Massy", "idf"), ("78280", "Guyancourt", "idf"), ("92230", "Gennevilliers", "idf"),
    ("59000", "Lille", "nord_est"), ("59100", "Roubaix", "nord_est"), ("62000", "Arras", "nord_est"),
    ("80000", "Amiens", "nord_est"), ("51100", "Reims", "nord_est"), ("67000", "Strasbourg", "nord_est"),
    ("68100", "Mulhouse", "nord_est"), ("57000", "Metz", "nord_est"), ("54000", "Nancy", "nord_est"),
    ("21000", "Dijon", "nord_est"), ("25000", "Besançon", "nord_est"), ("10000", "Troyes", "nord_est"),
    ("44000", "Nantes", "ouest"), ("35000", "Rennes", "ouest"), ("49000", "Angers", "ouest"),
    ("72000", "Le Mans", "ouest"), ("37000", "Tours", "ouest"), ("45000", "Orléans", "ouest"),
    ("29200", "Brest", "ouest"), ("56100", "Lorient", "ouest"), ("76000", "Rouen", "ouest"),
    ("14000", "Caen", "ouest"), ("76600", "Le Havre", "ouest"), ("85000", "La Roche-sur-Yon", "ouest"),
    ("69003", "Lyon", "sud_est"), ("69100", "Villeurbanne", "sud_est"), ("38000", "Grenoble", "sud_est"),
    ("42000", "Saint-Étienne", "sud_est"), ("13002", "Marseille", "sud_est"),
    ("13100", "Aix-en-Provence", "sud_est"), ("06200", "Nice", "sud_est"), ("83000", "Toulon", "sud_est"),
    ("84000", "Avignon", "sud_est"), ("34000", "Montpellier", "sud_est"), ("30000", "Nîmes", "sud_est"),
    ("74000", "Annecy", "sud_est"), ("63000", "Clermont-Ferrand", "sud_est"),
    ("33000", "Bordeaux", "sud_ouest"), ("33700", "Mérignac", "sud_ouest"), ("31000", "Toulouse", "sud_ouest"),
    ("31700", "Blagnac", "sud_ouest"), ("64000", "Pau", "sud_ouest"), ("64100", "Bayonne", "sud_ouest"),
    ("87000", "Limoges", "sud_ouest"), ("86000", "Poitiers", "sud_ouest"), ("17000", "La Rochelle", "sud_ouest"),
    ("16100", "Cognac", "sud_ouest"), ("24000", "Périgueux", "sud_ouest"), ("47000", "Agen", "sud_ouest"),
    ("66000", "Perpignan", "sud_ouest"), ("81000", "Albi", "sud_ouest"),
)

# Where the seller itself can be: (postcode, city, sector, greffe of its RCS).
COMPANY_SITES: tuple[tuple[str, str, str, str], ...] = (
    ("44470", "Carquefou", "ouest", "Nantes"),
    ("35135", "Chantepie", "ouest", "Rennes"),
    ("69800", "Saint-Priest", "sud_est", "Lyon"),
    ("59650", "Villeneuve-d'Ascq", "nord_est", "Lille Métropole"),
    ("33520", "Bruges", "sud_ouest", "Bordeaux"),
    ("31200", "Toulouse", "sud_ouest", "Toulouse"),
    ("37170", "Chambray-lès-Tours", "ouest", "Tours"),
    ("45770", "Saran", "ouest", "Orléans"),
    ("67400", "Illkirch-Graffenstaden", "nord_est", "Strasbourg"),
    ("21300", "Chenôve", "nord_est", "Dijon"),
)

# Foreign customers: how many in a hundred, and where.
FOREIGN_COUNTRY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("GB", 34), ("BE", 20), ("DE", 15), ("NL", 11), ("IE", 10), ("US", 10),
)

FOREIGN_CITIES: dict[str, tuple[tuple[str, str], ...]] = {
    # (postcode pattern, city); "#" = a digit, "@" = a letter (postcode inward part)
    "GB": (("M1 #@@", "Manchester"), ("B2 #@@", "Birmingham"), ("LS1 #@@", "Leeds"),
           ("BS1 #@@", "Bristol"), ("G2 #@@", "Glasgow"), ("EH1 #@@", "Edinburgh"),
           ("NG1 #@@", "Nottingham"), ("SE1 #@@", "London"), ("EC2A #@@", "London"),
           ("CB2 #@@", "Cambridge"), ("SO14 #@@", "Southampton"), ("L1 #@@", "Liverpool")),
    "IE": (("D02 @###", "Dublin"), ("D08 @###", "Dublin"), ("T12 @###", "Cork"),
           ("H91 @###", "Galway"), ("V94 @###", "Limerick")),
    "DE": (("2045#", "Hamburg"), ("8033#", "München"), ("5066#", "Köln"),
           ("6031#", "Frankfurt am Main"), ("7017#", "Stuttgart"), ("4021#", "Düsseldorf"),
           ("1011#", "Berlin")),
    "NL": (("1012 @@", "Amsterdam"), ("3011 @@", "Rotterdam"), ("3511 @@", "Utrecht"),
           ("5611 @@", "Eindhoven"), ("2511 @@", "Den Haag")),
    "BE": (("1000", "Bruxelles"), ("2000", "Antwerpen"), ("9000", "Gent"), ("4000", "Liège"),
           ("8000", "Brugge"), ("1300", "Wavre")),
    "US": (("10001", "New York, NY"), ("60601", "Chicago, IL"), ("02108", "Boston, MA"),
           ("30303", "Atlanta, GA"), ("98101", "Seattle, WA"), ("77002", "Houston, TX"),
           ("28202", "Charlotte, NC")),
}

COUNTRY_NAMES = {"GB": "United Kingdom", "IE": "Ireland", "DE": "Germany", "NL": "Netherlands",
                 "BE": "Belgium", "US": "United States", "IT": "Italia", "FR": "France"}

LEGAL_FORMS_ABROAD = {"GB": "Ltd", "IE": "Ltd", "DE": "GmbH", "NL": "B.V.", "BE": "SRL", "US": "Inc.",
                      "IT": "S.r.l."}

SURNAMES = {
    "DE": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Hoffmann", "Schulz", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Zimmermann"),
    "NL": ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser",
           "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks"),
    "BE": ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
           "Wouters", "De Smet", "Dubois", "Lambert", "Dupont", "Martens", "Leroy", "Renard"),
    "IT": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"),
}

STREET_PATTERNS = {
    "GB": ("{n} {name} Road", "{n} {name} Street", "Unit {n}, {name} Business Park",
           "{n} {name} Lane", "{n} {name} Way"),
    "IE": ("{n} {name} Street", "Unit {n}, {name} Industrial Estate", "{n} {name} Road"),
    "US": ("{n} {name} Avenue", "{n} {name} Street", "{n} {name} Boulevard, Suite {m}"),
    "DE": ("{name}straße {n}", "{name}weg {n}", "Industriestraße {n}"),
    "NL": ("{name}straat {n}", "{name}weg {n}", "Industrieweg {n}"),
    "BE": ("Rue {name} {n}", "{name}straat {n}", "Avenue {name} {n}"),
    "IT": ("Via {name} {n}", "Viale {name} {n}"),
}

FOREIGN_CITIES["IT"] = (("2012#", "Milano"), ("4012#", "Bologna"), ("1012#", "Torino"))
