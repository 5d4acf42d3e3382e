"""Helpers shared by the case tests: a report, a dump of every table, and waiting for a background send."""

import time
from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from bot.cases.service import Report

REPORTER = "U0VMKF0020"  # the municipal chief of Arboga, a configured person


def a_report(**changes) -> Report:
    values = {
        "category": "klagomal",
        "department_id": None,
        "service_id": "it-drift",
        "member_id": "arboga",
        "description": "Skrivarna i stadshuset har inte fungerat på en vecka.",
        "contact": None,
        "anonymous": False,
        "reporter_user_id": REPORTER,
        "source_link": None,
    }
    values.update(changes)
    return Report(**values)


def dump_tables(engine: Engine) -> str:
    """Every row of every table, as text."""
    lines = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(select(table)):
                lines.append(f"{table.name}: {tuple(row)}")
    return "\n".join(lines)


def wait_for(condition: Callable[[], object], timeout: float = 5.0) -> object:
    """Poll until `condition()` is truthy (work the app does after acknowledging a request)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)
