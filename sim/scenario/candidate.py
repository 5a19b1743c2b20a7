"""A scripted candidate for dry runs: a YAML list of actions done through the
same services a candidate's clicks call, at a sim time or after an event.

    - at: 2026-11-03T11:00            # or: after: {event: supplier_delay, delay: 45m}
      do: send_message
      to: {customer: dublin}
      language: en
      subject: Your order
      body: ...
"""
from __future__ import annotations

from sim.scenario.actions import ACTOR  # noqa: F401  (the scripts' actor, imported from here by callers)
from sim.scenario.engine import EventContext

# Which fields name scenario entities (shared by the actions of every area).
REFS = {"customer": "customer", "to.customer": "customer", "to.supplier": "supplier", "lines[].product": "product",
        "order": "order", "invoice": "invoice", "product": "product", "substitute": "product",
        "supplier": "supplier", "purchase_order": "purchase_order", "damaged[].product": "product",
        "support": "support", "delivery": "delivery", "carrier": "carrier",
        "invoices[]": "invoice", "dashboard": "dashboard", "claim": "claim"}


def action_schema(do: str) -> dict:
    from sim.scenario.schema import DATETIME, DELAY

    properties, required = FIELDS[do]
    return {"type": "object", "properties": {
        "do": {"type": "string"}, "at": DATETIME,
        "after": {"type": "object", "properties": {"event": {"type": "string"}, "delay": DELAY},
                  "required": ["event"], "additionalProperties": False}, **properties},
        "required": ["do", *required], "additionalProperties": False,
        "oneOf": [{"required": ["at"]}, {"required": ["after"]}]}


# Filled from the area modules (sim/scenario/actions/): the action functions, their fields
# (JSON-schema properties, required keys) and which entity kind an action's `name` defines.
ACTIONS: dict = {}
FIELDS: dict[str, tuple[dict, list[str]]] = {}
DEFINES: dict[str, str] = {}


def _merge_areas() -> None:
    """Adds the actions of the modules under ``sim.scenario.actions`` (one per business area)."""
    import importlib
    import pkgutil

    from sim.scenario import actions

    for info in sorted(pkgutil.iter_modules(actions.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        area = importlib.import_module(f"sim.scenario.actions.{info.name}")
        for function in area.ACTIONS:
            if function.__name__ in ACTIONS:
                raise RuntimeError(f"candidate action {function.__name__} defined twice")
            ACTIONS[function.__name__] = function
        FIELDS.update(area.FIELDS)
        REFS.update(getattr(area, "REFS", {}))
        DEFINES.update(getattr(area, "DEFINES", {}))


_merge_areas()


def perform(uow, spec: dict) -> None:
    ACTIONS[spec["do"]](uow, EventContext(uow, actor=ACTOR), {k: v for k, v in spec.items()
                                                             if k not in ("do", "at", "after")})
