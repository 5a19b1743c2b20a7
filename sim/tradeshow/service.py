"""The stand: visitors arrive, the candidate welcomes them, answers their questions and
fills a contact form that makes a prospect in the CRM, consent recorded, handed over to a rep.

Each question a visitor asks is about a fact of the catalogue (``price``, ``availability``,
``lead_time`` of a product reference); the catalogue's answer is read when the question is
asked and kept with the question, so that the candidate's answer is checked against what was
true at that moment (``trade_show.visitor_answered`` says whether it was reliable)."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

from sqlalchemy import select

from sim.clock import sim_date, sim_now
from sim.communication.consents import consent_revision, record_consents
from sim.communication.models import Purpose
from sim.company.models import SalesRep
from sim.crm.models import CustomerStatus, Interaction
from sim.crm.records import _EMAIL, _PHONE
from sim.crm.service import create_customer
from sim.errors import SimError, ValidationFailed
from sim.journal import service as journal
from sim.parsing import read_id, read_text
from sim.purchasing.service import read_day
from sim.stock.models import Product
from sim.tradeshow.models import Visitor, VisitorLine, VisitorStatus

FACTS = ("price", "availability", "lead_time")
FOLLOW_UPS = {"call": "Rappel téléphonique", "meeting": "Rendez-vous", "quote": "Envoi d'un devis",
              "documentation": "Envoi de documentation"}
RETENTION_MONTHS = (12, 24, 36)  # CNIL: 3 years at most after the last contact for a prospect


class NotNow(SimError):
    status_code = 409


# ===== arrival ===========================================================

def arrive(uow, *, actor: str, key: str, event_key: str, spec: dict) -> Visitor:
    """A visitor at the stand (``trade_show.visitor_arrived``)."""
    profile = spec.get("profile") or {}
    if isinstance(profile, str):  # trade_show_day's short form: "responsable achats, 40 M€ de CA"
        profile = {"role": profile}
    visitor = Visitor(workspace_id=uow.workspace_id, key=key, event_key=event_key, name=spec["name"],
                      company=spec["company"], language=spec.get("language", "fr"), role=profile.get("role", ""),
                      company_size=profile.get("size", ""), sector=profile.get("sector", ""),
                      need=spec.get("need") or spec.get("interest") or "", facts=list(spec.get("facts") or []),
                      arrived_at=sim_now(uow))
    uow.add(visitor)
    uow.session.flush()
    journal.append(uow, kind="trade_show.visitor_arrived", actor=actor, refs={"visitor": key, "event": event_key},
                   payload={"name": visitor.name, "company": visitor.company, "language": visitor.language,
                            "need": visitor.need, "facts": visitor.facts})
    return visitor


# ===== facts =============================================================

def resolve(uow, fact: dict) -> dict:
    """What the catalogue says now: ``{"ask", "product", "value"}`` (value a string:
    the price HT, the available quantity, the lead time in days)."""
    product = uow.session.scalars(select(Product).where(Product.reference == fact["product"])).first()
    if product is None:
        return {"ask": fact["ask"], "product": fact["product"], "value": ""}
    value = {"price": product.price_ht, "availability": product.stock_available,
             "lead_time": product.lead_time_days}[fact["ask"]]
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.01")) if fact["ask"] == "price" else value.normalize()
    return {"ask": fact["ask"], "product": product.reference, "value": f"{value:f}" if isinstance(value, Decimal)
            else str(value), "name": product.name_en if product.name_en else product.name}


_NUMBER = re.compile(r"\d[\d\s\u00a0\u202f.,]*")


def numbers_in(text: str) -> list[Decimal]:
    """Every number the text holds, read tolerantly: "36,50 €", "36.50", "1 200", "1,200.50"."""
    found = []
    for raw in _NUMBER.findall(text or ""):
        raw = re.sub(r"[\s\u00a0\u202f]", "", raw).rstrip(".,")
        if "," in raw and "." in raw:  # 1,200.50 or 1.200,50: the last one is the decimal mark
            raw = raw.replace(",", "") if raw.rfind(".") > raw.rfind(",") else raw.replace(".", "").replace(",", ".")
        elif "," in raw:
            raw = raw.replace(",", ".")  # French decimal comma
        try:
            found.append(Decimal(raw))
        except InvalidOperation:
            continue
    return found


def reliable(answer: str, expected: dict) -> bool:
    """The answer names the catalogue's figure (as a number, any writing)."""
    if not expected.get("value"):
        return False
    target = Decimal(expected["value"])
    return any(n == target for n in numbers_in(answer))


# ===== the dialogue ======================================================

_LINES = {
    "fr": {"open": "Bonjour, {name}, {role} chez {company}{size}. {need}",
           "price": "Quel est le prix de « {product} » ({ref}) ?",
           "availability": "Combien de « {product} » ({ref}) avez-vous en stock, disponibles tout de suite ?",
           "lead_time": "Et si je commande « {product} » ({ref}), quel est le délai de livraison ?",
           "close": "Merci, c'est très clair. Je vous laisse mes coordonnées ?"},
    "en": {"open": "Hello, I'm {name}, {role} at {company}{size}. {need}",
           "price": "What is the price of \"{product}\" ({ref})?",
           "availability": "How many \"{product}\" ({ref}) do you have in stock, available right now?",
           "lead_time": "And if I order \"{product}\" ({ref}), what is the delivery lead time?",
           "close": "Thank you, that's very clear. Shall I leave you my details?"},
}


def opening(visitor: Visitor) -> str:
    lines = _LINES[visitor.language]
    size = f" ({visitor.company_size})" if visitor.company_size else ""
    need = visitor.need
    if need:
        need = (f"Je cherche : {need}." if visitor.language == "fr" else f"I'm looking for: {need}.")
    return lines["open"].format(name=visitor.name, role=visitor.role or "—", company=visitor.company,
                                size=size, need=need).strip()


def _locked(uow, visitor_id) -> Visitor:
    uow.get(Visitor, visitor_id)  # NotFound outside this workspace
    return uow.session.scalars(select(Visitor).where(Visitor.id == visitor_id).with_for_update()
                               .execution_options(populate_existing=True)).one()


def _say(uow, visitor: Visitor, speaker: str, text: str, *, fact=None, expected=None) -> VisitorLine:
    line = VisitorLine(workspace_id=uow.workspace_id, visitor_id=visitor.id, speaker=speaker, text=text, fact=fact,
                       expected=expected or {}, said_at=sim_now(uow))
    uow.add(line)
    return line


def _ask_next(uow, visitor: Visitor) -> None:
    if visitor.step < len(visitor.facts):
        fact = visitor.facts[visitor.step]
        expected = resolve(uow, fact)
        text = _LINES[visitor.language][fact["ask"]].format(product=expected.get("name", fact["product"]),
                                                            ref=fact["product"])
        _say(uow, visitor, "visitor", text, fact=visitor.step, expected=expected)
    else:
        _say(uow, visitor, "visitor", _LINES[visitor.language]["close"])


def lines(uow, visitor_id: int) -> list[VisitorLine]:
    visitor = uow.get(Visitor, visitor_id)
    return list(uow.session.scalars(select(VisitorLine).where(VisitorLine.visitor_id == visitor.id)
                                    .order_by(VisitorLine.id)))


def welcome(uow, *, actor: str, visitor_id: int, live: bool = False) -> Visitor:
    """The candidate welcomes a waiting visitor: the visitor's opening line and first question
    (none when the evaluator plays the visitor live). ``trade_show.visitor_welcomed``."""
    visitor = _locked(uow, visitor_id)
    if visitor.status != VisitorStatus.WAITING:
        raise NotNow("Ce visiteur est déjà accueilli.")
    visitor.status = VisitorStatus.WELCOMING
    visitor.live = live
    if not live:
        _say(uow, visitor, "visitor", opening(visitor))
        _ask_next(uow, visitor)
    uow.session.flush()
    journal.append(uow, kind="trade_show.visitor_welcomed", actor=actor, refs={"visitor": visitor.key},
                   payload={"language": visitor.language, "live": live})
    return visitor


def answer(uow, *, actor: str, visitor_id: int, text: str) -> VisitorLine:
    """The candidate's answer to the visitor's last line; a question about a fact is checked
    against the catalogue's figure of the moment it was asked (``trade_show.visitor_answered``)."""
    errors: dict[str, str] = {}
    said = read_text(text, "answer", errors, label="Réponse", max_length=2000, required=True, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    visitor = _locked(uow, visitor_id)
    if visitor.status != VisitorStatus.WELCOMING:
        raise NotNow("Accueillez d'abord ce visiteur (ou il est déjà reparti).")
    asked = uow.session.scalars(select(VisitorLine).where(VisitorLine.visitor_id == visitor.id,
                                                          VisitorLine.speaker == "visitor")
                                .order_by(VisitorLine.id.desc())).first()
    line = _say(uow, visitor, "candidate", said)
    from sim.writing.language import detect

    payload = {"text": said, "question": asked.text if asked else "", "fact": "", "product": "", "expected": "",
               "reliable": None, "detected_language": detect(said)}
    if asked is not None and asked.fact is not None and asked.fact == visitor.step:
        payload |= {"fact": asked.expected["ask"], "product": asked.expected["product"],
                    "expected": asked.expected["value"], "reliable": reliable(said, asked.expected)}
        visitor.step += 1
        _ask_next(uow, visitor)
    uow.session.flush()
    journal.append(uow, kind="trade_show.visitor_answered", actor=actor, refs={"visitor": visitor.key},
                   payload=payload)
    return line


def visitor_says(uow, *, actor: str, visitor_id: int, text: str) -> VisitorLine:
    """The evaluator, playing the visitor live, says a line (``trade_show.visitor_line``)."""
    errors: dict[str, str] = {}
    said = read_text(text, "line", errors, label="Réplique", max_length=2000, required=True, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    visitor = _locked(uow, visitor_id)
    if visitor.status != VisitorStatus.WELCOMING:
        raise NotNow("Le visiteur n'est pas en cours d'accueil.")
    if not visitor.live:
        raise NotNow("Ce visiteur suit le script du scénario : l'évaluateur ne joue que les visiteurs accueillis "
                     "en mode direct (« l'évaluateur joue le visiteur »).")
    line = _say(uow, visitor, "visitor", said)
    uow.session.flush()
    journal.append(uow, kind="trade_show.visitor_line", actor=actor, refs={"visitor": visitor.key},
                   payload={"text": said})
    return line


# ===== the contact form ==================================================

CONTACT_LABELS = {"first_name": "Prénom", "last_name": "Nom", "company": "Société", "job_title": "Fonction",
                  "email": "Courriel", "phone": "Téléphone", "need": "Besoin exprimé",
                  "products": "Produit(s) conseillé(s)", "documentation": "Documentation remise",
                  "follow_up": "Suite à donner", "follow_up_on": "Date de la suite", "sales_rep": "Commercial",
                  "consent": "Consentement", "retention_months": "Durée de conservation",
                  "language": "Langue", "country": "Pays"}


def read_contact(uow, values: dict) -> dict:
    errors: dict[str, str] = {}
    out = {}
    for key, length, required in (("first_name", 60, True), ("last_name", 60, True), ("company", 160, True),
                                  ("job_title", 120, False), ("email", 120, False), ("phone", 30, False),
                                  ("documentation", 300, False)):
        out[key] = read_text(values.get(key), key, errors, label=CONTACT_LABELS[key], max_length=length,
                             required=required) or ""
    out["need"] = read_text(values.get("need"), "need", errors, label=CONTACT_LABELS["need"], max_length=2000,
                            required=True, multiline=True) or ""
    if out["email"] and not _EMAIL.fullmatch(out["email"]) and "email" not in errors:
        errors["email"] = "Courriel : adresse invalide (nom@domaine.fr)."
    if out["phone"] and not _PHONE.fullmatch(out["phone"]) and "phone" not in errors:
        errors["phone"] = "Téléphone : chiffres, espaces, + . - ( ) seulement."
    if not out["email"] and not out["phone"] and "email" not in errors:
        errors["email"] = "Courriel ou téléphone : au moins un moyen de recontacter le visiteur."
    language = str(values.get("language") or "").strip()
    if language not in ("fr", "en"):
        errors["language"] = "Langue : choisissez dans la liste."
    out["language"] = language
    country = str(values.get("country") or "FR").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        errors["country"] = "Pays : code à deux lettres (FR, DE, GB…)."
    out["country"] = country
    products = values.get("products") or []
    products = [products] if isinstance(products, str) else list(products)
    known = set(uow.session.scalars(select(Product.reference)))
    out["products"] = [str(p).strip() for p in products if str(p).strip()]
    if any(p not in known for p in out["products"]):
        errors["products"] = "Produit(s) conseillé(s) : choisissez dans le catalogue."
    follow_up = str(values.get("follow_up") or "").strip()
    if follow_up not in FOLLOW_UPS:
        errors["follow_up"] = "Suite à donner : choisissez dans la liste."
    out["follow_up"] = follow_up
    out["follow_up_on"] = read_day(values.get("follow_up_on"), "follow_up_on", errors, sim_date(uow),
                                   label=CONTACT_LABELS["follow_up_on"])
    rep_id = read_id(values.get("sales_rep"))
    rep = uow.session.scalars(select(SalesRep).where(SalesRep.id == rep_id)).first() if rep_id else None
    if rep is None:
        errors["sales_rep"] = "Commercial : choisissez à qui passer le contact."
    out["sales_rep"] = rep
    consent = values.get("consent") or []
    consent = {consent} if isinstance(consent, str) else set(consent)
    if consent - {p.value for p in Purpose}:
        errors["consent"] = "Consentement : finalité inconnue."
    out["consent"] = consent
    retention = str(values.get("retention_months") or "").strip()
    if consent and retention not in {str(m) for m in RETENTION_MONTHS}:
        errors["retention_months"] = "Durée de conservation : choisissez-la (12, 24 ou 36 mois au plus)."
    out["retention_months"] = int(retention) if retention.isdigit() else None
    if errors:
        raise ValidationFailed(errors)
    return out


# ----- what the form is checked against: the visitor's scripted profile ------

# words that do not tell two names apart (articles, prepositions, legal forms)
_FILLERS = {"de", "des", "du", "la", "le", "les", "l", "d", "et", "the", "of", "and", "for", "a", "an", "pour",
            "sarl", "sas", "sasu", "sa", "eurl", "sci", "gmbh", "ag", "kg", "ltd", "limited", "inc", "llc", "plc",
            "bv", "nv", "srl", "spa", "co", "cie"}


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return [w for w in re.split(r"[^a-z0-9]+", plain) if w and w not in _FILLERS]


def same_name(written: str, scripted: str) -> bool:
    """Two writings of one name or company: the same words once case, accents, punctuation, articles and
    legal forms are set aside (« Logis-Transport SARL » = « logis transport »), or nearly the same letters
    (one typo in a long name)."""
    a, b = _words(written), _words(scripted)
    if not a or not b:
        return False
    if sorted(a) == sorted(b):
        return True
    return SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() >= 0.9


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _words(text) if len(w) >= 4}


def need_matches(written: str, scripted: str) -> bool:
    """The need noted shares a significant word with the visitor's (its first five letters: « carton » and
    « cartons », « recyclé » and « recyclés »)."""
    return bool(_stems(written) & _stems(scripted))


def mismatches(visitor: Visitor, fields: dict) -> list[str]:
    """The form's fields that disagree with the visitor's scripted profile: ``name`` (first and last name
    together), ``company``, ``language``, ``job_title`` (the role: empty counts as wrong), ``need`` (when the
    visitor has one: no significant word in common)."""
    wrong = []
    if not same_name(f"{fields['first_name']} {fields['last_name']}", visitor.name):
        wrong.append("name")
    if not same_name(fields["company"], visitor.company):
        wrong.append("company")
    if fields["language"] != visitor.language:
        wrong.append("language")
    if visitor.role and not same_name(fields["job_title"], visitor.role):
        wrong.append("job_title")
    if visitor.need and not need_matches(fields["need"], visitor.need):
        wrong.append("need")
    return wrong


def save_contact(uow, *, actor: str, visitor_id: int, values: dict) -> Visitor:
    """The contact form: a prospect in the CRM (``customer.created``), its consents
    (``customer.consents_changed``, source: the form at the stand), the form
    (``trade_show.contact_saved``) and the handover to the sales rep: a note in the record,
    the rep assigned (``trade_show.handed_over``). The visitor is then done."""
    fields = read_contact(uow, values)
    visitor = _locked(uow, visitor_id)
    if visitor.status != VisitorStatus.WELCOMING:
        raise NotNow("La fiche contact se remplit pendant l'accueil du visiteur (une fois par visiteur).")
    rep = fields["sales_rep"]
    customer = create_customer(uow, actor=actor, name=fields["company"], language=fields["language"],
                               country=fields["country"], email=fields["email"],
                               contact={"first_name": fields["first_name"], "last_name": fields["last_name"],
                                        "email": fields["email"], "job_title": fields["job_title"]})
    customer.status = CustomerStatus.PROSPECT
    customer.phone = fields["phone"]
    customer.sales_rep_id = rep.id
    uow.session.flush()
    purposes = sorted(fields["consent"])
    if purposes:
        record_consents(uow, actor=actor, customer_id=customer.id, given=set(purposes), objected=False,
                        source=f"Fiche contact du salon, {visitor.name}, conservation {fields['retention_months']} mois",
                        seen_revision=consent_revision(customer))
    visitor.customer_id = customer.id
    visitor.status = VisitorStatus.DONE
    due = fields["follow_up_on"]
    wrong = mismatches(visitor, fields)
    journal.append(uow, kind="trade_show.contact_saved", actor=actor,
                   refs={"visitor": visitor.key, "customer": customer.code},
                   payload={"company": fields["company"], "name": f"{fields['first_name']} {fields['last_name']}",
                            "job_title": fields["job_title"], "email": fields["email"], "phone": fields["phone"],
                            "language": fields["language"], "need": fields["need"], "products": fields["products"],
                            "documentation": fields["documentation"], "follow_up": fields["follow_up"],
                            "follow_up_on": due, "consent": purposes, "retention_months": fields["retention_months"],
                            "mismatches": wrong, "accurate": not wrong,
                            "consent_recorded": bool(purposes) and fields["retention_months"] is not None})
    from sim.company.numbering import next_number
    note = Interaction(workspace_id=uow.workspace_id, customer_id=customer.id, channel="note", direction="out",
                       counterpart_role="sales_rep", counterpart_name=f"{rep.first_name} {rep.last_name}",
                       counterpart_email=rep.email, language="fr", read=True, sim_time=sim_now(uow),
                       reference=next_number(uow, "message", sim_date(uow)),
                       subject=f"Contact salon à suivre : {fields['company']} — {FOLLOW_UPS[fields['follow_up']]} "
                               f"le {due:%d/%m/%Y}",
                       body=(f"{fields['first_name']} {fields['last_name']} ({fields['job_title'] or '—'}), "
                             f"{fields['company']}.\nBesoin : {fields['need']}\nProduits conseillés : "
                             f"{', '.join(fields['products']) or '—'}\nDocumentation remise : "
                             f"{fields['documentation'] or '—'}"))
    uow.add(note)
    uow.session.flush()
    journal.append(uow, kind="trade_show.handed_over", actor=actor,
                   refs={"visitor": visitor.key, "customer": customer.code, "message": note.reference},
                   payload={"sales_rep": f"{rep.first_name} {rep.last_name}", "follow_up": fields["follow_up"],
                            "follow_up_on": due})
    return visitor


def stand(uow) -> dict[str, list[Visitor]]:
    """The visitors by status, in order of arrival."""
    rows = list(uow.session.scalars(select(Visitor).order_by(Visitor.arrived_at, Visitor.id)))
    return {status.value: [v for v in rows if v.status == status.value] for status in VisitorStatus}
