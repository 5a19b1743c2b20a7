"""What each URL path parameter names, for the isolation tests generated from
the route table: every ``{param}`` in a route must be listed here."""
from __future__ import annotations

from sim.crm.models import Customer
from sim.workspace.models import Workspace

PATH_OBJECTS = {
    "customer_id": Customer,
    "workspace_id": Workspace,
}
