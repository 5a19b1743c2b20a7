"""The referentials quote the REAC: every title and performance criterion is in the text.

Rule: a criterion's text is the REAC's "Critères de performance" line, word for word
(accents, apostrophes and punctuation included); only the REAC's line wrapping is undone.
Sources: tests/referentials/sources/reac-assistant-commercial-2020.txt (primary)
and reac-conseiller-commercial-2023.txt, copies of the official REAC texts kept
with the tests (override the folder with ADVSIM_REAC_DIR).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from sim import referentials
from sim.referentials import REFERENTIALS, criterion, criterion_ids, load

SEED_FILES = {
    "assistant-commercial": "reac-assistant-commercial-2020.txt",
    "conseiller-commercial": "reac-conseiller-commercial-2023.txt",
}
REAC_DIR = Path(
    os.environ.get("ADVSIM_REAC_DIR", Path(__file__).resolve().parent / "sources")
)
ID_PATTERN = re.compile(r"^(?P<referential>[a-z-]+)/CP(?P<cp>[1-9][0-9]*)/(?P<n>[1-9][0-9]*)$")


def normalised(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space."""
    return " ".join(text.split())


def reac_text(referential_id: str) -> str:
    path = REAC_DIR / SEED_FILES[referential_id]
    if not path.is_file():
        pytest.skip(f"REAC text not found at {path} (set ADVSIM_REAC_DIR)")
    return normalised(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("referential_id", REFERENTIALS)
def test_every_criterion_text_appears_verbatim_in_the_reac(referential_id):
    reac = reac_text(referential_id)
    referential = load(referential_id)

    missing = [k.id for k in referential.criteria if normalised(k.text) not in reac]

    assert missing == []


@pytest.mark.parametrize("referential_id", REFERENTIALS)
def test_every_criterion_is_quoted_under_its_own_competence_in_reac_order(referential_id):
    # Cut the REAC into its "fiches compétence professionnelle" and check that the
    # criteria of CPn sit in the "Critères de performance" block of fiche n, in order.
    reac = reac_text(referential_id)
    fiches = re.split(r"FICHE COMP[EÉ]TENCE PROFESSIONNELLE N° ", reac)[1:]
    referential = load(referential_id)
    assert len(fiches) == len(referential.competences)

    for competence, fiche in zip(referential.competences, fiches):
        number, _, body = fiche.partition(" ")
        assert int(number) == competence.number
        assert body.startswith(competence.title + " ")
        block = body.split("Critères de performance", 1)[1].split("Savoir-faire techniques", 1)[0]
        expected = normalised(block)
        assert " ".join(k.text for k in competence.criteria) == expected, competence.id


@pytest.mark.parametrize("referential_id", REFERENTIALS)
def test_activity_titles_and_descriptions_are_quoted_from_the_reac(referential_id):
    reac = reac_text(referential_id)
    # The REAC splits a word at a line-end hyphen ("non-\nrespect"): rejoin it.
    reac_joined = re.sub(r"- (?=\w)", "-", reac)
    referential = load(referential_id)

    for activity in referential.activities:
        assert f"FICHE ACTIVITÉ TYPE N° {activity.number} {activity.title} " in reac.replace(
            "ACTIVITE", "ACTIVITÉ"
        )
    for competence in referential.competences:
        assert competence.description, competence.id
        assert competence.description in reac or competence.description in reac_joined, (
            competence.id
        )


@pytest.mark.parametrize("referential_id", REFERENTIALS)
def test_criterion_ids_are_unique_and_follow_the_pattern(referential_id):
    referential = load(referential_id)
    ids = [k.id for k in referential.criteria]

    assert len(ids) == len(set(ids)) == len(criterion_ids(referential_id))
    for competence in referential.competences:
        for position, k in enumerate(competence.criteria, 1):
            match = ID_PATTERN.match(k.id)
            assert match is not None, k.id
            assert match["referential"] == referential_id
            assert f"CP{match['cp']}" == competence.id
            assert int(match["n"]) == position


@pytest.mark.parametrize("referential_id", REFERENTIALS)
def test_competences_are_numbered_cp1_to_cp8_across_the_two_activities(referential_id):
    referential = load(referential_id)

    assert [a.number for a in referential.activities] == [1, 2]
    assert [c.id for c in referential.competences] == [f"CP{n}" for n in range(1, 9)]
    assert [c.number for c in referential.competences] == list(range(1, 9))
    assert all(c.criteria for c in referential.competences)


def test_assistant_commercial_is_the_level_5_titre_with_its_eight_competences():
    referential = load("assistant-commercial")

    assert referential.title == "Assistant commercial"
    assert referential.level == 5
    assert [c.title for c in referential.competences] == [
        "Gérer l’administration des ventes",
        "Suivre les opérations de la supply chain",
        "Suivre la relation clientèle en français et en anglais",
        "Prévenir et gérer les impayés",
        "Concevoir et publier des supports de communication commerciale",
        "Concevoir et actualiser les tableaux de bord commerciaux",
        "Organiser une action commerciale",
        "Assurer l’accueil d’une manifestation commerciale en français et en anglais",
    ]
    assert [len(c.criteria) for c in referential.competences] == [5, 3, 6, 3, 4, 3, 3, 5]


def test_conseiller_commercial_is_the_level_4_titre_tp_00115():
    referential = load("conseiller-commercial")

    assert (referential.title, referential.code, referential.level) == (
        "Conseiller commercial", "TP-00115", 4,
    )
    assert [len(c.criteria) for c in referential.competences] == [5, 7, 9, 4, 6, 8, 4, 5]


def test_criterion_lookup_returns_the_reac_text():
    found = criterion("assistant-commercial/CP4/1")

    assert found.id == "assistant-commercial/CP4/1"
    assert found.text == (
        "L’encours de règlement d’un client est vérifié avant l’enregistrement "
        "d’une nouvelle commande"
    )
    assert criterion("assistant-commercial/CP4/1") is found
    assert load("assistant-commercial").competence("CP4").criteria[0] is found


@pytest.mark.parametrize(
    "unknown_id",
    [
        "assistant-commercial/CP4/4",  # CP4 has three criteria
        "assistant-commercial/CP9/1",  # there is no CP9
        "vendeur-conseil/CP1/1",  # not a referential we ship
        "assistant-commercial/CP4",  # malformed
        "",
    ],
)
def test_an_unknown_criterion_id_raises_a_key_error_naming_it(unknown_id):
    with pytest.raises(KeyError) as raised:
        criterion(unknown_id)

    assert repr(unknown_id) in str(raised.value)


def test_an_unknown_referential_raises_a_key_error():
    with pytest.raises(KeyError, match="vendeur-conseil"):
        load("vendeur-conseil")


def test_referentials_are_read_once_and_cached():
    assert load("assistant-commercial") is load("assistant-commercial")
    assert referentials.load.cache_info().hits >= 1
