"""Nothing stale goes out: a meeting or any event moved or cancelled after its reminders were queued, but before they
went out (a retry pending, the bot down between queueing and sending), withdraws them; the moved event's reminders
go out for its new date; an event moved back puts them back. The plan's items relative to events, and rows the plan
wrote before the event's date was part of their key, follow the same rule."""

from datetime import date, timedelta

from sqlalchemy import select

from bot.config.model import AssociationConfig
from bot.delivery.status import delivery_status
from bot.delivery.withdrawal import WITHDRAWN_REASON
from bot.tick import queue_due_work, run_tick
from storage import outbox
from storage.engine import session_scope
from storage.outbox import Delivery, DeliveryStatus, QueuedOccurrence
from tests.conftest import local

CHIEF, DIRECTOR = "U0VMKF0020", "U0VMKF0001"  # Arboga's municipal chief (the chair municipality), the director
CHAIR = local(2027, 2, 2, 8, 30)  # 12 working days before the meeting of 18 February
MOVED_CHAIR = local(2027, 2, 9, 8, 30)  # 12 working days before 25 February
INVITATION = local(2027, 2, 18, 9, 0)  # the budget dialogue's invitation: 15 working days before 11 March


def board_only(config: AssociationConfig) -> AssociationConfig:
    """The example without its plan: only the board's reminders go out."""
    return config.model_copy(update={"plan": []})


def with_event(config: AssociationConfig, event_id: str, **changes) -> AssociationConfig:
    """The configuration with one event changed (moved: `date=`, cancelled: `cancelled=True`)."""
    events = [event.model_copy(update=changes) if event.id == event_id else event for event in config.events]
    return config.model_copy(update={"events": events})


def rows(engine, source: str) -> list[tuple[str, str, str]]:
    """(occurrence key, recipient, status) of the source's rows, sorted."""
    with session_scope(engine) as session:
        found = session.scalars(select(Delivery).where(Delivery.source == source, Delivery.part == 0))
        return sorted((row.occurrence_key, row.recipient, row.status) for row in found)


def dms(fake_slack, user: str) -> list[str]:
    return [message["text"] for message in fake_slack.messages_in(fake_slack.dm_channel(user))]


def test_a_meeting_moved_while_its_reminder_waits_for_a_retry_is_reminded_for_the_new_date_only(runtime, fake_slack):
    config = board_only(runtime.config)
    fake_slack.fail_next("chat.postMessage", times=2)  # both DMs answered 500: retried later
    run_tick(runtime.engine, runtime.senders, config, CHAIR)
    assert [status for *_, status in rows(runtime.engine, "board-preparation")] == ["pending", "pending"]

    moved = with_event(config, "direktion-2027-02", date=date(2027, 2, 25))
    run_tick(runtime.engine, runtime.senders, moved, CHAIR + timedelta(minutes=10))  # past the retry's back-off
    assert dms(fake_slack, CHIEF) == [] and dms(fake_slack, DIRECTOR) == []
    with session_scope(runtime.engine) as session:
        withdrawn = session.scalars(select(Delivery).where(Delivery.status == DeliveryStatus.WITHDRAWN)).all()
        assert {row.error for row in withdrawn} == {WITHDRAWN_REASON} and len(withdrawn) == 2

    run_tick(runtime.engine, runtime.senders, moved, MOVED_CHAIR)
    [reminder] = dms(fake_slack, CHIEF)
    assert "Beredning inför Direktionsmöte torsdag 25 februari 2027" in reminder
    assert rows(runtime.engine, "board-preparation") == [
        ("chair:2027-02-18", "person:forbundschef", "withdrawn"),
        ("chair:2027-02-18", "person:kommunchef-arboga", "withdrawn"),
        ("chair:2027-02-25", "person:forbundschef", "sent"),
        ("chair:2027-02-25", "person:kommunchef-arboga", "sent"),
    ]
    run_tick(runtime.engine, runtime.senders, moved, MOVED_CHAIR + timedelta(minutes=1))
    assert len(dms(fake_slack, CHIEF)) == 1


def test_a_meeting_cancelled_after_its_reminders_were_queued_sends_nothing(runtime, fake_slack):
    config = board_only(runtime.config)
    queue_due_work(runtime.engine, config, CHAIR)  # queued; the bot stopped before sending
    cancelled = with_event(config, "direktion-2027-02", cancelled=True)
    for moment in (CHAIR + timedelta(hours=1), local(2027, 2, 4, 8, 30), local(2027, 2, 11, 8, 30)):
        run_tick(runtime.engine, runtime.senders, cancelled, moment)
    assert dms(fake_slack, CHIEF) == [] and dms(fake_slack, DIRECTOR) == []
    assert fake_slack.messages_in("C0DIREKTIO") == []
    assert {status for *_, status in rows(runtime.engine, "board-preparation")} == {"withdrawn"}


def test_a_meeting_moved_back_to_its_date_gets_its_withdrawn_reminders_back(runtime, fake_slack):
    config = board_only(runtime.config)
    queue_due_work(runtime.engine, config, CHAIR)
    moved = with_event(config, "direktion-2027-02", date=date(2027, 2, 25))
    queue_due_work(runtime.engine, moved, CHAIR + timedelta(minutes=5))
    assert {status for *_, status in rows(runtime.engine, "board-preparation")} == {"withdrawn"}
    run_tick(runtime.engine, runtime.senders, config, CHAIR + timedelta(minutes=10))  # the date corrected again
    [reminder] = dms(fake_slack, CHIEF)
    assert "Beredning inför Direktionsmöte torsdag 18 februari 2027" in reminder
    assert {status for *_, status in rows(runtime.engine, "board-preparation")} == {"sent"}


def test_a_plan_item_s_event_moved_after_queueing_goes_out_for_the_new_date_only(runtime, fake_slack):
    config = runtime.config
    queue_due_work(runtime.engine, config, INVITATION)  # 8 DMs inviting the wide group, not yet sent
    invited = [row for row in rows(runtime.engine, "plan") if row[0].startswith("event:budgetdialog-2027")]
    assert len(invited) == 8 and {row[0] for row in invited} == {"event:budgetdialog-2027:2027-03-11"}

    moved = with_event(config, "budgetdialog-2027", date=date(2027, 3, 18))
    run_tick(runtime.engine, runtime.senders, moved, INVITATION + timedelta(minutes=1))
    assert not any("Budgetdialog" in text for text in dms(fake_slack, CHIEF))
    run_tick(runtime.engine, runtime.senders, moved, local(2027, 2, 25, 9, 0))  # 15 working days before 18 March
    [invitation] = [text for text in dms(fake_slack, CHIEF) if "Budgetdialog" in text]
    assert "torsdag 18 mars 2027" in invitation
    statuses = {(key, status) for key, _, status in rows(runtime.engine, "plan") if key.startswith("event:budget")}
    assert statuses == {
        ("event:budgetdialog-2027:2027-03-11", "withdrawn"),
        ("event:budgetdialog-2027:2027-03-18", "sent"),
    }


def test_a_plan_item_s_event_cancelled_after_queueing_sends_nothing_and_has_no_occurrence(runtime, fake_slack):
    queue_due_work(runtime.engine, runtime.config, INVITATION)
    cancelled = with_event(runtime.config, "budgetdialog-2027", cancelled=True)
    run_tick(runtime.engine, runtime.senders, cancelled, INVITATION + timedelta(minutes=1))
    assert not any("Budgetdialog" in text for text in dms(fake_slack, CHIEF))
    statuses = {status for key, _, status in rows(runtime.engine, "plan") if key.startswith("event:budget")}
    assert statuses == {"withdrawn"}
    planned = len(rows(runtime.engine, "plan"))
    with session_scope(runtime.engine) as session:  # withdrawn rows wait for nothing and are pruned like sent ones
        view = delivery_status(session=session, config=cancelled, person=cancelled.person("forbundschef"))
        assert view.waiting == 0
        assert outbox.prune(session, INVITATION + timedelta(days=1), (), 100) == planned


def _legacy_rows(runtime, status: str, queued_at) -> None:
    """What a version that keyed an event's occurrence by the event alone wrote for the budget invitation."""
    with session_scope(runtime.engine) as session:
        session.add(
            Delivery(
                source="plan", item_id="budgetdialog-inbjudan", occurrence_key="event:budgetdialog-2027",
                recipient="person:kommunchef-arboga", kind="plan", due_at=INVITATION, address=CHIEF,
                text="Inbjudan till budgetdialog", message='{"text": "Inbjudan till budgetdialog"}', status=status,
                next_attempt_at=INVITATION, created_at=queued_at,
            )
        )  # fmt: skip
        session.add(
            QueuedOccurrence(
                source="plan", item_id="budgetdialog-inbjudan", occurrence_key="event:budgetdialog-2027",
                queued_at=queued_at,
            )
        )  # fmt: skip


def test_an_upgrade_does_not_send_again_what_was_queued_under_the_old_key(runtime, fake_slack):
    _legacy_rows(runtime, DeliveryStatus.SENT, INVITATION)
    report = run_tick(runtime.engine, runtime.senders, runtime.config, INVITATION + timedelta(minutes=5))
    assert report.queued[0].already_queued == 1
    assert not any("Budgetdialog" in text for text in dms(fake_slack, CHIEF))
    assert [key for key, *_ in rows(runtime.engine, "plan") if "budget" in key] == ["event:budgetdialog-2027"]


def test_a_row_queued_under_the_old_key_for_an_event_moved_since_is_withdrawn_and_the_new_date_reminded(
    runtime, fake_slack
):
    _legacy_rows(runtime, DeliveryStatus.PENDING, INVITATION)
    moved = with_event(runtime.config, "budgetdialog-2027", date=date(2027, 3, 18))
    run_tick(runtime.engine, runtime.senders, moved, INVITATION + timedelta(minutes=1))
    assert dms(fake_slack, CHIEF) == []
    run_tick(runtime.engine, runtime.senders, moved, local(2027, 2, 25, 9, 0))
    [invitation] = [text for text in dms(fake_slack, CHIEF) if "Budgetdialog" in text]
    assert "torsdag 18 mars 2027" in invitation
    old = [status for key, _, status in rows(runtime.engine, "plan") if key == "event:budgetdialog-2027"]
    assert old == ["withdrawn"]


SECRETARY = "U0VMKF0003"
ASKED = local(2027, 2, 19, 8, 30)  # the day after the meeting of 18 February
ASKED_AFTER_MOVE = local(2027, 2, 26, 8, 30)  # the day after 25 February


def requests_to_secretary(fake_slack) -> list[str]:
    return [text for text in dms(fake_slack, SECRETARY) if "Registrera besluten" in text]


def test_a_meeting_moved_after_the_secretary_was_asked_is_asked_about_again_after_its_new_date(runtime, fake_slack):
    config = board_only(runtime.config)
    run_tick(runtime.engine, runtime.senders, config, ASKED)
    assert len(requests_to_secretary(fake_slack)) == 1

    moved = with_event(config, "direktion-2027-02", date=date(2027, 2, 25))  # it was not held: postponed a week
    run_tick(runtime.engine, runtime.senders, moved, ASKED + timedelta(hours=1))
    assert len(requests_to_secretary(fake_slack)) == 1
    run_tick(runtime.engine, runtime.senders, moved, ASKED_AFTER_MOVE)
    run_tick(runtime.engine, runtime.senders, moved, ASKED_AFTER_MOVE + timedelta(minutes=1))
    first, again = requests_to_secretary(fake_slack)
    assert "18 februari" in first and "25 februari" in again
    requests = [row for row in rows(runtime.engine, "board-decisions") if row[0].startswith("secretary")]
    assert requests == [
        ("secretary:2027-02-18", "person:sekreterare", "sent"),
        ("secretary:2027-02-25", "person:sekreterare", "sent"),
    ]


def test_a_request_waiting_for_a_retry_when_its_meeting_moves_is_withdrawn(runtime, fake_slack):
    config = board_only(runtime.config)
    fake_slack.fail_next("chat.postMessage", times=1)  # the secretary's DM answered 500: retried later
    run_tick(runtime.engine, runtime.senders, config, ASKED)
    moved = with_event(config, "direktion-2027-02", date=date(2027, 2, 25))
    run_tick(runtime.engine, runtime.senders, moved, ASKED + timedelta(minutes=10))  # past the retry's back-off
    assert requests_to_secretary(fake_slack) == []
    [request] = [row for row in rows(runtime.engine, "board-decisions") if row[0].startswith("secretary")]
    assert request == ("secretary:2027-02-18", "person:sekreterare", "withdrawn")


def test_a_request_written_before_its_key_carried_the_date_is_not_sent_again(runtime, fake_slack):
    config = board_only(runtime.config)
    run_tick(runtime.engine, runtime.senders, config, ASKED)
    with session_scope(runtime.engine) as session:  # as an earlier version wrote it
        row = session.scalars(select(Delivery).where(Delivery.source == "board-decisions")).one()
        row.occurrence_key = "secretary"
    run_tick(runtime.engine, runtime.senders, config, ASKED + timedelta(minutes=1))
    assert len(requests_to_secretary(fake_slack)) == 1
