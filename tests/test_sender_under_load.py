"""A DM fan-out through the real tick against a fake Slack that rate-limits the workspace and sometimes posts
and then fails: every recipient ends with exactly one message, and every row is sent."""

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import select

from bot.config import parse_config
from bot.demo.workspace import workspace_for
from bot.tick import run_tick
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.conftest import local

RECIPIENTS = 12
NOW = local(2027, 2, 1, 9, 0)
PEOPLE = "\n".join(f"  - {{id: p{n}, name: Person {n}, slack_id: U{1_000_000 + n}}}" for n in range(RECIPIENTS))
CONFIG = f"""
association: {{id: test, name: Testförbundet, short_name: TF}}
people:
  - {{id: owner, name: Ägaren, slack_id: U0OWNER001}}
{PEOPLE}
roles: {{director: owner, quality_manager: owner}}
members: []
departments: []
forums: [{{id: alla, name: Alla, kind: other, members: [{", ".join(f"p{n}" for n in range(RECIPIENTS))}]}}]
plan:
  - id: utskick
    title: Utskick till alla
    purpose: Ett meddelande till alla.
    audience: {{forums: [alla]}}
    delivery: dm
    schedule: {{rrule: "FREQ=DAILY;COUNT=1", start: 2027-02-01, time: "08:30"}}
    owner: owner
    message: Hej alla!
"""


def pending_until(engine):
    with session_scope(engine) as session:
        return session.scalar(select(func.min(Delivery.next_attempt_at)).where(Delivery.status == "pending"))


def test_a_rate_limited_fan_out_with_posts_that_fail_after_posting_reaches_everyone_once(runtime, fake_slack):
    config = parse_config(CONFIG)
    fake_slack.workspace = workspace_for(config)
    now = NOW
    fake_slack.use_clock(lambda: now.timestamp())  # Slack's clock and ours agree, as in production
    fake_slack.limit_workspace(per_second=1, burst=3)
    people = [config.person(f"p{n}").slack_id for n in range(RECIPIENTS)]
    for slack_id in people[1:4]:
        fake_slack.fail_after_acting("chat.postMessage", status=500, channel=slack_id)
    for slack_id in people[5:8]:
        fake_slack.fail_after_acting("chat.postMessage", drop=True, channel=slack_id)

    for _ in range(100):
        run_tick(runtime.engine, runtime.sender_client, config, now)
        upcoming = pending_until(runtime.engine)
        if upcoming is None:
            break
        now = max(upcoming, now + timedelta(seconds=1))

    assert {slack_id: len(fake_slack.messages_in(fake_slack.dm_channel(slack_id))) for slack_id in people} == {
        slack_id: 1 for slack_id in people
    }
    assert len(fake_slack.acted_but_failed("chat.postMessage")) == 6
    assert any(call.status == 429 for call in fake_slack.calls)
    with session_scope(runtime.engine) as session:
        assert {row.status for row in session.exec(select(Delivery).where(Delivery.source == "plan"))} == {"sent"}


def test_once_slack_limits_the_workspace_the_tick_stops_posting_until_retry_after(runtime, fake_slack):
    config = parse_config(CONFIG)
    fake_slack.workspace = workspace_for(config)
    fake_slack.use_clock(lambda: NOW.timestamp())
    fake_slack.limit_workspace(per_second=0.5, burst=3)

    report = run_tick(runtime.engine, runtime.sender_client, config, NOW)

    posts = [call.status for call in fake_slack.calls if call.method == "chat.postMessage"]
    assert posts == [200, 200, 200, 429, 429]  # two channels refused: the limit is the workspace's
    assert len(report.send.sent) == 3
    with session_scope(runtime.engine) as session:
        waiting = session.exec(select(Delivery).where(Delivery.status == "pending")).all()
    assert len(waiting) == RECIPIENTS - 3
    # all were claimed in one batch: they wait for the Retry-After (2 s), no attempt counted
    assert {(row.next_attempt_at, row.attempts, row.error) for row in waiting} == {
        (NOW + timedelta(seconds=2), 0, "ratelimited")
    }
