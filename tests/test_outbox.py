"""The outbox: every occurrence delivered exactly once, across ticks, processes and crashes; missed ones reported."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.config import parse_config
from bot.delivery.sender import STALE_AFTER
from bot.demo.workspace import user_id_for_email
from bot.plan.schedule import enqueue_due_plan
from bot.slack.client import web_client
from bot.slack.sender import METADATA_EVENT, slack_senders
from bot.tick import run_tick
from storage.engine import make_engine, session_scope
from storage.outbox import Delivery, DeliveryStatus
from storage.state import SlackUser
from tests.conftest import local
from tests.outbox_support import outbox_config

CONFIG = outbox_config(
    settings="settings: {grace_period_hours: 24}\n",
    more_plan="""\
  - id: paminnelse
    title: Påminnelse till kvalitetschefen
    purpose: Kvalitetschefen påminns varje måndag.
    audience: {people: [kval]}
    delivery: dm
    schedule: {rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04, time: "09:00"}
    owner: chef
    message: Glöm inte veckans sammanställning.
""",
)

KVAL_DM = "D0VMKF0002"
CHEF_DM = "D0VMKF0001"
KOMM_DM = "D" + user_id_for_email("kommunikator@vmkf.example")[1:]
MONDAY = local(2027, 2, 1, 9, 0)


@pytest.fixture
def config():
    return parse_config(CONFIG)


def tick(runtime, config, now, engine=None):
    return run_tick(engine or runtime.engine, runtime.senders, config, now)


def deliveries(engine) -> list[Delivery]:
    with session_scope(engine) as session:
        return list(session.exec(select(Delivery).order_by(Delivery.id)))


def posts(fake_slack) -> list[dict]:
    return [call.params for call in fake_slack.calls_to("chat.postMessage")]


def test_two_ticks_deliver_each_occurrence_once(runtime, fake_slack, config):
    first = tick(runtime, config, MONDAY + timedelta(minutes=1))
    second = tick(runtime, config, MONDAY + timedelta(minutes=2))

    assert sorted(message["channel"] for message in fake_slack.posted()) == ["C0DIREKTIO", KVAL_DM]
    assert len(first.send.sent) == 2 and second.send.sent == []
    assert second.queued[0].already_queued == 2
    rows = deliveries(runtime.engine)
    assert sorted((row.item_id, row.occurrence_key, row.status) for row in rows) == [
        ("paminnelse", "2027-02-01", "sent"),
        ("veckobrev", "2027-02-01", "sent"),
    ]
    assert all(row.posted_id and row.sent_at == MONDAY + timedelta(minutes=1) for row in rows)


def test_nothing_goes_out_before_it_is_due(runtime, fake_slack, config):
    report = tick(runtime, config, MONDAY - timedelta(seconds=1))
    assert report.send.sent == [] and fake_slack.posted() == [] and deliveries(runtime.engine) == []
    tick(runtime, config, MONDAY)
    assert len(fake_slack.posted()) == 2


def test_a_second_process_on_the_same_database_sends_nothing_again(runtime, fake_slack, config, database_url):
    tick(runtime, config, MONDAY + timedelta(minutes=1))
    other = make_engine(database_url)
    try:
        report = tick(runtime, config, MONDAY + timedelta(minutes=1, seconds=30), engine=other)
    finally:
        other.dispose()
    assert report.send.sent == []
    assert len(posts(fake_slack)) == 2


def test_two_processes_ticking_at_once_send_each_message_once(runtime, fake_slack, config, database_url):
    engines = [make_engine(database_url) for _ in range(2)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(engine):
        client = web_client(runtime.settings, for_sender=True)  # each process has its own
        start.wait()
        try:
            run_tick(engine, slack_senders(engine, client), config, MONDAY + timedelta(minutes=1))
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert sorted(call["channel"] for call in posts(fake_slack)) == ["C0DIREKTIO", "U0VMKF0002"]
    assert {row.status for row in deliveries(runtime.engine)} == {"sent"}


def _enqueue_and_crash(runtime, config, crashed_at):
    """Queue Monday's rows and leave them as a process that died while sending would: 'sending', claimed."""
    enqueue_due_plan(runtime.engine, config, MONDAY)
    with session_scope(runtime.engine) as session:
        rows = list(session.exec(select(Delivery).order_by(Delivery.id)))
        for row in rows:
            row.status, row.claimed_at, row.attempts = DeliveryStatus.SENDING, crashed_at, 1
    by_item = {row.item_id: row for row in rows}
    return by_item["veckobrev"], by_item["paminnelse"]


def _already_posted(fake_slack, channel, delivery_id, at):
    """What Slack holds when chat.postMessage succeeded but the process died before recording the ts."""
    message = {
        "ts": f"{at.timestamp():.6f}",
        "channel": channel,
        "text": "Veckobrev",
        "metadata": {"event_type": METADATA_EVENT, "event_payload": {"delivery_id": delivery_id}},
    }
    fake_slack.messages[channel].append(message)
    return message["ts"]


@pytest.mark.parametrize("down_for", [STALE_AFTER + timedelta(minutes=5), timedelta(days=3)], ids=["minutes", "days"])
def test_crash_after_posting_is_recorded_not_posted_again(runtime, fake_slack, config, down_for):
    crashed_at = MONDAY + timedelta(seconds=5)
    channel_row, dm_row = _enqueue_and_crash(runtime, config, crashed_at)
    ts = _already_posted(fake_slack, "C0DIREKTIO", channel_row.id, crashed_at + timedelta(seconds=1))
    dm_ts = _already_posted(fake_slack, KVAL_DM, dm_row.id, crashed_at + timedelta(seconds=2))

    report = tick(runtime, config, crashed_at + down_for)

    assert posts(fake_slack) == []
    assert sorted(row.id for row in report.send.recovered) == sorted([channel_row.id, dm_row.id])
    rows = {row.id: row for row in deliveries(runtime.engine)}
    assert rows[channel_row.id].status == "sent" and rows[channel_row.id].posted_id == ts
    assert rows[dm_row.id].status == "sent" and rows[dm_row.id].posted_id == dm_ts
    assert rows[dm_row.id].posted_conversation == KVAL_DM
    tick(runtime, config, crashed_at + down_for + timedelta(minutes=5))
    assert posts(fake_slack) == []


def test_crash_before_posting_posts_once(runtime, fake_slack, config):
    crashed_at = MONDAY + timedelta(seconds=5)
    channel_row, dm_row = _enqueue_and_crash(runtime, config, crashed_at)

    report = tick(runtime, config, crashed_at + STALE_AFTER + timedelta(minutes=5))
    tick(runtime, config, crashed_at + STALE_AFTER + timedelta(minutes=15))

    assert sorted(row.id for row in report.send.sent) == sorted([channel_row.id, dm_row.id])
    sent = posts(fake_slack)
    assert sorted(call["channel"] for call in sent) == ["C0DIREKTIO", "U0VMKF0002"]
    assert {call["metadata"]["event_payload"]["delivery_id"] for call in sent} == {channel_row.id, dm_row.id}
    assert {row.status for row in deliveries(runtime.engine)} == {"sent"}


def test_a_row_claimed_moments_ago_is_left_to_the_process_sending_it(runtime, fake_slack, config):
    crashed_at = MONDAY + timedelta(seconds=5)
    _enqueue_and_crash(runtime, config, crashed_at)
    report = tick(runtime, config, crashed_at + timedelta(seconds=30))
    assert report.send.sent == [] and report.send.recovered == [] and posts(fake_slack) == []
    assert {row.status for row in deliveries(runtime.engine)} == {"sending"}


def test_first_start_sends_what_is_within_the_grace_period(runtime, fake_slack, config):
    report = tick(runtime, config, MONDAY + timedelta(hours=20))
    assert len(report.send.sent) == 2
    assert report.queued[0].missed == []
    assert sorted(message["channel"] for message in fake_slack.posted()) == ["C0DIREKTIO", KVAL_DM]


def test_first_start_counts_nothing_older_as_missed(runtime, fake_slack, config):
    report = tick(runtime, config, MONDAY + timedelta(days=2))
    assert report.queued[0].missed == [] and report.send.sent == []
    assert deliveries(runtime.engine) == [] and fake_slack.calls_to("chat.postMessage") == []


def test_occurrences_missed_within_the_grace_period_are_sent_late(runtime, fake_slack, config):
    tick(runtime, config, MONDAY + timedelta(minutes=1))
    back = MONDAY + timedelta(days=7, hours=23)  # the next Monday 09:00 was 23 hours ago
    report = tick(runtime, config, back)
    assert [row.occurrence_key for row in report.send.sent] == ["2027-02-08", "2027-02-08"]
    assert report.queued[0].missed == []
    assert all(row.sent_at == back for row in deliveries(runtime.engine)[2:])


def test_occurrences_older_than_the_grace_period_are_missed_and_reported_once_per_item(runtime, fake_slack, config):
    tick(runtime, config, MONDAY + timedelta(minutes=1))
    back = MONDAY + timedelta(days=21, hours=1)  # down from 1 Feb to 22 Feb 10:00
    report = tick(runtime, config, back)

    missed = [(row.item_id, row.occurrence_key) for row in deliveries(runtime.engine) if row.status == "missed"]
    assert sorted(missed) == [
        ("paminnelse", "2027-02-08"),
        ("paminnelse", "2027-02-15"),
        ("veckobrev", "2027-02-08"),
        ("veckobrev", "2027-02-15"),
    ]
    assert len(report.queued[0].missed) == 4
    # 22 Feb 09:00 is within the grace period: sent late, once per recipient
    assert sorted((row.item_id, row.occurrence_key) for row in report.send.sent if row.source == "plan") == [
        ("paminnelse", "2027-02-22"),
        ("veckobrev", "2027-02-22"),
    ]
    reports = [message for message in fake_slack.posted() if "Missade utskick" in message["text"]]
    assert sorted(message["channel"] for message in reports) == sorted([CHEF_DM, KOMM_DM])
    to_owner = next(message for message in reports if message["channel"] == KOMM_DM)["text"]
    assert "Missade utskick: Veckobrev" in to_owner
    assert "måndag 8 februari 2027 kl. 09:00" in to_owner and "måndag 15 februari 2027 kl. 09:00" in to_owner

    tick(runtime, config, back + timedelta(minutes=1))
    assert len([m for m in fake_slack.posted() if "Missade utskick" in m["text"]]) == 2


def test_a_long_outage_of_a_daily_item_gives_one_report_not_a_burst(runtime, fake_slack):
    daily = parse_config(
        CONFIG.replace("FREQ=WEEKLY;BYDAY=MO", "FREQ=DAILY").replace(
            "    owner: chef\n", "    owner: chef\n    non_working_day: keep\n"
        )
    )
    tick(runtime, daily, MONDAY + timedelta(minutes=1))
    tick(runtime, daily, MONDAY + timedelta(days=20, hours=2))

    missed = [row for row in deliveries(runtime.engine) if row.status == "missed" and row.item_id == "paminnelse"]
    assert len(missed) == 19  # 2 Feb to 20 Feb, every day (non_working_day: keep)
    reports = [m for m in fake_slack.posted() if m["channel"] == CHEF_DM and "Missade utskick" in m["text"]]
    assert len(reports) == 1
    assert reports[0]["text"].count("• ") == 19


def test_an_email_address_is_looked_up_once_and_cached(runtime, fake_slack, config, engine):
    to_komm = parse_config(CONFIG.replace("audience: {people: [kval]}", "audience: {people: [komm]}"))
    tick(runtime, to_komm, MONDAY + timedelta(minutes=1))
    tick(runtime, to_komm, MONDAY + timedelta(days=7, minutes=1))

    lookups = fake_slack.calls_to("users.lookupByEmail")
    assert [call.params["email"] for call in lookups] == ["kommunikator@vmkf.example"]
    dms = [call["channel"] for call in posts(fake_slack) if call["channel"] != "C0DIREKTIO"]
    assert dms == [user_id_for_email("kommunikator@vmkf.example")] * 2
    with session_scope(engine) as session:
        cached = session.get(SlackUser, "kommunikator@vmkf.example")
    assert cached.user_id == user_id_for_email("kommunikator@vmkf.example")


def test_a_message_that_cannot_be_rendered_fails_alone_and_is_reported_once(runtime, fake_slack):
    broken = parse_config(CONFIG.replace("Glöm inte veckans sammanställning.", "'Möte {{ event.date | datum }}'"))
    report = tick(runtime, broken, MONDAY + timedelta(minutes=1))
    tick(runtime, broken, MONDAY + timedelta(minutes=2))

    assert [occurrence.item.id for occurrence, _ in report.queued[0].failed] == ["paminnelse"]
    rows = {row.item_id: row for row in deliveries(runtime.engine) if row.source == "plan"}
    assert rows["veckobrev"].status == "sent"
    assert rows["paminnelse"].status == "failed"
    assert rows["paminnelse"].error == "template: 'None' has no attribute 'date'"
    [dm] = [message for message in fake_slack.posted() if message["channel"] == CHEF_DM]
    assert "Utskicket kunde inte skapas: Påminnelse till kvalitetschefen" in dm["text"]
    assert (
        "måndag 1 februari 2027 kl. 09:00 skickades inte: Meddelandet använder en uppgift som inte finns" in dm["text"]
    )
    assert "(`event`)" in dm["text"] and "has no attribute" not in dm["text"]
    assert "Rätta `message` för punkten `paminnelse`" in dm["text"]
    assert [message["channel"] for message in fake_slack.posted()].count(KVAL_DM) == 0


def test_with_the_shortest_grace_period_an_occurrence_between_two_ticks_is_on_time(runtime, fake_slack):
    short = parse_config(CONFIG.replace("grace_period_hours: 24", "grace_period_hours: 1"))
    tick(runtime, short, MONDAY - timedelta(seconds=10))
    report = tick(runtime, short, MONDAY + timedelta(seconds=20))
    assert len(report.send.sent) == 2 and report.queued[0].missed == []


def test_a_filter_given_nothing_to_format_fails_alone_like_a_template_error(runtime, fake_slack):
    broken = parse_config(CONFIG.replace("Glöm inte veckans sammanställning.", "'Möte {{ event | datum }}'"))
    report = tick(runtime, broken, MONDAY + timedelta(minutes=1))

    assert [occurrence.item.id for occurrence, _ in report.queued[0].failed] == ["paminnelse"]
    rows = {row.item_id: row for row in deliveries(runtime.engine) if row.source == "plan"}
    assert rows["veckobrev"].status == "sent" and rows["paminnelse"].status == "failed"
    assert any("Utskicket kunde inte skapas" in m["text"] for m in fake_slack.posted() if m["channel"] == CHEF_DM)
