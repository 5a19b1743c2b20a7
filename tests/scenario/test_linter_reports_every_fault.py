"""The scenario linter reports every fault of a broken scenario, at its exact place.

Each file in ``broken/`` is a small scenario that would be valid but for one
fault (``several-faults.yaml`` holds several, to prove that all are reported,
not only the first). ``EXPECTED`` lists, for each file, every problem the
linter must report: its 1-based line and column, and a stable fragment of its
French message. Nothing more may be reported.

Files listed in ``LINTER_BUGS`` state the correct behaviour that the linter
does not have yet; they are marked ``xfail(strict=True)`` until it is fixed.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from sim.cli import main
from sim.scenario.loader import lint_file

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
BROKEN = Path(__file__).resolve().parent / "broken"

EXPECTED: dict[str, list[tuple[int, int, str]]] = {
    # --- YAML itself --------------------------------------------------------
    "yaml-syntax-error.yaml": [(3, 26, "YAML invalide : « : » inattendu ici (un texte qui contient « : » "
                                       "s'écrit entre guillemets")],
    "duplicate-key.yaml": [(4, 1, "YAML invalide : clé « title » écrite deux fois dans la même table")],
    "yaml-unclosed-quote.yaml": [(71, 11, "YAML invalide : guillemet non refermé")],
    "yaml-tab-indentation.yaml": [(71, 1, "YAML invalide : tabulation interdite : indentez avec des espaces")],
    "yaml-bad-indentation.yaml": [(18, 6, "YAML invalide : indentation incohérente")],
    "yaml-at-sign.yaml": [(18, 14, "YAML invalide : caractère « @ » interdit en début de valeur : mettez la "
                                   "valeur entre guillemets")],
    "not-a-mapping.yaml": [(1, 1, "le fichier doit être une table YAML")],
    "billion-laughs.yaml": [(63, 10, "les alias YAML (*nom) développent le fichier au-delà de 100")],
    "deep-nesting.yaml": [(57, 58, "imbrication trop profonde : 50 niveaux au plus")],
    # --- structure and types (JSON Schema) ----------------------------------
    "missing-required-field.yaml": [(47, 7, "champ obligatoire manquant : « body »")],
    "unknown-field.yaml": [(42, 5, "champ obligatoire manquant : « message »"),
                           (46, 5, "champ inconnu : « mesage »")],
    "wrong-type.yaml": [(6, 16, "un nombre entier attendu")],
    "empty-value.yaml": [(3, 1, "un texte attendu")],
    "bad-enum.yaml": [(4, 14, "valeur « assistant-commerciale » invalide")],
    "unknown-event-kind.yaml": [(36, 11, "valeur « supplier_late » invalide")],
    "bad-delay.yaml": [(43, 43, "format invalide « 2x » : une durée")],
    "bad-date-format.yaml": [(35, 9, "format invalide « 02/11/2026 10:15 » : une date AAAA-MM-JJ")],
    "bad-start-date-format.yaml": [(5, 8, "02/11/2026")],
    "bad-new-date-format.yaml": [(38, 15, "AAAA-MM-JJ")],
    "bad-country-code.yaml": [(15, 16, "code pays")],
    "uppercase-entity-id.yaml": [(15, 5, "minuscules")],
    "old-expectation-format.yaml": [(16, 12, "« judge: auto » est l'ancien format des attentes"),
                                    (17, 5, "« rule: » est l'ancien format des attentes"),
                                    (22, 12, "« judge: human » est l'ancien format des attentes : écrivez "
                                             "« judge: evaluator »")],
    "two-triggers.yaml": [(42, 5, "exactement un de : at, after, when")],
    "no-trigger.yaml": [(42, 5, "exactement un de : at, after, when")],
    # --- meaning ------------------------------------------------------------
    "unknown-customer.yaml": [(45, 22, "client inconnu(e) : « galwey »")],
    "unknown-product-in-order-line.yaml": [(31, 25, "produit inconnu(e) : « strech »")],
    "visitor-bad-fact.yaml": [(25, 19, "valeur « colour » invalide"), (25, 66, "produit inconnu(e) : « boxs »")],
    "unknown-supplier-in-purchase-order.yaml": [(25, 17, "fournisseur inconnu(e) : « nordfill »")],
    "when-names-unknown-order.yaml": [(43, 45, "commande inconnu(e) : « galway_ordr »")],
    "when-names-unknown-journal-kind.yaml": [
        (43, 21, "type d'entrée de journal inconnu : « order.confirmd » (vouliez-vous dire « order.confirmed » ?)")],
    "unknown-attachment-entity.yaml": [(46, 40, "commande inconnu(e) : « galway_ordr »")],
    "unknown-criterion.yaml": [(52, 16, "critère inconnu : « assistant-commercial/CP9/9 »")],
    "duplicate-event-id.yaml": [(42, 9, "identifiant d'événement en double : « supplier_delay »")],
    "after-points-nowhere.yaml": [(43, 20, "« after » vise un événement inconnu : « supplier_late »")],
    "event-after-itself.yaml": [(43, 20, "ne peut pas suivre lui-même")],
    "after-cycle.yaml": [(35, 20, "cycle dans les « after » : supplier_delay → customer_asks → supplier_delay")],
    "date-outside-span.yaml": [(35, 9, "hors du scénario")],
    "impossible-date-in-at.yaml": [(35, 9, "2026-11-31")],
    "impossible-calendar-date.yaml": [(26, 17, "2026-11-31")],
    # --- values, as strictly as the services read them (they passed, then the dry run crashed or
    #     an event silently never fired) -------------------------------------
    "order-line-quantity-zero.yaml": [(38, 44, "valeur « 0 » refusée — Quantité : un nombre plus grand que 0")],
    "order-line-quantity-negative.yaml": [(58, 42, "valeur « -5 » refusée — Quantité : un nombre plus grand que 0")],
    "order-line-quantity-in-words.yaml": [(58, 42, "valeur « dix » refusée — Quantité : nombre attendu")],
    "price-infinite.yaml": [(25, 14, "valeur « .inf » refusée — Prix : nombre attendu")],
    "negative-stock.yaml": [(26, 14, "valeur « -20 » refusée — Stock : 0 au moins")],
    "amount-three-decimals.yaml": [(66, 13, "valeur « 1000.125 » refusée — Montant : au centime près")],
    "partial-payment-above-due.yaml": [
        (66, 13, "règlement de 2\u202f500,00\u00a0€ supérieur au reste dû sur la facture « old_invoice » (2\u202f347,20\u00a0€)")],
    "past-invoice-after-start.yaml": [
        (42, 13, "la facture « old_invoice » fait partie du passé de l'entreprise : sa date (20/11/2026) est après "
                 "le début du scénario (02/11/2026)")],
    "purchase-order-expected-before-its-date.yaml": [
        (32, 17, "livraison attendue le 20/10/2026, avant la commande elle-même (26/10/2026)")],
    "after-beyond-end.yaml": [(55, 43, "« after » tombe le 08/11/2026 à 10:15, après la fin du scénario "
                                       "(07/11/2026 08:30) : l'événement ne se déclencherait jamais")],
    "reply-with-nothing-to-answer.yaml": [
        (69, 11, "« reply » sans message à quoi répondre : déclenchez-le par « when: {journal: message.sent, "
                 "customer: galway} »")],
    # --- all of them, not only the first ------------------------------------
    # --- expectations (the evaluator's language) -----------------------------
    "expectation-faults.yaml": [
        (107, 14, "type d'entrée de journal inconnu : « mesage.sent » (vouliez-vous dire « message.sent » ?)"),
        (113, 23, "client inconnu(e) : « galwey »"),
        (119, 21, "événement inconnu : « customer_ask »"),
        (121, 16, "critère inconnu : « assistant-commercial/CP2/9 »"),
        (130, 14, "deux sortes de vérification dans une attente : journal et message"),
        (135, 12, "« never » seul est refusé : un candidat qui ne fait rien le gagnerait"),
        (141, 21, "format invalide « 4 heures » : une durée"),
        (145, 13, "Points : un nombre plus grand que 0 attendu"),
        (152, 13, "filtre « blocked » impossible : aucune entrée order.confirmed n'a ce champ"),
        (159, 22, "crédit partiel de 2 point(s) : moins que les 1 point(s)"),
        (164, 42, "statut « shipped » inconnu pour « order »"),
    ],
    "several-faults.yaml": [
        (7, 8, "valeur 0 hors limites (minimum 1)"),
        (23, 7, "champ inconnu : « stok »"),
        (37, 9, "hors du scénario"),
        (45, 43, "format invalide « 2x »"),
        (47, 22, "client inconnu(e) : « galwey »"),
        (54, 16, "critère inconnu"),
        (58, 9, "identifiant d'attente en double : « customer-told »"),
    ],
}

LINTER_BUGS: dict[str, str] = {}  # every bug found by this suite is fixed


def _case(name: str):
    marks = [pytest.mark.xfail(strict=True, reason=LINTER_BUGS[name])] if name in LINTER_BUGS else []
    return pytest.param(name, marks=marks, id=name.removesuffix(".yaml"))


def _show(problems) -> str:
    return "\n".join(f"  {p.line}:{p.col}: {p.message}" for p in problems) or "  (aucun problème)"


def _matches(problems, expected):
    """Pairs each expected (line, col, fragment) with a distinct reported problem, or fails saying which."""
    remaining = list(problems)
    for line, col, fragment in expected:
        found = next((p for p in remaining if (p.line, p.col) == (line, col) and fragment in p.message), None)
        assert found is not None, (f"attendu {line}:{col}: …{fragment}…, signalé :\n{_show(problems)}")
        remaining.remove(found)
    assert not remaining, f"problèmes en trop :\n{_show(remaining)}"


def test_every_broken_file_is_listed_with_its_expected_problems():
    on_disk = {p.name for p in BROKEN.glob("*.yaml")}
    assert on_disk == set(EXPECTED)
    assert set(LINTER_BUGS) <= set(EXPECTED)
    assert len(EXPECTED) >= 15


@pytest.mark.parametrize("name", [_case(n) for n in sorted(EXPECTED)])
def test_the_linter_reports_every_problem_of_a_broken_scenario_at_its_exact_line_and_column(name):
    path = str(BROKEN / name)
    result = lint_file(path)
    expected = EXPECTED[name]

    assert not result.ok
    assert len(result.problems) == len(expected), f"{len(expected)} attendu(s), signalé(s) :\n{_show(result.problems)}"
    _matches(result.problems, expected)
    assert {p.file for p in result.problems} == {path}
    for p in result.problems:
        assert str(p) == f"{path}:{p.line}:{p.col}: {p.message}"


def test_lint_prints_one_file_line_col_message_line_per_problem_and_returns_1(capsys):
    path = str(BROKEN / "several-faults.yaml")
    assert main(["scenario", "lint", path]) == 1
    lines = capsys.readouterr().out.splitlines()

    pattern = re.compile(rf"^{re.escape(path)}:(\d+):(\d+): (.+)$")
    matches = [pattern.match(line) for line in lines]
    assert all(matches), lines
    printed = [(int(m[1]), int(m[2]), m[3]) for m in matches]
    assert [(line, col) for line, col, _ in printed] == [(line, col) for line, col, _ in EXPECTED["several-faults.yaml"]]
    for (_, _, message), (_, _, fragment) in zip(printed, EXPECTED["several-faults.yaml"]):
        assert fragment in message


def test_lint_returns_1_when_one_of_several_files_is_broken_and_still_checks_the_others(capsys):
    good, bad = str(SCENARIOS / "late-delivery.yaml"), str(BROKEN / "unknown-customer.yaml")
    assert main(["scenario", "lint", bad, good]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:45:22: client inconnu(e) : « galwey »" in out
    assert any(line.startswith(good) and "OK" in line for line in out.splitlines())


def test_lint_prints_a_one_line_ok_summary_and_returns_0_on_the_example_scenario(capsys):
    path = str(SCENARIOS / "late-delivery.yaml")
    assert main(["scenario", "lint", path]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(path)
    assert "OK" in lines[0]


def test_schema_prints_valid_json_that_requires_the_sections_of_a_scenario(capsys):
    assert main(["scenario", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)

    for name in ("id", "title", "referential", "start", "duration_days", "briefing", "company", "timeline"):
        assert name in schema["required"]
    Draft202012Validator.check_schema(schema)


def test_the_printed_schema_accepts_the_example_scenario(capsys):
    main(["scenario", "schema"])
    schema = json.loads(capsys.readouterr().out)
    data = lint_file(SCENARIOS / "late-delivery.yaml").data
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


SHIPPED = sorted(p for p in SCENARIOS.glob("*.yaml") if not p.name.endswith((".candidate.yaml", ".careless.yaml")))


def test_there_is_at_least_one_shipped_scenario():
    assert SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_scenario_lints_clean(path):
    result = lint_file(path)
    assert result.problems == [], "\n".join(map(str, result.problems))


def test_an_email_from_a_carrier_of_the_generated_company_is_not_reported(tmp_path):
    from seed.company import SMALL, generate

    carrier = generate(11, SMALL).carriers[0].name
    path = tmp_path / "carrier-email.yaml"
    path.write_text(f"""\
id: carrier-email
title: "Courriel d'un transporteur"
referential: assistant-commercial
start: 2026-11-02T08:30
duration_days: 5
briefing: "Vous êtes assistant(e) commercial(e)."
company:
  seed: 11
  size: small
timeline:
  - id: carrier_writes
    at: 2026-11-02T10:15
    kind: email
    from: {{carrier: "{carrier}"}}
    message:
      subject: "Livraison décalée"
      body: "Le camion aura une journée de retard."
""", encoding="utf-8")
    result = lint_file(path)
    assert result.problems == [], "\n".join(map(str, result.problems))
