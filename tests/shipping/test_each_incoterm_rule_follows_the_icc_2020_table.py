"""One test per Incoterms® 2020 rule against the ICC table (shared/domain/incoterms-2020.md):
where risk passes, who pays the main carriage, who insures and at which clauses, who
clears export and import, the named place, the transport modes the rule allows."""
from __future__ import annotations

import pytest

from sim.shipping import incoterms

# code: (modes, main carriage, insurance, export, import, named place, words of the risk transfer)
ICC_2020 = {
    "EXW": ("any", "B", "", "B", "B", "shipment", "non chargée"),
    "FCA": ("any", "B", "", "S", "B", "shipment", "remise au transporteur de l'acheteur"),
    "CPT": ("any", "S", "", "S", "B", "destination", "premier transporteur"),
    "CIP": ("any", "S", "A", "S", "B", "destination", "premier transporteur"),
    "DAP": ("any", "S", "", "S", "B", "destination", "prête à être déchargée"),
    "DPU": ("any", "S", "", "S", "B", "destination", "déchargée"),
    "DDP": ("any", "S", "", "S", "S", "destination", "dédouanée à l'import"),
    "FAS": ("sea", "B", "", "S", "B", "shipment", "le long du navire"),
    "FOB": ("sea", "B", "", "S", "B", "shipment", "à bord du navire"),
    "CFR": ("sea", "S", "", "S", "B", "destination", "à bord du navire au port d'embarquement"),
    "CIF": ("sea", "S", "C", "S", "B", "destination", "à bord du navire au port d'embarquement"),
}


def test_there_are_eleven_rules_seven_for_any_mode_four_for_sea_and_inland_waterway():
    assert list(incoterms.RULES) == list(ICC_2020)
    assert sum(1 for r in incoterms.RULES.values() if r.modes == "any") == 7
    assert [r.code for r in incoterms.RULES.values() if r.sea_only] == ["FAS", "FOB", "CFR", "CIF"]


@pytest.mark.parametrize("code", list(ICC_2020))
def test_the_rule_splits_risk_costs_and_formalities_as_the_icc_says(code):
    modes, carriage, insurance, export, import_, place, risk = ICC_2020[code]
    rule = incoterms.RULES[code]

    assert rule.modes == modes
    assert rule.main_carriage == carriage
    assert rule.insurance == insurance
    assert rule.export_clearance == export
    assert rule.import_clearance == import_
    assert rule.named_place == place
    assert risk in rule.risk_passes
    assert rule.written("Le Havre") == f"{code} Le Havre, Incoterms® 2020"
    duties = " ".join(rule.seller_obligations())
    # what the order page tells the seller follows the same split
    assert ("Conclure et payer" in duties) == (carriage == "S")
    assert ("Institute Cargo Clauses" in duties) == bool(insurance)
    assert ("formalités de dédouanement à l'export" in duties) == (export == "S")
    assert ("Dédouaner à l'import" in duties) == (import_ == "S")
    if code == "DPU":
        assert "Décharger la marchandise" in duties  # the only rule where the seller unloads
    if code in ("CPT", "CIP", "CFR", "CIF"):
        assert "le risque passe à l'acheteur dès" in duties  # the C-rule trap: costs to destination, risk at origin


@pytest.mark.parametrize("code", ["FAS", "FOB", "CFR", "CIF"])
@pytest.mark.parametrize("mode", ["road", "rail", "air", "multimodal"])
def test_a_sea_rule_is_refused_for_another_mode(code, mode):
    assert "réservé au transport maritime ou fluvial" in incoterms.mode_error(code, mode)


@pytest.mark.parametrize("code", list(ICC_2020))
def test_every_rule_fits_sea_and_inland_waterway(code):
    assert incoterms.mode_error(code, "sea") == incoterms.mode_error(code, "inland_waterway") == ""
