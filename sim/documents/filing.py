"""Customer and order folders (REAC: « les fichiers et les dossiers sont actualisés et classés »).

Every document the company issues is filed by itself in its customer's folder,
and in its order's when it is about one (``auto_file``, called by
``sim.documents.service.keep``). A document that arrives attached to a message
(a customer's purchase order, a supplier's acknowledgement, a proof of
delivery, a letter announcing a change of address) is filed by the candidate
(``file_attachment``) with a document type, into the folder of the customer
or order it concerns. A filing is never changed: filing the same document
again (another type, another folder: a correction), or a newer issue of the
same document, adds the next version of its series; the earlier one stays, as
it was, in the folder's history. A filed document can be passed on to a
colleague (``pass_on``): an internal message carrying the document and a note.

Journal: ``document.filed`` (the candidate's filing) and ``document.passed_on``,
with refs by business key (document number, customer code, order number,
message reference). Filing by itself is already told by ``document.generated``.
Services flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, func, select
from sqlalchemy.orm import defer

from sim.clock import sim_date, sim_now
from sim.company.models import SalesRep
from sim.company.numbering import next_number
from sim.crm.models import Customer, Interaction, MessageAttachment
from sim.db import NotFound
from sim.documents.models import Document, FiledDocument
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.parsing import has_control_characters
from sim.sales.models import SalesOrder

# doc_type → label. The company's own documents, filed by themselves:
GENERATED_TYPES = {"quote": "Devis", "order_ack": "Accusé de réception de commande",
                   "delivery_note": "Bon de livraison", "invoice": "Facture", "credit_note": "Avoir",
                   "statement": "Relevé de compte", "proforma": "Facture pro forma",
                   "order_proforma": "Facture pro forma", "packing_list": "Liste de colisage",
                   "carrier_protest": "Protestation transporteur", "reminder_letter": "Lettre de relance",
                   "formal_notice": "Mise en demeure"}
# ...and what comes in from outside, which the candidate files with one of these types:
INBOUND_TYPES = {"customer_po": "Bon de commande client", "supplier_ack": "Accusé de réception fournisseur",
                 "proof_of_delivery": "Preuve de livraison", "letter": "Courrier",
                 "other": "Autre document"}
DOC_TYPES = GENERATED_TYPES | INBOUND_TYPES
# Colleagues a document can be passed to: role → (mailbox, name). The field sales
# rep is the customer's own (SalesRep), when it has one.
COLLEAGUES = {"accounting": ("comptabilite", "Comptabilité"), "shipping": ("expeditions", "Expéditions"),
              "sales_rep": ("", "Commercial terrain")}
NOTE_MAX = 300
NUMBER_MAX = 60
# Orders offered as folders for a message that names no customer (a carrier's, a supplier's).
RECENT_ORDERS = 40


@dataclass(frozen=True)
class Folder:
    value: str  # "customer:<id>" or "order:<id>", as the form sends it
    label: str
    customer_id: int
    order_id: int | None


@dataclass
class FolderEntry:
    """The current version of one series in a folder, with its earlier versions."""
    current: FiledDocument
    filename: str
    versions: list[FiledDocument]  # every version, newest first (current included)
    order_number: str

    @property
    def type_label(self) -> str:
        return DOC_TYPES.get(self.current.doc_type, self.current.doc_type)


# ===== immutability ========================================================

@event.listens_for(FiledDocument, "before_update")
@event.listens_for(Document, "before_update")
def _never_changed(mapper, connection, target):
    # An issued or filed document is evidence: a correction is a new version, never an update.
    raise RuntimeError(f"{type(target).__name__} {target.id} is immutable: file a new version instead")


# ===== filing ==============================================================

def auto_file(uow, *, actor: str, document: Document, kind: str, number: str, customer_id: int,
              ref_id: int) -> FiledDocument | None:
    """File a document the company just issued (``keep``): its customer's folder,
    and its order's (an acknowledgement, a delivery note, an invoice or credit note
    of an order). A purchase order a scenario prints for a customer's message is
    not the company's: the candidate files it."""
    if kind not in GENERATED_TYPES:
        return None
    return _add(uow, actor=actor, document=document, doc_type=kind, number=number, customer_id=customer_id,
                order_id=_order_of(uow, kind, ref_id), source="generated")


def folder_choices(uow, message: Interaction) -> list[Folder]:
    """Where an attachment of this message can go: its customer's folder and that
    customer's orders; for a message from no customer, the recent orders."""
    customers: list[Customer]
    if message.customer_id is not None:
        customers = list(uow.session.scalars(select(Customer).where(Customer.id == message.customer_id)))
        orders = list(uow.session.scalars(select(SalesOrder).where(SalesOrder.customer_id == message.customer_id)
                                          .order_by(SalesOrder.order_date.desc(), SalesOrder.id.desc())))
    else:
        orders = list(uow.session.scalars(select(SalesOrder).order_by(SalesOrder.order_date.desc(),
                                                                      SalesOrder.id.desc()).limit(RECENT_ORDERS)))
        ids = {o.customer_id for o in orders}
        customers = list(uow.session.scalars(select(Customer).where(Customer.id.in_(ids)).order_by(Customer.name))) \
            if ids else []
    names = {c.id: c for c in customers}
    choices = [Folder(f"customer:{c.id}", f"Dossier client {c.code} — {c.name}", c.id, None) for c in customers]
    choices += [Folder(f"order:{o.id}", f"Commande {o.number} — {names[o.customer_id].name}"
                       + (f" (réf. client {o.customer_po})" if o.customer_po else ""), o.customer_id, o.id)
                for o in orders if o.customer_id in names]
    return choices


def file_attachment(uow, *, actor: str, message_id: int, document_id: int, folder: str, doc_type: str,
                    number: str = "", note: str = "", form_token: str | None = None) -> FiledDocument:
    """The candidate files a document attached to a message; journaled ``document.filed``.

    ``folder`` is one of ``folder_choices`` (the form's value); ``number`` the
    document's own reference (the customer's PO number...), else its file name.
    The same document, or one with the same type and number, filed again makes
    the next version. Refused with ``ValidationFailed`` (field → message)."""
    from sim.inbox.service import attached_document
    from sim.workspace.forms import claim

    claim(uow, form_token, "document.filed")
    document = attached_document(uow, message_id=message_id, document_id=document_id)  # NotFound: 404
    message = uow.session.scalars(select(Interaction).where(Interaction.id == message_id)).one()
    errors: dict[str, str] = {}
    chosen = next((f for f in folder_choices(uow, message) if f.value == (folder or "").strip()), None)
    if chosen is None:
        errors["folder"] = "Choisissez le dossier où classer ce document (le client ou une de ses commandes)."
    if doc_type not in INBOUND_TYPES:
        errors["doc_type"] = "Choisissez le type de document."
    number = " ".join((number or "").split())
    if len(number) > NUMBER_MAX:
        errors["number"] = f"Référence trop longue ({len(number)} caractères, {NUMBER_MAX} au plus)."
    elif has_control_characters(number, multiline=False):
        errors["number"] = "Caractère non imprimable interdit : retirez-le."
    note = _check_note(note, errors)
    if errors:
        raise ValidationFailed(errors)
    filed = _add(uow, actor=actor, document=document, doc_type=doc_type, number=number or document.filename,
                 customer_id=chosen.customer_id, order_id=chosen.order_id, source="attachment",
                 message_id=message.id, note=note, series=_attachment_series(uow, document, doc_type, number))
    _journal_filed(uow, actor, filed, document, message=message)
    return filed


def refile(uow, *, actor: str, filed_id: int, folder: str, doc_type: str, note: str = "",
           form_token: str | None = None) -> FiledDocument:
    """Correct a filing (another type, another folder of the same customer): the
    next version of the series, the earlier one kept; journaled ``document.filed``."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "document.filed")
    previous = get(uow, filed_id)
    latest = current_version(uow, previous.series)
    document = uow.session.scalars(select(Document).where(Document.id == latest.document_id)
                                   .options(defer(Document.content))).one()
    errors: dict[str, str] = {}
    chosen = next((f for f in customer_folders(uow, latest.customer_id) if f.value == (folder or "").strip()), None)
    if chosen is None:
        errors["folder"] = "Choisissez un dossier de ce client (le dossier client ou une de ses commandes)."
    allowed = GENERATED_TYPES if latest.source == "generated" else INBOUND_TYPES
    if latest.source == "generated" and doc_type != latest.doc_type:
        errors["doc_type"] = "Un document émis par l'entreprise garde son type."
    elif doc_type not in allowed:
        errors["doc_type"] = "Choisissez le type de document."
    note = _check_note(note, errors)
    if errors:
        raise ValidationFailed(errors)
    if (chosen.order_id, doc_type) == (latest.order_id, latest.doc_type) and note == latest.note:
        raise ValidationFailed({"folder": "Rien ne change : ce document est déjà classé ainsi."})
    filed = _add(uow, actor=actor, document=document, doc_type=doc_type, number=latest.number,
                 customer_id=latest.customer_id, order_id=chosen.order_id, source=latest.source,
                 message_id=latest.message_id, note=note, series=latest.series)
    message = (uow.session.scalars(select(Interaction).where(Interaction.id == latest.message_id)).first()
               if latest.message_id else None)
    _journal_filed(uow, actor, filed, document, message=message, corrects=latest.version)
    return filed


def pass_on(uow, *, actor: str, filed_id: int, to: str, note: str, form_token: str | None = None) -> Interaction:
    """Pass a filed document to a colleague: an internal message, sent, carrying
    the document and the note; journaled ``document.passed_on`` (with the message's reference)."""
    from sim.inbox.service import _company_domain
    from sim.workspace.forms import claim

    claim(uow, form_token, "document.passed_on")
    filed = current_version(uow, get(uow, filed_id).series)
    customer = uow.session.scalars(select(Customer).where(Customer.id == filed.customer_id)).one()
    errors: dict[str, str] = {}
    address = name = ""
    if to not in COLLEAGUES:
        errors["to"] = "Choisissez à qui transmettre le document."
    elif to == "sales_rep":
        rep = (uow.session.scalars(select(SalesRep).where(SalesRep.id == customer.sales_rep_id)).first()
               if customer.sales_rep_id else None)
        if rep is None or not rep.email:
            errors["to"] = "Ce client n'a pas de commercial terrain attitré (voir sa fiche)."
        else:
            address, name = rep.email, f"{rep.first_name} {rep.last_name}"
    else:
        box, name = COLLEAGUES[to]
        address = f"{box}@{_company_domain(uow)}"
    note = _check_note(note, errors, required=True)
    if errors:
        raise ValidationFailed(errors)
    document = uow.session.scalars(select(Document).where(Document.id == filed.document_id)
                                   .options(defer(Document.content))).one()
    label = DOC_TYPES.get(filed.doc_type, filed.doc_type)
    order = _order_number(uow, filed.order_id)
    subject = f"Transmission : {label} {filed.number} — {customer.name}"[:200]
    body = "\n".join([note, "", f"Document : {label} {filed.number} (version {filed.version})",
                      f"Client : {customer.code} — {customer.name}"] + ([f"Commande : {order}"] if order else []))
    message = Interaction(
        workspace_id=uow.workspace_id, customer_id=customer.id, channel="email", direction="out",
        counterpart_role=to, counterpart_name=name[:160], counterpart_email=address[:160], language="fr",
        subject=subject, body=body, sim_time=sim_now(uow), read=True,
        reference=next_number(uow, "message", sim_date(uow)))
    uow.add(message)
    uow.session.flush()
    uow.add(MessageAttachment(workspace_id=uow.workspace_id, interaction_id=message.id, document_id=document.id))
    uow.session.flush()
    refs = {"document": filed.number, "customer": customer.code, "message": message.reference}
    if order:
        refs["order"] = order
    journal.append(uow, kind="document.passed_on", actor=actor, refs=refs,
                   payload={"doc_type": filed.doc_type, "version": filed.version, "filename": document.filename,
                            "to_role": to, "to": address, "note": note})
    return message


# ===== reading =============================================================

def get(uow, filed_id) -> FiledDocument:
    filed = uow.session.scalars(select(FiledDocument).where(FiledDocument.id == filed_id)).first() \
        if isinstance(filed_id, int) else None
    if filed is None:
        raise NotFound(f"FiledDocument {filed_id}")
    return filed


def current_version(uow, series: str) -> FiledDocument:
    return uow.session.scalars(select(FiledDocument).where(FiledDocument.series == series)
                               .order_by(FiledDocument.version.desc())).first()


def versions(uow, series: str) -> list[FiledDocument]:
    return list(uow.session.scalars(select(FiledDocument).where(FiledDocument.series == series)
                                    .order_by(FiledDocument.version.desc())))


def customer_folder(uow, customer_id: int) -> list[FolderEntry]:
    """The customer's folder: the current version of each of its documents (by type, then newest first)."""
    return _entries(uow, select(FiledDocument).where(FiledDocument.customer_id == customer_id))


def order_folder(uow, order_id: int) -> list[FolderEntry]:
    """An order's folder: the documents whose current version is filed with this order."""
    return [e for e in _entries(uow, select(FiledDocument).where(
        FiledDocument.series.in_(select(FiledDocument.series).where(FiledDocument.order_id == order_id))))
        if e.current.order_id == order_id]


def customer_folders(uow, customer_id: int) -> list[Folder]:
    """The folders of one customer: its own and its orders'."""
    customer = uow.session.scalars(select(Customer).where(Customer.id == customer_id)).one()
    orders = uow.session.scalars(select(SalesOrder).where(SalesOrder.customer_id == customer_id)
                                 .order_by(SalesOrder.order_date.desc(), SalesOrder.id.desc()))
    return [Folder(f"customer:{customer.id}", f"Dossier client {customer.code} — {customer.name}", customer.id,
                   None)] + [Folder(f"order:{o.id}", f"Commande {o.number}", customer.id, o.id) for o in orders]


def filed_in(uow, document_ids) -> dict[int, FiledDocument]:
    """document id → its latest filing, for the inbox's « Classé » marks."""
    ids = list(document_ids)
    if not ids:
        return {}
    found: dict[int, FiledDocument] = {}
    for filed in uow.session.scalars(select(FiledDocument).where(FiledDocument.document_id.in_(ids))
                                     .order_by(FiledDocument.id)):
        found[filed.document_id] = filed
    return found


# ===== helpers (no commit) ==================================================

def _add(uow, *, actor, document, doc_type, number, customer_id, order_id, source, message_id=None, note="",
         series=None) -> FiledDocument:
    series = series or f"{doc_type}:{number}"[:120]
    last = uow.session.scalar(select(func.max(FiledDocument.version)).where(FiledDocument.series == series)) or 0
    filed = FiledDocument(workspace_id=uow.workspace_id, document_id=document.id, customer_id=customer_id,
                          order_id=order_id, doc_type=doc_type, number=number[:80], series=series,
                          version=last + 1, source=source, message_id=message_id, note=note,
                          filed_by=actor[:80], sim_time=sim_now(uow))
    uow.add(filed)
    uow.session.flush()
    return filed


def _attachment_series(uow, document: Document, doc_type: str, number: str) -> str:
    """What the versions of an attachment share: its type and the reference the
    candidate gave it (a corrected PO is the next version of the first), else
    the series this very document was filed in before, else the document itself."""
    if number:
        return f"{doc_type}:{number}"[:120]
    earlier = uow.session.scalars(select(FiledDocument.series).where(FiledDocument.document_id == document.id)
                                  .order_by(FiledDocument.id.desc())).first()
    return earlier or f"attachment:{document.id}"


def _check_note(note: str, errors: dict[str, str], *, required: bool = False) -> str:
    note = (note or "").replace("\r\n", "\n").strip()
    if required and not note:
        errors["note"] = "Écrivez un mot pour votre collègue : ce qu'il doit faire de ce document."
    elif len(note) > NOTE_MAX:
        errors["note"] = f"Note trop longue ({len(note)} caractères, {NOTE_MAX} au plus)."
    elif has_control_characters(note, multiline=True):
        errors["note"] = "Caractère non imprimable interdit : retirez-le."
    return note


def _order_of(uow, kind: str, ref_id: int) -> int | None:
    from sim.billing.models import CreditNote, Invoice
    from sim.stock.models import Delivery

    if kind == "order_ack":
        return ref_id
    if kind in ("delivery_note", "packing_list"):
        return uow.session.scalar(select(Delivery.order_id).where(Delivery.id == ref_id))
    if kind == "order_proforma":
        return ref_id
    if kind == "carrier_protest":
        from sim.shipping.models import CarrierProtest

        return uow.session.scalar(select(Delivery.order_id).join(CarrierProtest, CarrierProtest.delivery_id
                                                                 == Delivery.id).where(CarrierProtest.id == ref_id))
    if kind == "invoice":
        return uow.session.scalar(select(Invoice.order_id).where(Invoice.id == ref_id))
    if kind == "credit_note":
        return uow.session.scalar(select(Invoice.order_id).join(CreditNote, CreditNote.invoice_id == Invoice.id)
                                  .where(CreditNote.id == ref_id))
    return None


def _order_number(uow, order_id: int | None) -> str:
    if order_id is None:
        return ""
    return uow.session.scalar(select(SalesOrder.number).where(SalesOrder.id == order_id)) or ""


def _journal_filed(uow, actor, filed: FiledDocument, document: Document, *, message=None, corrects=None) -> None:
    customer_code = uow.session.scalar(select(Customer.code).where(Customer.id == filed.customer_id))
    refs = {"document": filed.number, "customer": customer_code}
    order = _order_number(uow, filed.order_id)
    if order:
        refs["order"] = order
    if message is not None:
        refs["message"] = message.reference
    payload = {"doc_type": filed.doc_type, "version": filed.version, "filename": document.filename,
               "folder": "order" if order else "customer", "source": filed.source, "note": filed.note,
               "sha256": document.sha256}
    if corrects is not None:
        payload["corrects_version"] = corrects
    journal.append(uow, kind="document.filed", actor=actor, refs=refs, payload=payload)


def _entries(uow, query) -> list[FolderEntry]:
    rows = list(uow.session.scalars(query.order_by(FiledDocument.version.desc(), FiledDocument.id.desc())))
    by_series: dict[str, list[FiledDocument]] = {}
    for row in rows:
        by_series.setdefault(row.series, []).append(row)
    if not by_series:
        return []
    # the whole history of each series, even versions filed elsewhere before a correction
    history: dict[str, list[FiledDocument]] = {}
    for row in uow.session.scalars(select(FiledDocument).where(FiledDocument.series.in_(list(by_series)))
                                   .order_by(FiledDocument.version.desc())):
        history.setdefault(row.series, []).append(row)
    ids = {r.document_id for rows_ in history.values() for r in rows_}
    names = dict(uow.session.execute(select(Document.id, Document.filename).where(Document.id.in_(ids))).all())
    orders = {r.order_id for rows_ in history.values() for r in rows_ if r.order_id}
    numbers = dict(uow.session.execute(select(SalesOrder.id, SalesOrder.number).where(SalesOrder.id.in_(orders)))
                   .all()) if orders else {}
    entries = []
    for series, all_versions in history.items():
        current = all_versions[0]
        if current.id not in {r.id for r in by_series[series]}:
            continue  # its current version was moved to another folder
        entries.append(FolderEntry(current, names.get(current.document_id, ""), all_versions,
                                   numbers.get(current.order_id, "")))
    order = list(DOC_TYPES)
    entries.sort(key=lambda e: (order.index(e.current.doc_type) if e.current.doc_type in order else len(order),
                                -e.current.sim_time.timestamp(), -e.current.id))
    return entries
