"""What the request-edge tests share: the real app over HTTP with a handle on its listeners, and row counts."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from bot.demo.idle import CountingExecutor, count_listeners
from bot.demo.slack_requests import SlackRequester
from bot.slack.app import build_bolt_app, build_wsgi_app
from bot.web import BackgroundServer
from handlers.slack.registry import RecordingApp
from tests.conftest import SIGNING_SECRET


@dataclass
class Edge:
    app: RecordingApp
    requester: SlackRequester
    listeners: CountingExecutor


@pytest.fixture
def edge(runtime, fake_slack) -> Iterator[Edge]:
    """The real Bolt app behind waitress; requests signed with the app's clock and answering to the fake."""
    app = build_bolt_app(runtime)
    listeners = count_listeners(app)
    server = BackgroundServer(build_wsgi_app(app, runtime)).start()
    requester = SlackRequester(server.url, SIGNING_SECRET, response_url=fake_slack.response_url, clock=runtime.clock)
    yield Edge(app, requester, listeners)
    server.stop()


def row_counts(engine: Engine) -> dict[str, int]:
    """The number of rows in every table."""
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }
