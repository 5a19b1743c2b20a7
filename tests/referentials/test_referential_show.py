"""``advsim referential show assistant-commercial``: the 8 CPs and every criterion as the REAC words it."""
from __future__ import annotations

import re
from pathlib import Path

from sim.cli import main

SOURCE = Path(__file__).resolve().parent / "sources" / "reac-assistant-commercial-2020.txt"


def test_show_lists_the_eight_cps_and_every_criterion_worded_as_in_the_reac(capsys):
    assert main(["referential", "show", "assistant-commercial"]) == 0
    out = capsys.readouterr().out
    reac = " ".join(SOURCE.read_text(encoding="utf-8").split())

    cps = re.findall(r"^  (CP\d) — (.+)$", out, re.M)
    assert [cp for cp, _ in cps] == [f"CP{n}" for n in range(1, 9)]
    for _, title in cps:
        assert title in reac
    criteria = re.findall(r"^    (assistant-commercial/CP\d/\d+)  (.+)$", out, re.M)
    assert len(criteria) == 5 + 3 + 6 + 3 + 4 + 3 + 3 + 5
    for criterion_id, text in criteria:
        assert text in reac, criterion_id
    # each CP's criteria, joined, are its fiche's "Critères de performance" block word for word
    fiches = re.split(r"FICHE COMP[EÉ]TENCE PROFESSIONNELLE N° ", reac)[1:]
    for n, fiche in enumerate(fiches, 1):
        block = fiche.split("Critères de performance", 1)[1].split("Savoir-faire techniques", 1)[0].strip()
        assert " ".join(t for i, t in criteria if i.startswith(f"assistant-commercial/CP{n}/")) == block


def test_show_refuses_an_unknown_referential(capsys):
    assert main(["referential", "show", "vendeur-conseil"]) == 1
    assert "référentiel inconnu" in capsys.readouterr().out
