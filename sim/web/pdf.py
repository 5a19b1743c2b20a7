"""Opening a printed document as PDF: the one way the document routes (billing, sales,
shipping) answer with a PDF printed from the current state."""
from __future__ import annotations

from fastapi import Response

from sim.accounts.models import User
from sim.web.deps import actor


def document_pdf(uow, user: User, kind: str, ref_id: int) -> Response:
    """Open a document: print it as it stands now and journal ``document.viewed``
    once per version. Nothing is stored; no write lock is held while it prints."""
    from sim.documents.rendering import html_to_pdf
    from sim.documents.service import record_view, render

    rendered = render(uow, kind, ref_id)  # reads only
    uow.session.close()  # the connection goes back to the pool while WeasyPrint prints
    content = html_to_pdf(rendered.html)
    if not uow.inspecting:  # a staff member opening it is not the candidate having seen it
        with uow.evidence():  # short: look for this version in the journal, journal it if new
            record_view(uow, actor=actor(user), rendered=rendered)
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{rendered.filename}"'})
