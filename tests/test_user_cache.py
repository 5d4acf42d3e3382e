"""The e-mail to Slack user id cache: two requests caching the same address at once both succeed."""

import threading

from sqlmodel import select

from storage import state
from storage.engine import session_scope
from storage.state import SlackUser
from tests.conftest import local

NOW = local(2027, 2, 1, 9, 0)


def test_caching_an_address_twice_at_once_keeps_one_row_and_fails_neither(engine):
    """On PostgreSQL both transactions look, find nothing, then write; SQLite serialises them (BEGIN IMMEDIATE)."""
    together = engine.dialect.name == "postgresql"
    barrier, failures = threading.Barrier(2), []

    def cache(user_id: str) -> None:
        try:
            with session_scope(engine) as session:
                if together:
                    assert state.cached_user_id(session, "kvalitet@vmkf.example") is None
                    barrier.wait(timeout=5)  # both have looked and found nothing
                state.cache_user_id(session, "Kvalitet@vmkf.example", user_id, NOW)
        except Exception as exc:  # noqa: BLE001 (the test reports whatever failed)
            failures.append(exc)

    threads = [threading.Thread(target=cache, args=(user_id,)) for user_id in ("U0AAAAAAA1", "U0AAAAAAA1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert failures == []
    with session_scope(engine) as session:
        assert [row.user_id for row in session.scalars(select(SlackUser))] == ["U0AAAAAAA1"]


def test_caching_an_address_again_updates_it(engine):
    with session_scope(engine) as session:
        state.cache_user_id(session, "a@vmkf.example", "U0AAAAAAA1", NOW)
    with session_scope(engine) as session:
        state.cache_user_id(session, "a@vmkf.example", "U0AAAAAAA2", NOW)
    with session_scope(engine) as session:
        assert state.cached_user_id(session, "a@vmkf.example") == "U0AAAAAAA2"
