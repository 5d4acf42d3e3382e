"""The Alembic migrations build exactly the tables the code declares, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from storage.migrate import current_revision, head_revision, prepare_schema


def test_migrated_schema_matches_the_tables(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_database_is_at_head_and_prepare_schema_accepts_it(engine):
    assert current_revision(engine) == head_revision(engine)
    prepare_schema(engine)
