"""A migrated database for one benchmark run: a temp SQLite file by default, or a fresh PostgreSQL database."""

import tempfile
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.engine import make_engine
from storage.migrate import upgrade

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


class Database:
    """A migrated database for the run: a temp SQLite file (url None or empty), a fresh database made (and
    dropped afterwards) on the PostgreSQL server at `url`, or any other `url` as it is."""

    def __init__(self, url: str | None):
        self.given = url
        self.admin = None
        self.name = None
        self.tmp = None

    def __enter__(self) -> str:
        if not self.given:
            self.tmp = tempfile.TemporaryDirectory(prefix="samverkan-bench-")
            url = f"sqlite:///{Path(self.tmp.name) / 'bench.db'}"
        elif self.given.startswith(("postgres://", "postgresql")):
            self.admin = make_engine(self.given).execution_options(isolation_level="AUTOCOMMIT")
            self.name = f"samverkan_bench_{uuid.uuid4().hex[:10]}"
            with self.admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.name}"'))
            url = make_url(self.admin.url).set(database=self.name).render_as_string(hide_password=False)
        else:
            url = self.given
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        return url

    def __exit__(self, *exc: object) -> None:
        if self.admin is not None:
            with self.admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self.admin.dispose()
        if self.tmp is not None:
            self.tmp.cleanup()
