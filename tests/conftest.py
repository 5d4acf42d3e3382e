"""The test harness: a migrated database (SQLite, or PostgreSQL with TEST_DATABASE_URL), the fake Slack
Web API on a random loopback port, the real Bolt app served over HTTP, signed requests and a fixed clock."""

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

import storage.tables  # noqa: F401
from bot.clock import FixedClock
from bot.config import AssociationConfig, load_config
from bot.demo.fake_slack import FakeSlack
from bot.demo.harness import AppServer, fake_slack_settings
from bot.demo.slack_requests import SlackRequester
from bot.demo.workspace import workspace_for
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack.client import web_client
from bot.slack.sender import slack_senders
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.chat import Chat, SlackChat, teams_chat

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "bot" / "demo" / "vmkf.yaml"
SIGNING_SECRET = "test-signing-secret"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(*args: int) -> datetime:
    """An aware Europe/Stockholm datetime: local(2027, 2, 11, 9, 0)."""
    return datetime(*args, tzinfo=STOCKHOLM)


@contextmanager
def disposed_engine(url: str) -> Iterator[Engine]:
    """An engine for `url`, disposed of when the block ends."""
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def example_config() -> AssociationConfig:
    return load_config(EXAMPLE)


@pytest.fixture(scope="session")
def _database(tmp_path_factory) -> Iterator[str]:
    """A migrated database for the session: a template SQLite file, or a fresh PostgreSQL database."""
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if not pg_url:
        template = tmp_path_factory.mktemp("db") / "template.db"
        with disposed_engine(f"sqlite:///{template}") as template_engine:
            upgrade(template_engine)
            raw = template_engine.raw_connection()  # outside a transaction: a checkpoint cannot run inside one
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            raw.close()
        yield f"sqlite-template:{template}"
        return
    admin = make_engine(pg_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"samverkan_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    with disposed_engine(url) as engine:
        upgrade(engine)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(_database: str, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database for one test."""
    if _database.startswith("sqlite-template:"):
        copy = tmp_path / "test.db"
        shutil.copy(_database.removeprefix("sqlite-template:"), copy)
        yield f"sqlite:///{copy}"
        return
    tables = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with disposed_engine(_database) as engine, engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield _database


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    with disposed_engine(database_url) as engine:
        yield engine


@pytest.fixture
def fake_slack(example_config: AssociationConfig) -> Iterator[FakeSlack]:
    with FakeSlack(workspace_for(example_config)) as fake:
        yield fake


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(local(2027, 2, 1, 7, 0))


@pytest.fixture
def settings(fake_slack: FakeSlack, database_url: str) -> Settings:
    return fake_slack_settings(fake_slack.url, database_url, str(EXAMPLE), SIGNING_SECRET, "xoxb-test")


@pytest.fixture
def runtime(settings: Settings, engine: Engine, clock: FixedClock, example_config: AssociationConfig) -> Runtime:
    sender_client = web_client(settings, for_sender=True)
    return Runtime(
        settings=settings,
        config=example_config,
        engine=engine,
        clock=clock,
        client=web_client(settings, for_sender=False),
        sender_client=sender_client,
        senders=slack_senders(engine, sender_client),
    )


@pytest.fixture
def app_server(runtime: Runtime) -> Iterator[AppServer]:
    """The real Bolt app over HTTP (the requests of `slack` go to it)."""
    server = AppServer(runtime)
    yield server
    server.stop()


@pytest.fixture
def slack(app_server: AppServer, fake_slack: FakeSlack, clock: FixedClock) -> SlackRequester:
    """Signed requests to the running app, as Slack would send them, stamped with the app's clock;
    `slack.idle()` waits for the work the app does after acknowledging them (never poll for it)."""
    return app_server.requester(SIGNING_SECRET, fake_slack.response_url, clock)


@pytest.fixture(params=["slack", "teams"])
def chat(request, engine: Engine, database_url: str, clock: FixedClock, tmp_path: Path) -> Iterator[Chat]:
    """The example association and the real app on one platform, driven in domain terms (tests/chat.py)."""
    if request.param == "slack":
        yield SlackChat(request.getfixturevalue("runtime"), request.getfixturevalue("slack"),
                        request.getfixturevalue("fake_slack"))  # fmt: skip
        return
    with teams_chat(engine, database_url, clock, EXAMPLE.read_text(encoding="utf-8"), tmp_path) as chat:
        yield chat
