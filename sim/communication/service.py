"""Communication supports: draft, save, publish; management's requests for them.

Each public function is one business action in the caller's unit of work (the
caller commits) and journals what it did in it:

- ``communication.requested`` — management asked for a support (scenario event);
- ``support.drafted`` / ``support.saved`` — the candidate began or changed a draft;
- ``support.published`` — sent to the segment by e-mail, or put on the website,
  the social network or printed: with the segment (filters, matched, recipients,
  exclusions by reason), the reach, and the advice limits not met. The body as
  typed is in ``text``: what the evaluator scores on.

A workspace's writes are serialised by its write lock (sim/db.py), so the
status read here is still true when the row is written: publishing twice (a
double click, two tabs) publishes once, the second is refused.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from sim.clock import sim_now
from sim.communication import channels as limits
from sim.communication import segments
from sim.evaluation.mentions import language_of
from sim.communication.models import (PURPOSE_OF, Channel, CommunicationRequest, CommunicationSupport, SupportKind,
                                      SupportStatus)
from sim.crm.models import Customer
from sim.errors import SimError, ValidationFailed
from sim.journal import service as journal
from sim.company.models import SalesRep
from sim.parsing import has_control_characters, read_text

TITLE_MAX = 200
OBJECTIVE_MAX = 2_000
BODY_MAX = 20_000
# When the response shows: the figures of an emailing or a post, two days after.
RESPONSE_AFTER = timedelta(days=2)
# Without a scripted response: usual B2B orders of magnitude (open and click rates of an emailing,
# views and clicks of a post among the company's followers).
DEFAULT_RESPONSE = {Channel.EMAIL: {"open_rate": "0.30", "click_rate": "0.04", "replies": 0},
                    Channel.SOCIAL: {"open_rate": "0.25", "click_rate": "0.02", "replies": 0},
                    Channel.WEBSITE: {"open_rate": "1", "click_rate": "0.03", "replies": 0}}


class SupportAlreadyPublished(SimError):
    status_code = 409

    def __init__(self, number: str):
        super().__init__(f"Le support {number} est déjà publié : il ne peut plus être modifié ni publié à nouveau.")


class SupportChangedMeanwhile(SimError):
    status_code = 409

    def __init__(self, number: str):
        super().__init__(f"Le support {number} a été modifié entre-temps (autre onglet ?) : "
                         "rechargez la page avant de l'enregistrer.")


# ===== management's request (scenario event) ===========================

def record_request(uow, *, actor: str, event_key: str, subject: str, objective: str = "", target: str = "",
                   channels: list[str] | None = None, due: datetime | None = None,
                   response: dict | None = None) -> CommunicationRequest:
    request = CommunicationRequest(workspace_id=uow.workspace_id, event_key=event_key, subject=subject,
                                   objective=objective, target=target, channels=list(channels or []), due_at=due,
                                   response=dict(response or {}), received_at=sim_now(uow))
    uow.add(request)
    uow.session.flush()
    journal.append(uow, kind="communication.requested", actor=actor, refs={"event": event_key},
                   payload={"subject": subject, "objective": objective, "target": target,
                            "channels": list(channels or []), "due": due.isoformat(timespec="minutes") if due else ""})
    return request


def requests(uow) -> list[CommunicationRequest]:
    return list(uow.session.scalars(select(CommunicationRequest).order_by(CommunicationRequest.received_at,
                                                                          CommunicationRequest.id)))


# ===== drafts ===========================================================

def _read(uow, *, kind, channel, title, objective, body, filters, request_event) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict = {}
    if kind not in {k.value for k in SupportKind}:
        errors["kind"] = "Choisissez le type de support."
    if channel not in {c.value for c in Channel}:
        errors["channel"] = "Choisissez le canal de diffusion."
    values["kind"], values["channel"] = kind, channel
    values["title"] = read_text(title, "title", errors, label="Titre ou objet", max_length=TITLE_MAX) or ""
    values["objective"] = read_text(objective, "objective", errors, label="Objectif", max_length=OBJECTIVE_MAX,
                                    multiline=True) or ""
    values["body"] = read_text(body, "body", errors, label="Texte", max_length=BODY_MAX, multiline=True) or ""
    values["filters"], filter_errors = segments.read_filters(filters or {})
    errors.update({f"filter_{k}": v for k, v in filter_errors.items()})
    rep = values["filters"].get("sales_rep")
    if rep is not None and uow.session.scalars(select(SalesRep.id).where(SalesRep.id == rep)).first() is None:
        errors["filter_sales_rep"] = "Commercial inconnu."
    values["request_id"] = None
    request_event = "" if request_event is None else str(request_event)
    if request_event and (has_control_characters(request_event) or len(request_event) > 80):
        errors["request"] = "Cette demande n'existe pas dans votre espace."
    elif request_event:
        request = uow.session.scalars(select(CommunicationRequest).where(
            CommunicationRequest.event_key == str(request_event))).first()
        if request is None:
            errors["request"] = "Cette demande n'existe pas dans votre espace."
        else:
            values["request_id"] = request.id
    return values, errors


def _next_number(uow, on) -> str:
    # The workspace's write lock serialises writers: the count cannot move under us
    # (and (workspace, number) is unique, the last word if it did).
    count = uow.session.scalar(select(func.count(CommunicationSupport.id))) or 0
    return f"COM-{on.year}-{count + 1:03d}"


def _refs(uow, support: CommunicationSupport) -> dict:
    refs = {"support": support.number}
    if support.request_id:
        refs["event"] = uow.session.get(CommunicationRequest, support.request_id).event_key
    return refs


def create_support(uow, *, actor: str, kind: str, channel: str, title: str = "", objective: str = "",
                   body: str = "", filters: dict | None = None, request_event: str = "",
                   form_token: str | None = None) -> CommunicationSupport:
    """A new draft. Refused as a whole (ValidationFailed) with a message per field."""
    from sim.workspace.forms import claim

    claim(uow, form_token, "support.drafted")
    values, errors = _read(uow, kind=kind, channel=channel, title=title, objective=objective, body=body,
                           filters=filters, request_event=request_event)
    if errors:
        raise ValidationFailed(errors)
    now = sim_now(uow)
    support = CommunicationSupport(workspace_id=uow.workspace_id, number=_next_number(uow, now.date()),
                                   created_at=now, updated_at=now, **values)
    uow.add(support)
    uow.session.flush()
    journal.append(uow, kind="support.drafted", actor=actor, refs=_refs(uow, support),
                   payload={"kind": support.kind, "channel": support.channel, "title": support.title})
    return support


def update_support(uow, *, actor: str, support_id: int, revision: int | None, kind: str, channel: str,
                   title: str = "", objective: str = "", body: str = "", filters: dict | None = None,
                   request_event: str = "") -> CommunicationSupport:
    """Save the draft. Refused if it was published, or saved meanwhile from another page (``revision``)."""
    support = uow.get(CommunicationSupport, support_id)
    if support.status == SupportStatus.PUBLISHED:
        raise SupportAlreadyPublished(support.number)
    if revision is not None and revision != support.revision:
        raise SupportChangedMeanwhile(support.number)
    values, errors = _read(uow, kind=kind, channel=channel, title=title, objective=objective, body=body,
                           filters=filters, request_event=request_event)
    if errors:
        raise ValidationFailed(errors)
    changed = sorted(k for k, v in values.items() if getattr(support, k) != v)
    if not changed:
        return support  # the same form twice: nothing to save, nothing journaled
    for name, value in values.items():
        setattr(support, name, value)
    support.revision += 1
    support.updated_at = sim_now(uow)
    uow.session.flush()
    journal.append(uow, kind="support.saved", actor=actor, refs=_refs(uow, support),
                   payload={"kind": support.kind, "channel": support.channel, "title": support.title,
                            "changed": changed, "revision": support.revision})
    return support


# ===== what the editor shows ============================================

def segment_of(uow, support_or_values, *, shown: int | None = None):
    """The support's segment: every customer (``segments.build``: what publishing sends to), or
    with ``shown`` its counts and first ``shown`` exclusions (``segments.summary``: a preview)."""
    get = support_or_values.get if isinstance(support_or_values, dict) else \
        (lambda name, default=None: getattr(support_or_values, name, default))
    kind = get("kind") if get("kind") in {k.value for k in SupportKind} else SupportKind.OFFER
    channel = get("channel") if get("channel") in {c.value for c in Channel} else Channel.EMAIL
    options = {"channel": channel, "purpose": PURPOSE_OF[SupportKind(kind)], "today": sim_now(uow).date()}
    if shown is not None:
        return segments.summary(uow, get("filters") or {}, shown=shown, **options)
    return segments.build(uow, get("filters") or {}, **options)


def audience(uow, channel: str) -> int:
    """Who a public channel reaches (simulated): followers of the company's page
    (4 per customer on file), the website's visitors in a week (3 per customer)."""
    per_customer = {Channel.SOCIAL: 4, Channel.WEBSITE: 3}.get(channel, 0)
    if not per_customer:  # an emailing or a leaflet: no audience to count
        return 0
    return per_customer * (uow.session.scalar(select(func.count(Customer.id))) or 0)


def _share(count: int, rate) -> int:
    return int((Decimal(count) * Decimal(str(rate))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def response_shown(uow, support: CommunicationSupport) -> bool:
    return support.published_at is not None and sim_now(uow) >= support.published_at + RESPONSE_AFTER


# ===== publishing =======================================================

def _spelling_evidence(support) -> dict:
    """The words the spelling aid flags in what goes out, as for a message (evidence for the
    evaluator: « l'orthographe est correcte »); nothing when no dictionary is installed."""
    from sim.inbox.service import writing_evidence

    found = writing_evidence(f"{support.title}\n{support.body}", "fr")
    return {"flagged_words": found["flagged_words"]} if "flagged_words" in found else {}


def publish(uow, *, actor: str, support_id: int, revision: int | None = None) -> CommunicationSupport:
    """Send the emailing to the segment's recipients, or publish on the public channel.

    Refused when a hard limit of the channel is not met, when an emailing has
    nobody it may be sent to, when the support was already published, or when
    it changed since the page was shown."""
    support = uow.get(CommunicationSupport, support_id)
    if support.status == SupportStatus.PUBLISHED:
        raise SupportAlreadyPublished(support.number)
    if revision is not None and revision != support.revision:
        raise SupportChangedMeanwhile(support.number)
    checks = limits.check(support.channel, support.title, support.body)
    errors = {f"limit_{c.limit.code}": f"{c.limit.label} ({c.shown})" for c in limits.refusals(checks)}
    segment = segment_of(uow, support)
    if support.channel == Channel.EMAIL and not segment.recipients:
        errors["segment"] = ("Aucun destinataire : le segment est vide ou aucun client n'a donné son "
                             "consentement pour ce type d'envoi.")
    if errors:
        raise ValidationFailed(errors)
    now = sim_now(uow)
    if support.channel == Channel.EMAIL:
        support.recipients = [c.code for c, _ in segment.recipients]
        support.reach = len(support.recipients)
    else:
        support.recipients = []
        support.reach = audience(uow, support.channel)
    request = uow.session.get(CommunicationRequest, support.request_id) if support.request_id else None
    scripted = (request.response if request is not None else {}) or {}
    rates = {**DEFAULT_RESPONSE.get(support.channel, {"open_rate": 0, "click_rate": 0, "replies": 0}), **scripted}
    support.opens = _share(support.reach, rates["open_rate"])
    support.clicks = min(support.opens, _share(support.reach, rates["click_rate"]))
    support.replies = min(support.reach, int(rates.get("replies", 0) or 0))
    support.status = SupportStatus.PUBLISHED
    support.published_at = now
    support.revision += 1
    uow.session.flush()
    journal.append(uow, kind="support.published", actor=actor, refs=_refs(uow, support), payload={
        "kind": support.kind, "channel": support.channel, "title": support.title, "objective": support.objective,
        "text": support.body, "filters": dict(support.filters), "purpose": segment.purpose.value,
        "matched": len(segment.matched), "recipients": support.reach if support.channel == Channel.EMAIL else 0,
        "excluded": segment.excluded_by_reason(), "reach": support.reach,
        "advice_not_met": limits.advice_not_met(checks), "within_limits": not limits.advice_not_met(checks),
        "language": language_of(f"{support.title}\n{support.body}") or "",
        "customers": list(support.recipients), **_spelling_evidence(support)})
    return support
