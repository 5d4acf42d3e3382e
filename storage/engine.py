"""Engine creation, the session scope and dialect-aware helpers."""

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Column, Engine, Insert, Table, delete, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlmodel import Session, create_engine

SUPPORTED_DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg", "postgres")
_SUPPORTED = (
    "the supported databases are sqlite (sqlite:///PATH) and postgresql with psycopg 3 "
    "(postgresql://USER:PASSWORD@HOST/DATABASE, or postgresql+psycopg://...)"
)


class UnsupportedDatabase(ValueError):
    """The database URL names a driver this project does not run on, or is not a URL at all."""


def check_driver(url: str) -> None:
    """Raise UnsupportedDatabase unless `url` is a SQLite or PostgreSQL (psycopg 3) URL."""
    if not url.strip():
        raise UnsupportedDatabase(
            "DATABASE_URL is set but empty: give the database's URL, or unset it to use sqlite:///samverkan.db"
        )
    try:
        driver = make_url(url).drivername
    except ArgumentError as exc:
        raise UnsupportedDatabase(f"DATABASE_URL is not a database URL: {_SUPPORTED}") from exc
    if driver not in SUPPORTED_DRIVERS:
        raise UnsupportedDatabase(f"DATABASE_URL uses the driver '{driver}', which is not supported: {_SUPPORTED}")


# PostgreSQL: the engine that session_scope's reading and one-statement sessions run on, the same database in
# autocommit with a pool of its own. Switching a pooled connection into autocommit for one session (and SQLAlchemy
# switching it back when it returns to the pool) cost more than the statement it ran; these connections never switch.
_AUTOCOMMIT: WeakKeyDictionary[Engine, Engine] = WeakKeyDictionary()


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout, foreign keys and write transactions, PostgreSQL an
    autocommit twin (_AUTOCOMMIT) disposed with it.

    SQL errors are logged without their parameters: they carry message texts and addresses, and a failed bulk
    insert would otherwise write megabytes of them into the log.
    """
    check_driver(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # pysqlite's own BEGIN handling is replaced by _sqlite_begin
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection) -> None:
            # A deferred transaction that reads and then writes fails at once with "database is locked" when
            # another process wrote in between; taking the write lock up front makes it wait (busy_timeout)
            # instead. It also makes SAVEPOINTs work as SQLAlchemy expects. A transaction that only reads
            # (session_scope's `reading`) takes no lock: in WAL it reads the last commit, and keeps no writer waiting.
            reading = connection.get_execution_options().get(READING, False)
            connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, hide_parameters=True)
    _ping_when_idle(engine)
    autocommit = create_engine(url, hide_parameters=True, isolation_level="AUTOCOMMIT")
    _ping_when_idle(autocommit)
    _AUTOCOMMIT[engine] = autocommit
    event.listen(engine, "engine_disposed", lambda _engine: autocommit.dispose())
    return engine


# A pooled PostgreSQL connection idle for longer than this is pinged before it is handed out (one more round trip);
# one used just before is not: a transaction of a request or of the sender follows another within milliseconds.
PING_AFTER_IDLE_SECONDS = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """Pre-ping only where it is needed: a connection that sat in the pool long enough for the server (a restart, an
    idle timeout) or the network to have dropped it is pinged at checkout, and replaced when it does not answer."""

    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_connection, record) -> None:
        if dbapi_connection is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("a pooled connection did not answer its ping") from exc


# The execution option of a connection whose transactions only read (see session_scope).
READING = "samverkan_reading"


@contextmanager
def session_scope(engine: Engine, reading: bool = False, one_statement: bool = False) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    `reading`: the session only reads, and must not write. On SQLite its transaction then takes no write lock, so
    it neither waits for a writer nor keeps one waiting (a writer that finds the lock taken sleeps a millisecond or
    more; a write here could fail at once with "database is locked" instead of waiting its turn). On PostgreSQL it
    runs in autocommit: each SELECT is one round trip, without the BEGIN and COMMIT around it. That reads what a
    read-only transaction would: at PostgreSQL's READ COMMITTED every statement takes its own snapshot anyway.

    `one_statement`: the session runs exactly one statement (an outbox row's claim or mark). On PostgreSQL it runs
    in autocommit, the statement its own transaction, without the BEGIN and COMMIT round trips; it must not run a
    second, which would not be rolled back with the first. (Both run on the engine's autocommit twin: _AUTOCOMMIT.)"""
    bind = _AUTOCOMMIT.get(engine, engine) if reading or one_statement else engine
    with Session(bind, expire_on_commit=False) as session:
        if reading and bind.dialect.name == "sqlite":
            session.connection(execution_options={READING: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# Rows per executemany at most: each call stays short, whatever the caller hands in.
INSERT_CHUNK_ROWS = 1_000


def insert_ignoring_conflicts(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """INSERT rows, skipping any that collide with a unique constraint; returns how many were inserted.

    Each statement carries one row's parameters and runs for many rows at once (executemany), so no statement
    comes near a parameter limit (65,535 for psycopg, 32,766 or 999 for SQLite builds) however many rows there
    are; SQLAlchemy, where it batches such a run into multi-row statements, keeps to the dialect's limit. Rows
    with different columns go in separate runs.
    """
    statement = _insert_ignoring_conflicts(table, is_postgres(session))
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_columns.setdefault(tuple(row), []).append(row)
    inserted = 0
    for same in by_columns.values():
        for start in range(0, len(same), INSERT_CHUNK_ROWS):
            result = session.execute(statement, same[start : start + INSERT_CHUNK_ROWS])
            inserted += max(result.rowcount, 0)
    return inserted


@cache
def _insert_ignoring_conflicts(table: Table, postgres: bool) -> Insert:
    """The INSERT ... ON CONFLICT DO NOTHING of `table`, built once per table and dialect (the outbox's enqueue and
    the request keys run it on every request that queues or registers something)."""
    dialect = postgresql if postgres else sqlite
    # Without preserve_rowcount, SQLAlchemy 2.1 on psycopg reports -1 for INSERT.
    return dialect.insert(table).on_conflict_do_nothing().execution_options(preserve_rowcount=True)


def delete_before(session: Session, key: Column, moment: Column, before: Any, limit: int) -> int:
    """Delete up to `limit` rows of `key`'s table whose `moment` is before `before`; returns how many."""
    doomed = list(session.scalars(select(key).where(moment < before).limit(limit)))
    if doomed:
        session.execute(delete(key.table).where(key.in_(doomed)))
    return len(doomed)
