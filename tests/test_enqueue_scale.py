"""A tick as big as a DM to every employee: queued whatever the database's parameter limit, in short transactions,
exactly once across a crash between them; an occurrence the outbox cannot hold is reported once and stops nothing."""

import logging
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError

from bot.cli import main
from bot.config import parse_config
from bot.delivery.keys import Source
from bot.plan import schedule
from bot.tick import queue_due_work
from storage import outbox, state
from storage.engine import make_engine, session_scope
from storage.outbox import Delivery, DeliveryStatus, QueuedOccurrence
from tests.conftest import local

MONDAY = local(2027, 2, 1, 9, 0)
LONG_CHANNEL = "C" + "A" * 330  # more than the outbox's address column holds


def config_text(people: int, extra_items: str = "") -> str:
    person_lines = "\n".join(
        f"  - {{id: p{n:03d}, name: Person {n}, slack_id: U{1_000_000 + n}}}" for n in range(people)
    )
    members = ", ".join(f"p{n:03d}" for n in range(people))
    return f"""
association: {{id: test, name: Testförbundet, short_name: TF}}
settings: {{grace_period_hours: 24}}
people:
  - {{id: chef, name: Förbundschefen, slack_id: U0VMKF0001}}
{person_lines}
roles: {{director: chef, quality_manager: chef}}
members: []
departments: []
forums: [{{id: alla, name: Alla, kind: other, members: [{members}]}}]
plan:
  - id: alla-dm
    title: Till alla
    purpose: Ett meddelande till alla.
    audience: {{forums: [alla]}}
    delivery: dm
    schedule: {{rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04, time: "09:00"}}
    owner: chef
    message: Hej {{{{ recipient.label }}}}, veckans nyheter finns på intranätet.
{extra_items}"""


BROKEN_ITEM = f"""
  - id: trasig
    title: Trasig kanal
    purpose: En kanal som inte ryms i utkorgen.
    audience: {{channels: [{LONG_CHANNEL}]}}
    delivery: channel
    schedule: {{rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04, time: "08:00"}}
    owner: chef
    message: Det här kan inte köas.
"""


def plan_rows(engine, item_id: str = "alla-dm") -> list[Delivery]:
    with session_scope(engine) as session:
        return list(
            session.scalars(
                select(Delivery).where(Delivery.source == "plan", Delivery.item_id == item_id).order_by(Delivery.id)
            )
        )


def statement_sizes(engine) -> list[int]:
    """Bound parameters of each statement the engine sends from now on (an executemany counts per row)."""
    sizes: list[int] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany) -> None:
        for one in parameters if executemany else [parameters]:
            sizes.append(len(one or ()))

    return sizes


@pytest.fixture
def small_limit_engine(database_url):
    """An engine whose SQLite connections allow 999 variables a statement, as many SQLite builds do."""
    engine = make_engine(database_url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _limit(dbapi_conn, _record) -> None:
            dbapi_conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)

    yield engine
    engine.dispose()


def test_a_tick_with_more_parameters_than_the_database_allows_is_queued(small_limit_engine):
    config = parse_config(config_text(120))  # 120 rows of 15 parameters: 1,800 in one statement before the fix
    sizes = statement_sizes(small_limit_engine)
    queued, errors = queue_due_work(small_limit_engine, config, MONDAY)
    assert errors == []
    assert queued[0].rows == 120
    assert max(sizes) <= 999
    rows = plan_rows(small_limit_engine)
    assert len({row.recipient for row in rows}) == 120 and {row.status for row in rows} == {"pending"}
    assert "Hej Person 7," in next(row.text for row in rows if row.recipient == "person:p007")
    with session_scope(small_limit_engine) as session:
        assert state.last_tick(session) == MONDAY


def test_the_tick_writes_in_short_transactions(engine):
    config = parse_config(config_text(35))
    written, per_transaction = [0], []

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DELIVERY"):
            written[0] += len(parameters) if executemany else 1

    @event.listens_for(engine, "commit")
    def _commit(conn) -> None:
        per_transaction.append(written[0])
        written[0] = 0

    schedule.enqueue_due_plan(engine, config, MONDAY, chunk_rows=10)
    assert sum(per_transaction) == 35
    assert max(per_transaction) == 10


class Crash(BaseException):
    """The process dying (kill -9) between two of the producer's transactions."""


def test_a_crash_between_chunks_loses_and_doubles_nothing(engine, monkeypatch):
    config = parse_config(config_text(35))
    real_enqueue, calls = outbox.enqueue, []

    def crash_on_third_chunk(session, rows):
        calls.append(len(rows))
        if len(calls) == 3:
            raise Crash
        return real_enqueue(session, rows)

    monkeypatch.setattr(outbox, "enqueue", crash_on_third_chunk)
    with pytest.raises(Crash):
        schedule.enqueue_due_plan(engine, config, MONDAY, chunk_rows=10)
    assert len(plan_rows(engine)) == 20  # two chunks committed, the third rolled back
    with session_scope(engine) as session:
        assert state.last_tick(session) is None  # the tick did not finish, so the next one looks again
        assert outbox.queued_occurrences(session, "plan", {("alla-dm", "2027-02-01")}) == set()
    monkeypatch.setattr(outbox, "enqueue", real_enqueue)

    report = schedule.enqueue_due_plan(engine, config, MONDAY + timedelta(seconds=30), chunk_rows=10)
    assert report.rows == 15
    rows = plan_rows(engine)
    assert sorted(row.recipient for row in rows) == sorted(f"person:p{n:03d}" for n in range(35))
    again = schedule.enqueue_due_plan(engine, config, MONDAY + timedelta(seconds=60), chunk_rows=10)
    assert (again.already_queued, again.rows) == (1, 0)


def test_an_occurrence_the_outbox_cannot_hold_is_reported_once_and_stops_nothing(engine, caplog):
    config = parse_config(config_text(3, BROKEN_ITEM))
    caplog.set_level(logging.INFO)
    first, errors = queue_due_work(engine, config, MONDAY)
    assert errors == []
    assert [occurrence.item.id for occurrence, _ in first[0].unqueued] == ["trasig"]
    assert len(plan_rows(engine)) == 3  # the other item went in
    assert plan_rows(engine, "trasig") == []
    with session_scope(engine) as session:
        assert state.last_tick(session) == MONDAY  # the tick position moved on
        [report] = session.scalars(select(Delivery).where(Delivery.source == Source.FAILURE_REPORT)).all()
        mark = session.get(QueuedOccurrence, ("plan", "trasig", "2027-02-01"))
    assert report.address == "U0VMKF0001" and report.status == DeliveryStatus.PENDING
    assert report.text.startswith(":x: *Utskicket kunde inte läggas i kö: Trasig kanal*")
    assert "måndag 1 februari 2027 kl. 08:00" in report.text
    assert "is 339 characters long; the outbox holds at most 200" in mark.error

    second, _ = queue_due_work(engine, config, MONDAY + timedelta(seconds=30))
    assert second[0].unqueued == [] and second[0].already_queued == 2
    lines = [record for record in caplog.records if "could not be queued" in record.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.ERROR
    assert LONG_CHANNEL not in lines[0].getMessage()
    with session_scope(engine) as session:
        count = select(func.count()).select_from(Delivery).where(Delivery.source == Source.FAILURE_REPORT)
        assert session.scalar(count) == 1


def test_sql_errors_do_not_carry_their_parameters(engine):
    with pytest.raises(DBAPIError) as raised, session_scope(engine) as session:
        session.execute(text("SELECT * FROM no_such_table WHERE x = :v"), {"v": "secret-value-123"})
    assert "secret-value-123" not in str(raised.value)
    assert "hide_parameters" in str(raised.value)


def test_the_tick_command_names_an_occurrence_it_could_not_queue(
    monkeypatch, fake_slack, database_url, tmp_path, capsys
):
    path = tmp_path / "association.yaml"
    path.write_text(config_text(3, BROKEN_ITEM), encoding="utf-8")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["tick", "--config", str(path), "--now", MONDAY.isoformat()]) == 1  # problems found: exit 1
    out = capsys.readouterr().out
    assert "unqueued Trasig kanal at 2027-02-01T08:00:00+01:00: " in out
    assert "(reported to the owner)" in out
