"""A printed page sent to management (a dashboard, a project's report): the PDF kept as a Document,
attached to a message to the management role. WeasyPrint runs before the write lock: the route prints
ahead (``print_ahead``) and the service reuses that PDF when the page has not changed since."""
from __future__ import annotations

import hashlib

from sim.clock import sim_now


def print_pdf(html: str) -> bytes:
    from sim.documents.rendering import html_to_pdf

    return html_to_pdf(html)


def version_of(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def print_ahead(uow, render) -> dict[str, bytes]:
    """The PDF of ``render(reader)``'s HTML printed in a read-only unit of work beside ``uow`` (not begun),
    by its version; {} when the page cannot be rendered (the service says why under the lock)."""
    from sim.db import UnitOfWork
    from sim.errors import SimError

    with UnitOfWork(uow.workspace_id, write=False, engine=uow.engine) as reader:
        try:
            html = render(reader)
        except SimError:
            return {}
    return {version_of(html): print_pdf(html)}


def attach_and_send(uow, *, actor: str, html: str, printed: dict[str, bytes] | None, kind: str, filename: str,
                    ref_kind: str, ref_id: int, subject: str, body: str, form_token: str | None = None):
    """Keep the page's PDF (printed ahead if the HTML is the same, else now) and send it to management:
    (the document, the message)."""
    from sim.documents.models import Document
    from sim.inbox.service import send

    content = (printed or {}).get(version_of(html)) or print_pdf(html)
    document = Document(workspace_id=uow.workspace_id, kind=kind, filename=filename, mime_type="application/pdf",
                        content=content, sha256=hashlib.sha256(content).hexdigest(), ref_kind=ref_kind,
                        ref_id=ref_id, sim_time=sim_now(uow))
    uow.add(document)
    uow.session.flush()
    message = send(uow, actor=actor, to_role="management", subject=subject, body=body, language="fr",
                   attachment_document_ids=[document.id], form_token=form_token)
    return document, message
