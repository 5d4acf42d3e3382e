"""A process starts with the configuration it is given, and a view stored under an earlier one may show other
tasks: starting a runtime marks every stored personal view dirty, so the next opening (or tick) renders it anew."""

from datetime import UTC, datetime, timedelta

from bot.runtime import build_runtime
from storage.engine import session_scope
from storage.home import fresh_parts, store_view

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def test_a_view_stored_before_a_restart_is_rendered_again_after_it(settings):
    first = build_runtime(settings)
    with session_scope(first.engine) as session:
        store_view(session, "it-chef", "[]", NOW + timedelta(days=1), NOW, read_version=None)
    with session_scope(first.engine, reading=True) as session:
        assert fresh_parts(session, "it-chef", NOW) == "[]"  # clean while this process runs

    restarted = build_runtime(settings)

    with session_scope(restarted.engine, reading=True) as session:
        assert fresh_parts(session, "it-chef", NOW) is None
    first.engine.dispose()
    restarted.engine.dispose()
