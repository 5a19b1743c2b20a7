"""Reading and linting scenario files.

Every problem is reported as ``file:line:col: message`` (1-based), all of them,
not only the first: YAML syntax, structure and types (JSON Schema), then the
meaning — unknown entity, unknown event kind, unknown criterion, an ``after``
that points nowhere or loops, a date outside the scenario's span.
"""
from __future__ import annotations

from difflib import get_close_matches

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from jsonschema import Draft202012Validator
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, SequenceNode
from ruamel.yaml.scanner import RoundTripScanner, ScannerError
from ruamel.yaml.error import MarkedYAMLError

from sim.journal.catalogue import KINDS, matching
from sim.scenario.durations import parse_delay

from sim.scenario.events import registry
from sim.scenario.schema import event_schema, scenario_schema

ENTITY_SECTIONS = {"customers": "customer", "suppliers": "supplier", "products": "product", "orders": "order",
                   "purchase_orders": "purchase_order", "invoices": "invoice", "carriers": "carrier",
                   "deliveries": "delivery"}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


@dataclass
class LintResult:
    path: str
    data: dict | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class ScenarioInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


# ===== positions ========================================================

class _Positions:
    """Line and column (1-based) of any node of the parsed document."""

    def __init__(self, root):
        self.root = root

    def of(self, path, *, key: bool = False) -> tuple[int, int]:
        node, pos = self.root, (0, 0)
        for index, step in enumerate(path):
            last = index == len(path) - 1
            if isinstance(node, CommentedMap) and step in node:
                # an empty value has no place of its own: point at its key
                pos = node.lc.key(step) if (key and last) or node[step] is None else node.lc.value(step)
                node = node[step]
            elif isinstance(node, CommentedSeq) and isinstance(step, int) and step < len(node):
                pos = node.lc.item(step)
                node = node[step]
            else:
                break
        return pos[0] + 1, pos[1] + 1

    def of_key(self, path, name) -> tuple[int, int]:
        return self.of([*path, name], key=True)


def _plain(node):
    """ruamel nodes → plain Python; dates and times as ISO strings, as written."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, datetime):
        return node.isoformat(timespec="minutes") if node.second == 0 else node.isoformat()
    if isinstance(node, date):
        return node.isoformat()
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, (int, float)):
        return node
    return str(node)


# ===== messages =========================================================

_HINTS = {r"\d{4}-\d{2}-\d{2}": "une date AAAA-MM-JJ (heure HH:MM en option)",
          "^[A-Z]{2}$": "un code pays ISO à deux lettres majuscules (FR, IE, DE…)",
          "comptant|": "des conditions de paiement comme comptant, 30_net, 45_fdm ou 60_net",
          r"^[a-z_]+(\.[a-z_*]+)?$": "un type d'entrée du journal comme order.confirmed ou message.*",
          r"^-?\d+([.,]\d{1,2})?$": "un montant comme 1250 ou 1250.50",
          r"\s*(\d+\s*[smhdw]": "une durée comme 30m, 2h, 1d ou 1d 4h",
          "^[a-z][a-z0-9_-]*$": "un identifiant en minuscules (lettres, chiffres, - et _)",
          r"^[a-z-]+/CP\d+/\d+$": "un critère comme assistant-commercial/CP4/1"}


def _message(error) -> str:
    v = error.validator
    if v == "required":
        name = re.search(r"'([^']+)' is a required property", error.message)
        return f"champ obligatoire manquant : « {name.group(1) if name else error.message} »"
    if v == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return f"valeur « {error.instance} » invalide : attendu l'une de {choices}"
    if v == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = {"string": "un texte", "integer": "un nombre entier", "number": "un nombre", "object": "une table (clé: valeur)",
                 "array": "une liste", "boolean": "true ou false"}
        return f"type invalide : {' ou '.join(names.get(k, k) for k in kinds)} attendu"
    if v == "pattern":
        hint = next((h for p, h in _HINTS.items() if p in error.validator_value), f"le motif {error.validator_value}")
        return f"format invalide « {error.instance} » : {hint} attendu"
    if v in ("minLength", "minItems"):
        return "valeur vide : ce champ doit être rempli"
    if v in ("minimum", "maximum"):
        return f"valeur {error.instance} hors limites ({'minimum' if v == 'minimum' else 'maximum'} {error.validator_value})"
    if v == "maxLength":
        return f"texte trop long ({error.validator_value} caractères au plus)"
    if v == "minProperties":
        return "table vide : au moins un champ attendu"
    if v == "maxProperties":
        return f"{error.validator_value} champ au plus dans cette table"
    if v == "const":
        if error.validator_value == "evaluator" and error.instance in ("auto", "human"):
            return (f"« judge: {error.instance} » est l'ancien format des attentes : "
                    + ("écrivez la vérification elle-même (journal:, sequence:, state: ou message:) sans judge"
                       if error.instance == "auto" else "écrivez « judge: evaluator »"))
        return f"valeur « {_shown_value(error.instance)} » invalide : seule « {error.validator_value} » est possible"
    if v == "oneOf":
        return "un événement se déclenche par exactement un de : at, after, when (ou manual: true)"
    return error.message


_ONE_OF_HINTS = {"journal": "un type d'entrée du journal (order.confirmed, message.*) ou une liste de types",
                 "if": "late, incomplete, ou une liste des deux",
                 "partly": "une table {points, if} ou une liste de telles tables",
                 "status": "un statut ou une liste de statuts",
                 "text": "un texte ou une liste de textes"}


def _shown_value(value) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _schema_problems(validator, instance, positions, file, base_path=()) -> list[Problem]:
    problems = []
    for error in validator.iter_errors(instance):
        path = [*base_path, *error.absolute_path]
        if error.validator == "additionalProperties":
            allowed = set(error.schema.get("properties", {}))
            patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
            for extra in error.instance:
                if extra not in allowed and not any(p.search(extra) for p in patterns):
                    line, col = positions.of_key(path, extra)
                    if patterns and not allowed:  # a section of named entities
                        problems.append(Problem(file, line, col, f"nom d'entité invalide « {extra} » : lettres "
                                                f"minuscules, chiffres et _ (ex. {extra.lower()})"))
                        continue
                    if extra == "rule" and path and path[0] == "expectations":
                        problems.append(Problem(file, line, col, "« rule: » est l'ancien format des attentes : "
                                                "mettez son contenu directement dans l'attente (journal: …, where: …)"))
                        continue
                    known = f" (champs possibles : {', '.join(sorted(allowed))})" if allowed else ""
                    problems.append(Problem(file, line, col, f"champ inconnu : « {extra} »{known}"))
            continue
        if error.validator in ("if", "allOf"):
            continue
        line, col = positions.of(path)
        message = _message(error)
        if error.validator == "oneOf" and path and path[0] in ("expectations", "scoring"):
            message = f"valeur « {_shown_value(error.instance)} » invalide ici : " + _ONE_OF_HINTS.get(
                str(path[-1]) if not isinstance(path[-1], int) else str(path[-2]), "forme non reconnue")
        problems.append(Problem(file, line, col, message))
    return problems


# ===== lint =============================================================

_LOOKS_LIKE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$")


def _strings(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*path, index))
    elif isinstance(node, str):
        yield path, node


def _paid(name: str, paid) -> tuple[tuple, object]:
    """Where a past invoice's payment amount is written: ``paid: 1200`` or ``paid: {amount: 1200, …}``."""
    path = ("company", "invoices", name, "paid")
    return ((*path, "amount"), paid.get("amount")) if isinstance(paid, dict) else (path, paid)


def _parse_when(text: str) -> datetime:
    return datetime.fromisoformat(str(text).replace(" ", "T"))


def _get(spec: dict, dotted: str):
    """Values at a REFS path like ``from.customer`` or ``lines[].product``, with their sub-paths."""
    items = [((), spec)]
    for part in dotted.split("."):
        nxt = []
        many = part.endswith("[]")
        name = part[:-2] if many else part
        for path, value in items:
            if isinstance(value, dict) and name in value:
                if many and isinstance(value[name], list):
                    nxt.extend(((*path, name, i), v) for i, v in enumerate(value[name]))
                elif not many:
                    nxt.append(((*path, name), value[name]))
        items = nxt
    return items


# A scenario needs few aliases and little nesting; a file that uses more is
# refused at once, at its place, before it can cost anything ("billion laughs":
# 300 bytes of aliases expanding to billions of nodes; or 10 000 nested "[").
MAX_ALIASES = 100
MAX_EXPANDED_NODES = 100_000  # the nodes the document holds once every alias is expanded
MAX_DEPTH = 50


class _BudgetComposer(Composer):
    """ruamel's composer, counting aliases, the size they expand to, and depth."""

    def compose_document(self):
        self._aliases, self._expanded, self._sizes, self._sizing = 0, 0, {}, set()
        return super().compose_document()

    def compose_node(self, parent, index):
        if self.parser.check_event(AliasEvent):
            mark = self.parser.peek_event().start_mark
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise ComposerError(None, None, f"trop d'alias YAML (*nom) : {MAX_ALIASES} au plus par fichier", mark)
            node = super().compose_node(parent, index)
            self._expanded += self._size(node, mark)
            if self._expanded > MAX_EXPANDED_NODES:
                raise ComposerError(None, None, "les alias YAML (*nom) développent le fichier au-delà de "
                                    f"{MAX_EXPANDED_NODES:_} nœuds".replace("_", "\u202f"), mark)
            return node
        if self.depth >= MAX_DEPTH:
            raise ComposerError(None, None, f"imbrication trop profonde : {MAX_DEPTH} niveaux au plus",
                                self.parser.peek_event().start_mark)
        return super().compose_node(parent, index)

    def _size(self, node, mark) -> int:
        """Nodes under ``node`` with aliases expanded (memoised: linear in the file)."""
        key = id(node)
        if key in self._sizes:
            return self._sizes[key]
        if key in self._sizing:
            raise ComposerError(None, None, "alias YAML récursif (un nœud qui se contient lui-même)", mark)
        self._sizing.add(key)
        if isinstance(node, MappingNode):
            size = 1 + sum(self._size(k, mark) + self._size(v, mark) for k, v in node.value)
        elif isinstance(node, SequenceNode):
            size = 1 + sum(self._size(v, mark) for v in node.value)
        else:
            size = 1
        self._sizing.discard(key)
        self._sizes[key] = size
        return size


class _BudgetScanner(RoundTripScanner):
    """Flow collections ("[[[[…") refused past the depth budget as they are
    scanned: the scanner would otherwise look 1 024 characters ahead for a
    possible key at every level (quadratic, about a second) before the
    composer sees the depth."""

    def fetch_flow_collection_start(self, TokenClass, to_push):
        if self.flow_level >= MAX_DEPTH:
            raise ScannerError(None, None, f"imbrication trop profonde : {MAX_DEPTH} niveaux au plus",
                               self.reader.get_mark())
        super().fetch_flow_collection_start(TokenClass, to_push)


def bounded_yaml() -> YAML:
    """Round-trip YAML within the alias and depth budgets (scenarios, candidate scripts)."""
    yaml = YAML(typ="rt")
    yaml.Scanner = _BudgetScanner
    yaml.Composer = _BudgetComposer
    return yaml


def _yaml() -> YAML:
    """Round-trip YAML (positions of every node) that keeps dates as the text
    written: an impossible date is then reported at its place, not a crash."""
    from ruamel.yaml.constructor import RoundTripConstructor

    yaml = bounded_yaml()

    class Constructor(RoundTripConstructor):
        pass

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)
    yaml.Constructor = Constructor
    return yaml


# ruamel's messages, in English, as a trainer reads them in French
_YAML_FR = [
    (r"mapping values are not allowed here",
     "« : » inattendu ici (un texte qui contient « : » s'écrit entre guillemets, "
     "ou une clé est mal indentée)"),
    (r"could not find expected ':'", "« : » attendu après une clé (une ligne sans « clé: valeur » ?)"),
    (r"found character '(.+)' that cannot start any token",
     lambda m: ("tabulation interdite : indentez avec des espaces" if m[1] == "\\t"
                else f"caractère « {m[1]} » interdit en début de valeur : mettez la valeur entre guillemets")),
    (r"found unexpected end of stream", "guillemet non refermé : la fin du fichier arrive avant le guillemet fermant"),
    (r"found duplicate key \"(.*?)\"", lambda m: f"clé « {m[1]} » écrite deux fois dans la même table"),
    (r"expected <block end>, but found '-'", "élément de liste « - » mal indenté (ou mélangé à des clés)"),
    (r"expected <block end>, but found", "indentation incohérente : cette ligne n'est alignée sur aucun niveau "
                                         "au-dessus"),
    (r"expected ',' or '\]', but got", "crochet « [ » non refermé (ou virgule manquante)"),
    (r"expected ',' or '\}', but got", "accolade « { » non refermée (ou virgule manquante)"),
    (r"expected the node content, but found '<stream end>'", "le fichier s'arrête au milieu d'une valeur"),
    (r"expected the node content", "valeur attendue ici"),
    (r"found undefined alias '(.*?)'", lambda m: f"alias « *{m[1]} » inconnu (aucune ancre « &{m[1]} »)"),
    (r"found unknown escape character", "séquence d'échappement inconnue entre guillemets doubles "
                                        "(« \\ » s'écrit « \\\\ »)"),
    (r"found a tab character", "tabulation interdite : indentez avec des espaces"),
    (r"while scanning an anchor|while scanning an alias", "nom d'ancre ou d'alias invalide"),
]


def yaml_message(exc: MarkedYAMLError) -> str:
    """ruamel's problem, in French ("YAML invalide : …"); the English text when unknown."""
    english = " ".join(str(part) for part in (exc.problem, exc.context) if part)
    for pattern, french in _YAML_FR:
        match = re.search(pattern, english)
        if match:
            return "YAML invalide : " + (french(match) if callable(french) else french)
    return f"YAML invalide : {exc.problem or exc.context}"


def yaml_problem(exc: MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    if "end of stream" in str(exc.problem) or "<stream end>" in str(exc.problem):
        mark = exc.context_mark or mark  # the file's end says little: point at what was left open
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(file, line, col, yaml_message(exc))


def lint_text(text: str, file: str = "<scenario>") -> LintResult:
    yaml = _yaml()
    try:
        root = yaml.load(text)
    except MarkedYAMLError as exc:
        return LintResult(file, None, [yaml_problem(exc, file)])
    if not isinstance(root, CommentedMap):
        return LintResult(file, None, [Problem(file, 1, 1, "le fichier doit être une table YAML (clé: valeur)")])
    positions = _Positions(root)
    data = _plain(root)
    problems = _schema_problems(Draft202012Validator(scenario_schema(with_events=False)), data, positions, file)
    events = data.get("timeline") if isinstance(data.get("timeline"), list) else []
    kinds = registry()
    for index, event in enumerate(events):
        if not isinstance(event, dict) or not isinstance(event.get("kind"), str):
            continue
        if event["kind"] not in kinds:
            continue  # reported by the top-level schema's enum
        problems += _schema_problems(Draft202012Validator(event_schema(event["kind"])), event, positions, file,
                                     ("timeline", index))
    problems += _semantic_problems(data, events, positions, file)
    problems += _value_problems(data, events, positions, file)
    problems += _expectation_problems(data, events, positions, file)
    return LintResult(file, data, sorted(set(problems)))


def scenario_names(data: dict) -> dict[str, set[str]]:
    """The entity names a scenario defines, per kind: its company's, and those its events create."""
    company = data.get("company") if isinstance(data.get("company"), dict) else {}
    events = data.get("timeline") if isinstance(data.get("timeline"), list) else []
    names: dict[str, set[str]] = {kind: set() for kind in ENTITY_SECTIONS.values()}
    names["quote"] = set()
    names["support"] = set()  # named by candidate scripts (write_support)
    names["dashboard"] = set()  # created by the candidate's script (create_dashboard)
    names["claim"] = set()
    names["project"] = set()  # opened by a trade_show_announced event (its name:)
    names["supplier_quote"] = set()  # brought by a supplier_quote event (its name:)
    for section, kind in ENTITY_SECTIONS.items():
        if isinstance(company.get(section), dict):
            names[kind] |= set(company[section])
    # names that events create, usable by later events
    for event in events:
        if isinstance(event, dict) and event.get("kind") in registry():
            for field_name, kind in getattr(registry()[event["kind"]], "DEFINES", {}).items():
                if isinstance(event.get(field_name), str):
                    names[kind].add(event[field_name])
            if event.get("kind") == "customer_order" and isinstance(event.get("name"), str):
                names["order"].add(event["name"])
    names["visitor"] = visitor_keys(events)
    return names


def visitor_keys(events: list) -> set[str]:
    """The keys of the stand's visitors (sim/tradeshow): a ``visitor`` event's id, each of a
    ``trade_show_day``'s visitors as the event's id and its rank (``show_day.1``, ``show_day.2``…)."""
    keys = set()
    for event in events:
        if not isinstance(event, dict) or not isinstance(event.get("id"), str):
            continue
        if event.get("kind") == "visitor":
            keys.add(event["id"])
        elif event.get("kind") == "trade_show_day" and isinstance(event.get("visitors"), list):
            keys |= {f"{event['id']}.{n}" for n in range(1, len(event["visitors"]) + 1)}
    return keys


def _semantic_problems(data: dict, events: list, positions: _Positions, file: str) -> list[Problem]:
    problems: list[Problem] = []

    def add(path, message, key=None):
        line, col = positions.of_key(path, key) if key is not None else positions.of(path)
        problems.append(Problem(file, line, col, message))

    company = data.get("company") if isinstance(data.get("company"), dict) else {}
    names = scenario_names(data)

    def check_ref(path, value, kind):
        if isinstance(value, str) and value not in names.get(kind, set()):
            known = ", ".join(sorted(names.get(kind, set()))) or "aucune"
            add(path, f"{_KIND_FR[kind]} inconnu(e) : « {value} » (définis : {known})")

    # references inside the company section
    for section, field_name, kind in (("orders", "customer", "customer"), ("invoices", "customer", "customer"),
                                      ("purchase_orders", "supplier", "supplier"), ("products", "supplier", "supplier"),
                                      ("deliveries", "order", "order"), ("deliveries", "carrier", "carrier")):
        for name, spec in (company.get(section) or {}).items() if isinstance(company.get(section), dict) else ():
            if isinstance(spec, dict):
                check_ref(("company", section, name, field_name), spec.get(field_name), kind)
                for i, line in enumerate(spec.get("lines") or []):
                    if isinstance(line, dict):
                        check_ref(("company", section, name, "lines", i, "product"), line.get("product"), "product")

    # dates: every value written like a date must be one (2026-11-31 is not)
    for path, value in _strings(data):
        if _LOOKS_LIKE_DATE.match(value):
            try:
                _parse_when(value)
            except ValueError:
                add(path, f"date impossible : « {value} » n'existe pas au calendrier")

    # the span of the scenario
    start = end = None
    try:
        start = _parse_when(data["start"])
        end = start + timedelta(days=int(data["duration_days"]))
    except (KeyError, ValueError, TypeError):
        start = end = None  # the schema or the date walk has said why

    ids: dict[str, int] = {}
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        path = ("timeline", index)
        event_id = event.get("id")
        if isinstance(event_id, str):
            if event_id in ids:
                add((*path, "id"), f"identifiant d'événement en double : « {event_id} » (déjà utilisé plus haut)")
            ids.setdefault(event_id, index)
        kind = event.get("kind")
        if isinstance(kind, str) and kind in registry():
            for dotted, ref_kind in registry()[kind].REFS.items():
                for sub, value in _get(event, dotted):
                    check_ref((*path, *sub), value, ref_kind)
        for i, attachment in enumerate(event.get("attach") or []):
            if isinstance(attachment, dict) and attachment.get("document") in _ATTACHED:
                check_ref((*path, "attach", i, "of"), attachment.get("of"), _ATTACHED[attachment["document"]])
        if isinstance(event.get("when"), dict):
            pattern = event["when"].get("journal")
            if isinstance(pattern, str) and not matching(pattern):
                close = get_close_matches(pattern, list(KINDS), n=1)
                add((*path, "when", "journal"), f"type d'entrée de journal inconnu : « {pattern} »"
                    + (f" (vouliez-vous dire « {close[0]} » ?)" if close else "")
                    + " — la commande « advsim journal kinds » les liste")
            for field_name, kind_name in (("customer", "customer"), ("supplier", "supplier"), ("order", "order"),
                                          ("invoice", "invoice")):
                if field_name in event["when"]:
                    check_ref((*path, "when", field_name), event["when"][field_name], kind_name)
        if "at" in event and start is not None:
            try:
                moment = _parse_when(event["at"])
                if not (start <= moment <= end):
                    add((*path, "at"), f"date hors du scénario : {moment:%d/%m/%Y %H:%M} n'est pas entre le début "
                                       f"({start:%d/%m/%Y %H:%M}) et la fin ({end:%d/%m/%Y %H:%M})")
            except (ValueError, TypeError):
                pass  # the schema reported the format

    # after: dangling references and cycles
    graph = {}
    for index, event in enumerate(events):
        if isinstance(event, dict) and isinstance(event.get("after"), dict):
            target = event["after"].get("event")
            if isinstance(target, str):
                if target not in ids:
                    add(("timeline", index, "after", "event"), f"« after » vise un événement inconnu : « {target} »")
                elif target == event.get("id"):
                    add(("timeline", index, "after", "event"), "un événement ne peut pas suivre lui-même")
                else:
                    graph[event.get("id")] = target
    reported = set()
    for start_id in graph:
        seen, current = [], start_id
        while current in graph and current not in seen:
            seen.append(current)
            current = graph[current]
        if current in seen and current not in reported:
            cycle = seen[seen.index(current):]
            reported |= set(cycle)
            index = ids[cycle[0]]
            add(("timeline", index, "after", "event"),
                "cycle dans les « after » : " + " → ".join([*cycle, cycle[0]]))

    # expectations name real criteria of the scenario's referential
    expectations = data.get("expectations") if isinstance(data.get("expectations"), list) else []
    known = _criteria(data.get("referential"))
    seen_ids = set()
    for index, exp in enumerate(expectations):
        if not isinstance(exp, dict):
            continue
        if exp.get("id") in seen_ids:
            add(("expectations", index, "id"), f"identifiant d'attente en double : « {exp.get('id')} »")
        seen_ids.add(exp.get("id"))
        criterion = exp.get("criterion")
        if isinstance(criterion, str) and known is not None and criterion not in known:
            referential = data.get("referential")
            add(("expectations", index, "criterion"),
                f"critère inconnu : « {criterion} » n'existe pas dans le référentiel {referential}")
    return problems


# ===== values, as strictly as the services read them =====================
#
# A file that lints must play: every number goes through the readers the
# services use (sim/parsing.py), with the same bounds, and the dates and
# delays must land where the engine can fire them.

def _shown(raw) -> str:
    return {float("inf"): ".inf", float("-inf"): "-.inf"}.get(raw, str(raw)) if isinstance(raw, float) else str(raw)


def _read(raw, what: str, kind: str, *, minimum=None, maximum=None, positive=False):
    """(value, None) or (None, French message) — the services' reader for ``kind``."""
    from decimal import Decimal

    from sim.parsing import read_amount, read_decimal, read_quantity

    errors: dict[str, str] = {}
    label = what[0].upper() + what[1:]
    if isinstance(raw, bool) or raw is None:
        return None, f"{what} « {_shown(raw)} » refusé(e) : nombre attendu"
    text = _shown(raw)
    if kind == "quantity":  # a scenario's products are sold by the unit
        value = read_quantity(text, "v", errors, unit="u", message=f"{label} : nombre attendu.")
    elif kind == "amount":
        value = read_amount(text, "v", errors, message=f"{label} : nombre attendu (ex. 1250 ou 1250.50).")
        if value is None and errors.get("v") == "Montant au centime près.":
            errors["v"] = f"{label} : au centime près (2 décimales au plus)."
    else:
        value = read_decimal(text, "v", errors, f"{label} : nombre attendu.", places=2)
    if value is not None:
        if positive and value <= 0:
            errors["v"] = f"{label} : un nombre plus grand que 0 attendu."
        elif minimum is not None and value < Decimal(minimum):
            errors["v"] = f"{label} : {minimum} au moins."
        elif maximum is not None and value > Decimal(maximum):
            errors["v"] = f"{label} : {maximum} au plus."
    if "v" in errors:
        return None, f"valeur « {text} » refusée — {errors['v'].rstrip('.')}"
    return value, None


def _fr_eur(value) -> str:
    from sim.formatting import eur

    return eur(value)


def _times(events: list, start: datetime | None) -> dict[str, datetime | None]:
    """The sim time of each event when the file alone fixes it (``at``, or an
    ``after`` chain ending at an ``at``); None for what a ``when`` decides."""
    by_id = {e.get("id"): e for e in events if isinstance(e, dict) and isinstance(e.get("id"), str)}
    times: dict[str, datetime | None] = {}

    def time_of(event_id, seen=()):
        if event_id in times:
            return times[event_id]
        event = by_id.get(event_id)
        moment = None
        if event is None or event_id in seen:
            return None
        try:
            if "at" in event:
                moment = _parse_when(event["at"])
            elif isinstance(event.get("after"), dict):
                base = time_of(event["after"].get("event"), (*seen, event_id))
                if base is not None:
                    delay = event["after"].get("delay")
                    moment = base + (parse_delay(delay) if delay else timedelta(0))
        except (ValueError, TypeError):
            moment = None
        times[event_id] = moment
        return moment

    for event_id in by_id:
        time_of(event_id)
    return times


def _root_time(events: list, event: dict, times: dict) -> datetime:
    """The time of the ``at`` event an ``after`` chain starts from."""
    by_id = {e.get("id"): e for e in events if isinstance(e, dict)}
    seen = set()
    while isinstance(event.get("after"), dict) and event["after"].get("event") in by_id and id(event) not in seen:
        seen.add(id(event))
        event = by_id[event["after"]["event"]]
    return times.get(event.get("id")) or datetime.max


def _value_problems(data: dict, events: list, positions: _Positions, file: str) -> list[Problem]:
    from decimal import Decimal
    from types import SimpleNamespace

    from sim.billing.vat import vat_rate_for, vat_regime
    from sim.sales.pricing import document_totals, line_net

    problems: list[Problem] = []

    def add(path, message):
        line, col = positions.of(path)
        problems.append(Problem(file, line, col, message))

    def check(path, raw, what, kind, **bounds):
        value, message = _read(raw, what, kind, **bounds)
        if message:
            add(path, message)
        return value

    def lines(path, spec):
        for i, line in enumerate(spec.get("lines") or [] if isinstance(spec, dict) else []):
            if isinstance(line, dict) and "quantity" in line:
                check((*path, "lines", i, "quantity"), line["quantity"], "quantité", "quantity", positive=True)

    def section(name):
        value = company.get(name)
        return value.items() if isinstance(value, dict) else ()

    company = data.get("company") if isinstance(data.get("company"), dict) else {}
    try:
        start = _parse_when(data["start"])
        end = start + timedelta(days=int(data["duration_days"]))
    except (KeyError, ValueError, TypeError):
        start = end = None

    delegation = company.get("delegation") if isinstance(company.get("delegation"), dict) else {}
    for key in ("max_discount_pct", "max_credit_overrun_pct"):
        if key in delegation:
            check(("company", "delegation", key), delegation[key], "pourcentage", "percent", minimum=0, maximum=100)

    def customer_values(path, spec):
        if isinstance(spec, dict) and "credit_limit" in spec:
            check((*path, "credit_limit"), spec["credit_limit"], "plafond d'encours", "amount", minimum=0)
        addresses = spec.get("delivery_addresses") if isinstance(spec, dict) else None
        for i, address in enumerate(addresses if isinstance(addresses, list) else []):
            if not isinstance(address, dict):
                continue
            from sim.crm.records import read_address
            from sim.errors import ValidationFailed
            from sim.scenario.engine import address_values

            try:  # read as the customer page reads it, so that the installation cannot fail on it
                read_address(address_values(address))
            except ValidationFailed as refused:
                for field, message in refused.errors.items():
                    key = field if field in address else next(iter(address), field)
                    add((*path, "delivery_addresses", i, key), f"adresse de livraison refusée — {message}")

    for name, spec in section("customers"):
        customer_values(("company", "customers", name), spec)
    prices: dict[str, tuple[Decimal, Decimal]] = {}
    for name, spec in section("products"):
        if not isinstance(spec, dict):
            continue
        path = ("company", "products", name)
        price = check((*path, "price"), spec["price"], "prix", "amount", minimum=0) if "price" in spec else None
        if "cost" in spec:
            check((*path, "cost"), spec["cost"], "coût d'achat", "amount", minimum=0)
        vat = check((*path, "vat"), spec["vat"], "taux de TVA", "percent", minimum=0, maximum=100) \
            if "vat" in spec else Decimal("20.00")
        if "stock" in spec:
            check((*path, "stock"), spec["stock"], "stock", "quantity", minimum=0)
        if price is not None and vat is not None:
            prices[name] = (price, vat)

    def day(path, raw):
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            return None  # the schema or the date walk says why

    start_day = start.date() if start else None
    for section_name, what in (("orders", "la commande"), ("purchase_orders", "la commande fournisseur"),
                               ("invoices", "la facture"), ("deliveries", "la livraison")):
        for name, spec in section(section_name):
            if not isinstance(spec, dict):
                continue
            path = ("company", section_name, name)
            lines(path, spec)
            when = day((*path, "date"), spec["date"]) if "date" in spec else None
            if when and start_day and when > start_day:
                add((*path, "date"), f"{what} « {name} » fait partie du passé de l'entreprise : sa date "
                                     f"({when:%d/%m/%Y}) est après le début du scénario ({start_day:%d/%m/%Y})")
            if section_name == "purchase_orders" and "expected" in spec:
                expected = day((*path, "expected"), spec["expected"])
                ordered = when or start_day
                if expected and ordered and expected < ordered:
                    add((*path, "expected"), f"livraison attendue le {expected:%d/%m/%Y}, avant la commande "
                                             f"elle-même ({ordered:%d/%m/%Y})")

    # what each past invoice leaves due, computed as the billing service will
    customers = dict(section("customers"))
    due: dict[str, Decimal] = {}
    for name, spec in section("invoices"):
        if not isinstance(spec, dict) or not isinstance(customers.get(spec.get("customer")), dict):
            continue
        who = customers[spec["customer"]]
        regime = vat_regime(who.get("country", "FR"), who.get("vat_number", ""), who.get("kind", "b2b"))
        priced = []
        for line in spec.get("lines") or []:
            quantity, _ = _read(line.get("quantity"), "quantité", "quantity", positive=True) \
                if isinstance(line, dict) else (None, None)
            if quantity is None or line.get("product") not in prices:
                break
            price, vat = prices[line["product"]]
            priced.append(SimpleNamespace(line_total_ht=line_net(quantity, price), vat_rate=vat_rate_for(regime, vat)))
        else:
            total = document_totals(priced).total_ttc
            paid = Decimal("0")
            if spec.get("paid") is not None:
                paid_path, paid_amount = _paid(name, spec["paid"])
                paid = check(paid_path, paid_amount, "montant réglé", "amount", minimum=0) or Decimal("0")
                if paid > total:
                    add(("company", "invoices", name, "paid"),
                        f"réglé {_fr_eur(paid)} sur une facture de {_fr_eur(total)} : un règlement ne dépasse "
                        "pas ce qui est dû")
            due[name] = max(total - paid, Decimal("0"))
            continue
        if spec.get("paid") is not None:  # the lines are wrong (reported): the amount is still read
            check(*_paid(name, spec["paid"]), "montant réglé", "amount", minimum=0)

    times = _times(events, start)
    ordered = sorted(((times.get(e.get("id")) or datetime.max, i, e) for i, e in enumerate(events)
                      if isinstance(e, dict)), key=lambda t: (t[0], t[1]))
    for _, index, event in ordered:
        path = ("timeline", index)
        kind = event.get("kind")
        if kind in ("customer_order", "new_customer"):
            lines(path, event)
        if kind == "new_customer" and isinstance(event.get("details"), dict):
            customer_values((*path, "details"), event["details"])
        if kind == "partial_payment" and "amount" in event:
            amount = check((*path, "amount"), event["amount"], "montant", "amount", positive=True)
            invoice = event.get("invoice")
            if amount is not None and invoice in due:
                if amount > due[invoice]:
                    add((*path, "amount"), f"règlement de {_fr_eur(amount)} supérieur au reste dû sur la facture "
                                           f"« {invoice} » ({_fr_eur(due[invoice])}) : le service le refusera")
                else:
                    due[invoice] -= amount
        if kind == "stock_shortage" and "quantity_lost" in event:
            check((*path, "quantity_lost"), event["quantity_lost"], "quantité perdue", "quantity", positive=True)
        if kind == "price_increase" and "percent" in event:
            check((*path, "percent"), event["percent"], "hausse en %", "percent", minimum=-100, maximum=1000)
        if kind == "trade_show_announced" and isinstance(event.get("show"), dict) and "budget" in event["show"]:
            check((*path, "show", "budget"), event["show"]["budget"], "budget", "amount", minimum=0)
        if kind == "supplier_quote":
            if "amount" in event:
                check((*path, "amount"), event["amount"], "montant HT", "amount", positive=True)
            valid = day((*path, "valid_until"), event["valid_until"]) if "valid_until" in event else None
            moment = times.get(event.get("id"))
            if valid and moment is not None and valid < moment.date():
                add((*path, "valid_until"), f"devis valable jusqu'au {valid:%d/%m/%Y}, avant son arrivée "
                                            f"({moment:%d/%m/%Y}) : il ne pourrait pas être retenu")
        if kind == "reply":
            problems.extend(_reply_problems(event, path, positions, file))
        # an ``after`` that lands beyond the end would silently never fire
        moment = times.get(event.get("id"))
        if isinstance(event.get("after"), dict) and moment is not None and end is not None and moment > end \
                and _root_time(events, event, times) <= end:  # else the first event's own date is reported
            where = (*path, "after", "delay") if event["after"].get("delay") else (*path, "after", "event")
            add(where, f"« after » tombe le {moment:%d/%m/%Y à %H:%M}, après la fin du scénario "
                       f"({end:%d/%m/%Y %H:%M}) : l'événement ne se déclencherait jamais")
    return problems


def _reply_problems(event: dict, path, positions: _Positions, file: str) -> list[Problem]:
    """A reply answers the candidate's last message to its sender: it must wait for one."""
    sender = event.get("from") if isinstance(event.get("from"), dict) else {}
    named = [(k, sender[k]) for k in ("customer", "supplier") if isinstance(sender.get(k), str)]
    if len(named) != 1:
        line, col = positions.of((*path, "from"))
        return [Problem(file, line, col, "« reply » : « from » nomme exactement un client (customer) ou un "
                                         "fournisseur (supplier), celui à qui le candidat a écrit")]
    role, name = named[0]
    when = event.get("when") if isinstance(event.get("when"), dict) else None
    if when is not None and when.get("journal") == "message.sent" and when.get(role) == name:
        return []
    line, col = positions.of((*path, "when") if when is not None else (*path, "kind"))
    return [Problem(file, line, col, f"« reply » sans message à quoi répondre : déclenchez-le par "
                                     f"« when: {{journal: message.sent, {role}: {name}}} », quand le candidat "
                                     f"a écrit à « {name} »")]


_ATTACHED = {"statement": "customer", "order_ack": "order", "invoice": "invoice", "quote": "quote"}
_KIND_FR = {"customer": "client", "supplier": "fournisseur", "product": "produit", "order": "commande",
            "purchase_order": "commande fournisseur", "invoice": "facture", "carrier": "transporteur",
            "support": "support de communication", "delivery": "livraison", "quote": "devis",
            "dashboard": "tableau de bord", "claim": "réclamation", "visitor": "visiteur", "project": "projet",
            "supplier_quote": "devis fournisseur"}


def _criteria(referential) -> set[str] | None:
    if not isinstance(referential, str):
        return None
    try:
        from sim.referentials import criterion_ids
    except ImportError:
        return None
    try:
        return set(criterion_ids(referential))
    except KeyError:
        return None


# ===== candidate scripts ================================================
#
# A candidate script is a YAML list of actions (sim/scenario/candidate.py).
# ``lint_file`` takes a file for a script when its name ends in
# ``.candidate.yaml`` or when its top level is a list; ``X.candidate.yaml``
# goes with the scenario ``X.yaml`` beside it, whose names and span it is
# checked against.

SCRIPT_SUFFIX = ".candidate.yaml"
# a sample's other scripts (the careless candidate of the evaluator's tests) go with X.yaml too
SCRIPT_SUFFIXES = (SCRIPT_SUFFIX, ".careless.yaml")


def scenario_of_script(path: str | Path) -> Path | None:
    path = Path(path)
    suffix = next((s for s in SCRIPT_SUFFIXES if path.name.endswith(s)), None)
    if suffix is None:
        return None
    return path.with_name(path.name[: -len(suffix)] + ".yaml")


def lint_script_text(text: str, file: str = "<script>", scenario: dict | None = None) -> LintResult:
    """Every problem of a candidate script: unknown action or field, bad value,
    unknown entity or event (against ``scenario`` when given), a time outside it."""
    from sim.scenario.candidate import ACTIONS, DEFINES, REFS, action_schema

    yaml = _yaml()
    try:
        root = yaml.load(text)
    except MarkedYAMLError as exc:
        return LintResult(file, None, [yaml_problem(exc, file)])
    if root is None:
        root = CommentedSeq()
    if not isinstance(root, CommentedSeq):
        return LintResult(file, None, [Problem(file, 1, 1, "un script de candidat est une liste d'actions "
                                                          "(« - do: … »)")])
    positions = _Positions(root)
    actions = _plain(root)
    problems: list[Problem] = []

    def add(path, message, key=None):
        line, col = positions.of_key(path, key) if key is not None else positions.of(path)
        problems.append(Problem(file, line, col, message))

    names = scenario_names(scenario) if scenario else None
    events = (scenario or {}).get("timeline") or []
    event_ids = {e.get("id") for e in events if isinstance(e, dict)}
    try:
        start = _parse_when(scenario["start"]) if scenario else None
        end = start + timedelta(days=int(scenario["duration_days"])) if start else None
    except (KeyError, ValueError, TypeError):
        start = end = None
    times = _times(events, start) if scenario else {}
    if names is not None:
        for action in actions:
            if isinstance(action, dict) and action.get("do") in DEFINES and isinstance(action.get("name"), str):
                names[DEFINES[action["do"]]].add(action["name"])
    for index, action in enumerate(actions):
        path = (index,)
        if not isinstance(action, dict):
            add(path, "une action est une table (« do: … » et ses champs)")
            continue
        do = action.get("do")
        if do not in ACTIONS:
            close = get_close_matches(str(do), list(ACTIONS), n=1)
            add((*path, "do") if "do" in action else path,
                f"action inconnue : « {do} »" + (f" (vouliez-vous dire « {close[0]} » ?)" if close else "")
                + f" — actions possibles : {', '.join(sorted(ACTIONS))}")
            continue
        for problem in _schema_problems(Draft202012Validator(action_schema(do)), action, positions, file, path):
            if "exactement un de" in problem.message:
                problem = Problem(problem.file, problem.line, problem.col,
                                  "chaque action a soit « at » (une date), soit « after » (un événement)")
            problems.append(problem)
        if names is not None:
            for dotted, kind in REFS.items():
                for sub, value in _get(action, dotted):
                    if isinstance(value, str) and value not in names.get(kind, set()):
                        known = ", ".join(sorted(names.get(kind, set()))) or "aucune"
                        add((*path, *sub), f"{_KIND_FR.get(kind, kind)} inconnu(e) : « {value} » (définis : {known})")
        for i, line in enumerate(action.get("lines") or [] if isinstance(action.get("lines"), list) else []):
            if isinstance(line, dict) and "quantity" in line:
                _, message = _read(line["quantity"], "quantité", "quantity", positive=True)
                if message:
                    add((*path, "lines", i, "quantity"), message)
        if do == "send_message" and scenario is not None and isinstance(action.get("to"), dict):
            who = action["to"].get("customer")
            spec = ((scenario.get("company") or {}).get("customers") or {}).get(who)
            if isinstance(spec, dict) and not spec.get("email") and not (spec.get("contact") or {}).get("email"):
                add((*path, "to", "customer"), f"le client « {who} » n'a pas d'adresse courriel dans le scénario "
                                               "(email, ou contact.email) : le message serait refusé")
        if do == "write_support" and scenario is not None and isinstance(action.get("request"), str) \
                and action["request"] not in event_ids:
            add((*path, "request"), f"« request » vise un événement inconnu du scénario : « {action['request']} »")
        if do == "answer_call" and scenario is not None and isinstance(action.get("call"), str):
            calls = {e.get("id") for e in events if isinstance(e, dict) and e.get("kind") == "phone_call"}
            if action["call"] not in calls:
                add((*path, "call"), f"aucun événement phone_call « {action['call']} » "
                                     f"(appels du scénario : {', '.join(sorted(calls)) or 'aucun'})")
        for key in ("planned", "actual") if do in ("add_cost", "set_actual") else ():  # sim/scenario/actions/projects.py
            if key in action:
                _, message = _read(action[key], "montant", "amount", minimum=0)
                if message:
                    add((*path, key), message)
        for key in ("start", "due") if do == "add_task" else ():
            if isinstance(action.get(key), str):
                try:
                    date.fromisoformat(action[key])
                except ValueError:
                    add((*path, key), f"date impossible : « {action[key]} » n'existe pas au calendrier")
        if do == "record_payment" and "amount" in action:
            _, message = _read(action["amount"], "montant", "amount", positive=True)
            if message:
                add((*path, "amount"), message)
        moment = None
        if isinstance(action.get("at"), str):
            try:
                moment = _parse_when(action["at"])
            except ValueError:
                add((*path, "at"), f"date impossible : « {action['at']} » n'existe pas au calendrier")
        elif isinstance(action.get("after"), dict) and isinstance(action["after"].get("event"), str):
            target = action["after"]["event"]
            if scenario is not None and target not in event_ids:
                add((*path, "after", "event"), f"« after » vise un événement inconnu du scénario : « {target} »")
            elif times.get(target) is not None:
                delay = action["after"].get("delay")
                try:
                    moment = times[target] + (parse_delay(delay) if delay else timedelta(0))
                except ValueError:
                    moment = None  # the schema reported the delay
        if moment is not None and start is not None and not (start <= moment <= end):
            where = (*path, "at") if "at" in action else \
                (*path, "after", "delay") if action["after"].get("delay") else (*path, "after", "event")
            add(where, f"l'action tomberait le {moment:%d/%m/%Y à %H:%M}, hors du scénario (du "
                       f"{start:%d/%m/%Y %H:%M} au {end:%d/%m/%Y %H:%M}) : elle n'aurait jamais lieu")
    result = LintResult(file, actions, sorted(set(problems)))
    result.lines = [root.lc.item(i)[0] + 1 for i in range(len(root))]  # where each action starts, for the dry run
    return result


def lint_script_file(path: str | Path, scenario_path: str | Path | None = None) -> LintResult:
    """A candidate script, checked against its scenario (``scenario_path``, or
    ``X.yaml`` for ``X.candidate.yaml``). A scenario that does not lint is
    reported once, at the script's 1:1."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return LintResult(str(path), None, [Problem(str(path), 1, 1, f"lecture impossible : {exc}")])
    scenario_path = Path(scenario_path) if scenario_path else scenario_of_script(path)
    scenario, extra = None, []
    if scenario_path is None:
        pass
    elif not scenario_path.exists():
        extra.append(Problem(str(path), 1, 1, f"scénario introuvable : « {scenario_path} » (le script "
                                              f"X{SCRIPT_SUFFIX} va avec le scénario X.yaml, à côté)"))
    else:
        result = lint_text(scenario_path.read_text(encoding="utf-8"), str(scenario_path))
        if result.ok:
            scenario = result.data
        else:
            extra.append(Problem(str(path), 1, 1, f"son scénario « {scenario_path} » ne passe pas la vérification "
                                                  f"({len(result.problems)} problème(s)) : noms non vérifiés"))
    result = lint_script_text(text, str(path), scenario)
    result.problems = sorted(set(result.problems + extra))
    return result


def is_script(path: str | Path, text: str | None = None) -> bool:
    """A candidate script: named ``*.candidate.yaml``, or a YAML list at its top level."""
    if Path(path).name.endswith(SCRIPT_SUFFIXES):
        return True
    if text is None:
        return False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "---", "%")):
            return stripped.startswith(("- ", "-\t", "[")) or stripped == "-"
    return False


def lint_file(path: str | Path, *, by_shape: bool = False) -> LintResult:
    """A scenario, or a candidate script when named ``*.candidate.yaml`` (or,
    with ``by_shape``, when its top level is a list: ``advsim scenario lint``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return LintResult(str(path), None, [Problem(str(path), 1, 1, f"lecture impossible : {exc}")])
    if is_script(path, text if by_shape else None):
        return lint_script_file(path)
    return lint_text(text, str(path))


def load(path: str | Path) -> dict:
    """The scenario as plain data, or ``ScenarioInvalid`` with every problem."""
    result = lint_file(path)
    if result.problems:
        raise ScenarioInvalid(result.problems)
    return result.data


# ===== expectations (the evaluator's language) ============================
#
# The schema has checked shapes; here the meaning: one kind of check per
# expectation, ``never`` never alone, journal kinds of the catalogue, filters
# a matched kind can have, scenario names and events that exist, points and
# delays as the engine reads them (sim/evaluation/engine.py).

_CHECK_KINDS = ("journal", "sequence", "state", "message", "support", "dashboard", "judge")
_TIMED = ("before", "after", "within", "count", "partly")
_WHERE_SPECIAL = {"actor", "role"}
_STATE_FIELDS = {
    "invoice": {"status", "amount_due_at_most"},
    "order": {"status"},
    "product": {"stock_at_least", "stock_at_most"},
    "customer": {"reminder_level_at_least", "in_litigation"},
    "credit_note": {"total_at_most", "total_at_least"},
}
_STATUSES = {"invoice": ["issued", "partial", "paid", "credited", "litigation"],
             "order": ["draft", "blocked", "pending", "confirmed", "partial", "delivered", "invoiced", "cancelled"]}


def _expectation_problems(data: dict, events: list, positions: _Positions, file: str) -> list[Problem]:
    problems: list[Problem] = []

    def add(path, message, key=None):
        line, col = positions.of_key(path, key) if key is not None else positions.of(path)
        problems.append(Problem(file, line, col, message))

    expectations = data.get("expectations") if isinstance(data.get("expectations"), list) else []
    names = scenario_names(data)
    event_ids = {e.get("id") for e in events if isinstance(e, dict)}

    def entity(path, kind, value):
        if isinstance(value, str) and value not in names.get(kind, set()):
            known = ", ".join(sorted(names.get(kind, set()))) or "aucune"
            add(path, f"{_KIND_FR.get(kind, kind)} inconnu(e) : « {value} » (définis : {known})")

    def kinds_of(path, pattern) -> list[str]:
        found = []
        for i, one in enumerate(pattern if isinstance(pattern, list) else [pattern]):
            if not isinstance(one, str):
                continue
            kinds = matching(one)
            where = (*path, i) if isinstance(pattern, list) else path
            if not kinds:
                close = get_close_matches(one, list(KINDS), n=1)
                add(where, f"type d'entrée de journal inconnu : « {one} »"
                    + (f" (vouliez-vous dire « {close[0]} » ?)" if close else "")
                    + " — la commande « advsim journal kinds » les liste")
            found += kinds
        return found

    def where_ok(path, where, kinds):
        if not isinstance(where, dict):
            return
        for name, value in where.items():
            if name in ENTITY_SECTIONS.values() or name in ("quote", "visitor", "project"):
                entity((*path, name), name, value)
            elif name == "event":
                if isinstance(value, str) and value not in event_ids:
                    add((*path, name), f"événement inconnu : « {value} »")
                continue
            if name in _WHERE_SPECIAL or not kinds:
                continue
            fields = {f for k in kinds for f in (*KINDS[k].refs, *KINDS[k].optional_refs, *KINDS[k].payload)}
            bounded = next((name[: -len(s)] for s in ("_at_most", "_at_least") if name.endswith(s)), None)
            if bounded is not None and bounded in {f for k in kinds for f, t in KINDS[k].payload.items()
                                                   if t.rstrip("?") in ("int", "money", "decimal", "list")}:
                if isinstance(value, bool) or _read(value, "borne", "decimal")[1]:
                    add((*path, name), f"« {name} » : un nombre attendu, pas « {_shown(value)} »")
                continue
            if name not in fields:
                add(path, f"filtre « {name} » impossible : aucune entrée {', '.join(sorted(set(kinds))[:4])} "
                          f"n'a ce champ (possibles : {', '.join(sorted(fields | _WHERE_SPECIAL))})", key=name)

    def pattern_ok(path, pattern):
        if isinstance(pattern, dict) and "journal" in pattern:
            where_ok((*path, "where"), pattern.get("where"), kinds_of((*path, "journal"), pattern["journal"]))

    def anchor_ok(path, anchor):
        if not isinstance(anchor, dict):
            return
        given = [k for k in ("event", "journal", "at") if k in anchor]
        if len(given) != 1:
            add(path, "un repère est exactement un de : event (un événement), journal (une entrée), at (une date)")
        if isinstance(anchor.get("event"), str) and anchor["event"] not in event_ids:
            add((*path, "event"), f"événement inconnu : « {anchor['event']} »"
                + (f" (événements : {', '.join(sorted(i for i in event_ids if isinstance(i, str)))})"
                   if event_ids else ""))
        if "where" in anchor and "journal" not in anchor:
            add((*path, "where"), "« where » ne va qu'avec « journal »")
        if "journal" in anchor:
            pattern_ok(path, anchor)

    def points(path, raw, what="points"):
        value, message = _read(raw, what, "decimal", positive=True)
        if message:
            add(path, message)
        return value

    for index, exp in enumerate(expectations):
        if not isinstance(exp, dict):
            continue
        path = ("expectations", index)
        checks = [k for k in _CHECK_KINDS if k in exp]
        if len(checks) > 1:
            add((*path, checks[1]), f"deux sortes de vérification dans une attente : {' et '.join(checks)} "
                                    "(une seule parmi journal, sequence, state, message, support, dashboard, judge)", key=None)
        elif not checks:
            if "never" in exp:
                add((*path, "never"), "« never » seul est refusé : un candidat qui ne fait rien le gagnerait "
                                      "(ajoutez ce qui doit être fait : journal, sequence, message ou state)")
            else:
                add(path, "attente sans vérification : journal, sequence, state, message, support, dashboard ou judge attendu")
        maximum = points((*path, "points"), exp["points"]) if "points" in exp else None
        check = checks[0] if checks else None
        if check in ("judge", "state"):
            for name in (*_TIMED, "never") if check == "judge" else ("before", "after", "within", "count"):
                if name in exp:
                    add(path, f"« {name} » ne va pas avec « {check} »", key=name)
        if "evidence" in exp and check != "judge":
            add(path, "« evidence » ne va qu'avec « judge: evaluator »", key="evidence")
        if "where" in exp and check != "journal":
            add(path, "« where » ne va qu'avec « journal » (ailleurs, chaque motif a le sien)", key="where")
        if check == "journal":
            where_ok((*path, "where"), exp.get("where"), kinds_of((*path, "journal"), exp["journal"]))
        for name in ("sequence", "never", "evidence"):
            for i, item in enumerate(exp.get(name) or [] if isinstance(exp.get(name), list) else []):
                pattern_ok((*path, name, i), item)
        for name in ("before", "after"):
            anchor_ok((*path, name), exp.get(name))
        if isinstance(exp.get("within"), dict):
            anchor_ok((*path, "within", "of"), exp["within"].get("of"))
            delay = exp["within"].get("delay")
            if isinstance(delay, str):
                try:
                    if parse_delay(delay).total_seconds() <= 0:
                        add((*path, "within", "delay"), "délai nul : « within » demande une durée")
                except ValueError:
                    pass  # the schema reported it
        count = exp.get("count") if isinstance(exp.get("count"), dict) else {}
        if isinstance(count.get("min"), int) and isinstance(count.get("max"), int) and count["min"] > count["max"]:
            add((*path, "count", "max"), f"« max » ({count['max']}) plus petit que « min » ({count['min']})")
        rules = exp.get("partly")
        for i, rule in enumerate(rules if isinstance(rules, list) else [rules] if isinstance(rules, dict) else []):
            where = (*path, "partly", i) if isinstance(rules, list) else (*path, "partly")
            if not isinstance(rule, dict) or "points" not in rule:
                continue
            credit = points((*where, "points"), rule["points"], "points partiels")
            if credit is not None and maximum is not None and credit >= maximum:
                add((*where, "points"), f"crédit partiel de {credit} point(s) : moins que les {maximum} point(s) "
                                        "de l'attente attendu")
            if "where" in rule:
                if check != "journal":
                    add((*where, "where"), "« where » dans « partly » ne va qu'avec « journal »")
                else:
                    where_ok((*where, "where"), rule.get("where"), kinds_of((*path, "journal"), exp["journal"]))
            conditions = rule.get("if") if isinstance(rule.get("if"), list) else [rule.get("if")]
            if "late" in conditions and check in ("journal", "sequence", "message", "support", "dashboard") \
                    and not ({"before", "within"} & set(exp)):
                add((*where, "if"), "« late » sans « before » ni « within » : rien ne peut être en retard")
        if check == "message" and isinstance(exp.get("message"), dict):
            rule = exp["message"]
            to = rule.get("to") if isinstance(rule.get("to"), dict) else {}
            for kind in ("customer", "supplier"):
                if kind in to:
                    entity((*path, "message", "to", kind), kind, to[kind])
            for i, mention in enumerate(rule.get("mentions") or [] if isinstance(rule.get("mentions"), list) else []):
                if not isinstance(mention, dict):
                    continue
                for kind in ("order", "invoice", "quote", "purchase_order"):
                    if kind in mention:
                        entity((*path, "message", "mentions", i, kind), kind, mention[kind])
                if "amount" in mention:
                    _, message = _read(mention["amount"], "montant", "amount", positive=True)
                    if message:
                        add((*path, "message", "mentions", i, "amount"), message)
            if "incomplete" in str(exp.get("partly")) and not (rule.get("language") or rule.get("mentions")):
                add((*path, "partly"), "« incomplete » sans « language » ni « mentions » : rien ne peut manquer")
        if check == "support" and isinstance(exp.get("support"), dict):
            rule = exp["support"]
            if isinstance(rule.get("request"), str) and rule["request"] not in event_ids:
                add((*path, "support", "request"), f"événement inconnu : « {rule['request']} »")
            for i, mention in enumerate(rule.get("mentions") or [] if isinstance(rule.get("mentions"), list) else []):
                if isinstance(mention, dict) and "amount" in mention:
                    _, message = _read(mention["amount"], "montant", "amount", positive=True)
                    if message:
                        add((*path, "support", "mentions", i, "amount"), message)
            if "incomplete" in str(exp.get("partly")) and not ({"segment", "within_limits", "language", "mentions"}
                                                               & set(rule)):
                add((*path, "partly"), "« incomplete » sans segment, within_limits, language ni mentions : "
                                       "rien ne peut manquer")
        if check == "state" and isinstance(exp.get("state"), dict):
            state = exp["state"]
            subjects = [k for k in _STATE_FIELDS if k in state]
            if len(subjects) != 1:
                add((*path, "state"), "« state » porte sur exactement un de : invoice, order, product, customer, "
                                      "credit_note")
            else:
                subject = subjects[0]
                if subject == "credit_note":
                    owner = state["credit_note"] if isinstance(state["credit_note"], dict) else {}
                    for kind, value in owner.items():
                        entity((*path, "state", "credit_note", kind), kind, value)
                else:
                    entity((*path, "state", subject), subject, state[subject])
                tests = [k for k in state if k != subject]
                if not tests:
                    add((*path, "state"), f"« state » sur « {subject} » sans condition "
                                          f"(possibles : {', '.join(sorted(_STATE_FIELDS[subject]))})")
                for name in tests:
                    if name not in _STATE_FIELDS[subject]:
                        add((*path, "state"), f"« {name} » ne s'applique pas à « {subject} » "
                                              f"(possibles : {', '.join(sorted(_STATE_FIELDS[subject]))})", key=name)
                if "status" in state and subject in _STATUSES:
                    wanted = state["status"] if isinstance(state["status"], list) else [state["status"]]
                    for value in wanted:
                        if value not in _STATUSES[subject]:
                            add((*path, "state", "status"), f"statut « {value} » inconnu pour « {subject} » "
                                                            f"(possibles : {', '.join(_STATUSES[subject])})")
                for name in ("amount_due_at_most", "stock_at_least", "stock_at_most", "total_at_most",
                             "total_at_least"):
                    if name in state:
                        _, message = _read(state[name], name, "decimal", minimum=0)
                        if message:
                            add((*path, "state", name), message)

    # the roll-up rule names CPs of the referential
    scoring = data.get("scoring") if isinstance(data.get("scoring"), dict) else {}
    known = _criteria(data.get("referential"))
    if known is not None:
        cps = {c.split("/")[1] for c in known}
        for name in scoring:
            if name != "default" and name not in cps:
                add(("scoring",), f"compétence inconnue : « {name} » (le référentiel a {', '.join(sorted(cps))})",
                    key=name)
    return problems
