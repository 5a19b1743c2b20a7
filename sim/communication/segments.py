"""The target segment of a support: CRM filters, then the GDPR consent.

A segment is the customers the filters select (``matched``). An emailing goes
only to those of them who may receive it (``recipients``); every other one is
``excluded`` with the reason the candidate reads:

- the customer objected to any marketing (droit d'opposition, RGPD art. 21):
  nothing is sent, whatever consent was given before;
- no consent for the support's purpose (an offer needs the consent to
  commercial offers by e-mail, a newsletter the newsletter one, an invitation
  the events one: the CNIL's rule of one consent per purpose);
- no e-mail address (neither on the record nor for its main contact);
- in litigation, when the filter ``exclude_litigation`` is on (the default: a
  French SME does not send promotions to a customer it is in dispute with).

A public channel (website, social network, printed leaflet) sends nothing to
anyone by name: its segment describes the target, and consent does not apply.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Row, and_, case, exists, func, literal, select

from sim.crm.models import Contact, Customer, CustomerKind, CustomerStatus
from sim.communication.models import Channel, Purpose
from sim.sales.models import SalesOrder

FILTER_NAMES = ("status", "kind", "country", "language", "inactive_months", "sales_rep", "exclude_litigation")
MAX_INACTIVE_MONTHS = 60
COUNTRIES = (("", "Tous pays"), ("FR", "France"), ("abroad", "Étranger"))
CONSENT_COLUMN = {Purpose.OFFERS: "consent_offers_on", Purpose.NEWSLETTER: "consent_newsletter_on",
                  Purpose.EVENTS: "consent_events_on"}
NO_CONSENT = {Purpose.OFFERS: "pas de consentement aux offres commerciales par courriel",
              Purpose.NEWSLETTER: "pas de consentement à la lettre d'information",
              Purpose.EVENTS: "pas de consentement aux invitations à des événements"}
# orders that count as activity: not a draft that was never sent, not a cancelled one
_ACTIVE_ORDER = ("draft", "cancelled")


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (clamped to the month's end)."""
    import calendar

    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def read_filters(raw: dict) -> tuple[dict, dict[str, str]]:
    """The filters from a form or a script, checked: (filters, errors by field).

    A value refused is left out of the filters (it filters nothing), so that a
    preview of a half-typed form still shows a segment."""
    errors: dict[str, str] = {}
    filters: dict = {}

    def text(name: str) -> str:
        value = raw.get(name, "")
        return "" if value is None else str(value).strip()

    status = text("status")
    if status and status not in {s.value for s in CustomerStatus}:
        errors["status"], status = "Statut inconnu.", ""
    filters["status"] = status
    kind = text("kind")
    if kind and kind not in {k.value for k in CustomerKind}:
        errors["kind"], kind = "Type de client inconnu.", ""
    filters["kind"] = kind
    country = text("country")
    country = "abroad" if country.lower() == "abroad" else country.upper()
    if country not in ("", "abroad") and not (len(country) == 2 and country.isascii() and country.isalpha()):
        errors["country"], country = "Pays : code ISO à deux lettres (FR, GB…) ou « étranger ».", ""
    filters["country"] = country
    language = text("language")
    if language not in ("", "fr", "en"):
        errors["language"], language = "Langue : français ou anglais.", ""
    filters["language"] = language
    months = text("inactive_months")
    filters["inactive_months"] = 0
    if months and months != "0":
        if _digits(months) and len(months) <= 2 and 0 < int(months) <= MAX_INACTIVE_MONTHS:
            filters["inactive_months"] = int(months)
        else:
            errors["inactive_months"] = f"Inactivité : un nombre de mois entre 1 et {MAX_INACTIVE_MONTHS}."
    rep = text("sales_rep")
    filters["sales_rep"] = None
    if rep and rep != "None":
        if _digits(rep) and len(rep) < 10:
            filters["sales_rep"] = int(rep)
        else:
            errors["sales_rep"] = "Commercial inconnu."
    value = raw.get("exclude_litigation", True)
    if isinstance(value, bool):
        filters["exclude_litigation"] = value
    elif str(value).strip().lower() in ("", "1", "on", "true", "0", "false", "off"):
        filters["exclude_litigation"] = str(value).strip().lower() in ("", "1", "on", "true")
    else:
        errors["exclude_litigation"] = "Exclusion des litiges : oui ou non."
        filters["exclude_litigation"] = True
    return filters, errors


OBJECTION = "opposition à la prospection"
# What a segment reads of a customer: light rows, not ORM objects (3 000 of
# them at the large size: the editor's preview recomputes the segment as one types).
_READ = (Customer.id, Customer.code, Customer.name, Customer.email, Customer.in_litigation,
         Customer.marketing_objection_on, *(getattr(Customer, column) for column in CONSENT_COLUMN.values()))


@dataclass
class Exclusion:
    customer: Row  # _READ's columns
    reason: str


@dataclass
class Segment:
    filters: dict
    channel: str
    purpose: Purpose
    matched: list[Row] = field(default_factory=list)  # the customers (_READ's columns)
    recipients: list[tuple[Row, str]] = field(default_factory=list)  # (customer, e-mail address)
    excluded: list[Exclusion] = field(default_factory=list)

    @property
    def public(self) -> bool:
        return self.channel != Channel.EMAIL

    # what a preview reads, the same on a Summary
    @property
    def matched_count(self) -> int:
        return len(self.matched)

    @property
    def recipient_count(self) -> int:
        return len(self.recipients)

    @property
    def excluded_count(self) -> int:
        return len(self.excluded)

    @property
    def first_excluded(self) -> list[Exclusion]:
        return self.excluded

    def excluded_by_reason(self) -> dict[str, int]:
        """The exclusions counted by reason as journaled (an objection by its date)."""
        counts: dict[str, int] = {}
        for exclusion in self.excluded:
            key = exclusion.reason.split(" (")[0]
            counts[key] = counts.get(key, 0) + 1
        return counts

    def excluded_by_kind(self) -> dict[str, int]:
        """The same, objections counted together whatever their date: what the preview shows
        (500 objections at the large size are as many dates, a line each otherwise)."""
        counts: dict[str, int] = {}
        for reason, count in self.excluded_by_reason().items():
            key = OBJECTION if reason.startswith(OBJECTION) else reason
            counts[key] = counts.get(key, 0) + count
        return counts


def _address(customer: Customer, contacts: dict[int, str]) -> str:
    return contacts.get(customer.id) or customer.email


def consent_reason(customer: Customer, purpose: Purpose) -> str | None:
    """Why this customer may not receive an e-mail for ``purpose`` (None: they may)."""
    if customer.marketing_objection_on:
        return f"{OBJECTION} enregistrée le {customer.marketing_objection_on:%d/%m/%Y}"
    if getattr(customer, CONSENT_COLUMN[purpose]) is None:
        return NO_CONSENT[purpose]
    return None


def _selected(filters: dict, today: date) -> list:
    """The WHERE clauses of the customers the filters select (``build`` and ``summary`` alike)."""
    where = []
    if filters.get("status"):
        where.append(Customer.status == filters["status"])
    if filters.get("kind"):
        where.append(Customer.kind == filters["kind"])
    if filters.get("country") == "abroad":
        where.append(Customer.country != "FR")
    elif filters.get("country"):
        where.append(Customer.country == filters["country"])
    if filters.get("language"):
        where.append(Customer.language == filters["language"])
    if filters.get("sales_rep"):
        where.append(Customer.sales_rep_id == filters["sales_rep"])
    if filters.get("inactive_months"):  # no order since: the last one before, or none at all
        since = months_before(today, int(filters["inactive_months"]))
        where.append(~exists().where(SalesOrder.customer_id == Customer.id, SalesOrder.status.not_in(_ACTIVE_ORDER),
                                     SalesOrder.order_date >= since))
    return where


def build(uow, filters: dict, *, channel: str, purpose: Purpose, today: date) -> Segment:
    """The customers the filters select, and who among them an e-mail may reach."""
    segment = Segment(filters=filters, channel=channel, purpose=purpose)
    segment.matched = customers = list(uow.session.execute(
        select(*_READ).where(*_selected(filters, today)).order_by(Customer.code)))
    if segment.public:
        return segment
    contacts = dict(uow.session.execute(
        select(Contact.customer_id, Contact.email).where(Contact.is_primary.is_(True), Contact.email != "",
                                                         Contact.customer_id.is_not(None))).all())
    for customer in customers:
        reason = consent_reason(customer, purpose)
        address = _address(customer, contacts)
        if reason is None and not address:
            reason = NO_ADDRESS
        if reason is None and filters.get("exclude_litigation", True) and customer.in_litigation:
            reason = IN_LITIGATION
        if reason:
            segment.excluded.append(Exclusion(customer, reason))
        else:
            segment.recipients.append((customer, address))
    return segment


NO_ADDRESS, IN_LITIGATION = "pas d'adresse e-mail", "en litige avec l'entreprise"


@dataclass
class Summary:
    """A segment counted in SQL, for a preview: how many customers are selected, reached and
    set aside (by reason), and the first exclusions with their reason — not every customer
    (3 000 at the large size, the editor's preview counts them as one types). The same
    answers as ``build`` (a test compares them); publishing reads the full segment."""
    filters: dict
    channel: str
    purpose: Purpose
    matched_count: int = 0
    recipient_count: int = 0
    excluded_counts: dict[str, int] = field(default_factory=dict)  # by kind, as excluded_by_kind
    first_excluded: list[Exclusion] = field(default_factory=list)  # in code order

    public = Segment.public

    @property
    def excluded_count(self) -> int:
        return sum(self.excluded_counts.values())

    def excluded_by_kind(self) -> dict[str, int]:
        return dict(self.excluded_counts)


def summary(uow, filters: dict, *, channel: str, purpose: Purpose, today: date, shown: int) -> Summary:
    """``build``'s counts and its first ``shown`` exclusions, in two statements."""
    result = Summary(filters=filters, channel=channel, purpose=purpose)
    where = _selected(filters, today)
    if result.public:
        result.matched_count = uow.session.scalar(select(func.count(Customer.id)).where(*where)) or 0
        return result
    has_contact = exists().where(Contact.customer_id == Customer.id, Contact.is_primary.is_(True),
                                 Contact.email != "")
    litigation = filters.get("exclude_litigation", True)
    kinds = {"objection": OBJECTION, "consent": NO_CONSENT[purpose], "address": NO_ADDRESS,
             "litigation": IN_LITIGATION}
    # the reasons in build's order: an objection, then no consent, no address, a litigation
    whens = [(Customer.marketing_objection_on.is_not(None), literal("objection")),
             (getattr(Customer, CONSENT_COLUMN[purpose]).is_(None), literal("consent")),
             (and_(~has_contact, func.coalesce(Customer.email, "") == ""), literal("address"))]
    if litigation:
        whens.append((Customer.in_litigation.is_(True), literal("litigation")))
    reason = case(*whens, else_=literal("")).label("reason")
    counts = dict(uow.session.execute(select(reason, func.count()).where(*where).group_by(reason)).all())
    result.matched_count = sum(counts.values())
    result.recipient_count = counts.pop("", 0)
    result.excluded_counts = {kinds[k]: counts[k] for k in kinds if counts.get(k)}
    if result.excluded_counts and shown > 0:
        for row in uow.session.execute(select(*_READ, reason).where(*where, reason != "")
                                       .order_by(Customer.code).limit(shown)):
            text = consent_reason(row, purpose) if row.reason in ("objection", "consent") else kinds[row.reason]
            result.first_excluded.append(Exclusion(row, text))
    return result


def describe(filters: dict, reps: dict[int, str] | None = None) -> str:
    """The filters in one French line (the support's page, the journal's sentence)."""
    parts = []
    parts.append({"customer": "clients", "prospect": "prospects"}.get(filters.get("status") or "", "clients et prospects"))
    if filters.get("kind"):
        parts.append({"b2b": "professionnels", "b2c": "particuliers"}[filters["kind"]])
    if filters.get("country") == "abroad":
        parts.append("à l'étranger")
    elif filters.get("country"):
        parts.append(f"pays {filters['country']}")
    if filters.get("language"):
        parts.append({"fr": "francophones", "en": "anglophones"}[filters["language"]])
    if filters.get("inactive_months"):
        parts.append(f"sans commande depuis {filters['inactive_months']} mois")
    if filters.get("sales_rep"):
        parts.append(f"suivis par {(reps or {}).get(filters['sales_rep'], 'un commercial')}")
    if filters.get("exclude_litigation", True):
        parts.append("hors litiges")
    return ", ".join(parts)
