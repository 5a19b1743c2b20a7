"""Evaluation tests: helpers shared by the tests of this package."""
from __future__ import annotations

from decimal import Decimal as D

from sim.evaluation.result import (ACQUIRED, MET, MISSED, TO_JUDGE, CompetenceResult, CriterionResult, Evaluation,
                                   ExpectationResult)

EVALUATOR = "evaluator:eva"
C1, C2 = "assistant-commercial/CP2/1", "assistant-commercial/CP4/1"


def an_evaluation(journal_seq: int = 10) -> Evaluation:
    """CP2: one automatic item met (2 pts, essential) and one to judge (4 pts): under the default rule
    (50 %) the CP depends on the judgement. CP4: one automatic item missed (3 pts): not acquired."""
    expectations = (
        ExpectationResult("stock-checked", C1, "CP2", "Vérifier le stock", MET, D(2), D(2), (3,),
                          "Stock consulté.", essential=True),
        ExpectationResult("tone", C1, "CP2", "Ton professionnel du courriel", TO_JUDGE, D(0), D(4), (5,),
                          "À juger par l'évaluateur.", judge="evaluator"),
        ExpectationResult("reminder-sent", C2, "CP4", "Relancer le client", MISSED, D(0), D(3), (),
                          "Aucune relance.", essential=True),
    )
    criteria = (CriterionResult(C1, "CP2", "Traiter la commande", TO_JUDGE, D(2), D(6)),
                CriterionResult(C2, "CP4", "Relancer", MISSED, D(0), D(3)))
    competences = (CompetenceResult("CP2", "Gérer les commandes", TO_JUDGE, D(2), D(6), "50 %", "dépend"),
                   CompetenceResult("CP4", "Gérer les impayés", "not_acquired", D(0), D(3), "50 %", "manquée"))
    return Evaluation("test", "assistant-commercial", expectations, criteria, competences, D(2), D(5), journal_seq)


__all__ = ["ACQUIRED", "an_evaluation", "EVALUATOR"]
