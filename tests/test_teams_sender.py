"""Sending the outbox to Teams through the real neutral sender and the fake Bot Connector on loopback: each
message once, 429 deferred, 412/5xx/dropped connections retried, the app not installed reported to the owner in
Swedish, people by e-mail from the roster, updates in place, and what "exactly once" means across a crash."""

import socket
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.config import parse_config
from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows, update_row
from bot.delivery.sender import MAX_ATTEMPTS, STALE_AFTER, Sender, backoff
from bot.demo.fake_teams_tenant import BOT_ID, install_channel, team_member
from bot.people import channel_recipient
from bot.plan.schedule import enqueue_due_plan
from bot.teams.connector import BotConnector
from bot.teams.sender import TeamsSender
from bot.teams.tokens import fixed_token
from messages.message import Message
from storage import outbox, teams
from storage.engine import session_scope
from storage.outbox import Delivery, DeliveryStatus
from storage.platform import Platform
from tests.teams_outbox_support import (
    CHEF,
    DIREKTION,
    INSTALLED_AT,
    KOMM,
    KOMM_EMAIL,
    KVAL,
    NOW,
    TOKEN,
    install,
    rows,
    teams_config,
    teams_config_text,
    texts,
    tick,
)

pytest_plugins = ["tests.teams_fixtures"]

KOMM_CHAT = f"a:personal-{KOMM}"
KVAL_CHAT = f"a:personal-{KVAL}"
BORTA = "  - {id: borta, name: Den som slutat, email: slutat@vmkf.example, platform: teams}\n"
DM_PLAN = """\
  - id: paminnelse
    title: Påminnelse till kvalitetschefen
    purpose: Kvalitetschefen påminns varje måndag.
    audience: {people: [kval]}
    delivery: dm
    schedule: {rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04, time: "09:00"}
    owner: chef
    message: Glöm inte veckans sammanställning.
"""


@pytest.fixture
def config():
    return teams_config(more_plan=DM_PLAN)


@pytest.fixture
def installed(engine, fake_teams, config):
    install(engine, fake_teams, config)
    return config


def reports_to_komm(fake_teams) -> list[str]:
    return texts(fake_teams.sent(KOMM_CHAT))


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


def test_a_crash_after_posting_posts_again_at_least_once(engine, fake_teams, teams_senders, installed, connector):
    """The promise of README_teams_delivery.md: a crash between Teams' answer and the recording of it leaves
    Teams nothing to search, so the row is posted again once it is found stale; one extra copy, never more."""
    crashed_at = NOW + timedelta(seconds=5)
    by_item = _enqueue_and_crash(engine, installed, crashed_at)
    connector.send(fake_teams.url, DIREKTION, {"type": "message", "text": "Veckobrev (before the crash)"})

    assert tick(engine, teams_senders, installed, crashed_at + timedelta(seconds=30)).send.sent == []
    report = tick(engine, teams_senders, installed, crashed_at + STALE_AFTER + timedelta(minutes=5))
    tick(engine, teams_senders, installed, crashed_at + STALE_AFTER + timedelta(minutes=15))

    assert sorted(row.id for row in report.send.sent) == sorted(row.id for row in by_item.values())
    assert report.send.recovered == []
    assert len(fake_teams.sent(DIREKTION)) == 2  # the copy from before the crash, and the one posted again
    assert len(fake_teams.sent(KVAL_CHAT)) == 1
    assert {row.status for row in rows(engine)} == {"sent"}


def test_the_app_not_installed_in_a_channel_fails_once_and_the_owner_hears_what_to_do(
    engine, fake_teams, teams_senders, config
):
    install(engine, fake_teams, config)
    with session_scope(engine) as session:
        teams.mark_removed(session, f"teams:{DIREKTION}", NOW - timedelta(days=1))

    report = tick(engine, teams_senders, config)
    tick(engine, teams_senders, config, NOW + timedelta(hours=1))

    row = next(row for row in rows(engine) if row.item_id == "veckobrev")
    assert (row.status, row.error, row.attempts) == ("failed", "teams_not_installed", 1)
    assert [(failed.id, reason) for failed, reason in report.send.failed] == [(row.id, "teams_not_installed")]
    assert fake_teams.sent(DIREKTION) == []
    [report_text] = reports_to_komm(fake_teams)
    assert "Utskicket ”Veckobrev” i kanalen för Direktionen kunde inte levereras" in report_text
    assert "Orsak: Samverkan-appen är inte installerad i teamet som kanalen hör till." in report_text
    assert "Gör så här: Lägg till appen Samverkan i teamet" in report_text
    assert "teams_not_installed" not in report_text


@pytest.mark.parametrize(
    ("break_it", "error"),
    [
        (lambda fake: fake.remove_bot(DIREKTION), "teams_bot_removed"),
        (lambda fake: fake.conversations.pop(DIREKTION), "teams_not_installed"),
    ],
    ids=["bot_removed_403", "conversation_not_found_404"],
)
def test_teams_refusing_the_conversation_fails_the_row_and_forgets_the_conversation(
    engine, fake_teams, teams_senders, installed, break_it, error
):
    break_it(fake_teams)
    tick(engine, teams_senders, installed)
    row = next(row for row in rows(engine) if row.item_id == "veckobrev")
    assert (row.status, row.error) == ("failed", error)
    [report_text] = reports_to_komm(fake_teams)
    assert "kunde inte levereras" in report_text and error not in report_text
    with session_scope(engine) as session:
        assert teams.conversation_at(session, f"teams:{DIREKTION}") is None


def test_server_errors_fail_after_max_attempts_and_the_owner_is_told_in_swedish(
    engine, fake_teams, teams_senders, installed
):
    fake_teams.fail_next(500, times=MAX_ATTEMPTS, operation="send", conversation_id=DIREKTION)
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS + 1):
        tick(engine, teams_senders, installed, now)
        row = next(row for row in rows(engine) if row.item_id == "veckobrev")
        assert row.attempts == attempt
        now = row.next_attempt_at
    assert (row.status, row.error) == ("failed", "teams_server_error")
    [report_text] = reports_to_komm(fake_teams)
    assert "Orsak: Teams svarade med ett serverfel gång på gång." in report_text


def test_a_person_by_email_is_found_in_the_roster_and_a_personal_chat_created(engine, fake_teams, teams_senders):
    """Kommunikatören is configured only by e-mail: known from the team's roster, reached in a new 1:1 chat."""
    config = teams_config(more_plan=DM_PLAN.replace("[kval]", "[komm]").replace("owner: chef", "owner: kval"))
    member = team_member(fake_teams, KOMM, KOMM_EMAIL.upper(), "Kommunikatören")
    install_channel(engine, fake_teams, DIREKTION, "team-direktion", INSTALLED_AT, (member,))

    tick(engine, teams_senders, config)

    [create] = fake_teams.calls_to("create")
    assert create.body["members"] == [{"id": member.id}] and create.body["bot"] == {"id": BOT_ID}
    assert create.body["isGroup"] is False and create.body["tenantId"] == fake_teams.tenant_id
    [dm] = fake_teams.sent(KOMM_CHAT)
    assert "Glöm inte veckans sammanställning." in texts([dm])[0]
    with session_scope(engine) as session:
        stored = teams.conversation_at(session, f"aad:{KOMM}")
    assert (stored.conversation_id, stored.kind, stored.service_url) == (KOMM_CHAT, "personal", fake_teams.url)


def test_an_email_the_roster_does_not_know_is_a_permanent_failure_reported_to_the_owner(
    engine, fake_teams, teams_senders
):
    config = teams_config(
        more_people=BORTA, more_plan=DM_PLAN.replace("[kval]", "[borta]").replace("owner: chef", "owner: kval")
    )
    install(engine, fake_teams, config, skip=("borta",))
    tick(engine, teams_senders, config)

    row = next(row for row in rows(engine) if row.item_id == "paminnelse")
    assert (row.status, row.error) == ("failed", "teams_user_not_installed")
    assert fake_teams.calls_to("create") == []
    [report_text] = texts(fake_teams.sent(KVAL_CHAT))
    assert "Utskicket ”Påminnelse till kvalitetschefen” till Den som slutat kunde inte levereras" in report_text
    assert "Orsak: Samverkan-appen når inte personen i Teams" in report_text
    assert "Kontrollera personens e-postadress" in report_text


def test_a_failure_report_that_cannot_be_delivered_goes_once_to_the_director_and_the_quality_manager(
    engine, fake_teams, teams_senders
):
    """The letter's owner is someone Teams cannot reach, and the letter's channel is gone."""
    config = parse_config(teams_config_text(more_people=BORTA).replace("owner: komm", "owner: borta"))
    install(engine, fake_teams, config, skip=("borta",))
    fake_teams.remove_bot(DIREKTION)
    tick(engine, teams_senders, config)
    tick(engine, teams_senders, config, NOW + timedelta(hours=1))

    [report] = rows(engine, "failure-report")
    assert (report.status, report.error) == ("failed", "teams_user_not_installed")
    fallbacks = fake_teams.sent(f"a:personal-{CHEF}") + fake_teams.sent(KVAL_CHAT)
    assert len(fallbacks) == 2
    assert all("Den som slutat kunde inte nås med en rapport" in text for text in texts(fallbacks))


def test_a_service_that_cannot_be_reached_is_retried_as_not_posted(engine, fake_teams, installed, teams_loop):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        unreachable = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    with session_scope(engine) as session:
        stored = teams.conversation_at(session, f"teams:{DIREKTION}")
        teams.save_conversation(session, stored.model_copy(update={"service_url": unreachable}))
    connector = BotConnector(teams_loop, fixed_token(TOKEN), timeout=5.0)
    try:
        tick(engine, {Platform.TEAMS: TeamsSender(engine, connector)}, installed)
    finally:
        connector.close()
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
    try:
        tick(engine, {Platform.TEAMS: TeamsSender(engine, connector)}, installed)
    finally:
        connector.close()
    assert {row.error for row in rows(engine)} == {"teams_unauthorized"}
    assert "TEAMS_APP_PASSWORD" in caplog.text and "someone-elses-token" not in caplog.text


def _triage_post(engine, text: str) -> int:
    """A triage message queued for the direktion channel (as the cases service queues one)."""
    rows_ = message_rows(
        key=keys.case_triage(7),
        recipient=channel_recipient(f"teams:{DIREKTION}", "Direktionen"),
        message=Message(heading="Ärende 2027-7", text=text),
        due_at=NOW,
        now=NOW,
        owner=None,
    )
    with session_scope(engine) as session:
        outbox.enqueue(session, rows_)
        return outbox.row_id(session, rows_[0])


def _queue_update(engine, target_id: int, text: str, version: int) -> int:
    """The triage message rewritten and an update row queued for it."""
    with session_scope(engine) as session:
        target = session.get(Delivery, target_id)
        outbox.mark(session, target_id, message=Message(heading="Ärende 2027-7", text=text).to_json())
        row = update_row(target=target, key=keys.case_update(7, version, "status"), now=NOW)
        outbox.enqueue(session, [row])
        return outbox.row_id(session, row)


def test_an_update_row_replaces_the_posted_card_in_place(engine, fake_teams, teams_senders, installed):
    sender = Sender(engine, teams_senders, installed)
    target = _triage_post(engine, "Status: Ny")
    sender.send_rows([target], NOW)
    update = _queue_update(engine, target, "Status: Under handläggning", 2)

    report = sender.send_rows([update], NOW)

    assert [row.id for row in report.sent] == [update]
    [put] = fake_teams.updates()
    [activity] = fake_teams.sent(DIREKTION)
    assert put.path.endswith(f"/activities/{activity['id']}") and put.authorization == f"Bearer {TOKEN}"
    assert "Status: Under handläggning" in texts([activity])[0] and "Status: Ny" not in texts([activity])[0]
    with session_scope(engine) as session:
        assert session.get(Delivery, update).status == "sent"


def test_an_update_teams_does_not_know_the_activity_of_fails_as_message_not_found(
    engine, fake_teams, teams_senders, installed
):
    sender = Sender(engine, teams_senders, installed)
    target = _triage_post(engine, "Status: Ny")
    sender.send_rows([target], NOW)
    fake_teams.conversations[DIREKTION].activities.clear()  # deleted in Teams
    update = _queue_update(engine, target, "Status: Stängt", 2)

    report = sender.send_rows([update], NOW)

    assert [(row.id, reason) for row, reason in report.failed] == [(update, "message_not_found")]
    assert fake_teams.updates() == []


def test_an_update_behind_a_rate_limit_waits_and_then_goes(engine, fake_teams, teams_senders, installed):
    sender = Sender(engine, teams_senders, installed)
    target = _triage_post(engine, "Status: Ny")
    sender.send_rows([target], NOW)
    update = _queue_update(engine, target, "Status: Stängt", 2)
    fake_teams.fail_next(429, retry_after=2, operation="update")

    assert sender.send_rows([update], NOW).rate_limited == 1
    assert sender.send_due(NOW + timedelta(seconds=2)).sent[0].id == update
    assert len(fake_teams.updates()) == 1
