"""Errors a service raises to refuse an action. Routes map them to 4xx pages."""
from __future__ import annotations


class SimError(Exception):
    """A refused business action, with a French message for the user."""

    status_code = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationFailed(SimError):
    """Bad input: ``errors`` maps each form field to its message."""

    status_code = 422

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k} : {v}" for k, v in errors.items()))
        self.errors = errors


class WorkspaceClosed(SimError):
    """The exam is over for this workspace: it is read-only."""

    status_code = 409

    def __init__(self):
        super().__init__("L'épreuve est terminée : votre espace est en lecture seule, plus aucune action "
                         "n'est enregistrée.")
