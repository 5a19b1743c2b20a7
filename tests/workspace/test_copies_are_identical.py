"""An exam session's candidates each get a copy of one prepared workspace
(sim/workspace/copy.py): the copies are identical row for row by business
content (keys, figures, texts, references), each copy's journal verifies on its
own, the scenario plays on a copy exactly as on the template, and a candidate's
copy is theirs alone."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Integer, func, select, update

from seed.company import SMALL
from sim.clock import set_clock
from sim.crm.service import create_customer
from sim.db import UnitOfWork
from sim.journal.models import JournalEntry
from sim.journal.service import verify
from sim.scenario.engine import EventContext, fire_due, install
from sim.scenario.loader import load
from sim.stock.models import Product
from sim.workspace.copy import UNDECLARED_REFS, CopyRefused, CopySpec, copy_workspace, copy_workspaces
from sim.workspace.models import Workspace, WorkspaceKind
from sim.workspace.service import create_workspace
from tests.conftest import unique
from tests.workspace.dump import dump, owned_tables, without_journal

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def prepared(name: str = "late-delivery", *, with_documents: bool = False) -> tuple[int, dict]:
    """A template as an exam session prepares it: seeded, scenario installed;
    ``with_documents``, also a stored PDF attached to a message (rows that refer
    to another by an id without a foreign key: ``document.ref_id``)."""
    scenario = load(SCENARIOS / f"{name}.yaml")
    with UnitOfWork() as uow:
        workspace = create_workspace(uow, name=unique("modele"), owner_id=None,
                                     seed=scenario["company"]["seed"], size=SMALL, actor="trainer:t")
        install(uow, scenario)
        if with_documents:
            ctx = EventContext(uow, actor="trainer:t")
            customer = next(iter(scenario["company"]["customers"]))
            statement = ctx.document("statement", customer)
            ctx.deliver({"customer": customer}, {"subject": "Relevé de compte", "body": "Ci-joint notre relevé."},
                        attachments=[statement])
        uow.commit()
    return workspace.id, scenario


def dumped(ws: int, *, journal: bool = True) -> dict:
    with UnitOfWork(ws, write=False) as uow:
        return dump(uow.session, ws, journal=journal)


def journal_of(ws: int) -> list[JournalEntry]:
    with UnitOfWork(ws, write=False) as uow:
        return list(uow.session.scalars(select(JournalEntry).order_by(JournalEntry.seq)))


def chain_ok(ws: int) -> bool:
    with UnitOfWork(write=False) as uow:
        [report] = verify(uow.session, ws)
    return report.ok and report.entries == len(journal_of(ws))


def without_names(d: dict) -> dict:
    def unnamed(row):
        fields = dict(row)
        if fields["kind"] == "workspace.copied":
            fields["payload"] = {k: v for k, v in fields["payload"].items() if k != "name"}
        return tuple(fields.items())

    return {**d, "journal_entry": [unnamed(row) for row in d["journal_entry"]]}


def candidates(*names: str) -> list[CopySpec]:
    return [CopySpec(name=n, owner_id=None, kind=WorkspaceKind.EXAM, actor="trainer:t") for n in names]


def test_two_candidates_copies_are_identical_row_for_row(engine):
    template, scenario = prepared(with_documents=True)
    a, b = copy_workspaces(engine, template, candidates(unique("alice"), unique("bob")))

    copy_a, copy_b = dumped(a), dumped(b)
    # the same rows, the journal too, but for the name each copy's last entry gives it
    assert without_names(copy_a) == without_names(copy_b)
    # ... and the company is the template's, every table of it, money to the cent
    assert without_journal(copy_a) == without_journal(dumped(template))
    assert len(copy_a["customer"]) > 10 and copy_a["scenario_event"] and copy_a["scenario_entity"]
    assert copy_a["document"] and copy_a["message_attachment"]
    assert any(dict(row)["thread_id"] is not None for row in copy_a["interaction"])
    assert all(isinstance(v, Decimal) for row in copy_a["invoice"] for k, v in row if k == "total_ttc")

    with UnitOfWork(write=False) as uow:
        tpl, ws_a = uow.session.get(Workspace, template), uow.session.get(Workspace, a)
    assert (ws_a.clock_sim, ws_a.clock_speed, ws_a.seed, ws_a.scenario_id) == \
           (tpl.clock_sim, tpl.clock_speed, tpl.seed, scenario["id"])
    assert ws_a.kind == WorkspaceKind.EXAM and ws_a.name.startswith("alice") and ws_a.owner_id is None


def test_a_copy_keeps_the_templates_journal_and_says_it_is_a_copy(engine):
    template, scenario = prepared()
    copy = copy_workspace(engine, template, name=unique("claire"), owner_id=None, kind=WorkspaceKind.EXAM,
                          actor="trainer:t")

    assert chain_ok(copy)
    original, copied = journal_of(template), journal_of(copy)
    assert [(e.seq, e.kind, e.refs, e.payload, e.sim_time) for e in copied[:-1]] == \
           [(e.seq, e.kind, e.refs, e.payload, e.sim_time) for e in original]
    last = copied[-1]
    assert last.kind == "workspace.copied" and last.actor == "trainer:t"
    assert last.refs == {"scenario": scenario["id"]}
    with UnitOfWork(write=False) as uow:
        head = uow.session.get(Workspace, template).journal_head
    assert last.payload == {"name": last.payload["name"], "seed": scenario["company"]["seed"],
                            "entries": len(original), "template_head": head}


def test_advsim_journal_verify_passes_on_the_copies(engine, capsys):
    from sim.cli import main

    template, _ = prepared()
    for ws in copy_workspaces(engine, template, candidates(unique("d"), unique("e"))):
        assert main(["journal", "verify", "--workspace", str(ws)]) == 0


def test_the_scenario_fires_on_a_copy_exactly_as_on_the_template(engine):
    template, scenario = prepared()
    copy = copy_workspace(engine, template, name=unique("fred"), owner_id=None, kind=WorkspaceKind.EXAM,
                          actor="trainer:t")
    before = len(journal_of(template))
    later = datetime.fromisoformat(scenario["start"]) + timedelta(days=scenario["duration_days"])
    fired = {}
    for ws in (template, copy):
        with UnitOfWork(ws) as uow:
            set_clock(uow, sim_time=later, speed=0)
            uow.commit()
        fired[ws] = fire_due(engine, ws)

    assert fired[copy] == fired[template] and fired[copy]
    events = {ws: [(e.kind, e.refs, e.payload, e.sim_time) for e in journal_of(ws)[before + (ws == copy):]]
              for ws in (template, copy)}
    assert events[copy] == events[template]
    assert without_journal(dumped(copy)) == without_journal(dumped(template))
    assert chain_ok(copy)


def test_a_candidate_writing_in_their_copy_changes_nobody_elses(engine):
    template, _ = prepared()
    a, b = copy_workspaces(engine, template, candidates(unique("g"), unique("h")))
    untouched = dumped(b)
    with UnitOfWork(a) as uow:
        uow.session.execute(update(Product).values(price_ht=Decimal("999.99")))
        product = uow.session.scalars(select(Product).order_by(Product.id)).first()
        # a new row after the copies: the id sequences were moved past them
        create_customer(uow, actor="candidate:g", name="Nouveau client")
        uow.commit()

    assert dumped(b) == untouched
    with UnitOfWork(write=False) as uow:
        assert uow.session.get(Product, product.id).workspace_id == a
        prices = uow.session.scalars(select(Product.price_ht).where(Product.workspace_id == template)).all()
    assert Decimal("999.99") not in prices


def test_the_copy_of_a_copy_is_still_the_same_company(engine):
    template, _ = prepared("non-payment", with_documents=True)
    [first] = copy_workspaces(engine, template, candidates(unique("i")))
    second = copy_workspace(engine, first, name=unique("j"), owner_id=None, kind=WorkspaceKind.PRACTICE,
                            actor="trainer:t")

    assert without_journal(dumped(second)) == without_journal(dumped(template))
    assert chain_ok(second)
    assert [e.kind for e in journal_of(second)][-2:] == ["workspace.copied", "workspace.copied"]


def test_a_template_whose_journal_does_not_verify_is_refused_and_nothing_is_written(engine):
    template, _ = prepared()
    with UnitOfWork(write=False) as uow:
        count = uow.session.scalar(select(func.count()).select_from(Workspace))
    with engine.begin() as conn:
        conn.execute(update(JournalEntry.__table__).where(JournalEntry.__table__.c.workspace_id == template,
                                                          JournalEntry.__table__.c.seq == 1)
                     .values(actor="quelqu'un d'autre"))

    with pytest.raises(CopyRefused, match="ne se vérifie pas"):
        copy_workspaces(engine, template, candidates(unique("k")))
    with UnitOfWork(write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Workspace)) == count


def test_every_column_holding_an_id_is_remapped():
    """A new ``…_id`` column without a foreign key would be copied as is and
    point into the template: it must be listed in UNDECLARED_REFS."""
    undeclared = {(t.name, c.name) for t in owned_tables() for c in t.c
                  if isinstance(c.type, Integer) and (c.name.endswith("_id") or c.name == "ref_id")
                  and not c.foreign_keys}
    assert undeclared == set(UNDECLARED_REFS)


def test_the_remapped_kinds_cover_every_scenario_entity_and_document():
    from sim.documents.service import KINDS as DOCUMENTS, RECOVERY_LETTERS
    from sim.models import metadata
    from sim.scenario.engine import MODELS, _late_model

    entities = UNDECLARED_REFS[("scenario_entity", "ref_id")][1]
    assert {k: metadata.tables[t] for k, t in entities.items()} == \
           {**{k: m.__table__ for k, m in MODELS.items()},
            **{k: _late_model(k).__table__ for k in ("order", "invoice", "quote", "support", "delivery", "claim")}}
    from sim.purchasing.documents import KINDS as PURCHASING

    assert set(DOCUMENTS) | {"customer_po", *RECOVERY_LETTERS} | set(PURCHASING) == set(UNDECLARED_REFS[("document", "ref_id")][1])


def test_on_postgresql_a_role_that_may_not_skip_the_key_triggers_makes_the_same_copies(engine, database_url):
    """The fast path (session_replication_role, checks done set-wise) needs a
    privileged role; an ordinary one copies with PostgreSQL's own checks."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from sim.db import make_engine

    role = unique("copier_").replace("-", "_")
    with engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER'))
        conn.execute(text(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"'))
        conn.execute(text(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
    plain = make_engine(make_url(database_url).set(username=role, password=None)
                        .render_as_string(hide_password=False))
    try:
        template, _ = prepared()
        [fast] = copy_workspaces(engine, template, candidates(unique("l")))
        [slow] = copy_workspaces(plain, template, candidates(unique("m")))
    finally:
        plain.dispose()
        with engine.begin() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
    assert without_names(dumped(slow)) == without_names(dumped(fast))
    assert chain_ok(slow)
