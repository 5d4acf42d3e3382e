"""Sending the outbox to Teams through the real neutral sender and the fake Bot Connector on loopback: each
message once with the app's token, 429 deferred, 412/5xx/dropped connections retried, and what "exactly once"
means across a crash (README_teams_delivery.md)."""

import socket
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.delivery.platform import Failure, SendError
from bot.delivery.sender import STALE_AFTER, backoff
from bot.plan.schedule import enqueue_due_plan
from bot.teams.connector import BotConnector
from bot.teams.sender import TeamsSender
from bot.teams.tokens import fixed_token
from messages.message import Message
from storage import teams
from storage.engine import session_scope
from storage.outbox import Delivery, DeliveryStatus
from storage.platform import Platform
from tests.teams_outbox_support import (
    DIREKTION,
    DM_PLAN,
    KVAL_CHAT,
    NOW,
    TOKEN,
    install,
    rows,
    teams_config,
    texts,
    tick,
)

pytest_plugins = ["tests.teams_fixtures"]


def test_a_channel_post_and_a_personal_message_are_sent_once_with_the_token(
    engine, fake_teams, teams_senders, installed
):
    first = tick(engine, teams_senders, installed)
    second = tick(engine, teams_senders, installed, NOW + timedelta(minutes=1))

    assert len(first.send.sent) == 2 and second.send.sent == []
    [channel_post] = fake_teams.sent(DIREKTION)
    [dm] = fake_teams.sent(KVAL_CHAT)
    assert "Veckans nyheter finns på intranätet." in texts([channel_post])[0]
    assert "Glöm inte veckans sammanställning." in texts([dm])[0]
    by_item = {row.item_id: row for row in rows(engine)}
    assert (by_item["veckobrev"].posted_conversation, by_item["veckobrev"].posted_id) == (DIREKTION, channel_post["id"])
    assert by_item["paminnelse"].posted_conversation == KVAL_CHAT
    assert {call.authorization for call in fake_teams.calls} == {f"Bearer {TOKEN}"}


def test_a_rate_limited_post_waits_for_retry_after_without_counting_an_attempt(
    engine, fake_teams, teams_senders, installed
):
    fake_teams.fail_next(429, retry_after=3, operation="send", conversation_id=DIREKTION)

    first = tick(engine, teams_senders, installed)
    row = next(row for row in rows(engine) if row.item_id == "veckobrev")
    assert first.send.rate_limited == 1
    assert (row.status, row.attempts, row.error) == ("pending", 0, "ratelimited")
    assert row.next_attempt_at == NOW + timedelta(seconds=3) and not row.check_before_post
    assert fake_teams.sent(DIREKTION) == []

    assert tick(engine, teams_senders, installed, NOW + timedelta(seconds=2)).send.sent == []
    later = tick(engine, teams_senders, installed, NOW + timedelta(seconds=3))
    assert [sent.id for sent in later.send.sent] == [row.id]
    assert len(fake_teams.sent(DIREKTION)) == 1
    assert [call.status for call in fake_teams.calls_to("send", DIREKTION)] == [429, 201]


def test_a_rate_limited_conversation_holds_back_its_other_rows_in_the_same_tick(engine, fake_teams, teams_senders):
    more = DM_PLAN.replace("paminnelse", "andra").replace("{people: [kval]}", "{forums: [direktion]}")
    config = teams_config(more_plan=more.replace("delivery: dm", "delivery: channel"))
    install(engine, fake_teams, config)
    fake_teams.fail_next(429, retry_after=3, operation="send")

    report = tick(engine, teams_senders, config)
    assert report.send.rate_limited == 2 and len(fake_teams.calls_to("send")) == 1
    tick(engine, teams_senders, config, NOW + timedelta(seconds=3))
    assert len(fake_teams.sent(DIREKTION)) == 2
    assert {row.status for row in rows(engine)} == {"sent"}


@pytest.mark.parametrize(
    ("status", "drop", "error", "may_have_posted"),
    [
        (412, False, "teams_busy", False),
        (500, False, "teams_server_error", True),
        (502, False, "teams_server_error", True),
        (503, False, "teams_server_error", True),
        (504, False, "teams_server_error", True),
        (500, True, "teams_connection_error", True),
    ],
    ids=["412", "500", "502", "503", "504", "dropped"],
)
def test_a_transient_failure_is_retried_with_backoff_and_posts_once(
    engine, fake_teams, teams_senders, installed, status, drop, error, may_have_posted
):
    fake_teams.fail_next(status, drop_connection=drop, operation="send", conversation_id=DIREKTION)

    tick(engine, teams_senders, installed)
    row = next(row for row in rows(engine) if row.item_id == "veckobrev")
    assert (row.status, row.attempts, row.error) == ("pending", 1, error)
    assert row.next_attempt_at == NOW + backoff(1) and row.check_before_post == may_have_posted

    assert tick(engine, teams_senders, installed, NOW + timedelta(seconds=29)).send.sent == []
    assert [sent.id for sent in tick(engine, teams_senders, installed, NOW + backoff(1)).send.sent] == [row.id]
    assert len(fake_teams.sent(DIREKTION)) == 1
    row = next(row for row in rows(engine) if row.item_id == "veckobrev")
    assert row.status == "sent" and not row.check_before_post


def test_a_502_that_had_posted_after_all_is_posted_again_as_teams_cannot_tell(
    engine, fake_teams, teams_senders, installed
):
    """At least once, not exactly once: a 5xx behind which Teams posted leads to a second copy."""
    fake_teams.fail_next(502, operation="send", conversation_id=DIREKTION, after_acting=True)
    tick(engine, teams_senders, installed)
    tick(engine, teams_senders, installed, NOW + backoff(1))

    first, second = fake_teams.sent(DIREKTION)
    assert texts([first]) == texts([second])
    row = next(row for row in rows(engine) if row.item_id == "veckobrev")
    assert row.status == "sent" and row.posted_id == second["id"]


def _enqueue_and_crash(engine, config, crashed_at):
    """Queue Monday's rows and leave them as a process that died while sending would: 'sending', claimed."""
    enqueue_due_plan(engine, config, NOW)
    with session_scope(engine) as session:
        for row in session.exec(select(Delivery)):
            row.status, row.claimed_at, row.attempts = DeliveryStatus.SENDING, crashed_at, 1
    return {row.item_id: row for row in rows(engine)}


def test_a_crash_after_posting_posts_again_at_least_once(engine, fake_teams, teams_senders, installed):
    """The promise of README_teams_delivery.md: a crash between Teams' answer and the recording of it leaves
    Teams nothing to search, so the row is posted again once it is found stale; one extra copy, never more."""
    crashed_at = NOW + timedelta(seconds=5)
    by_item = _enqueue_and_crash(engine, installed, crashed_at)
    letter = by_item["veckobrev"]
    teams_senders[Platform.TEAMS].post(letter, Message.from_json(letter.message), crashed_at)  # then the crash

    assert tick(engine, teams_senders, installed, crashed_at + timedelta(seconds=30)).send.sent == []
    report = tick(engine, teams_senders, installed, crashed_at + STALE_AFTER + timedelta(minutes=5))
    tick(engine, teams_senders, installed, crashed_at + STALE_AFTER + timedelta(minutes=15))

    assert sorted(row.id for row in report.send.sent) == sorted(row.id for row in by_item.values())
    assert report.send.recovered == []
    before, again = fake_teams.sent(DIREKTION)  # the copy from before the crash, and the one posted again
    assert texts([before]) == texts([again])
    assert next(row for row in rows(engine) if row.id == letter.id).posted_id == again["id"]
    assert len(fake_teams.sent(KVAL_CHAT)) == 1
    assert {row.status for row in rows(engine)} == {"sent"}


def test_a_service_that_cannot_be_reached_is_retried_as_not_posted(engine, fake_teams, installed, teams_loop):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        unreachable = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    with session_scope(engine) as session:
        stored = teams.conversation_at(session, f"teams:{DIREKTION}")
        teams.save_conversation(session, stored.model_copy(update={"service_url": unreachable}))
    connector = BotConnector(teams_loop, fixed_token(TOKEN), timeout=5.0)
    tick(engine, {Platform.TEAMS: TeamsSender(engine, connector)}, installed)
    row = next(row for row in rows(engine) if row.item_id == "veckobrev")
    assert (row.status, row.error, row.attempts, row.check_before_post) == (
        "pending",
        "teams_connection_error",
        1,
        False,
    )
    assert row.next_attempt_at == NOW + backoff(1)


def test_a_wrong_token_is_a_permanent_failure_the_operator_is_told_about(
    engine, fake_teams, installed, teams_loop, caplog
):
    connector = BotConnector(teams_loop, fixed_token("someone-elses-token"), timeout=5.0)
    tick(engine, {Platform.TEAMS: TeamsSender(engine, connector)}, installed)
    assert {row.error for row in rows(engine)} == {"teams_unauthorized"}
    assert "TEAMS_APP_PASSWORD" in caplog.text and "someone-elses-token" not in caplog.text


def test_a_token_that_cannot_be_had_leaves_the_rows_to_retry_and_calls_nothing(
    engine, fake_teams, installed, teams_loop
):
    async def no_token() -> str:
        raise SendError("teams_token_error", Failure.RETRY)

    connector = BotConnector(teams_loop, no_token, timeout=5.0)
    tick(engine, {Platform.TEAMS: TeamsSender(engine, connector)}, installed)
    assert {(row.status, row.error, row.attempts, row.check_before_post) for row in rows(engine)} == {
        ("pending", "teams_token_error", 1, False)
    }
    assert fake_teams.calls == []
