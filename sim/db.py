"""Engine, column types and the unit of work that a service commits.

Two rules live here so that no route or service has to remember them:
- every query on a workspace-owned model is filtered to the unit of work's
  workspace (``_scope_to_workspace``), so a candidate can never read another
  candidate's rows, whatever the route does;
- a unit of work that writes in a workspace takes that workspace's write lock
  when it begins (``BEGIN IMMEDIATE`` on SQLite, the workspace row's lock on
  PostgreSQL), so that concurrent writers queue instead of failing, and each
  reads the state it changes after the writer before it has committed.

The transaction rule: **the caller commits**. A service changes rows and
writes its journal entry, and flushes; the route, the CLI command or the
scenario engine that called it commits once, so several services compose into
one transaction (a scenario's set-up, an event) and a refusal anywhere
rolls everything back.
"""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from functools import lru_cache
from decimal import Decimal
from typing import Any, Iterator, TypeVar

from sqlalchemy import BigInteger, Integer, Numeric, any_, column, event, func, literal, literal_column, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.orm import Session, with_loader_criteria
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel, select

from sim.config import get_settings

T = TypeVar("T", bound=SQLModel)


# ===== column types =====================================================

class Fixed(TypeDecorator):
    """An exact decimal with ``scale`` digits after the point.

    PostgreSQL stores NUMERIC(18, scale). SQLite has no exact decimal type (its
    NUMERIC is a float), so the value is stored as an integer count of
    10**-scale units: sums and comparisons in SQL stay exact on both.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, scale: int = 2):
        super().__init__()
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(18, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money and quantities are Decimal, never float")
        value = Decimal(value).quantize(self._quantum)
        if dialect.name == "sqlite":
            return int(value.scaleb(self.scale))
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self._quantum)
        return Decimal(value).quantize(self._quantum)

    @property
    def python_type(self):
        return Decimal

    def __repr__(self) -> str:
        return f"Fixed(scale={self.scale})"


def money_field(**kw: Any) -> Any:
    """A Decimal amount in euros, to the cent."""
    return Field(sa_type=Fixed(2), **kw)


def quantity_field(**kw: Any) -> Any:
    """A quantity (units, kg, m...) to the thousandth."""
    return Field(sa_type=Fixed(3), **kw)


def rate_field(**kw: Any) -> Any:
    """A percentage such as a VAT rate (20.00) or a discount (7.50)."""
    return Field(sa_type=Fixed(2), **kw)


def among(session: Session, column, ids) -> Any:
    """``column IN ids`` for hundreds of ids, sent as one parameter: an array on PostgreSQL, a
    JSON list read by ``json_each`` on SQLite. An IN list of hundreds of parameters is rendered
    anew at each execution, and a join on the conditions that found the ids leads PostgreSQL's
    planner astray when its estimate is skewed (the open invoices: 400 found, 1 500 guessed, every
    row of the other table scanned); an id list is looked up by index on either."""
    ids = sorted({int(i) for i in ids})
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(ids, ARRAY(Integer)))
    return column.in_(select(literal_column("value")).select_from(func.json_each(literal(json.dumps(ids))))
                      .scalar_subquery())


# ===== workspace scoping ================================================

class WorkspaceOwned(SQLModel):
    """Mixin: the row belongs to exactly one workspace (one candidate's company)."""

    workspace_id: int = Field(foreign_key="workspace.id", index=True, nullable=False)


def owned_models() -> list[type]:
    """Every mapped table class that inherits WorkspaceOwned (through any base)."""
    found, stack = [], list(WorkspaceOwned.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if "__table__" in cls.__dict__:
            found.append(cls)
    return sorted(found, key=lambda c: c.__name__)


_owned_by_table: dict = {}


def _owned_model_of(table):
    if not _owned_by_table:
        _owned_by_table.update({model.__table__: model for model in owned_models()})
    return _owned_by_table.get(table)


@event.listens_for(Session, "do_orm_execute")
def _scope_to_workspace(execute_state) -> None:
    workspace_id = execute_state.session.info.get("workspace_id")
    if workspace_id is None or execute_state.execution_options.get("all_workspaces", False):
        return
    statement = execute_state.statement
    if execute_state.is_select:
        # One criterion for every owned model: the ORM adds ``workspace_id = :id``
        # wherever one of them is read, subqueries, joins and aliases included, when
        # it compiles the statement — and a statement compiled once is cached with
        # the criterion in it (the workspace is a bound parameter). No walk of the
        # statement per execution (that walk, ``find_tables``, cost 0.1–0.3 ms a
        # statement; bench/pages_large.py).
        execute_state.statement = statement.options(_criterion(workspace_id))
    elif execute_state.is_update or execute_state.is_delete:
        # A bulk UPDATE or DELETE on an owned table touches this workspace's rows only.
        table = statement.table
        if _owned_model_of(table) is not None:
            execute_state.statement = statement.where(table.c.workspace_id == workspace_id)


@lru_cache(maxsize=4096)
def _criterion(workspace_id: int):
    # Built once per workspace: building the option is most of its cost. The
    # lambda is the cache key; ``workspace_id`` is read from its closure as a
    # bound parameter, so one compiled statement serves every workspace.
    return with_loader_criteria(WorkspaceOwned, lambda cls: _workspace_column(cls) == workspace_id,
                                include_aliases=True)


def _workspace_column(cls):
    """The ``workspace_id`` column of an owned model (or of an alias of one).
    SQLAlchemy first calls the criterion with the mixin itself, to analyse it,
    and a SQLModel mixin has no column: a stand-in column serves there."""
    try:
        return cls.workspace_id
    except AttributeError:
        return column("workspace_id", Integer)


# ===== engines ==========================================================

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


SQLITE_BUSY_SECONDS = 30


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # Writers of this process queue on a plain lock before BEGIN IMMEDIATE:
    # SQLite's busy handler polls with growing sleeps, so under load a waiting
    # writer can starve past its timeout; a lock hands over at once. Writers of
    # other processes still meet at SQLite's own lock (busy timeout).
    writer_lock = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A writer takes the lock at BEGIN: a deferred transaction that read
        # first would fail with SQLITE_BUSY when another writer got in between.
        if conn.get_execution_options().get("writer", False):
            if not writer_lock.acquire(timeout=SQLITE_BUSY_SECONDS):
                raise TimeoutError("la base SQLite est occupée : réessayez")
            conn.info["holds_writer_lock"] = True
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                _release(conn)
                raise
        else:
            conn.exec_driver_sql("BEGIN")

    def _release(conn):
        if conn.info.pop("holds_writer_lock", False):
            writer_lock.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS},
                               pool_size=20, max_overflow=20)
        _configure_sqlite(engine)
    else:
        # psycopg prepares a statement run five times, and PostgreSQL then switches it to a generic
        # plan, blind to the parameters' values: the open invoices due by a date (400 rows by the
        # partial index) became a walk of the due-date index over all 30 000 invoices, 0.4 → 4.3 ms.
        # A plan made for the values at hand each time costs a fraction of a millisecond.
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                               connect_args={"options": "-c plan_cache_mode=force_custom_plan"})
    return engine


def refresh_statistics(engine: Engine, *, vacuum: bool = False) -> None:
    """``ANALYZE`` after a company was written (seed, exam copies). Without
    statistics SQLite takes the single-column ``workspace_id`` index for every
    lookup by parent (a customer's 30 invoices become a scan of the workspace's
    30 000); PostgreSQL's autovacuum would get there, later. Statistics describe
    the shape of the data, which is the same from one workspace to the next, so
    one refresh after a big write is enough (about 0.1 s on the large company).

    ``vacuum`` (the commands that load a company: ``advsim seed``, ``advsim db
    upgrade``): on PostgreSQL ``VACUUM (ANALYZE)``, as its manual advises after
    a bulk load — until a vacuum has marked the pages all-visible, a count
    cannot be answered from an index alone (the inbox's count of threads: a
    scan of the table, 6 ms instead of 2 at the large size). About 2 s on
    the large company; SQLite has no such map (its ``VACUUM`` rewrites the file)."""
    if vacuum and engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:  # not in a transaction
            conn.execute(text("VACUUM (ANALYZE)"))
        return
    with engine.connect().execution_options(writer=True) as conn:  # SQLite: it writes sqlite_stat1
        conn.execute(text("ANALYZE"))
        conn.commit()


def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    with _engines_lock:
        if url not in _engines:
            if url.startswith("sqlite:///"):
                from pathlib import Path

                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            _engines[url] = make_engine(url)
        return _engines[url]


def dispose_engines() -> None:
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


# ===== unit of work =====================================================

class NotFound(LookupError):
    """The object does not exist in this workspace (shown as a 404)."""


class UnitOfWork:
    """One business action: a session scoped to one workspace (or none, for
    accounts and administration), committed once by the caller of the services.

    Leaving the ``with`` block without ``commit()`` rolls everything back.
    """

    def __init__(self, workspace_id: int | None = None, *, write: bool = True, engine: Engine | None = None,
                 inspecting: bool = False, judging: bool = False, workspace: Any = None):
        self.workspace_id = workspace_id
        # the workspace's row as the request already read it (with the user, sim/web/deps.py):
        # a reading unit of work starts from it instead of reading it again
        self._known_workspace = workspace if not write and workspace is not None \
            and workspace.id == workspace_id else None
        self.engine = engine or get_engine()
        self.write = write
        # a staff member reading a candidate's workspace (sim/web/inspection.py): reads only, leaves no evidence
        self.inspecting = inspecting
        # an evaluator's judgement: the one write an ended (sealed) workspace still takes,
        # and only ``evaluation.*`` journal entries (sim/journal/service.py checks)
        self.judging = judging
        self.session: Session

    def __enter__(self) -> "UnitOfWork":
        bind = self.engine.execution_options(writer=True) if self.write else self.engine
        self.session = Session(bind=bind, expire_on_commit=False)
        self.session.info["workspace_id"] = self.workspace_id
        if self.workspace_id is not None:
            event.listen(self.session, "after_begin", self._lock_workspace)
        if self._known_workspace is not None:
            self.session.info["workspace_row"] = self.session.merge(self._known_workspace, load=False)
        return self

    def workspace_row(self):
        """The workspace's row (its clock, its name…), read once per unit of work.

        Kept here: the session's identity map holds objects weakly, so every
        ``session.get(Workspace, id)`` after the last reference was dropped
        (``sim_now`` keeps none) was a new round trip — two or three a page. A
        writing unit of work reads it after its write lock, at the first use."""
        found = self.session.info.get("workspace_row")
        if found is None or found not in self.session or found.id != self.workspace_id:  # closed, or moved on
            from sim.workspace.models import Workspace

            found = self.session.get(Workspace, self.workspace_id)
            self.session.info["workspace_row"] = found
        return found

    def _lock_workspace(self, _session, _transaction, connection) -> None:
        """A writing transaction first queues behind every other writer of its workspace.

        A service then reads the state it is about to change under the lock: two
        submissions of one action (a double click, two tabs, two app processes)
        run one after the other and the second sees what the first did. SQLite
        holds its database lock from BEGIN IMMEDIATE; PostgreSQL locks the
        workspace row (SELECT ... FOR UPDATE) until commit or rollback. Taken at
        the transaction's first statement, so work done before it (printing a
        PDF ahead) holds no lock."""
        if not connection.get_execution_options().get("writer", False):
            return
        from sim.workspace.models import Workspace

        table = Workspace.__table__
        found = connection.execute(select(table.c.id, table.c.ended_at).where(table.c.id == self.workspace_id)
                                   .with_for_update()).first()
        if found is None:
            raise NotFound(f"Workspace {self.workspace_id}")
        if found.ended_at is not None and not self.judging:
            # the exam is over: nothing changes any more, whoever asks (checked under the lock)
            from sim.errors import WorkspaceClosed

            raise WorkspaceClosed()

    def __exit__(self, *exc) -> None:
        # close() rolls back whatever was not committed, and leaves the loaded
        # objects readable (detached, not expired) for the page that renders them.
        self.session.close()

    def commit(self) -> None:
        self.session.commit()
        self._reads_only_from_now()

    def rollback(self) -> None:
        self.session.rollback()
        self._reads_only_from_now()

    def _reads_only_from_now(self) -> None:
        # The page rendered after an action only reads: it must not take the
        # SQLite write lock again (BEGIN IMMEDIATE) and hold it until the
        # request's teardown.
        self.session.bind = self.engine

    @contextmanager
    def writing(self) -> Iterator["UnitOfWork"]:
        """A short write inside a reading unit of work: a read that leaves
        evidence (an account seen, a message read, a PDF opened). The read
        transaction ends first, so the request never holds two connections; the
        write lock is taken at the block's first statement and released when the
        block commits at its end (or rolls back, on an error). Afterwards the
        unit of work reads again, with the objects it loaded still readable."""
        if self.inspecting:
            raise RuntimeError("a staff member inspecting a workspace never writes in it")
        if self.session.in_transaction():
            self.session.commit()  # a reading transaction: ends it, writes nothing
        self.session.bind = self.engine.execution_options(writer=True)
        try:
            yield self
            self.session.commit()
        except BaseException:
            self.session.rollback()
            raise
        finally:
            self._reads_only_from_now()

    @contextmanager
    def evidence(self) -> Iterator["UnitOfWork"]:
        """``writing()`` for a read that leaves evidence (an account seen, a
        message read, a PDF opened): once the exam is over for this workspace the
        page still shows, and nothing is journaled.

        A staff member inspecting the workspace must leave no evidence in the
        candidate's journal: the caller checks ``uow.inspecting`` and skips the
        block; reaching here while inspecting is a bug, refused loudly."""
        from sim.errors import WorkspaceClosed

        if self.inspecting:
            raise RuntimeError("a staff member inspecting a workspace leaves no evidence in it")

        try:
            with self.writing():
                yield self
        except WorkspaceClosed:
            pass

    # --- scoped reads --------------------------------------------------
    def get(self, model: type[T], id_: Any) -> T:
        """The object with this id in this workspace, or ``NotFound`` (also for an
        id beyond the integer columns' range, which no row can have)."""
        if isinstance(id_, int) and not 0 < id_ <= 2**31 - 1:
            raise NotFound(f"{model.__name__} {id_}")
        obj = self.session.scalars(select(model).where(model.id == id_)).first()  # type: ignore[attr-defined]
        if obj is None:
            raise NotFound(f"{model.__name__} {id_}")
        return obj

    def add(self, obj: SQLModel) -> SQLModel:
        if isinstance(obj, WorkspaceOwned) and obj.workspace_id is None:
            obj.workspace_id = self.workspace_id  # type: ignore[assignment]
        self.session.add(obj)
        return obj


@contextmanager
def reading(workspace_id: int | None = None) -> Iterator[UnitOfWork]:
    """A read-only unit of work (page rendering)."""
    with UnitOfWork(workspace_id, write=False) as uow:
        yield uow
