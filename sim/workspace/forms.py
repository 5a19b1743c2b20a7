"""One-time form tokens: the second submission of the same form changes nothing."""
from __future__ import annotations

import re

from sqlalchemy import select

from sim.clock import wall_now
from sim.errors import SimError
from sim.workspace.models import FormSubmission


class AlreadySubmitted(SimError):
    status_code = 409

    def __init__(self):
        super().__init__("Ce formulaire a déjà été envoyé : l'action a été enregistrée une seule fois.")


class BadFormToken(SimError):
    status_code = 400

    def __init__(self):
        super().__init__("Formulaire invalide (jeton de formulaire altéré) : rechargez la page.")


# What new_form_token() makes (URL-safe base64), with room: never cut, refused.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def claim(uow, token: str | None, action: str) -> None:
    """Claim the form's token in the action's transaction (no token: nothing to claim).

    The unique (workspace, token) constraint is the last word when two
    submissions race; the query answers the common case with a clear message.
    """
    if not token:
        return
    if not _TOKEN.fullmatch(token):
        raise BadFormToken()
    exists = uow.session.scalar(select(FormSubmission.id).where(
        FormSubmission.workspace_id == uow.workspace_id, FormSubmission.token == token))
    if exists is not None:
        raise AlreadySubmitted()
    uow.session.add(FormSubmission(workspace_id=uow.workspace_id, token=token, action=action, created_at=wall_now()))
    uow.session.flush()
