"""A DM fan-out through the real tick against a fake Slack that rate-limits the workspace and sometimes posts
and then fails: every recipient ends with exactly one message, and every row is sent."""

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from bench.scale_support import config_text
from bot.config import parse_config
from bot.delivery import sender
from bot.demo.workspace import workspace_for
from bot.tick import run_tick
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.conftest import local

RECIPIENTS = 12
NOW = local(2027, 2, 1, 9, 0)
CONFIG = config_text(RECIPIENTS)  # the load benchmarks' association: an owner and a forum of RECIPIENTS people


class SlackTime:
    """The fake Slack's clock, which the sender's waits move forward (and nothing else)."""

    def __init__(self, start):
        self.now = start

    def __call__(self) -> float:
        return self.now.timestamp()

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def slack_time(fake_slack, monkeypatch) -> SlackTime:
    slack_time = SlackTime(NOW)
    fake_slack.use_clock(slack_time)  # Slack's clock and ours agree, as in production
    monkeypatch.setattr(sender, "wait", slack_time.wait)
    return slack_time


def pending_until(engine):
    with session_scope(engine) as session:
        return session.scalar(select(func.min(Delivery.next_attempt_at)).where(Delivery.status == "pending"))


def test_a_rate_limited_fan_out_with_posts_that_fail_after_posting_reaches_everyone_once(
    runtime, fake_slack, slack_time
):
    config = parse_config(CONFIG)
    fake_slack.workspace = workspace_for(config)
    fake_slack.limit_workspace(per_second=1, burst=3)
    people = [config.person(f"person-{n:05d}").slack_id for n in range(RECIPIENTS)]
    for slack_id in people[1:4]:
        fake_slack.fail_after_acting("chat.postMessage", status=500, channel=slack_id)
    for slack_id in people[5:8]:
        fake_slack.fail_after_acting("chat.postMessage", drop=True, channel=slack_id)

    for _ in range(100):
        run_tick(runtime.engine, runtime.senders, config, slack_time.now)
        upcoming = pending_until(runtime.engine)
        if upcoming is None:
            break
        slack_time.now = max(upcoming, slack_time.now + timedelta(seconds=1))

    assert {slack_id: len(fake_slack.messages_in(fake_slack.dm_channel(slack_id))) for slack_id in people} == {
        slack_id: 1 for slack_id in people
    }
    assert len(fake_slack.acted_but_failed("chat.postMessage")) == 6
    assert any(call.status == 429 for call in fake_slack.calls)
    with session_scope(runtime.engine) as session:
        assert {row.status for row in session.exec(select(Delivery).where(Delivery.source == "plan"))} == {"sent"}


def post_statuses(fake_slack) -> list[int]:
    return [call.status for call in fake_slack.calls if call.method == "chat.postMessage"]


def test_when_slack_limits_the_workspace_the_tick_waits_for_retry_after_instead_of_posting(
    runtime, fake_slack, slack_time
):
    config = parse_config(CONFIG)
    fake_slack.workspace = workspace_for(config)
    fake_slack.limit_workspace(per_second=0.5, burst=3)

    report = run_tick(runtime.engine, runtime.senders, config, NOW)

    # three at once; then two channels refused (so the limit is the workspace's), a wait of the Retry-After
    # (2 s), one post, and so on: never more than two refusals a wait. The last row, refused alone, cannot
    # tell the workspace's limit from its channel's, and waits for its Retry-After like any refused row.
    assert post_statuses(fake_slack) == [200, 200, 200] + [429, 429, 200] * (RECIPIENTS - 4) + [429]
    assert slack_time.now == NOW + timedelta(seconds=2 * (RECIPIENTS - 4))
    assert len(report.send.sent) == RECIPIENTS - 1
    with session_scope(runtime.engine) as session:
        rows = session.exec(select(Delivery).where(Delivery.source == "plan")).all()
    [last] = [row for row in rows if row.status == "pending"]
    assert (last.next_attempt_at, last.attempts) == (slack_time.now + timedelta(seconds=2), 0)
    assert max(row.sent_at for row in rows if row.sent_at) == slack_time.now  # when it went, not the tick's now

    slack_time.now = last.next_attempt_at
    run_tick(runtime.engine, runtime.senders, config, slack_time.now)
    assert [len(fake_slack.messages_in(fake_slack.dm_channel(row.address))) for row in rows] == [1] * RECIPIENTS


def test_a_tick_waits_for_the_workspace_limit_only_so_long_and_leaves_the_rest_to_the_next(
    runtime, fake_slack, slack_time, monkeypatch
):
    config = parse_config(CONFIG)
    fake_slack.workspace = workspace_for(config)
    fake_slack.limit_workspace(per_second=0.5, burst=3)
    monkeypatch.setattr(sender, "WORKSPACE_WAIT", timedelta(seconds=4))

    report = run_tick(runtime.engine, runtime.senders, config, NOW)

    assert post_statuses(fake_slack) == [200, 200, 200, 429, 429, 200, 429, 429, 200, 429, 429]
    assert len(report.send.sent) == 5 and slack_time.now == NOW + timedelta(seconds=4)
    with session_scope(runtime.engine) as session:
        waiting = session.exec(select(Delivery).where(Delivery.status == "pending")).all()
    assert len(waiting) == RECIPIENTS - 5 and {row.attempts for row in waiting} == {0}
