"""What the request-edge tests share: the real app over HTTP with a handle on its listeners, and row counts."""

from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from bot.demo.harness import AppServer
from bot.demo.slack_requests import SlackRequester
from handlers.slack.registry import RecordingApp


@dataclass
class Edge:
    server: AppServer
    requester: SlackRequester

    @property
    def app(self) -> RecordingApp:
        return self.server.app


@pytest.fixture
def edge(app_server: AppServer, slack: SlackRequester) -> Edge:
    """The real Bolt app behind waitress; requests signed with the app's clock and answering to the fake."""
    return Edge(app_server, slack)


def row_counts(engine: Engine) -> dict[str, int]:
    """The number of rows in every table."""
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }
