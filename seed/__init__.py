"""Deterministic generator of a believable French SME (``advsim seed --seed N``).

``seed.company.populate`` is the entry point; the same seed gives the same
company, byte for byte, whatever the database and whenever it runs.
"""
