"""Gallring of delivery logs: finished rows older than settings.delivery_log_days go, in small batches, as part of
the tick; pending rows, case rows and anything a tick may still look at stay, and nothing old is queued again."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import ConfigError, parse_config
from bot.delivery import retention
from bot.tick import run_tick
from storage import outbox, requests, state
from storage.engine import session_scope
from storage.outbox import Delivery, DeliveryStatus, QueuedOccurrence
from storage.requests import ProcessedRequest
from storage.state import ProcessedEvent
from tests.conftest import local
from tests.test_outbox import CONFIG, KVAL_DM

MONDAY = local(2027, 2, 1, 9, 0)


def config_with(days: int):
    return parse_config(
        CONFIG.replace("settings: {grace_period_hours: 24}", f"settings: {{delivery_log_days: {days}}}")
    )


def rows(engine) -> list[Delivery]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def old_row(key: str, status: str, source: str = "plan", due_days_ago: int = 400) -> dict:
    due = MONDAY - timedelta(days=due_days_ago)
    return {
        "source": source,
        "item_id": "veckobrev",
        "occurrence_key": key,
        "recipient": "channel:C0DIREKTIO",
        "part": 0,
        "due_at": due,
        "address": "C0DIREKTIO",
        "text": "gammalt",
        "owner": "komm",
        "status": status,
        "attempts": 1,
        "next_attempt_at": due,
        "created_at": due,
    }


def test_finished_rows_older_than_the_period_are_pruned_in_batches(runtime, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_ROWS", 2)
    config = config_with(365)
    with session_scope(runtime.engine) as session:
        outbox.enqueue(
            session,
            [old_row(f"sent-{n}", DeliveryStatus.SENT) for n in range(5)]
            + [
                old_row("failed", DeliveryStatus.FAILED),
                old_row("missed", DeliveryStatus.MISSED),
                old_row("pending", DeliveryStatus.PENDING),  # never finished: kept
                old_row("case", DeliveryStatus.SENT, source="case"),  # cases go with their case, by their rule
                old_row("recent", DeliveryStatus.SENT, due_days_ago=300),
            ],
        )
        outbox.mark_queued(session, "plan", "veckobrev", "old", MONDAY - timedelta(days=400))
    retention.prune_delivery_log(runtime.engine, config, MONDAY)
    assert sorted(row.occurrence_key for row in rows(runtime.engine)) == ["case", "pending", "recent"]
    with session_scope(runtime.engine) as session:
        assert session.get(QueuedOccurrence, ("plan", "veckobrev", "old")) is None


def test_pruning_never_lets_an_old_occurrence_be_queued_again(runtime, fake_slack):
    config = config_with(30)
    run_tick(runtime.engine, runtime.senders, config, MONDAY)  # both items go out at 09:00 sharp
    assert len(fake_slack.posted()) == 2
    # The bot is down for 40 days; on its return the rows of that Monday are older than the period.
    back = MONDAY + timedelta(days=40)
    run_tick(runtime.engine, runtime.senders, config, back)
    run_tick(runtime.engine, runtime.senders, config, back + timedelta(seconds=30))
    run_tick(runtime.engine, runtime.senders, config, back + timedelta(days=1))
    first_monday = [row for row in rows(runtime.engine) if row.occurrence_key == "2027-02-01"]
    assert first_monday == []  # pruned ...
    channels = [message["channel"] for message in fake_slack.posted()]
    assert (channels.count("C0DIREKTIO"), channels.count(KVAL_DM)) == (1, 1)  # ... and never sent again
    assert all(row.status != DeliveryStatus.PENDING for row in rows(runtime.engine))


def test_pruning_stops_short_of_what_the_next_tick_looks_at(runtime):
    """A tick that could not move its position on leaves the rows its window still covers alone."""
    config = config_with(30)
    with session_scope(runtime.engine) as session:
        outbox.enqueue(session, [old_row("within-window", DeliveryStatus.SENT, due_days_ago=35)])
        state.record_tick(session, MONDAY - timedelta(days=36))  # the last tick the plan finished
    retention.prune_delivery_log(runtime.engine, config, MONDAY)
    assert [row.occurrence_key for row in rows(runtime.engine)] == ["within-window"]


@pytest.mark.parametrize("days", [0, 7, 29])
def test_a_period_shorter_than_a_month_is_refused(days):
    with pytest.raises(ConfigError) as raised:
        config_with(days)
    assert "delivery_log_days" in str(raised.value)


def test_request_and_event_keys_are_forgotten_after_a_week(runtime):
    """Past the 5-minute signature window and Slack's event retries, a key can never match again."""
    with session_scope(runtime.engine) as session:
        for key, days in (("old", 8), ("recent", 6)):
            assert requests.first_processing(session, key, MONDAY - timedelta(days=days))
            assert state.first_sighting_of_event(session, f"Ev-{key}", MONDAY - timedelta(days=days))
    retention.prune_delivery_log(runtime.engine, runtime.config, MONDAY)
    with session_scope(runtime.engine) as session:
        assert list(session.scalars(select(ProcessedRequest.key))) == ["recent"]
        assert list(session.scalars(select(ProcessedEvent.event_id))) == ["Ev-recent"]
        assert not requests.first_processing(session, "recent", MONDAY)  # still a replay within the week
