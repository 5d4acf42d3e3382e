"""Shared by the load benchmarks: a throwaway migrated database and an association with many people."""

import tempfile
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

import storage.tables  # noqa: F401
from storage.engine import make_engine
from storage.migrate import upgrade

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def config_text(recipients: int, personal: bool = False) -> str:
    """An association with `recipients` people in one forum and one DM plan item due on 2027-02-01.

    A `personal` message names its recipient, so it is rendered once for each of them.
    """
    greeting = "Hej {{ recipient.label }}!" if personal else "Hej!"
    people = "\n".join(
        f"  - {{id: person-{n:05d}, name: Person {n}, slack_id: U{1_000_000 + n}}}" for n in range(recipients)
    )
    members = ", ".join(f"person-{n:05d}" for n in range(recipients))
    return f"""
association: {{id: bench, name: Benchmark Association, short_name: BENCH, timezone: Europe/Stockholm}}
settings: {{grace_period_hours: 24, default_time: "08:30"}}
people:
  - {{id: owner, name: Item Owner, slack_id: U0OWNER001}}
{people}
roles: {{director: owner, quality_manager: owner}}
members: []
departments: []
forums:
  - id: alla
    name: Alla
    kind: other
    members: [{members}]
plan:
  - id: utskick-alla
    title: Utskick till alla
    purpose: Ett meddelande till alla i forumet.
    audience: {{forums: [alla]}}
    delivery: dm
    schedule: {{rrule: "FREQ=DAILY;COUNT=1", start: 2027-02-01, time: "08:30"}}
    owner: owner
    message: |
      {greeting} Det här är ett utskick till alla i {{{{ association.name }}}}.
"""


class Database:
    """A migrated database for one run: a temp SQLite file (url None), or a fresh database on a PostgreSQL server."""

    def __init__(self, url: str | None):
        self.given = url
        self.admin = None
        self.name = None
        self.tmp = None

    def __enter__(self) -> str:
        if not self.given:
            self.tmp = tempfile.TemporaryDirectory(prefix="samverkan-bench-")
            url = f"sqlite:///{Path(self.tmp.name) / 'bench.db'}"
        else:
            self.admin = make_engine(self.given).execution_options(isolation_level="AUTOCOMMIT")
            self.name = f"samverkan_bench_{uuid.uuid4().hex[:10]}"
            with self.admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.name}"'))
            url = make_url(self.admin.url).set(database=self.name).render_as_string(hide_password=False)
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
