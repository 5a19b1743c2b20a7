"""Customer records: create and edit customers and prospects, their contacts
and delivery addresses, and log a call, a meeting or a note (all journaled).

Forms arrive as strings; each service reads them with ``sim.parsing`` and
refuses with ``ValidationFailed({field: message})`` listing every fault at once.
An edit carries the record's ``revision`` (a digest of what the form showed):
if the record moved meanwhile the edit is refused (409), and a resubmission
that changes nothing journals nothing.
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal

from sqlalchemy import func, select

from sim.billing.terms import PAYMENT_TERMS
from sim.clock import sim_date, sim_now
from sim.company.models import SalesRep
from sim.company.numbering import next_number
from sim.crm import identifiers
from sim.crm.models import (Contact, Customer, CustomerKind, CustomerStatus, DeliveryAddress, Interaction,
                            InteractionChannel, PaymentMethod, RiskRating)
from sim.db import NotFound
from sim.errors import SimError, ValidationFailed
from sim.journal import service as journal
from sim.parsing import read_amount, read_id, read_text
from sim.workspace import forms

EU_COUNTRIES = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
                "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"[0-9+().\- ]{6,30}")
_COUNTRY = re.compile(r"[A-Z]{2}")
# What moves the money: changing one of these needs a reason, journaled with it.
TERMS_FIELDS = ("payment_terms", "payment_method", "credit_limit", "risk_rating", "in_litigation")
LABELS = {
    "name": "Raison sociale / nom", "status": "Statut", "kind": "Type", "legal_form": "Forme juridique",
    "siren": "SIREN", "siret": "SIRET", "vat_number": "N° TVA", "address": "Adresse de facturation",
    "postcode": "Code postal", "city": "Ville", "country": "Pays", "language": "Langue", "email": "Courriel",
    "phone": "Téléphone", "payment_terms": "Conditions de paiement", "payment_method": "Mode de règlement",
    "credit_limit": "Plafond d'encours", "risk_rating": "Cotation risque", "in_litigation": "En litige",
    "sales_rep": "Commercial", "notes": "Notes",
    "incoterm": "Incoterm® 2020 habituel", "incoterm_place": "Lieu convenu",
}


class RecordMoved(SimError):
    status_code = 409

    def __init__(self):
        super().__init__("Cette fiche a été modifiée entre-temps (par un autre onglet ou un événement) : "
                         "rechargez la page et refaites la modification.")


def revision(obj, fields) -> str:
    """A short digest of the fields as the form shows them."""
    text = "\x1f".join(shown(getattr(obj, f)) for f in fields)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def shown(value) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if value is None:
        return ""
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def _choice(raw, key, errors, allowed, label, *, default=None):
    value = "" if raw is None else str(raw).strip()
    if not value and default is not None:
        return default
    if value not in allowed:
        errors[key] = f"{label} : choisissez dans la liste."
        return None
    return value


def _checked(raw) -> bool:
    return str(raw or "") in ("1", "on", "true")


def _email(raw, key, errors, label="Courriel"):
    value = read_text(raw, key, errors, label=label, max_length=120)
    if value and not _EMAIL.fullmatch(value):
        errors[key] = f"{label} : adresse invalide (ex. compta@exemple.fr)."
        return None
    return value


def _phone(raw, key, errors):
    value = read_text(raw, key, errors, label="Téléphone", max_length=30)
    if value and not _PHONE.fullmatch(value):
        errors[key] = "Téléphone : chiffres, espaces, +, points ou tirets (ex. 03 20 12 34 56)."
        return None
    return value


def _postal(values, errors, *, required: bool, prefix: str = "") -> dict:
    """address / postcode / city / country, checked together (a French postcode has 5 digits)."""
    out = {
        "address": read_text(values.get(prefix + "address"), prefix + "address", errors, label="Adresse",
                             max_length=200, required=required),
        "postcode": read_text(values.get(prefix + "postcode"), prefix + "postcode", errors, label="Code postal",
                              max_length=12, required=required),
        "city": read_text(values.get(prefix + "city"), prefix + "city", errors, label="Ville", max_length=80,
                          required=required),
    }
    country = read_text(values.get(prefix + "country"), prefix + "country", errors, label="Pays", max_length=2)
    country = (country or "").upper() or "FR"
    if prefix + "country" not in errors and not _COUNTRY.fullmatch(country):
        errors[prefix + "country"] = "Pays : code ISO à deux lettres (FR, BE, DE…)."
    out["country"] = country
    if country == "FR" and out["postcode"] and not re.fullmatch(r"\d{5}", out["postcode"]):
        errors[prefix + "postcode"] = "Code postal : 5 chiffres en France."
    return out


# ===== customers and prospects ===========================================

CUSTOMER_FIELDS = ("name", "status", "kind", "legal_form", "siren", "siret", "vat_number", "address", "postcode",
                   "city", "country", "language", "email", "phone", "payment_terms", "payment_method",
                   "credit_limit", "risk_rating", "in_litigation", "sales_rep_id", "incoterm", "incoterm_place",
                   "notes")


def read_customer(uow, values: dict, *, current: Customer | None = None) -> dict:
    """The customer form's fields, checked; raises ValidationFailed with every fault."""
    errors: dict[str, str] = {}
    out: dict = {
        "name": read_text(values.get("name"), "name", errors, label="Raison sociale / nom", max_length=160,
                          required=True),
        "status": _choice(values.get("status"), "status", errors, set(CustomerStatus), "Statut",
                          default=CustomerStatus.CUSTOMER),
        "kind": _choice(values.get("kind"), "kind", errors, set(CustomerKind), "Type", default=CustomerKind.B2B),
        "legal_form": read_text(values.get("legal_form"), "legal_form", errors, label="Forme juridique",
                                max_length=40),
    }
    prospect = out["status"] == CustomerStatus.PROSPECT
    out |= _postal(values, errors, required=not prospect)
    for key, length in (("siren", 20), ("siret", 30), ("vat_number", 30)):
        text = read_text(values.get(key), key, errors, label=LABELS[key], max_length=length)
        out[key] = identifiers.clean(text) if text else ""
    professional = out["kind"] == CustomerKind.B2B
    country = out["country"]
    if out["siren"] and "siren" not in errors and (message := identifiers.siren_error(out["siren"])):
        errors["siren"] = message
    elif professional and not prospect and country == "FR" and not out["siren"] and "siren" not in errors:
        errors["siren"] = "SIREN : obligatoire pour un client professionnel français (9 chiffres)."
    valid_siren = out["siren"] if "siren" not in errors else ""  # compare the others with a valid one only
    if out["siret"] and "siret" not in errors and (message := identifiers.siret_error(out["siret"], valid_siren)):
        errors["siret"] = message
    if out["vat_number"] and "vat_number" not in errors:
        if message := identifiers.vat_error(out["vat_number"], country):
            errors["vat_number"] = message
        elif country == "FR" and valid_siren and out["vat_number"][4:] != valid_siren:
            errors["vat_number"] = "N° TVA : ne correspond pas au SIREN (FR + clé + SIREN)."
    elif (professional and not prospect and country in EU_COUNTRIES - {"FR"} and not out["vat_number"]
          and "vat_number" not in errors):
        errors["vat_number"] = ("N° TVA : obligatoire pour un client professionnel de l'Union européenne "
                                "(autoliquidation de la TVA).")
    if not professional and (out["siren"] or out["siret"]) and "siren" not in errors:
        errors["siren"] = "Un particulier n'a ni SIREN ni SIRET : choisissez « Professionnel »."
    out["language"] = _choice(values.get("language"), "language", errors, {"fr", "en"}, "Langue",
                              default="fr" if country == "FR" else "en")
    out["email"] = _email(values.get("email"), "email", errors)
    out["phone"] = _phone(values.get("phone"), "phone", errors)
    terms = set(PAYMENT_TERMS) | ({current.payment_terms} if current else set())
    out["payment_terms"] = _choice(values.get("payment_terms"), "payment_terms", errors, terms,
                                   "Conditions de paiement", default="30_net")
    out["payment_method"] = _choice(values.get("payment_method"), "payment_method", errors, set(PaymentMethod),
                                    "Mode de règlement", default=PaymentMethod.TRANSFER)
    limit = read_amount(values.get("credit_limit"), "credit_limit", errors, default="0",
                        message="Plafond d'encours : montant attendu (ex. 15000,00).")
    if limit is not None and limit < 0:
        errors["credit_limit"] = "Plafond d'encours : 0 au moins."
    out["credit_limit"] = limit.quantize(Decimal("0.01")) if limit is not None else None
    out["risk_rating"] = _choice(values.get("risk_rating"), "risk_rating", errors, set(RiskRating),
                                 "Cotation risque", default=RiskRating.A)
    out["in_litigation"] = _checked(values.get("in_litigation"))
    rep = values.get("sales_rep") or ""
    out["sales_rep_id"] = None
    if str(rep).strip():
        rep_id = read_id(rep)
        if rep_id is None or uow.session.scalar(select(SalesRep.id).where(SalesRep.id == rep_id)) is None:
            errors["sales_rep"] = "Commercial : choisissez dans la liste."
        else:
            out["sales_rep_id"] = rep_id
    # the customer's usual Incoterm® 2020 (proposed on its new quotes and orders): rule + named place
    from sim.shipping.incoterms import CODES

    out["incoterm"] = _choice(values.get("incoterm"), "incoterm", errors, {"", *CODES}, "Incoterm", default="")
    out["incoterm_place"] = read_text(values.get("incoterm_place"), "incoterm_place", errors, label="Lieu convenu",
                                      max_length=80) or ""
    if out["incoterm"] and not out["incoterm_place"].strip() and "incoterm_place" not in errors:
        errors["incoterm_place"] = "Un Incoterm s'écrit avec son lieu convenu (ex. « FCA Lyon »)."
    out["notes"] = read_text(values.get("notes"), "notes", errors, label="Notes", max_length=4000, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    return out


def _rep_name(uow, rep_id) -> str:
    rep = uow.session.get(SalesRep, rep_id) if rep_id else None
    return f"{rep.first_name} {rep.last_name}" if rep else ""


def create_record(uow, *, actor: str, values: dict, form_token: str | None = None) -> Customer:
    """A new customer or prospect from the form, journaled ``customer.created``
    (its code is the next of the C series, as ``service.create_customer`` does)."""
    forms.claim(uow, form_token, "customer.create")
    fields = read_customer(uow, values)
    taken = uow.session.scalars(select(Customer.code).where(Customer.code.like("C%"))).all()
    numbers = [int(code[1:]) for code in taken if code[1:].isdigit()]
    customer = Customer(workspace_id=uow.workspace_id, code=f"C{max(numbers, default=0) + 1:05d}",
                        created_on=sim_date(uow), **fields)
    uow.add(customer)
    uow.session.flush()
    journal.append(uow, kind="customer.created", actor=actor, refs={"customer": customer.code},
                   payload={"name": customer.name, "kind": customer.kind, "country": customer.country,
                            "language": customer.language, "payment_terms": customer.payment_terms,
                            "credit_limit": customer.credit_limit, "risk_rating": customer.risk_rating,
                            "in_litigation": customer.in_litigation, "status": customer.status,
                            "siren": customer.siren, "siret": customer.siret, "vat_number": customer.vat_number,
                            "address": _address_line(customer)})
    return customer


def _address_line(o) -> str:
    return f"{o.address}, {o.postcode} {o.city}, {o.country}".strip(", ")


def requesting_message(uow, customer: Customer, message_id) -> Interaction | None:
    """The message a record update answers (the inbox's « Changement d'adresse
    de facturation »…): an e-mail received in this workspace, from this
    customer or naming no customer. ``None`` when no message is given;
    ``ValidationFailed`` for anything else (another workspace's, a message the
    company sent, another customer's, not an id)."""
    if message_id in (None, ""):
        return None
    id_ = read_id(str(message_id))
    message = uow.session.scalars(select(Interaction).where(Interaction.id == id_)).first() if id_ else None
    if (message is None or message.channel != InteractionChannel.EMAIL.value or message.direction != "in"
            or message.customer_id not in (None, customer.id)):
        raise ValidationFailed({"form": "La demande d'origine n'est pas un message reçu de ce client dans "
                                        "votre messagerie : ouvrez la fiche depuis le message."})
    return message


def update_record(uow, *, actor: str, customer_id: int, values: dict, seen_revision: str = "",
                  reason: str = "", from_message=None) -> dict[str, dict]:
    """Apply the edit form; journal ``customer.updated`` with each changed field
    ``{old, new}`` and the reason, plus ``customer.credit_limit_changed`` when
    the limit moves. Changing the terms, the method, the limit, the risk rating
    or the litigation flag needs a reason. ``from_message``: the id of the
    message that asked for the update (checked by ``requesting_message``),
    named in both entries' refs — ``message`` (its number) and ``event`` (the
    scenario event that delivered it) — so that the evaluator can score "the
    record is updated after the request". Returns the changes (empty: nothing)."""
    customer = uow.get(Customer, customer_id)
    request = requesting_message(uow, customer, from_message)
    fields = read_customer(uow, values, current=customer)
    errors: dict[str, str] = {}
    why = read_text(reason, "reason", errors, label="Motif", max_length=300)
    if errors:
        raise ValidationFailed(errors)
    changes = {f: (getattr(customer, f), v) for f, v in fields.items() if shown(getattr(customer, f)) != shown(v)}
    if not changes:
        return {}  # the same form sent twice: nothing to change, nothing to journal
    if seen_revision != revision(customer, CUSTOMER_FIELDS):
        raise RecordMoved()
    if not why and any(f in changes for f in TERMS_FIELDS):
        names = ", ".join(LABELS[f].lower() for f in TERMS_FIELDS if f in changes)
        raise ValidationFailed({"reason": f"Motif : obligatoire pour changer {names} (qui l'a demandé, pourquoi)."})
    journaled = {}
    for f, (old, new) in changes.items():
        setattr(customer, f, new)
        if f == "sales_rep_id":
            journaled["sales_rep"] = {"old": _rep_name(uow, old), "new": _rep_name(uow, new)}
        else:
            journaled[f] = {"old": shown(old), "new": shown(new)}
    uow.session.flush()
    refs = {"customer": customer.code}
    if request is not None:
        refs["message"] = request.reference
        if request.event_key:
            refs["event"] = request.event_key
    journal.append(uow, kind="customer.updated", actor=actor, refs=refs,
                   payload={"changes": journaled, "reason": why})
    if "credit_limit" in changes:
        old, new = changes["credit_limit"]
        journal.append(uow, kind="customer.credit_limit_changed", actor=actor, refs=refs,
                       payload={"old": old, "new": new, "reason": why})
    return journaled


# What a prospect's record may lack and a customer's may not: invoices print the billing address,
# the SIREN of a French business and the VAT number of an EU one (sim/billing, CGI art. 242 nonies A).
IDENTITY_FIELDS = ("address", "postcode", "city", "country", "siren", "siret", "vat_number")


class ProspectIncomplete(SimError):
    """A prospect's record lacks what a customer's must hold."""


def prospect_faults(uow, customer: Customer) -> list[str]:
    """What keeps a prospect from becoming a customer: the identity faults its record would have."""
    if customer.status != CustomerStatus.PROSPECT:
        return []
    values = {f: shown(getattr(customer, f)) for f in CUSTOMER_FIELDS} | {"status": CustomerStatus.CUSTOMER}
    values["sales_rep"] = values.pop("sales_rep_id")
    try:
        read_customer(uow, values, current=customer)
    except ValidationFailed as failed:
        return [message for key, message in failed.errors.items() if key in IDENTITY_FIELDS]
    return []


def check_prospect_can_order(uow, customer: Customer) -> None:
    if faults := prospect_faults(uow, customer):
        raise ProspectIncomplete(f"{customer.name} est encore un prospect et sa fiche est incomplète pour en faire "
                                 f"un client ({' ; '.join(faults)}) : complétez la fiche avant de confirmer sa "
                                 "première commande.")


def convert_prospect(uow, *, actor: str, customer: Customer, order_number: str) -> None:
    """A prospect's first confirmed order makes it a customer (``customer.updated``, status
    prospect → customer, the order named in the reason)."""
    if customer.status != CustomerStatus.PROSPECT:
        return
    customer.status = CustomerStatus.CUSTOMER
    journal.append(uow, kind="customer.updated", actor=actor, refs={"customer": customer.code},
                   payload={"changes": {"status": {"old": CustomerStatus.PROSPECT.value,
                                                   "new": CustomerStatus.CUSTOMER.value}},
                            "reason": f"Première commande {order_number} confirmée : le prospect devient client."})


# ===== contacts ==========================================================

CONTACT_FIELDS = ("first_name", "last_name", "job_title", "email", "phone", "language", "is_primary")


def read_contact(values: dict) -> dict:
    errors: dict[str, str] = {}
    out = {
        "first_name": read_text(values.get("first_name"), "first_name", errors, label="Prénom", max_length=60,
                                required=True),
        "last_name": read_text(values.get("last_name"), "last_name", errors, label="Nom", max_length=60,
                               required=True),
        "job_title": read_text(values.get("job_title"), "job_title", errors, label="Fonction", max_length=80),
        "email": _email(values.get("email"), "email", errors),
        "phone": _phone(values.get("phone"), "phone", errors),
        "language": _choice(values.get("language"), "language", errors, {"fr", "en"}, "Langue", default="fr"),
        "is_primary": _checked(values.get("is_primary")),
    }
    if errors:
        raise ValidationFailed(errors)
    return out


def item_of(uow, model, customer: Customer, item_id: int):
    """The customer's contact or delivery address (another customer's: not found)."""
    item = uow.get(model, item_id)
    if item.customer_id != customer.id:
        raise NotFound(f"{model.__name__} {item_id}")
    return item


def _one_primary(uow, customer: Customer, contact: Contact) -> None:
    if contact.is_primary:
        for other in uow.session.scalars(select(Contact).where(Contact.customer_id == customer.id,
                                                               Contact.id != contact.id, Contact.is_primary)):
            other.is_primary = False


def save_contact(uow, *, actor: str, customer_id: int, values: dict, item_id: int | None = None,
                 seen_revision: str = "", form_token: str | None = None) -> Contact:
    """Add a contact (``contact.added``) or edit one (``contact.updated`` with the changes)."""
    customer = uow.get(Customer, customer_id)
    contact = item_of(uow, Contact, customer, item_id) if item_id else None
    if contact is None:
        forms.claim(uow, form_token, "contact.add")
    fields = read_contact(values)
    refs = {"customer": customer.code}
    if contact is None:
        contact = Contact(workspace_id=uow.workspace_id, customer_id=customer.id, **fields)
        uow.add(contact)
        uow.session.flush()
        _one_primary(uow, customer, contact)
        journal.append(uow, kind="contact.added", actor=actor, refs=refs,
                       payload={"name": f"{contact.first_name} {contact.last_name}", "job_title": contact.job_title,
                                "email": contact.email, "phone": contact.phone, "is_primary": contact.is_primary})
        return contact
    changes = {f: {"old": shown(getattr(contact, f)), "new": shown(v)} for f, v in fields.items()
               if shown(getattr(contact, f)) != shown(v)}
    if not changes:
        return contact
    if seen_revision != revision(contact, CONTACT_FIELDS):
        raise RecordMoved()
    name = f"{contact.first_name} {contact.last_name}"
    for f, v in fields.items():
        setattr(contact, f, v)
    _one_primary(uow, customer, contact)
    uow.session.flush()
    journal.append(uow, kind="contact.updated", actor=actor, refs=refs, payload={"name": name, "changes": changes})
    return contact


# ===== delivery addresses ================================================

ADDRESS_FIELDS = ("label", "recipient", "address", "postcode", "city", "country", "instructions", "is_default",
                  "active")


def read_address(values: dict) -> dict:
    errors: dict[str, str] = {}
    out = {
        "label": read_text(values.get("label"), "label", errors, label="Libellé", max_length=60, required=True),
        "recipient": read_text(values.get("recipient"), "recipient", errors, label="Destinataire", max_length=120),
        **_postal(values, errors, required=True),
        "instructions": read_text(values.get("instructions"), "instructions", errors,
                                  label="Instructions de livraison", max_length=200),
        "is_default": _checked(values.get("is_default")),
        "active": _checked(values.get("active")),
    }
    if out["is_default"] and not out["active"]:
        errors["is_default"] = "Une adresse désactivée ne peut pas être l'adresse par défaut."
    if errors:
        raise ValidationFailed(errors)
    return out


def _one_default(uow, customer: Customer, address: DeliveryAddress) -> None:
    if address.is_default:
        for other in uow.session.scalars(select(DeliveryAddress).where(
                DeliveryAddress.customer_id == customer.id, DeliveryAddress.id != address.id,
                DeliveryAddress.is_default)):
            other.is_default = False


def save_delivery_address(uow, *, actor: str, customer_id: int, values: dict, item_id: int | None = None,
                          seen_revision: str = "", form_token: str | None = None) -> DeliveryAddress:
    """Add a delivery address (``delivery_address.added``, numbered L1, L2… per
    customer) or edit one (``delivery_address.updated`` with the changes)."""
    customer = uow.get(Customer, customer_id)
    address = item_of(uow, DeliveryAddress, customer, item_id) if item_id else None
    if address is None:
        forms.claim(uow, form_token, "delivery_address.add")
    fields = read_address(values)
    if address is None:
        number = (uow.session.scalar(select(func.max(DeliveryAddress.number))
                                     .where(DeliveryAddress.customer_id == customer.id)) or 0) + 1
        address = DeliveryAddress(workspace_id=uow.workspace_id, customer_id=customer.id, number=number, **fields)
        uow.add(address)
        uow.session.flush()
        _one_default(uow, customer, address)
        journal.append(uow, kind="delivery_address.added", actor=actor,
                       refs={"customer": customer.code, "address": f"{customer.code}-{address.key}"},
                       payload={"label": address.label, "address": _address_line(address),
                                "is_default": address.is_default})
        return address
    changes = {f: {"old": shown(getattr(address, f)), "new": shown(v)} for f, v in fields.items()
               if shown(getattr(address, f)) != shown(v)}
    if not changes:
        return address
    if seen_revision != revision(address, ADDRESS_FIELDS):
        raise RecordMoved()
    for f, v in fields.items():
        setattr(address, f, v)
    _one_default(uow, customer, address)
    uow.session.flush()
    journal.append(uow, kind="delivery_address.updated", actor=actor,
                   refs={"customer": customer.code, "address": f"{customer.code}-{address.key}"},
                   payload={"changes": changes})
    return address


def delivery_addresses(uow, customer_id: int) -> list[DeliveryAddress]:
    return list(uow.session.scalars(select(DeliveryAddress).where(DeliveryAddress.customer_id == customer_id)
                                    .order_by(DeliveryAddress.active.desc(), DeliveryAddress.is_default.desc(),
                                              DeliveryAddress.number)))


# ===== calls, meetings and notes =========================================

LOGGABLE = ("phone", "meeting", "note")  # journaled call.logged, meeting.logged, note.logged


def log_interaction(uow, *, actor: str, customer_id: int, values: dict,
                    form_token: str | None = None) -> Interaction:
    """A call, a meeting or a note written on the customer page: an
    ``Interaction`` (MSG-… number) journaled ``call.logged`` /
    ``meeting.logged`` / ``note.logged``. A call's entry is the one
    ``service.log_call`` writes, with the contact spoken to when given."""
    customer = uow.get(Customer, customer_id)
    forms.claim(uow, form_token, "interaction.log")
    errors: dict[str, str] = {}
    channel = _choice(values.get("channel"), "channel", errors, set(LOGGABLE), "Type", default="phone")
    direction = _choice(values.get("direction"), "direction", errors, {"in", "out"}, "Sens", default="out")
    subject = read_text(values.get("subject"), "subject", errors, label="Objet", max_length=200, required=True)
    text = read_text(values.get("body"), "body", errors, label="Compte rendu", max_length=4000, multiline=True,
                     required=True)
    contact = None
    raw_contact = str(values.get("contact") or "").strip()
    if raw_contact:
        contact_id = read_id(raw_contact)
        contact = uow.session.scalar(select(Contact).where(Contact.id == contact_id,
                                                           Contact.customer_id == customer.id)) if contact_id else None
        if contact is None:
            errors["contact"] = "Interlocuteur : choisissez dans la liste."
    if errors:
        raise ValidationFailed(errors)
    if channel == "note":
        direction = "out"  # a note is written here, not received
    who = f"{contact.first_name} {contact.last_name}" if contact else ""
    item = Interaction(workspace_id=uow.workspace_id, customer_id=customer.id, contact_id=contact.id if contact else None,
                       channel=channel, direction=direction, counterpart_role="customer", counterpart_name=who,
                       counterpart_email=contact.email if contact else "", language=customer.language,
                       subject=subject, body=text, sim_time=sim_now(uow), read=True,
                       reference=next_number(uow, "message", sim_date(uow)))
    uow.add(item)
    uow.session.flush()
    contact_field = {"contact": who} if who else {}
    if channel == "phone":
        journal.append(uow, kind="call.logged", actor=actor, refs={"call": item.reference, "customer": customer.code},
                       payload={"direction": direction, "subject": subject, "note": text, **contact_field})
    elif channel == "meeting":
        journal.append(uow, kind="meeting.logged", actor=actor,
                       refs={"message": item.reference, "customer": customer.code},
                       payload={"direction": direction, "subject": subject, "text": text, **contact_field})
    else:
        journal.append(uow, kind="note.logged", actor=actor, refs={"message": item.reference, "customer": customer.code},
                       payload={"subject": subject, "text": text, **contact_field})
    return item

