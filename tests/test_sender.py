"""Sending against Slack's failures: 429 deferred, 5xx retried with backoff, permanent errors reported to the owner."""

import socket
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlmodel import select

from bot.config import parse_config
from bot.delivery.sender import MAX_ATTEMPTS, backoff
from bot.demo.workspace import user_id_for_email
from bot.slack.sender import METADATA_EVENT, slack_senders
from bot.tick import run_tick
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.conftest import local
from tests.outbox_support import outbox_config

CONFIG = outbox_config(
    more_people="""\
  - {id: borta, name: Den som slutat, email: slutat@vmkf.example}
  - {id: okand, name: Okänt id, slack_id: U0NOBODY99}
"""
)

NOW = local(2027, 2, 1, 9, 0)
KOMM = user_id_for_email("kommunikator@vmkf.example")
KOMM_DM = "D" + KOMM[1:]


def config_to(audience: str = "{forums: [direktion]}", delivery: str = "channel"):
    return parse_config(
        CONFIG.replace("audience: {forums: [direktion]}", f"audience: {audience}").replace(
            "delivery: channel", f"delivery: {delivery}"
        )
    )


def tick(runtime, config, now):
    return run_tick(runtime.engine, runtime.senders, config, now)


def plan_rows(engine) -> list[Delivery]:
    with session_scope(engine) as session:
        return list(session.exec(select(Delivery).where(Delivery.source == "plan").order_by(Delivery.id)))


def reports(engine) -> list[Delivery]:
    with session_scope(engine) as session:
        return list(session.exec(select(Delivery).where(Delivery.source == "failure-report").order_by(Delivery.id)))


def posts_to(fake_slack, channel: str) -> list[dict]:
    return [call.params for call in fake_slack.calls_to("chat.postMessage") if call.params["channel"] == channel]


def test_rate_limited_row_waits_for_retry_after_then_goes_once(runtime, fake_slack):
    config = config_to()
    fake_slack.fail_next("chat.postMessage", status=429, error="ratelimited", retry_after=3)

    first = tick(runtime, config, NOW)
    [row] = plan_rows(runtime.engine)
    assert first.send.rate_limited == 1 and first.send.sent == [] and first.send.failed == []
    assert row.status == "pending" and row.next_attempt_at == NOW + timedelta(seconds=3)
    assert row.attempts == 0 and row.error == "ratelimited"
    assert fake_slack.posted() == []

    assert tick(runtime, config, NOW + timedelta(seconds=2)).send.sent == []
    later = tick(runtime, config, NOW + timedelta(seconds=3))
    assert [sent.id for sent in later.send.sent] == [row.id]
    tick(runtime, config, NOW + timedelta(seconds=60))

    assert len(fake_slack.posted()) == 1
    assert [call.status for call in fake_slack.calls if call.method == "chat.postMessage"] == [429, 200]
    [row] = plan_rows(runtime.engine)
    assert row.status == "sent" and row.posted_id == fake_slack.posted()[0]["ts"]


def test_a_rate_limited_channel_holds_back_its_other_rows_in_the_same_tick(runtime, fake_slack):
    config = parse_config(
        CONFIG
        + """
  - id: andra
    title: Andra brevet
    purpose: Ett till inlägg i samma kanal.
    audience: {forums: [direktion]}
    delivery: channel
    schedule: {rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04, time: "09:00"}
    owner: komm
    message: Mer nyheter.
"""
    )
    fake_slack.fail_next("chat.postMessage", status=429, error="ratelimited", retry_after=3)
    report = tick(runtime, config, NOW)
    assert report.send.rate_limited == 2 and len(fake_slack.calls) == 1
    tick(runtime, config, NOW + timedelta(seconds=3))
    assert len(fake_slack.posted()) == 2
    assert {row.status for row in plan_rows(runtime.engine)} == {"sent"}


def test_server_error_is_retried_with_backoff(runtime, fake_slack):
    config = config_to()
    fake_slack.fail_next("chat.postMessage", status=500, error="internal_error")

    tick(runtime, config, NOW)
    [row] = plan_rows(runtime.engine)
    assert row.status == "pending" and row.attempts == 1 and row.error == "internal_error"
    assert row.next_attempt_at == NOW + backoff(1) == NOW + timedelta(seconds=30)

    assert tick(runtime, config, NOW + timedelta(seconds=29)).send.sent == []
    assert len(tick(runtime, config, NOW + timedelta(seconds=30)).send.sent) == 1
    assert len(fake_slack.posted()) == 1
    assert plan_rows(runtime.engine)[0].status == "sent"


def test_backoff_grows_and_is_capped_at_an_hour():
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=8)]
    assert backoff(MAX_ATTEMPTS) == timedelta(hours=1)


def test_server_errors_fail_after_max_attempts_and_the_owner_is_told(runtime, fake_slack):
    config = config_to()
    fake_slack.fail_next(
        "chat.postMessage", status=500, error="internal_error", times=MAX_ATTEMPTS, channel="C0DIREKTIO"
    )
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS + 1):
        tick(runtime, config, now)
        [row] = plan_rows(runtime.engine)
        assert row.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert row.status == "pending" and row.next_attempt_at == now + backoff(attempt)
            now = row.next_attempt_at
    assert row.status == "failed" and row.error == "internal_error"
    assert posts_to(fake_slack, "C0DIREKTIO") == []
    [report] = posts_to(fake_slack, KOMM)
    assert "*Utskicket ”Veckobrev” i kanalen för Direktionen kunde inte levereras*" in report["text"]
    assert "Orsak: chattplattformen (Slack eller Teams) svarade med ett serverfel gång på gång." in report["text"]
    assert "internal_error" not in report["text"]

    tick(runtime, config, now + timedelta(hours=2))
    assert posts_to(fake_slack, "C0DIREKTIO") == [] and len(posts_to(fake_slack, KOMM)) == 1


@pytest.mark.parametrize(
    ("break_it", "error", "explanation"),
    [
        (lambda fake: fake.workspace.missing_channels.add("C0DIREKTIO"), "channel_not_found", "kanalen finns inte"),
        (
            lambda fake: fake.workspace.channels_without_bot.add("C0DIREKTIO"),
            "not_in_channel",
            "appen är inte medlem i kanalen.\nGör så här: Bjud in appen till kanalen med `/invite @Samverkan`.",
        ),
        (
            lambda fake: fake.fail_next("chat.postMessage", status=200, error="is_archived", channel="C0DIREKTIO"),
            "is_archived",
            "kanalen är arkiverad",
        ),
    ],
    ids=["channel_not_found", "not_in_channel", "is_archived"],
)
def test_a_permanent_channel_error_fails_once_and_is_reported_in_swedish(
    runtime, fake_slack, break_it, error, explanation
):
    config = config_to()
    break_it(fake_slack)
    report = tick(runtime, config, NOW)

    [row] = plan_rows(runtime.engine)
    assert row.status == "failed" and row.error == error and row.attempts == 1
    assert [(failed.id, reason) for failed, reason in report.send.failed] == [(row.id, error)]
    [dm] = posts_to(fake_slack, KOMM)
    assert "*Utskicket ”Veckobrev” i kanalen för Direktionen kunde inte levereras*" in dm["text"]
    assert f"Orsak: {explanation}" in dm["text"]
    assert error not in dm["text"]
    assert "måndag 1 februari 2027 kl. 09:00" in dm["text"]
    assert [r.status for r in reports(runtime.engine)] == ["sent"]

    tick(runtime, config, NOW + timedelta(hours=1))
    assert len([c for c in fake_slack.calls if c.params.get("channel") == "C0DIREKTIO"]) == 1
    assert len(posts_to(fake_slack, KOMM)) == 1


def test_a_dm_to_an_unknown_slack_id_is_reported_to_the_owner(runtime, fake_slack):
    config = config_to("{people: [okand, kval]}", "dm")
    tick(runtime, config, NOW)

    rows = {row.recipient: row for row in plan_rows(runtime.engine)}
    assert rows["person:okand"].status == "failed" and rows["person:okand"].error == "user_not_found"
    assert rows["person:kval"].status == "sent"
    [dm] = posts_to(fake_slack, KOMM)
    assert "*Utskicket ”Veckobrev” till Okänt id kunde inte levereras*" in dm["text"]
    assert "Orsak: personen finns inte i Slack.\nGör så här: Kontrollera personens e-postadress" in dm["text"]


def test_an_email_nobody_has_in_slack_is_a_permanent_failure_reported_to_the_owner(runtime, fake_slack):
    config = config_to("{people: [borta]}", "dm")
    tick(runtime, config, NOW)
    tick(runtime, config, NOW + timedelta(hours=1))

    [row] = plan_rows(runtime.engine)
    assert row.status == "failed" and row.error == "users_not_found"
    assert [c.params["email"] for c in fake_slack.calls if c.method == "users.lookupByEmail"] == [
        "slutat@vmkf.example",
        "kommunikator@vmkf.example",
    ]
    [dm] = fake_slack.posted()
    assert dm["channel"] == KOMM_DM
    assert "*Utskicket ”Veckobrev” till Den som slutat kunde inte levereras*" in dm["text"]
    assert "personen finns inte i Slack" in dm["text"]


def test_a_failure_report_that_cannot_be_delivered_goes_once_to_the_director_and_the_quality_manager(
    runtime, fake_slack
):
    config = parse_config(CONFIG.replace("owner: komm", "owner: borta"))
    fake_slack.workspace.missing_channels.add("C0DIREKTIO")
    tick(runtime, config, NOW)
    tick(runtime, config, NOW + timedelta(hours=1))

    [report] = reports(runtime.engine)
    assert report.status == "failed" and report.error == "users_not_found"
    assert sorted(message["channel"] for message in fake_slack.posted()) == ["D0VMKF0001", "D0VMKF0002"]
    assert all("*Den som slutat kunde inte nås med en rapport" in m["text"] for m in fake_slack.posted())
    with session_scope(runtime.engine) as session:
        assert len(session.exec(select(Delivery)).all()) == 4  # the plan row, its report, two fallbacks


def test_a_connection_failure_is_retried(runtime, fake_slack):
    unreachable = WebClient(token="xoxb-test", base_url=f"http://127.0.0.1:{free_port()}/api/", retry_handlers=[])
    run_tick(runtime.engine, slack_senders(runtime.engine, unreachable), config_to(), NOW)
    [row] = plan_rows(runtime.engine)
    assert row.status == "pending" and row.error == "connection_error" and row.attempts == 1
    assert row.next_attempt_at == NOW + backoff(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_message_in_several_parts_that_cannot_be_posted_is_reported_once(runtime, fake_slack):
    long_message = (
        'message: |\n      {% for n in range(60) %}\n      Avsnitt {{ n }} {{ "ord " * 500 }}\n\n      {% endfor %}'
    )
    config = parse_config(CONFIG.replace("message: Veckans nyheter finns på intranätet.", long_message))
    fake_slack.workspace.missing_channels.add("C0DIREKTIO")
    tick(runtime, config, NOW)

    rows = plan_rows(runtime.engine)
    assert [(row.part, row.status, row.error) for row in rows] == [
        (0, "failed", "channel_not_found"),
        (1, "failed", "channel_not_found"),
    ]
    assert len(posts_to(fake_slack, KOMM)) == 1


POSTED_TS = f"{(NOW + timedelta(seconds=1)).timestamp():.6f}"


def _post_behind_a_500(fake_slack, channel: str, delivery_id: int) -> None:
    """What Slack holds when it posted the message but the answer to chat.postMessage was a 500."""
    fake_slack.messages[channel].append(
        {
            "ts": POSTED_TS,
            "channel": channel,
            "text": "Veckobrev",
            "metadata": {"event_type": METADATA_EVENT, "event_payload": {"delivery_id": delivery_id}},
        }
    )


def test_a_500_that_had_posted_after_all_is_recorded_not_posted_again(runtime, fake_slack):
    config = config_to()
    fake_slack.fail_next("chat.postMessage", status=500, error="internal_error")
    tick(runtime, config, NOW)
    [row] = plan_rows(runtime.engine)
    assert row.status == "pending" and row.check_before_post
    _post_behind_a_500(fake_slack, "C0DIREKTIO", row.id)

    report = tick(runtime, config, NOW + backoff(1))

    assert [recovered.id for recovered in report.send.recovered] == [row.id]
    assert fake_slack.calls_to("chat.postMessage") == []
    [row] = plan_rows(runtime.engine)
    assert row.status == "sent" and row.posted_id == POSTED_TS and not row.check_before_post


def test_a_500_that_had_not_posted_is_checked_then_posted_once(runtime, fake_slack):
    config = config_to()
    fake_slack.fail_next("chat.postMessage", status=500, error="internal_error")
    tick(runtime, config, NOW)

    report = tick(runtime, config, NOW + backoff(1))

    [row] = plan_rows(runtime.engine)
    assert [sent.id for sent in report.send.sent] == [row.id]
    assert len(fake_slack.calls_to("conversations.history")) == 1
    assert len(posts_to(fake_slack, "C0DIREKTIO")) == 1
    assert row.status == "sent" and not row.check_before_post


def test_a_failed_check_keeps_the_row_checking_until_a_check_succeeds(runtime, fake_slack):
    config = config_to()
    fake_slack.fail_next("chat.postMessage", status=500, error="internal_error")
    tick(runtime, config, NOW)
    [row] = plan_rows(runtime.engine)
    _post_behind_a_500(fake_slack, "C0DIREKTIO", row.id)
    fake_slack.fail_next("conversations.history", status=429, error="ratelimited", retry_after=2)

    tick(runtime, config, NOW + backoff(1))
    [row] = plan_rows(runtime.engine)
    assert row.status == "pending" and row.check_before_post
    report = tick(runtime, config, NOW + backoff(1) + timedelta(seconds=2))

    assert [recovered.id for recovered in report.send.recovered] == [row.id]
    assert fake_slack.calls_to("chat.postMessage") == []


def test_the_senders_client_does_not_retry_posts_by_itself(runtime):
    assert runtime.sender_client.retry_handlers == []
