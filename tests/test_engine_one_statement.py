"""A session that runs one statement (session_scope's `one_statement`: an outbox row's claim or mark): on
PostgreSQL in autocommit, the statement its own transaction; the pooled connection it used is transactional again
for the next session."""

import pytest
from sqlalchemy import update
from sqlmodel import select

from storage.cases import CaseSequence
from storage.engine import session_scope


def _number(engine) -> int:
    with session_scope(engine, reading=True) as reading:
        return reading.exec(select(CaseSequence.last_number)).one()


def test_the_one_statement_is_committed(engine):
    with session_scope(engine) as session:
        session.add(CaseSequence(year=2027, last_number=1))

    with session_scope(engine, one_statement=True) as session:
        session.execute(update(CaseSequence.__table__).values(last_number=2))

    assert _number(engine) == 2


def test_on_postgresql_the_statement_is_committed_at_once_and_elsewhere_with_the_scope(engine):
    with session_scope(engine) as session:
        session.add(CaseSequence(year=2027, last_number=1))

    with session_scope(engine, one_statement=True) as session:
        session.execute(update(CaseSequence.__table__).values(last_number=2))
        seen_meanwhile = _number(engine)

    assert seen_meanwhile == (2 if engine.dialect.name == "postgresql" else 1)


def test_the_next_session_on_the_same_connection_is_a_transaction_again(engine):
    with session_scope(engine) as session:
        session.add(CaseSequence(year=2027, last_number=1))
    with session_scope(engine, one_statement=True) as session:  # the pool hands the same connection out next
        session.execute(update(CaseSequence.__table__).values(last_number=2))

    with pytest.raises(RuntimeError), session_scope(engine) as session:
        session.execute(update(CaseSequence.__table__).values(last_number=3))
        raise RuntimeError("the write after it fails")

    assert _number(engine) == 2  # rolled back: the connection left autocommit when it went back to the pool


def test_on_postgresql_reading_and_one_statement_sessions_never_switch_a_pooled_connection(engine):
    """They run on the engine's autocommit twin: the transactional pool's connections stay transactional, and
    disposing the engine closes the twin's connections too."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one pool: its reading sessions only skip the write lock")
    with session_scope(engine, reading=True) as reading, session_scope(engine, one_statement=True) as writing:
        reading.exec(select(CaseSequence)).all()
        writing.execute(update(CaseSequence.__table__).values(last_number=2))
        assert reading.connection().connection.driver_connection.autocommit
        assert writing.connection().connection.driver_connection.autocommit
    with session_scope(engine) as session:
        assert not session.connection().connection.driver_connection.autocommit
    twin = reading.get_bind()
    assert twin is not engine and twin.pool.checkedin() > 0

    engine.dispose()

    assert twin.pool.checkedin() == 0
