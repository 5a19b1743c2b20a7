"""Refusals of the sales services."""
from __future__ import annotations

from sim.errors import SimError


class WrongStatus(SimError):
    """The document is not in a state that allows this action."""


class ApprovalNotAllowed(SimError):
    """Only a manager-level user can release a blocked order."""

    status_code = 403
