"""An update row on Teams: the posted card replaced in place (PUT), retried and refused as Teams does."""

from datetime import timedelta

from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows, update_row
from bot.delivery.sender import Sender
from bot.people import channel_recipient
from messages.message import Message
from storage import outbox, teams
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.teams_outbox_support import (
    DIREKTION,
    NOW,
    TOKEN,
    texts,
)

pytest_plugins = ["tests.teams_fixtures"]


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


def test_an_update_where_the_app_was_removed_fails_and_forgets_the_channel(
    engine, fake_teams, teams_senders, installed
):
    sender = Sender(engine, teams_senders, installed)
    target = _triage_post(engine, "Status: Ny")
    sender.send_rows([target], NOW)
    fake_teams.remove_bot(DIREKTION)
    update = _queue_update(engine, target, "Status: Stängt", 2)

    report = sender.send_rows([update], NOW)

    assert [(row.id, reason) for row, reason in report.failed] == [(update, "teams_bot_removed")]
    with session_scope(engine) as session:
        assert teams.conversation_at(session, f"teams:{DIREKTION}") is None
