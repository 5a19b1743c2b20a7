"""The ``advsim`` command."""
from __future__ import annotations

import argparse
import getpass
import os
import sys

DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS = [
    ("candidate1", "candidate", "Camille Martin (candidat 1)"),
    ("candidate2", "candidate", "Lucas Bernard (candidat 2)"),
    ("trainer", "trainer", "Formateur"),
    ("evaluator", "evaluator", "Évaluateur"),
    ("admin", "admin", "Administrateur"),
]


def cmd_db_upgrade(args) -> int:
    from sim.config import get_settings
    from sim.db import get_engine, refresh_statistics
    from sim.migrations import upgrade

    upgrade(get_settings().database_url)
    refresh_statistics(get_engine(), vacuum=True)  # new indexes are only chosen once the planner has statistics on them
    print("Base de données à jour.")
    return 0


def cmd_seed(args) -> int:
    from sqlalchemy import select

    from sim.accounts.models import User
    from sim.db import UnitOfWork
    from sim.migrations import upgrade
    from sim.config import get_settings
    from seed.company import SIZES
    from sim.db import get_engine, refresh_statistics
    from sim.workspace.service import create_workspace

    upgrade(get_settings().database_url)
    with UnitOfWork() as uow:
        owner = None
        if args.owner:
            owner = uow.session.scalar(select(User).where(User.username == args.owner))
            if owner is None:
                print(f"advsim: utilisateur inconnu : {args.owner}", file=sys.stderr)
                return 2
        ws = create_workspace(uow, name=args.name or f"Entreprise (graine {args.seed})",
                              owner_id=owner.id if owner else None, seed=args.seed, actor="cli:seed",
                              size=SIZES[args.size])
        uow.commit()
    refresh_statistics(get_engine(), vacuum=True)
    print(f"Espace n° {ws.id} « {ws.name} » créé (graine {args.seed}, date simulée {ws.sim_date:%d/%m/%Y}).")
    return 0


def cmd_user_add(args) -> int:
    from sim.db import UnitOfWork
    from sim.errors import ValidationFailed
    from sim.accounts.service import create_user
    from sim.migrations import upgrade
    from sim.config import get_settings
    from sim.workspace.service import create_workspace

    upgrade(get_settings().database_url)
    password = _password(args.password, "Mot de passe : ")
    if password is None:
        return 2
    try:
        with UnitOfWork() as uow:
            user = create_user(uow, username=args.username, password=password, role=args.role,
                               display_name=args.name or "")
            uow.commit()
    except ValidationFailed as refused:
        for field, message in refused.errors.items():
            print(f"advsim: {field} : {message}", file=sys.stderr)
        return 2
    print(f"Compte « {user.username} » ({user.role}) créé.")
    if user.role == "candidate" and not args.no_workspace:
        with UnitOfWork() as uow:
            ws = create_workspace(uow, name=f"Espace de {user.username}", owner_id=user.id,
                                  seed=args.seed, actor="cli:user-add")
            uow.commit()
        print(f"Espace n° {ws.id} attribué (graine {args.seed}).")
    return 0


def _password(given: str | None, prompt: str) -> str | None:
    """The password given, or ADVSIM_PASSWORD, or typed twice (None if the two differ)."""
    password = given or os.environ.get("ADVSIM_PASSWORD")
    if not password:
        password = getpass.getpass(prompt)
        if password != getpass.getpass("Confirmez : "):
            print("advsim: les mots de passe diffèrent.", file=sys.stderr)
            return None
    return password


def cmd_journal_kinds(args) -> int:
    from sim.journal.catalogue import describe

    print(describe())
    return 0


def cmd_user_password(args) -> int:
    from sqlalchemy import select

    from sim.accounts.models import User
    from sim.accounts.service import set_password
    from sim.config import get_settings
    from sim.db import UnitOfWork
    from sim.errors import ValidationFailed
    from sim.migrations import upgrade

    upgrade(get_settings().database_url)
    with UnitOfWork(write=False) as uow:
        known = uow.session.scalar(select(User.id).where(User.username == args.username.strip().lower()))
    if known is None:
        print(f"advsim: utilisateur inconnu : {args.username}", file=sys.stderr)
        return 2
    password = _password(None, "Nouveau mot de passe : ")
    if password is None:
        return 2
    try:
        with UnitOfWork() as uow:
            user = uow.session.get(User, known)
            set_password(uow, user, password)
            uow.commit()
    except ValidationFailed as refused:
        for field, message in refused.errors.items():
            print(f"advsim: {field} : {message}", file=sys.stderr)
        return 2
    print(f"Mot de passe de « {user.username} » changé ; ses sessions ouvertes sont fermées.")
    return 0


def cmd_journal_verify(args) -> int:
    from sim.db import UnitOfWork
    from sim.journal.service import verify

    with UnitOfWork(write=False) as uow:
        reports = verify(uow.session, args.workspace)
    if not reports:
        print("advsim: aucun espace à vérifier.", file=sys.stderr)
        return 1 if args.workspace is not None else 0
    broken = 0
    for r in reports:
        name = f"espace {r.workspace_id} ({r.workspace_name})"
        if r.ok:
            unkeyed = f", dont {r.unkeyed} non signées (antérieures à la clé du journal)" if r.unkeyed else ""
            print(f"{name} : OK, {r.entries} entrées{unkeyed}")
        elif r.missing_key:
            broken += 1
            print(f"{name} : NON VÉRIFIABLE à partir de l'entrée seq={r.broken_seq} — {r.reason}")
        else:
            broken += 1
            print(f"{name} : ROMPU à l'entrée seq={r.broken_seq} — {r.reason}")
    return 1 if broken else 0


def cmd_journal_rotate_key(args) -> int:
    from sim.journal import keys

    try:
        old, new, kept = keys.rotate()
    except (OSError, RuntimeError) as exc:
        print(f"advsim: rotation impossible : {exc}", file=sys.stderr)
        return 2
    print(f"Ancienne clé {old.id} archivée dans {kept} (à garder : elle vérifie les entrées qu'elle a signées).")
    if new is None:
        print(f"La clé courante vient de {keys.ENV_VAR} : donnez-lui une nouvelle valeur "
              f"(openssl rand -base64 48) et redémarrez les processus ; les entrées suivantes seront signées par elle.")
    else:
        print(f"Nouvelle clé {new.id} dans {keys.current_file()} ; les processus en cours la prennent à leur prochaine écriture.")
    return 0


def cmd_scenario_lint(args) -> int:
    from sim.scenario.loader import lint_file

    failed = 0
    for path in args.files:
        result = lint_file(path, by_shape=True)
        for problem in result.problems:
            print(problem)
        if result.problems:
            failed += 1
        elif isinstance(result.data, list):  # a candidate script
            print(f"{path}: OK — script du candidat, {len(result.data)} actions")
        else:
            data = result.data
            print(f"{path}: OK — « {data['title']} », {len(data.get('timeline', []))} événements, "
                  f"{len(data.get('expectations', []))} attentes, {data['duration_days']} jours simulés")
    return 1 if failed else 0


def cmd_referential_show(args) -> int:
    from sim.referentials import REFERENTIALS, UnknownReferentialItem, load

    try:
        referential = load(args.referential)
    except UnknownReferentialItem:
        print(f"référentiel inconnu : « {args.referential} » (connus : {', '.join(REFERENTIALS)})")
        return 1
    level = f", niveau {referential.level}" + (f", {referential.code}" if referential.code else "")
    print(f"{referential.title} ({referential.id}{level})")
    for activity in referential.activities:
        print(f"\nActivité {activity.number} — {activity.title}")
        for competence in activity.competences:
            print(f"  {competence.id} — {competence.title}")
            for criterion in competence.criteria:
                print(f"    {criterion.id}  {criterion.text}")
    return 0


def cmd_scenario_schema(args) -> int:
    import json

    from sim.scenario.schema import scenario_schema

    print(json.dumps(scenario_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_scenario_run(args) -> int:
    from sim.scenario.dryrun import print_run, run
    from sim.scenario.loader import ScenarioInvalid

    try:
        result = run(args.file, args.candidate)
    except ScenarioInvalid as invalid:  # not played: the files must lint first
        for problem in invalid.problems:
            print(problem, file=sys.stderr)
        print(f"{len(invalid.problems)} problème(s) : rien n'a été joué (corrigez, puis « advsim scenario lint »).",
              file=sys.stderr)
        return 2
    print(print_run(result, as_json=args.json))
    return 0 if result.ok else 1


def ensure_demo() -> list[tuple[str, str]]:
    """Create the demo accounts and the candidates' workspaces if missing."""
    from sqlalchemy import select

    from sim.accounts.models import User
    from sim.accounts.service import create_user
    from sim.db import UnitOfWork
    from sim.workspace.service import create_workspace, workspace_of

    created = []
    for index, (username, role, name) in enumerate(DEMO_ACCOUNTS, start=1):
        with UnitOfWork() as uow:
            user = uow.session.scalar(select(User).where(User.username == username))
            if user is None:
                user = create_user(uow, username=username, password=DEMO_PASSWORD, role=role, display_name=name)
                uow.commit()
            has_workspace = workspace_of(uow, user.id) is not None
        if role == "candidate" and not has_workspace:
            with UnitOfWork() as uow:
                create_workspace(uow, name=f"Espace de {username}", owner_id=user.id, seed=index,
                                 actor="cli:demo")
                uow.commit()
        created.append((username, role))
    from sim.db import get_engine, refresh_statistics

    refresh_statistics(get_engine())
    return created


def cmd_evaluate(args) -> int:
    import json

    from sim.db import NotFound, get_engine
    from sim.evaluation import exports

    try:
        export = exports.collect(get_engine(), args.session, args.candidate)
    except NotFound as missing:
        print(f"introuvable : {missing}", file=sys.stderr)
        return 2
    if args.format == "csv":
        sys.stdout.write(exports.to_csv(export))
        return 0
    if args.format == "json":
        print(json.dumps(exports.to_json(export), ensure_ascii=False, indent=2))
        return 0
    statements = exports.statements(export)
    if args.post:
        from sim.evaluation import lrs

        try:
            ids = lrs.post(statements)
        except lrs.LRSError as error:
            print(str(error), file=sys.stderr)
            return 1
        print(f"{len(ids)} déclaration(s) xAPI envoyée(s) au LRS.", file=sys.stderr)
    print(json.dumps(statements, ensure_ascii=False, indent=2))
    return 0


def cmd_facturx_check(args) -> int:
    """XSD and EN 16931 schematron (Saxon-HE) on Factur-X PDFs or CII XML files; 1 if any fails."""
    from pathlib import Path

    from sim.billing import facturx_check

    files = {}
    for name in args.files:
        content = Path(name).read_bytes()
        files[name] = facturx_check.xml_of(content) if content.startswith(b"%PDF") else content
    reports = facturx_check.check(files)
    for report in reports:
        print(report.summary())
    return 0 if all(r.valid for r in reports) else 1


def cmd_demo(args) -> int:
    os.environ["ADVSIM_DEMO"] = "1"
    from sim.config import get_settings
    from sim.migrations import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    accounts = ensure_demo()
    print("\n advsim — mode démonstration")
    print(f" Base : {settings.database_url}")
    print(f" Ouvrez http://{args.host}:{args.port}/ et connectez-vous avec (mot de passe « {DEMO_PASSWORD} ») :")
    for username, role in accounts:
        print(f"   {username:<12} {role}")
    print(" Ces comptes n'existent qu'en démonstration : en production, créez-les avec « advsim user add ».\n")
    return _serve(args)


def cmd_serve(args) -> int:
    from sim.config import get_settings
    from sim.migrations import upgrade

    upgrade(get_settings().database_url)
    return _serve(args)


def _serve(args) -> int:
    import uvicorn

    uvicorn.run("sim.web.app:app", host=args.host, port=args.port, workers=args.workers,
                proxy_headers=False, log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="advsim", description="Simulateur d'administration des ventes.")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="base de données").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="appliquer les migrations Alembic").set_defaults(func=cmd_db_upgrade)

    seed = sub.add_parser("seed", help="créer un espace avec une entreprise générée (Faker)")
    seed.add_argument("--seed", type=int, default=1, help="graine : même graine, même entreprise")
    seed.add_argument("--name", help="nom de l'espace")
    seed.add_argument("--owner", help="identifiant du candidat propriétaire")
    seed.add_argument("--size", choices=("small", "default", "large"), default="default",
                      help="taille : small (30 clients), default (300), large (3 000 clients, 36 mois)")
    seed.set_defaults(func=cmd_seed)

    user = sub.add_parser("user", help="comptes").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="créer un compte")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["candidate", "trainer", "evaluator", "admin"])
    add.add_argument("--name", help="nom affiché")
    add.add_argument("--password", help="mot de passe (sinon demandé, ou ADVSIM_PASSWORD)")
    add.add_argument("--seed", type=int, default=1, help="graine de l'entreprise du candidat")
    add.add_argument("--no-workspace", action="store_true", help="ne pas créer d'espace pour un candidat")
    add.set_defaults(func=cmd_user_add)
    password = user.add_parser("password", help="changer le mot de passe d'un compte (ferme ses sessions)")
    password.add_argument("username")
    password.set_defaults(func=cmd_user_password)

    journal = sub.add_parser("journal", help="journal").add_subparsers(dest="journal_command", required=True)
    verify = journal.add_parser("verify", help="vérifier les chaînes de hachage")
    verify.add_argument("--workspace", type=int, help="n° d'espace (tous par défaut)")
    verify.set_defaults(func=cmd_journal_verify)
    journal.add_parser("kinds", help="le catalogue des types d'entrées (version, refs, contenu)").set_defaults(
        func=cmd_journal_kinds)
    journal.add_parser("rotate-key", help="nouvelle clé de signature du journal (l'ancienne est archivée)") \
        .set_defaults(func=cmd_journal_rotate_key)

    referential = sub.add_parser("referential", help="référentiels de certification (REAC)").add_subparsers(
        dest="referential_command", required=True)
    show = referential.add_parser("show", help="les CP et leurs critères de performance, mot pour mot")
    show.add_argument("referential")
    show.set_defaults(func=cmd_referential_show)

    scenario = sub.add_parser("scenario", help="scénarios").add_subparsers(dest="scenario_command", required=True)
    lint = scenario.add_parser("lint", help="vérifier des fichiers de scénario (fichier:ligne:colonne: message)")
    lint.add_argument("files", nargs="+")
    lint.set_defaults(func=cmd_scenario_lint)
    scenario.add_parser("schema", help="JSON Schema du format (pour les éditeurs)").set_defaults(
        func=cmd_scenario_schema)
    dry = scenario.add_parser("run", help="jouer un scénario à vitesse maximale dans une base jetable")
    dry.add_argument("file")
    dry.add_argument("--candidate", help="script du candidat (YAML)")
    dry.add_argument("--json", action="store_true", help="sortie JSON")
    dry.set_defaults(func=cmd_scenario_run)

    facturx = sub.add_parser("facturx", help="factures électroniques Factur-X").add_subparsers(
        dest="facturx_command", required=True)
    fx_check = facturx.add_parser("check", help="vérifier des Factur-X (PDF) ou des XML CII : XSD et règles EN 16931")
    fx_check.add_argument("files", nargs="+")
    fx_check.set_defaults(func=cmd_facturx_check)

    evaluate = sub.add_parser("evaluate", help="évaluation d'une session (JSON, CSV, déclarations xAPI)")
    evaluate.add_argument("session", type=int, help="numéro de la session")
    evaluate.add_argument("--candidate", help="identifiant (login) d'un candidat")
    evaluate.add_argument("--format", choices=("json", "csv", "xapi"), default="json")
    evaluate.add_argument("--post", action="store_true", help="xapi : envoyer aussi au LRS configuré")
    evaluate.set_defaults(func=cmd_evaluate)

    for name, func, help_ in (("demo", cmd_demo, "démonstration : comptes de démo, puis serveur"),
                              ("serve", cmd_serve, "lancer le serveur web")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--workers", type=int, default=1)
        p.set_defaults(func=func)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # piped into `head` or a closed pager: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
