"""A pooled PostgreSQL connection that the server dropped while it sat idle is replaced at checkout, unseen."""

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

import storage.engine
from tests.conftest import disposed_engine


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT pg_backend_pid()"))


def test_a_connection_dropped_while_idle_is_replaced_before_use(engine, database_url, monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to drop a connection")
    monkeypatch.setattr(storage.engine, "PING_AFTER_IDLE_SECONDS", -1.0)  # every pooled connection counts as idle
    dropped = backend_pid(engine)  # the pool keeps this connection
    with disposed_engine(database_url) as admin, admin.connect() as connection:
        assert connection.scalar(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": dropped})

    replaced = backend_pid(engine)  # no error: the ping found the connection dead, the pool opened another

    assert replaced != dropped
    assert engine.pool.checkedin() == 1


def test_a_connection_dropped_right_after_use_fails_once_then_is_replaced(engine, database_url, monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to drop a connection")
    monkeypatch.setattr(storage.engine, "PING_AFTER_IDLE_SECONDS", 3600.0)  # the connection was used just now
    dropped = backend_pid(engine)
    with disposed_engine(database_url) as admin, admin.connect() as connection:
        assert connection.scalar(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": dropped})

    with pytest.raises(OperationalError, match="terminat"):
        backend_pid(engine)

    assert backend_pid(engine) != dropped  # the pool dropped it: the next use gets a new connection
