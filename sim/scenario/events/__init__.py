"""The event library: one module per kind of event.

A module declares ``KIND`` (its name in scenario files), ``TITLE`` (one French
line for the README and the trainer's page), ``PROPERTIES`` and ``REQUIRED``
(its JSON Schema fields), ``REFS`` (which fields name scenario entities, and
of what kind) and ``handle(ctx, spec)``, which acts only through the domain
services. Adding an event kind is adding a module here.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import ModuleType


@lru_cache
def registry() -> dict[str, ModuleType]:
    kinds: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        kinds[module.KIND] = module
    return kinds
