"""The `advsim` command: accounts, demo set-up."""
from __future__ import annotations

from sqlalchemy import select

from sim.accounts.models import User
from sim.accounts.passwords import verify_password
from sim.cli import DEMO_ACCOUNTS, ensure_demo, main
from sim.db import UnitOfWork
from sim.workspace.models import Workspace


def test_user_add_creates_a_real_account_with_a_seeded_workspace(capsys):
    assert main(["user", "add", "alice.dupont", "--role", "candidate", "--password", "s3cret!", "--seed", "5"]) == 0
    with UnitOfWork(write=False) as uow:
        user = uow.session.scalar(select(User).where(User.username == "alice.dupont"))
        workspace = uow.session.scalar(select(Workspace).where(Workspace.owner_id == user.id))
    assert user.role == "candidate" and verify_password("s3cret!", user.password_hash)
    assert workspace.seed == 5 and workspace.journal_seq == 1
    assert "alice.dupont" in capsys.readouterr().out


def test_user_add_refuses_a_bad_username_with_a_message(capsys):
    assert main(["user", "add", "Bad Name!", "--role", "trainer", "--password", "xxxxx"]) == 2
    assert "Identifiant invalide" in capsys.readouterr().err


def test_the_demo_creates_its_accounts_once_each_candidate_with_a_workspace():
    ensure_demo()
    ensure_demo()  # a second `make demo` reuses what exists
    with UnitOfWork(write=False) as uow:
        for username, role, _ in DEMO_ACCOUNTS:
            users = uow.session.scalars(select(User).where(User.username == username)).all()
            assert len(users) == 1 and users[0].role == role
            assert verify_password("demo", users[0].password_hash)
            owned = uow.session.scalars(select(Workspace).where(Workspace.owner_id == users[0].id)).all()
            assert len(owned) == (1 if role == "candidate" else 0)


def test_seed_creates_a_named_workspace_with_the_same_company_for_the_same_seed(capsys):
    from sqlalchemy import func, select

    from sim.crm.models import Customer

    assert main(["seed", "--seed", "42", "--name", "Groupe B"]) == 0
    assert main(["seed", "--seed", "42", "--name", "Groupe B bis"]) == 0
    with UnitOfWork(write=False) as uow:
        first, second = uow.session.scalars(select(Workspace).where(Workspace.name.in_(["Groupe B", "Groupe B bis"]))
                                            .order_by(Workspace.id)).all()
    names = []
    for ws in (first, second):
        with UnitOfWork(ws.id, write=False) as uow:
            names.append(uow.session.scalars(select(Customer.name).order_by(Customer.code)).all())
            assert uow.session.scalar(select(func.count(Customer.id))) >= 300
    assert names[0] == names[1]
    assert "Groupe B" in capsys.readouterr().out


def test_seed_leaves_the_planner_statistics_and_on_postgresql_a_vacuumed_table(engine):
    """After a bulk load the planner needs statistics (SQLite: sqlite_stat1) and,
    on PostgreSQL, a vacuum: until then no count is answered from an index alone."""
    from sqlalchemy import text

    def vacuums():
        with engine.connect() as conn:
            return conn.execute(text("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'interaction'")).scalar()

    before = vacuums() if engine.dialect.name == "postgresql" else None
    assert main(["seed", "--seed", "7", "--size", "small", "--name", "Statistiques"]) == 0
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            assert vacuums() > before
        else:
            assert conn.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'interaction'")).scalar() > 0
