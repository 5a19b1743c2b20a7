"""The staff journal page reads as French sentences, one per kind, built from
the catalogue (issue "ERP depth", item 7): no kind fails or reads empty, the
figures are written the French way, and a candidate's text stays text."""
from __future__ import annotations

import pytest

from sim.journal.catalogue import KINDS
from sim.journal.sentences import sentence

SAMPLE = {"text": "Retard de livraison", "key": "FA-2026-00042", "money": "1234.50", "decimal": "12.5",
          "date": "2026-11-02", "datetime": "2026-11-02T10:15:00", "int": 3, "bool": True, "list": ["a"],
          "dict": {"a": 1}}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_catalogue_kind_gives_a_sentence(name):
    kind = KINDS[name]
    refs = {ref: f"{ref.upper()}-1" for ref in (*kind.refs, *kind.optional_refs)}
    payload = {field: SAMPLE[type_.rstrip("?")] for field, type_ in kind.payload.items()}
    text = sentence(name, refs, payload)
    assert text.startswith(kind.title) and len(text) > len(name) / 2
    for ref in kind.refs:
        assert f"{ref.upper()}-1" in text


def test_figures_are_french_and_refs_are_labelled():
    text = sentence("invoice.issued", {"invoice": "FA-2026-00042", "customer": "C00042"},
                    {"total_ht": "1234.50", "total_ttc": "1481.40"})
    assert "facture FA-2026-00042" in text and "client C00042" in text
    assert "1\u202f234,50\u00a0€" in text or "1 234,50 €" in text.replace("\u202f", " ").replace("\u00a0", " ")


def test_an_unknown_kind_still_reads():
    assert sentence("legacy.thing", {"customer": "C1"}, {}) == "legacy.thing — client C1"
