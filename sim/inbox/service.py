"""The candidate's mailbox.

A message is an ``Interaction`` whose channel is ``email``: inbound ones are
delivered by scenario events (``deliver``, inside the engine's transaction),
outbound ones are written by the candidate (``send``); the caller commits. A thread is its first message and every message whose ``thread_id``
names it.

What the evaluator reads in the journal:
- ``message.received`` — what arrived, when, from whom (and which event sent it);
- ``message.read`` — when the candidate first opened it: the evidence of when
  an event was noticed (journaled once per message);
- ``message.sent`` — the full text the candidate wrote, its language and its
  attachments (CP3: customer relations in French and English).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Iterable, Iterator

from sqlalchemy import Integer, Row, bindparam, false, func, literal, or_, select, tuple_, union_all, update
from sqlalchemy.orm import aliased, defer
from sqlalchemy.orm.attributes import set_committed_value

from sim.clock import sim_date, sim_now
from sim.company.numbering import next_number
from sim.parsing import has_control_characters, is_id
from sim.company.models import Company
from sim.crm.models import Contact, Customer, Interaction, InteractionChannel, MessageAttachment
from sim.db import NotFound
from sim.documents.models import Document
from sim.documents.service import keep
from sim.errors import ValidationFailed
from sim.journal import service as journal
from sim.listing import search_term
from sim.stock.models import Carrier, Supplier

EMAIL = InteractionChannel.EMAIL.value
ROLE_LABELS = {"customer": "Client", "supplier": "Fournisseur", "carrier": "Transporteur",
               "management": "Direction", "accounting": "Comptabilité", "logistics": "Logistique",
               "quality": "Qualité", "sales_rep": "Commercial terrain"}
LANGUAGES = ("fr", "en")
BOXES = ("inbox", "sent", "all")
SUBJECT_MAX = 200
BODY_MAX = 20_000
SNIPPET = 140
# Internal mailboxes of the company (management and accounting): "<box>@<company domain>".
INTERNAL_BOXES = {"management": ("direction", "Direction"), "accounting": ("comptabilite", "Comptabilité"),
                  "logistics": ("logistique", "Service logistique"), "quality": ("qualite", "Service qualité")}
_ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
_REPLY_PREFIX = re.compile(r"^\s*(re|tr|fw|fwd)\s*:", re.IGNORECASE)


# ===== what the pages read ==============================================

@dataclass(frozen=True)
class Attachment:
    id: int  # the Document's id
    filename: str
    kind: str


@dataclass
class ThreadSummary:
    root: Row  # the first and the last message as the list reads them (_summary_statement's columns)
    last: Row
    count: int
    unread: int
    counterpart: str  # the other party as shown: a person or an organisation
    organisation: str  # the customer's or supplier's name, when it is not already the counterpart
    role: str
    has_attachments: bool
    english: bool
    snippet: str  # the start of the last message's text

    @property
    def id(self) -> int:
        return self.root.id


# Colleagues a filed document is passed on to (sim/documents/filing.pass_on): shown, not a recipient of send().
_COLLEAGUE_LABELS = {"shipping": "Expéditions"}


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role) or _COLLEAGUE_LABELS.get(role, role)


def unread_statement():
    """The count of inbound messages the candidate has not opened yet (a statement: the shell combines it)."""
    return select(func.count(Interaction.id)).where(
        Interaction.channel == EMAIL, Interaction.direction == "in", Interaction.read.is_(False))


def unread_count(uow) -> int:
    """Inbound messages the candidate has not opened yet."""
    return uow.session.scalar(unread_statement()) or 0


def thread_key():
    """A message's thread: its first message's id (the first message's own id for the first message)."""
    return func.coalesce(Interaction.thread_id, Interaction.id)


def _box_rule(box: str, unread_only: bool) -> tuple[str, bool] | None:
    """What one message of a thread must be for the thread to be in ``box``:
    (direction or "" for any, unread); ``None`` when no single message decides.

    ``inbox``: threads with at least one inbound message; ``sent``: threads
    with at least one message the company sent; ``all``: every thread;
    ``unread_only``: those with an inbound message not read yet."""
    if box not in BOXES:
        raise ValueError(f"unknown box {box!r}")
    if unread_only:
        return None if box == "sent" else ("in", True)
    return {"all": ("", False), "sent": ("out", False), "inbox": ("in", False)}[box]


def _box_clauses(rule: tuple[str, bool], message=Interaction) -> list:
    direction, unread = rule
    return ([message.direction == direction] if direction else []) + \
        ([message.read.is_(False)] if unread else [])


def _first_in_box(rule: tuple[str, bool], key):
    """The first message of the thread ``key`` is one of the box (a lookup by id)."""
    first = aliased(Interaction)
    return select(first.id).where(first.id == key, first.thread_id.is_(None), first.channel == EMAIL,
                                  *_box_clauses(rule, first)).exists()


def _in_box(rule: tuple[str, bool], key):
    """The thread ``key`` has a message of the box: its first message (by id)
    or one of the others (by ``thread_id``), two index lookups."""
    other = aliased(Interaction)
    return or_(_first_in_box(rule, key),
               select(other.id).where(other.thread_id == key, other.channel == EMAIL,
                                      *_box_clauses(rule, other)).exists())


def _of_threads(uow, query, keys: list[int]):
    """The rows of ``query`` for the messages of these threads (the first ones
    by id, the others by ``thread_id``), by chunks of keys. The caller checks
    the channel and the direction: with them in SQL the planners prefer to
    scan the (workspace, channel, …) indexes to the two lookups."""
    for start in range(0, len(keys), 400):
        chunk = keys[start:start + 400]
        yield from uow.session.execute(query.where(or_(Interaction.id.in_(chunk),
                                                       Interaction.thread_id.in_(chunk)))).all()


def box_size(uow, *, box: str = "inbox", unread_only: bool = False) -> int:
    """How many threads ``box`` holds: one index-only count (``ix_interaction_box``)."""
    rule = _box_rule(box, unread_only)
    if rule is None:
        return len(box_threads(uow, box=box, unread_only=unread_only))
    return uow.session.scalar(_size_statement(rule)) or 0


@lru_cache(maxsize=8)
def _size_statement(rule: tuple[str, bool]):
    """count(DISTINCT coalesce(thread_id, id)) sorts every key: counted instead
    as the first messages of the box plus the threads of its other messages
    whose first message is not in the box (3 × faster at 18 000 messages).
    Built once per box (the workspace is scoped when it is executed)."""
    firsts = select(func.count()).select_from(Interaction).where(
        Interaction.channel == EMAIL, Interaction.thread_id.is_(None), *_box_clauses(rule))
    others = select(func.count(Interaction.thread_id.distinct())).where(
        Interaction.channel == EMAIL, Interaction.thread_id.is_not(None), *_box_clauses(rule),
        ~_first_in_box(rule, Interaction.thread_id))
    return select(firsts.scalar_subquery() + others.scalar_subquery())


def box_threads(uow, *, box: str = "inbox", unread_only: bool = False,
                among: Iterable[int] | None = None) -> set[int] | None:
    """The threads of ``box`` (their keys), only those of ``among`` when given;
    ``None`` for every thread when nothing narrows them."""
    rule = _box_rule(box, unread_only)
    if rule is None:  # the sent threads that have an unread message
        sent = box_threads(uow, box="sent", among=among)
        return sent & box_threads(uow, box="inbox", unread_only=True, among=sent)
    if rule == ("", False):
        return set(among) if among is not None else None
    keys = list(among) if among is not None else []
    if among is None or len(keys) > 2000:  # many threads: the whole box at once (index only)
        found = set(uow.session.scalars(select(thread_key()).distinct()
                                        .where(Interaction.channel == EMAIL, *_box_clauses(rule))))
        return found if among is None else found & set(keys)
    direction, unread = rule
    return {key for key, channel, way, read in _of_threads(
                uow, select(thread_key(), Interaction.channel, Interaction.direction, Interaction.read), keys)
            if channel == EMAIL and way == direction and not (unread and read)}


def by_activity(uow, keys: Iterable[int]) -> list[tuple[int, datetime]]:
    """These threads as (key, time of the last message), the most recent
    activity first: for a few threads (the unread ones, a search's), read by key."""
    last: dict[int, tuple[datetime, int]] = {}
    for key, channel, at, id_ in _of_threads(
            uow, select(thread_key(), Interaction.channel, Interaction.sim_time, Interaction.id), list(keys)):
        if channel == EMAIL and (key not in last or (at, id_) > last[key]):
            last[key] = (at, id_)
    ordered = sorted(last.items(), key=lambda item: item[1], reverse=True)
    return [(key, at) for key, (at, _) in ordered]


def message_count(uow) -> int:
    """How many messages the mailbox holds."""
    return uow.session.scalar(select(func.count()).select_from(Interaction).where(Interaction.channel == EMAIL)) or 0


def thread_count(uow) -> int:
    """How many threads the mailbox holds."""
    return box_size(uow, box="all")


def threads_by_activity(uow, *, since: datetime | None = None, chunk: int = 200) -> Iterator[tuple[int, datetime]]:
    """(thread key, time of its last message) of every thread, the most recent
    activity first, read as it goes: a page of the list stops reading once it
    has its rows (``ix_interaction_activity`` gives the order, no sort). Read by
    chunks that grow (keyset: each one after the last row of the one before),
    not by one cursor: a driver may fetch a whole result at once.
    ``since``: only threads whose last message is at or after it."""
    query = (select(thread_key(), Interaction.sim_time, Interaction.id).where(Interaction.channel == EMAIL)
             .order_by(Interaction.sim_time.desc(), Interaction.id.desc()))
    if since is not None:
        query = query.where(Interaction.sim_time >= since)
    seen: set[int] = set()
    after = None
    while True:
        page = query if after is None else query.where(tuple_(Interaction.sim_time, Interaction.id) < tuple_(*after))
        rows = uow.session.execute(page.limit(chunk)).all()
        for key, at, _ in rows:
            if key not in seen:  # a thread first appears with its last message
                seen.add(key)
                yield key, at
        if len(rows) < chunk:
            return
        after = (rows[-1][1], rows[-1][2])
        chunk = min(chunk * 2, 5000)


def latest_threads(uow, *, box: str, unread_only: bool = False, wanted: int, walk: int) -> list[int] | None:
    """The first ``wanted`` threads of ``box``, most recent activity first,
    among the threads of the last ``walk`` messages, in one statement: the last
    messages in order of activity (``ix_interaction_activity``, no sort), the
    first row of each thread (its last message), those in the box. Fewer than
    ``wanted`` when the walk was too short (the caller walks further);
    ``None`` for a box no single message decides (sent and unread)."""
    rule = _box_rule(box, unread_only)
    if rule is None:
        return None
    return list(uow.session.scalars(_latest_statement(rule), {"walk": walk, "wanted": wanted}))


@lru_cache(maxsize=8)
def _latest_statement(rule: tuple[str, bool]):
    """latest_threads' statement, built once per box."""
    recent = (select(thread_key().label("key"), Interaction.sim_time, Interaction.id)
              .where(Interaction.channel == EMAIL)
              .order_by(Interaction.sim_time.desc(), Interaction.id.desc())
              .limit(bindparam("walk", type_=Integer)).subquery())
    ranked = select(recent, func.row_number().over(partition_by=recent.c.key,
                                                   order_by=(recent.c.sim_time.desc(), recent.c.id.desc()))
                    .label("nth")).subquery()
    query = select(ranked.c.key).where(ranked.c.nth == 1)
    if rule != ("", False):
        query = query.where(_in_box(rule, ranked.c.key))
    return query.order_by(ranked.c.sim_time.desc(), ranked.c.id.desc()).limit(bindparam("wanted", type_=Integer))


def search_threads(uow, words: list[str]) -> set[int]:
    """Threads in which each word appears somewhere (a subject, a correspondent,
    their organisation or address, a message's start): a superset of the
    threads the list shows for these words, checked exactly on their summaries."""
    found: set[int] | None = None
    for word in words:
        term = search_term(word)

        def like(column):
            return func.lower(column).like(term, escape="\\")

        roles = [role for role, label in {**ROLE_LABELS, **_COLLEAGUE_LABELS}.items() if word in label.lower()]
        # the parties' names are searched once each (subqueries), not joined to every message
        keys = set(uow.session.scalars(select(thread_key()).distinct().where(
            Interaction.channel == EMAIL,
            or_(like(Interaction.subject), like(Interaction.counterpart_name), like(Interaction.counterpart_email),
                like(func.substr(Interaction.body, 1, SNIPPET)),
                Interaction.customer_id.in_(select(Customer.id).where(like(Customer.name))),
                Interaction.supplier_id.in_(select(Supplier.id).where(like(Supplier.name))),
                Interaction.contact_id.in_(select(Contact.id).where(or_(like(Contact.first_name),
                                                                        like(Contact.last_name)))),
                Interaction.counterpart_role.in_(roles) if roles else false()))))
        found = keys if found is None else found & keys
        if not found:
            break
    return found or set()


def summaries(uow, keys: list[int]) -> list[ThreadSummary]:
    """The summaries of these threads, in the order of ``keys``: their messages
    only are read (the page's rows, not the mailbox), as light rows with their
    parties' names and whether they carry an attachment, in one statement."""
    groups: dict[int, list] = {key: [] for key in keys}
    for start in range(0, len(keys), 400):
        for row in uow.session.execute(_summary_statement(), {"keys": keys[start:start + 400]}):
            if row.channel == EMAIL:
                groups[row.thread_id or row.id].append(row)
    found = []
    for root_id, group in groups.items():
        if not group:
            continue
        group.sort(key=lambda m: (m.sim_time, m.id))
        root = next((m for m in group if m.id == root_id), group[0])
        last = group[-1]
        named = next((m for m in reversed(group) if m.counterpart_name), root)
        organisation = (named.customer_name if named.customer_id is not None
                        else named.supplier_name if named.supplier_id is not None else "") or ""
        person = named.counterpart_name or (f"{named.first_name} {named.last_name}"
                                            if named.first_name is not None else "")
        counterpart, organisation = _shown_counterpart(person, organisation, named.counterpart_role)
        found.append(ThreadSummary(
            root=root, last=last, count=len(group),
            unread=sum(1 for m in group if m.direction == "in" and not m.read), counterpart=counterpart,
            organisation=organisation, role=named.counterpart_role,
            has_attachments=any(m.attached for m in group),
            english=any(m.language == "en" for m in group), snippet=_one_line(last.snippet or "")))
    return found


@lru_cache(maxsize=1)
def _summary_statement():
    """The messages of the threads ``keys`` (an expanding parameter) as the
    list shows them; the channel is checked by the caller (see _of_threads)."""
    keys = bindparam("keys", expanding=True)
    attached = select(MessageAttachment.id).where(MessageAttachment.interaction_id == Interaction.id).exists()
    return (select(Interaction.id, Interaction.thread_id, Interaction.channel, Interaction.sim_time,
                   Interaction.direction, Interaction.read, Interaction.subject, Interaction.language,
                   Interaction.counterpart_name, Interaction.counterpart_role, Interaction.customer_id,
                   Interaction.supplier_id, func.substr(Interaction.body, 1, SNIPPET).label("snippet"),
                   Customer.name.label("customer_name"), Supplier.name.label("supplier_name"),
                   Contact.first_name, Contact.last_name, attached.label("attached"))
            .outerjoin(Customer, Customer.id == Interaction.customer_id)
            .outerjoin(Supplier, Supplier.id == Interaction.supplier_id)
            .outerjoin(Contact, Contact.id == Interaction.contact_id)
            .where(or_(Interaction.id.in_(keys), Interaction.thread_id.in_(keys))))


def threads(uow, *, box: str = "inbox", unread_only: bool = False) -> list[ThreadSummary]:
    """Every thread summary of ``box``, most recent activity first (the list
    pages them: sim/inbox/lists.thread_page)."""
    wanted = box_threads(uow, box=box, unread_only=unread_only)
    keys = [key for key, _ in (threads_by_activity(uow) if wanted is None else by_activity(uow, wanted))]
    return summaries(uow, keys)


def thread(uow, message_id: int) -> list[Interaction]:
    """Every message of the thread ``message_id`` belongs to, in sim-time order.

    Each row carries ``attachments`` (a list of ``Attachment``), set on the
    loaded object for the page: it is not a column. ``NotFound`` if the id is
    not a message of this workspace.
    """
    message = _message(uow, message_id)
    root_id = message.thread_id or message.id
    # the channel is checked here, not in SQL: with it SQLite prefers the
    # (workspace, channel) index to the two lookups by id and by thread
    messages = [m for m in uow.session.scalars(
        select(Interaction).where(or_(Interaction.id == root_id, Interaction.thread_id == root_id))
        .order_by(Interaction.sim_time, Interaction.id)) if m.channel == EMAIL]
    found = attachments_of(uow, [m.id for m in messages])
    for m in messages:
        object.__setattr__(m, "attachments", found.get(m.id, []))
    return messages


def attachments_of(uow, message_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """message id → its attached documents (names only: the content stays in the database)."""
    ids = list(message_ids)
    if not ids:
        return {}
    found: dict[int, list[Attachment]] = {}
    for interaction_id, doc_id, filename, kind in uow.session.execute(
            select(MessageAttachment.interaction_id, Document.id, Document.filename, Document.kind)
            .join(Document, Document.id == MessageAttachment.document_id)
            .where(MessageAttachment.interaction_id.in_(ids)).order_by(MessageAttachment.id)):
        found.setdefault(interaction_id, []).append(Attachment(doc_id, filename, kind))
    return found


def attached_document(uow, *, message_id: int, document_id: int) -> Document:
    """The document, if it is attached to this message of this workspace; else ``NotFound``."""
    document = uow.session.scalars(
        select(Document).join(MessageAttachment, MessageAttachment.document_id == Document.id)
        .join(Interaction, Interaction.id == MessageAttachment.interaction_id)
        .where(MessageAttachment.interaction_id == message_id, Document.id == document_id,
               Interaction.channel == EMAIL)).first()
    if document is None:
        raise NotFound(f"Document {document_id} of message {message_id}")
    return document


def counterpart_address(uow, message: Interaction, _read: dict | None = None) -> str:
    """The other party's address: as recorded on the message, else its contact's or its organisation's.
    ``_read``: the parties already read for the other messages of a page (``counterpart_addresses``)."""
    read = {} if _read is None else _read

    def party(model, id_):
        if (model, id_) not in read:
            read[model, id_] = uow.session.scalars(select(model).where(model.id == id_)).first()
        return read[model, id_]

    if message.counterpart_email:
        return message.counterpart_email
    if message.contact_id is not None:
        contact = party(Contact, message.contact_id)
        if contact is not None and contact.email:
            return contact.email
    if message.customer_id is not None:
        customer = party(Customer, message.customer_id)
        return customer.email if customer else ""
    if message.supplier_id is not None:
        supplier = party(Supplier, message.supplier_id)
        return supplier.email if supplier else ""
    return ""


def counterpart_addresses(uow, messages: list[Interaction]) -> dict[int, str]:
    """message id → ``counterpart_address``, each party read once for the whole thread."""
    read: dict = {}
    return {m.id: counterpart_address(uow, m, read) for m in messages}


def counterparts(uow, messages: list[Interaction]) -> dict[int, tuple[str, str]]:
    """message id → (counterpart, organisation) as the pages show them."""
    names = _names(uow, messages)
    return {m.id: _counterpart(m, names) for m in messages}


# ===== inbound: scenario events ==========================================

def deliver(uow, *, actor: str, role: str, name: str, email: str, subject: str, body: str,
            language: str = "fr", customer_id: int | None = None, supplier_id: int | None = None,
            thread_id: int | None = None, event_key: str = "",
            attachments: Iterable[int] = ()) -> Interaction:
    """An inbound message lands in the mailbox, unread; journaled ``message.received``.

    Part of the caller's transaction (the scenario engine fires an event in its
    own): flushes, does not commit. ``attachments`` are Document ids of this
    workspace (a customer's purchase order, a supplier's delivery note...).
    """
    errors: dict[str, str] = {}
    if role not in ROLE_LABELS:
        errors["role"] = f"Rôle d'expéditeur inconnu : {role!r}."
    if language not in LANGUAGES:
        errors["language"] = "Langue : fr ou en."
    _check_text(subject, body, errors)
    customer = uow.get(Customer, customer_id) if customer_id is not None else None
    supplier = uow.get(Supplier, supplier_id) if supplier_id is not None else None
    root_id = None
    if thread_id is not None:
        parent = _find_message(uow, thread_id)
        if parent is None:
            errors["thread"] = "Ce fil de messages n'existe pas dans cet espace."
        else:
            root_id = parent.thread_id or parent.id
    documents = _documents(uow, attachments, errors)
    if errors:
        raise ValidationFailed(errors)
    message = Interaction(
        workspace_id=uow.workspace_id, customer_id=customer.id if customer else None,
        supplier_id=supplier.id if supplier else None,
        contact_id=_contact_id(uow, email, customer, supplier), channel=EMAIL, direction="in",
        counterpart_role=role, counterpart_name=(name or "").strip()[:160],
        counterpart_email=(email or "").strip()[:160], event_key=(event_key or "")[:80], language=language,
        subject=subject.strip(), body=_normalised(body), sim_time=sim_now(uow), thread_id=root_id, read=False,
        reference=next_number(uow, "message", sim_date(uow)))
    uow.add(message)
    uow.session.flush()
    _attach(uow, message, documents)
    refs = {"message": message.reference, **_party_refs(customer, supplier)}
    if root_id is not None:
        refs["thread"] = _reference(uow, root_id)
    if event_key:
        refs["event"] = event_key
    journal.append(uow, kind="message.received", actor=actor, refs=refs,
                   payload={"role": role, "language": language, "subject": message.subject,
                            "from": message.counterpart_email, "name": message.counterpart_name,
                            "attachments": [d.filename for d in documents]})
    return message


# ===== reading ===========================================================

def mark_read(uow, *, actor: str, message_id: int) -> bool:
    """The candidate opened this message: ``message.read`` the first time only.
    Returns whether it was unread."""
    message = _message(uow, message_id)
    first_time = _mark(uow, actor, message)
    return first_time


def mark_thread_read(uow, *, actor: str, message_id: int) -> list[int]:
    """Opening a thread reads its unread inbound messages (one ``message.read``
    each, in one transaction). Returns their ids."""
    marked = [m.id for m in thread(uow, message_id) if _mark(uow, actor, m)]
    return marked


def _mark(uow, actor: str, message: Interaction) -> bool:
    if message.direction != "in" or message.read:
        return False
    # A conditional update: of two tabs opening the message at once, only one
    # finds it unread (PostgreSQL re-checks the condition after the row lock).
    changed = uow.session.execute(
        update(Interaction).where(Interaction.id == message.id, Interaction.read.is_(False))
        .values(read=True).execution_options(synchronize_session=False)).rowcount
    set_committed_value(message, "read", True)
    if not changed:
        return False
    refs = {"message": message.reference, **_party_refs(*_parties(uow, message))}
    if message.thread_id is not None:
        refs["thread"] = _reference(uow, message.thread_id)
    if message.event_key:
        refs["event"] = message.event_key
    journal.append(uow, kind="message.read", actor=actor, refs=refs,
                   payload={"subject": message.subject, "received_at": message.sim_time,
                            "role": message.counterpart_role})
    return True


# ===== outbound: the candidate writes ====================================

def send(uow, *, actor: str, to_role: str, subject: str, body: str, language: str,
         customer_id: int | None = None, supplier_id: int | None = None, to_email: str = "",
         reply_to: int | None = None, attachment_document_ids: Iterable[int] = (),
         attach: Iterable[tuple[str, int]] = (), form_token: str | None = None) -> Interaction:
    """The candidate sends a message; journaled ``message.sent`` with the full text.

    One transaction: the PDFs named in ``attach`` ((kind, ref_id) as in
    ``sim.documents.service.KINDS``) are printed, kept and journaled
    ``document.generated`` together with the message, or not at all.
    A reply (``reply_to``) joins the thread of that message; its recipient,
    language and subject ("RE: ...") default to the thread's.
    """
    from sim.documents.service import KINDS, UnknownDocumentKind, render
    from sim.workspace.forms import claim

    claim(uow, form_token, "message.sent")  # first: a resubmitted form is refused as such (409)
    errors: dict[str, str] = {}
    original = None
    if reply_to is not None:
        original = _find_message(uow, reply_to)
        if original is None:
            errors["reply_to"] = "Ce message n'existe pas dans votre messagerie."
    if original is not None:
        to_role = to_role or original.counterpart_role
        if to_role == original.counterpart_role:
            customer_id = customer_id if customer_id is not None else original.customer_id
            supplier_id = supplier_id if supplier_id is not None else original.supplier_id
            to_email = to_email or counterpart_address(uow, original)
        subject = subject if (subject or "").strip() else reply_subject(original.subject)
        language = language or original.language

    # --- the recipient ---
    customer = supplier = None
    name = ""
    to_email = (to_email or "").strip()
    # Replying to someone the scenario made write first (a prospect, a carrier's
    # agent) who is no customer, supplier or carrier on file: their address is enough.
    unlinked_reply = (original is not None and original.counterpart_role == to_role
                      and original.customer_id is None and original.supplier_id is None and bool(to_email))
    if to_role not in ROLE_LABELS:
        errors["to_role"] = "Choisissez le type de destinataire."
    elif to_role == "customer":
        customer = _find(uow, Customer, customer_id)
        if customer is None and not unlinked_reply:
            errors["customer"] = "Choisissez un client existant (code ou nom dans la liste)."
        elif customer is not None:
            name = customer.name
            to_email = to_email or customer.email or _primary_contact_email(uow, customer=customer)
            language = language or customer.language
    elif to_role == "supplier":
        supplier = _find(uow, Supplier, supplier_id)
        if supplier is None and not unlinked_reply:
            errors["supplier"] = "Choisissez un fournisseur existant (code ou nom dans la liste)."
        elif supplier is not None:
            name = supplier.name
            to_email = to_email or supplier.email or _primary_contact_email(uow, supplier=supplier)
            language = language or supplier.language
    elif to_role == "carrier":
        carrier = uow.session.scalars(select(Carrier).where(func.lower(Carrier.email) == to_email.lower())).first() \
            if to_email else None
        if carrier is not None:
            name = carrier.name
        elif not unlinked_reply:
            errors["carrier"] = "Choisissez un transporteur."
    elif to_role == "sales_rep":  # the customer's sales rep, by their own address (sim/crm/claims.py)
        name = "Commercial terrain"
        if not to_email:
            errors["to"] = "Ce client n'a pas de commercial attitré : choisissez un autre destinataire."
    else:
        box, name = INTERNAL_BOXES[to_role]
        to_email = f"{box}@{_company_domain(uow)}"
    if original is not None and original.counterpart_role == to_role and original.counterpart_name:
        name = original.counterpart_name
    if to_role in ROLE_LABELS and not any(k in errors for k in ("customer", "supplier", "carrier")):
        if not to_email:
            errors["to"] = "Ce destinataire n'a pas d'adresse courriel : complétez sa fiche."
        elif not _ADDRESS.match(to_email) or len(to_email) > 160:
            errors["to"] = "Adresse courriel invalide."

    # --- the message ---
    language = language or "fr"
    if language not in LANGUAGES:
        errors["language"] = "Choisissez la langue du message (français ou anglais)."
    _check_text(subject, body, errors)

    # --- attachments: existing documents, and documents printed now ---
    documents = _documents(uow, attachment_document_ids, errors)
    to_print = []
    for kind, ref_id in attach:
        if kind not in KINDS:
            errors["attachments"] = f"Type de document inconnu : {kind}."
            continue
        try:
            rendered = render(uow, kind, int(ref_id))
        except (NotFound, UnknownDocumentKind, ValueError, TypeError):
            errors["attachments"] = "Un des documents à joindre n'existe pas dans votre espace."
            continue
        if customer is not None and rendered.customer.id != customer.id:
            errors["attachments"] = (f"{rendered.filename} concerne un autre client ({rendered.customer.name}) : "
                                     "on n'envoie pas à un client les documents d'un autre.")
            continue
        to_print.append((rendered, int(ref_id)))
    if errors:
        raise ValidationFailed(errors)

    now = sim_now(uow)
    documents += [keep(uow, actor=actor, rendered=rendered, ref_id=ref_id) for rendered, ref_id in to_print]
    root_id = (original.thread_id or original.id) if original is not None else None
    message = Interaction(
        workspace_id=uow.workspace_id, customer_id=customer.id if customer else None,
        supplier_id=supplier.id if supplier else None, contact_id=_contact_id(uow, to_email, customer, supplier),
        channel=EMAIL, direction="out", counterpart_role=to_role, counterpart_name=name[:160],
        counterpart_email=to_email, language=language, subject=subject.strip(), body=_normalised(body),
        sim_time=now, thread_id=root_id, read=True, reference=next_number(uow, "message", sim_date(uow)))
    uow.add(message)
    uow.session.flush()
    _attach(uow, message, documents)
    refs = {"message": message.reference, **_party_refs(customer, supplier)}
    if root_id is not None:
        refs |= {"thread": _reference(uow, root_id), "reply_to": original.reference}
    journal.append(uow, kind="message.sent", actor=actor, refs=refs,
                   payload={"to_role": to_role, "to": to_email, "language": language, "subject": message.subject,
                            "text": message.body, "attachments": [d.filename for d in documents],
                            **writing_evidence(f"{message.subject}\n{message.body}", language)})
    return message


def writing_evidence(text: str, declared: str) -> dict:
    """What the journal keeps of how a message is written: the language lingua detects
    (French or English), its confidence, whether the text mixes both, and the words the
    spelling aid flags (in the detected language, else the declared one) and, in French, the
    passages the grammar aid flags (Grammalecte)."""
    from sim.writing import grammar, language, spelling

    found = language.journal_fields(text)
    used = found["detected_language"] or declared
    try:
        found = {**found, "flagged_words": spelling.flagged_words(text, used)}
    except spelling.DictionaryMissing:  # no dictionary installed: no spelling evidence, the message still goes
        pass
    try:
        if used in grammar.LANGUAGES:
            found = {**found, "grammar_flags": grammar.journal_flags(text, used)}
    except grammar.GrammarMissing:  # Grammalecte not installed: no grammar evidence, the message still goes
        pass
    return found


# ===== helpers (no commit) ===============================================

def _find_message(uow, message_id) -> Interaction | None:
    try:
        message_id = int(message_id)
    except (TypeError, ValueError):
        return None
    return uow.session.scalars(select(Interaction).where(Interaction.id == message_id,
                                                         Interaction.channel == EMAIL)).first()


def _message(uow, message_id) -> Interaction:
    message = _find_message(uow, message_id)
    if message is None:
        raise NotFound(f"Interaction {message_id}")
    return message


def _find(uow, model, id_):
    if id_ is None:
        return None
    try:
        id_ = int(id_)
    except (TypeError, ValueError):
        return None
    if not is_id(id_):
        return None
    return uow.session.scalars(select(model).where(model.id == id_)).first()


def _check_text(subject: str, body: str, errors: dict[str, str]) -> None:
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = "L'objet est obligatoire."
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = f"L'objet est trop long ({len(subject)} caractères, {SUBJECT_MAX} au plus)."
    if not (body or "").strip():
        errors["body"] = "Le message est vide."
    elif len(_normalised(body)) > BODY_MAX:
        errors["body"] = f"Le message est trop long ({len(_normalised(body))} caractères, {BODY_MAX} au plus)."
    # NUL (which PostgreSQL refuses) and other control characters: refused, never dropped silently
    for key, text, multiline in (("subject", subject, False), ("body", body, True)):
        if key not in errors and has_control_characters(text, multiline=multiline):
            errors[key] = "Caractère non imprimable interdit (caractère nul ou de contrôle) : retirez-le."


def _normalised(body: str) -> str:
    """The text as written, with browser line ends (CRLF) made plain and trailing blanks dropped."""
    return (body or "").replace("\r\n", "\n").replace("\r", "\n").rstrip()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def reply_subject(subject: str) -> str:
    subject = subject or ""
    return subject if _REPLY_PREFIX.match(subject) else f"RE: {subject}"[:SUBJECT_MAX]


def _documents(uow, ids: Iterable[int], errors: dict[str, str]) -> list[Document]:
    """Existing documents of this workspace, by id, in the order given (content not loaded)."""
    try:
        wanted = list(dict.fromkeys(int(i) for i in ids))
    except (TypeError, ValueError):
        errors["attachments"] = "Pièce jointe invalide."
        return []
    if not wanted:
        return []
    found = {d.id: d for d in uow.session.scalars(
        select(Document).where(Document.id.in_(wanted)).options(defer(Document.content)))}
    if len(found) != len(wanted):
        errors["attachments"] = "Une des pièces jointes n'existe pas dans votre espace."
        return []
    return [found[i] for i in wanted]


def _attach(uow, message: Interaction, documents: list[Document]) -> None:
    for document in documents:
        uow.add(MessageAttachment(workspace_id=uow.workspace_id, interaction_id=message.id,
                                  document_id=document.id))
    if documents:
        uow.session.flush()


def _company_domain(uow) -> str:
    company = uow.session.scalars(select(Company)).first()
    for address in (company.email if company else "", company.website if company else ""):
        if address and "@" in address:
            return address.rsplit("@", 1)[1].strip().lower()
        if address:
            return address.lower().removeprefix("https://").removeprefix("http://").removeprefix("www.").strip("/")
    return ""


def _primary_contact_email(uow, *, customer=None, supplier=None) -> str:
    query = select(Contact.email).where(Contact.email != "")
    query = query.where(Contact.customer_id == customer.id) if customer else query.where(
        Contact.supplier_id == supplier.id)
    return uow.session.scalars(query.order_by(Contact.is_primary.desc(), Contact.id)).first() or ""


def _contact_id(uow, email: str, customer, supplier) -> int | None:
    """The contact of that customer or supplier who owns the address, if any."""
    if not email or (customer is None and supplier is None):
        return None
    query = select(Contact.id).where(func.lower(Contact.email) == email.strip().lower())
    query = query.where(Contact.customer_id == customer.id) if customer else query.where(
        Contact.supplier_id == supplier.id)
    return uow.session.scalars(query.order_by(Contact.id)).first()


def _parties(uow, message: Interaction):
    customer = _find(uow, Customer, message.customer_id)
    supplier = _find(uow, Supplier, message.supplier_id)
    return customer, supplier


def _reference(uow, message_id: int) -> str:
    """A message's business key (MSG-…), what the journal names it by."""
    return uow.session.scalar(select(Interaction.reference).where(Interaction.id == message_id))


def _party_refs(customer, supplier) -> dict:
    refs = {}
    if customer is not None:
        refs["customer"] = customer.code
    if supplier is not None:
        refs["supplier"] = supplier.code
    return refs


def _names(uow, messages: list[Interaction]) -> dict[tuple[str, int], str]:
    """("customer" | "supplier" | "contact", id) → name, for the messages' linked parties
    (one query: the three look-ups as one UNION ALL, each part scoped to the workspace)."""
    wanted = {"customer": {m.customer_id for m in messages if m.customer_id is not None},
              "supplier": {m.supplier_id for m in messages if m.supplier_id is not None},
              "contact": {m.contact_id for m in messages if m.contact_id is not None}}
    parts = []
    if wanted["customer"]:
        parts.append(select(literal("customer").label("kind"), Customer.id.label("id"), Customer.name.label("name"),
                            literal("").label("surname")).where(Customer.id.in_(wanted["customer"])))
    if wanted["supplier"]:
        parts.append(select(literal("supplier"), Supplier.id, Supplier.name, literal(""))
                     .where(Supplier.id.in_(wanted["supplier"])))
    if wanted["contact"]:
        parts.append(select(literal("contact"), Contact.id, Contact.first_name, Contact.last_name)
                     .where(Contact.id.in_(wanted["contact"])))
    if not parts:
        return {}
    query = parts[0] if len(parts) == 1 else select(union_all(*parts).subquery())
    return {(kind, id_): f"{first} {last}" if kind == "contact" else first
            for kind, id_, first, last in uow.session.execute(query)}


def _counterpart(message: Interaction, names: dict) -> tuple[str, str]:
    organisation = ""
    if message.customer_id is not None:
        organisation = names.get(("customer", message.customer_id), "")
    elif message.supplier_id is not None:
        organisation = names.get(("supplier", message.supplier_id), "")
    person = message.counterpart_name or (names.get(("contact", message.contact_id), "")
                                          if message.contact_id is not None else "")
    return _shown_counterpart(person, organisation, message.counterpart_role)


def _shown_counterpart(person: str, organisation: str, role: str) -> tuple[str, str]:
    """(counterpart, organisation) as the pages show them: the person and their
    organisation, or the organisation alone, or the role."""
    if not person:
        return organisation or role_label(role), ""
    return person, organisation if organisation != person else ""
