"""A session that only reads (session_scope's `reading`) neither waits for a write transaction nor holds one up:
on SQLite it takes no write lock (WAL), on PostgreSQL readers never did."""

from datetime import UTC, datetime

from sqlmodel import select

from storage.cases import CaseSequence
from storage.engine import session_scope

NOW = datetime(2027, 2, 1, 8, 0, tzinfo=UTC)


def test_a_reading_session_reads_the_last_commit_while_a_write_is_under_way(engine):
    with session_scope(engine) as session:
        session.add(CaseSequence(year=2027, last_number=1))

    with session_scope(engine) as writing:
        writing.get(CaseSequence, 2027).last_number = 2
        writing.flush()  # the write transaction holds the lock (SQLite) and its row (PostgreSQL) until it ends
        with session_scope(engine, reading=True) as reading:
            seen = reading.exec(select(CaseSequence.last_number)).one()

    assert seen == 1
    with session_scope(engine, reading=True) as reading:
        assert reading.exec(select(CaseSequence.last_number)).one() == 2


def test_a_write_goes_through_while_a_reading_session_is_open(engine):
    with session_scope(engine, reading=True) as reading:
        assert reading.exec(select(CaseSequence)).all() == []  # its transaction has begun
        with session_scope(engine) as writing:
            writing.add(CaseSequence(year=2027, last_number=1))

    with session_scope(engine, reading=True) as reading:
        assert reading.exec(select(CaseSequence.last_number)).one() == 1
