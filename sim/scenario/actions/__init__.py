"""Candidate-script actions by business area, one module each.

Each module holds ``ACTIONS`` (the functions, named as the action), ``FIELDS`` (action →
(JSON-schema properties, required keys)) and optionally ``REFS`` (field path → entity kind)
and ``DEFINES`` (action → entity kind its ``name`` defines). ``sim.scenario.candidate``
merges them into its tables. Shared schema pieces are in ``_fields``.
"""

ACTOR = "candidate:script"  # the journal's actor for every scripted action
