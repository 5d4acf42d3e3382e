"""Migration 0003_cases: it creates exactly the case tables, and its downgrade removes them again."""

from alembic import command
from sqlalchemy import inspect

from storage.engine import make_engine
from storage.migrate import _alembic_config, upgrade

CASE_TABLES = {"case_event", "case_purge", "case_sequence", "feedback_case"}


def test_upgrade_and_downgrade(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'migrate.db'}")
    upgrade(engine)
    assert CASE_TABLES <= set(inspect(engine).get_table_names())
    config = _alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert not CASE_TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert CASE_TABLES <= set(inspect(engine).get_table_names())
    engine.dispose()
