"""The tick's decision task notices, rule by rule: released meetings only, once per task and due date, late
rather than never, none for a date the owner has just set, none older than the delivery logs, nobody to send
to; and the report service's refusals, replay and validation."""

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.board.decisions import BoardRefused, Refusal
from bot.board.task_reminders import enqueue_task_reminders
from bot.board.task_reports import InvalidTaskReport, ReportInput, clean_report, report_task
from bot.delivery.keys import Source
from bot.errors import NotAllowed
from bot.permissions import Action
from bot.replays import Replayed
from storage.board import BoardTaskReport, TaskReportKind
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.board_task_support import APRIL, FEBRUARY, add_decision, add_report, release
from tests.conftest import local

OWNER, DIRECTOR = "it-chef", "forbundschef"


def notices(engine) -> list[tuple[str, str, str]]:
    """(decision, occurrence, recipient) of every decision task row, in the order queued."""
    with session_scope(engine) as session:
        rows = session.scalars(select(Delivery).where(Delivery.source == Source.BOARD_TASK).order_by(Delivery.id))
        return [(row.item_id, row.occurrence_key, row.recipient) for row in rows]


def tick(engine, config, *args: int) -> int:
    with session_scope(engine) as session:
        return enqueue_task_reminders(session, config, local(*args))


def test_only_released_meetings_and_once_per_due_date(engine, example_config):
    task = add_decision(engine, APRIL, 1, "Beslut", owner=OWNER, due=date(2027, 5, 31))
    assert tick(engine, example_config, 2027, 5, 24, 9, 0) == 0  # the digests are not sent: still a draft
    release(engine, APRIL, local(2027, 5, 24, 12, 0))
    assert tick(engine, example_config, 2027, 5, 24, 12, 5) == 1  # its reminder fell due before: sent late
    assert tick(engine, example_config, 2027, 5, 25, 12, 5) == 0
    assert notices(engine) == [(str(task), "reminder:2027-05-31", "person:it-chef")]
    assert tick(engine, example_config, 2027, 6, 1, 8, 29) == 0  # June 1 is the working day after, 08:30 the time
    assert tick(engine, example_config, 2027, 6, 1, 8, 30) == 1
    assert tick(engine, example_config, 2027, 6, 2, 8, 30) == 0
    assert notices(engine)[-1] == (str(task), "overdue:2027-05-31", "person:forbundschef")


def test_a_date_the_owner_just_set_gets_no_reminder_but_its_overdue_notice(engine, example_config):
    task = add_decision(engine, FEBRUARY, 1, "Beslut", owner=OWNER, due=date(2027, 3, 31))
    release(engine, FEBRUARY)
    # Delayed on April 1 to April 6: its reminder's time (March 30) had passed when the owner set it.
    add_report(engine, task, TaskReportKind.DELAYED, OWNER, local(2027, 4, 1, 9, 0), date(2027, 4, 6))
    assert tick(engine, example_config, 2027, 4, 1, 9, 5) == 0  # nor the overdue notice of the old date
    assert tick(engine, example_config, 2027, 4, 7, 8, 35) == 1
    assert notices(engine) == [(str(task), "overdue:2027-04-06", "person:forbundschef")]


def test_a_reminder_after_its_due_date_is_skipped_and_nothing_older_than_the_logs(engine, example_config):
    old = add_decision(engine, FEBRUARY, 1, "Gammalt", owner=OWNER, due=date(2027, 3, 1))
    release(engine, FEBRUARY)
    # The bot was down from before the reminder until long after the due date: only the director hears.
    assert tick(engine, example_config, 2027, 3, 10, 9, 0) == 1
    assert notices(engine) == [(str(old), "overdue:2027-03-01", "person:forbundschef")]
    kept = example_config.model_copy(
        update={"settings": example_config.settings.model_copy(update={"delivery_log_days": 30})}
    )
    add_decision(engine, FEBRUARY, 2, "Glömt", owner=OWNER, due=date(2027, 3, 1))
    assert tick(engine, kept, 2027, 4, 15, 9, 0) == 0  # its notice fell due more than 30 days ago


def test_no_reminder_when_the_working_days_are_0_and_nobody_unknown_is_sent_to(engine, example_config, caplog):
    board = example_config.board
    assert board is not None
    follow_up = board.follow_up.model_copy(update={"task_reminder_working_days": 0})
    config = example_config.model_copy(update={"board": board.model_copy(update={"follow_up": follow_up})})
    add_decision(engine, FEBRUARY, 1, "Beslut", owner="slutat", due=date(2027, 3, 31))
    release(engine, FEBRUARY)
    assert tick(engine, config, 2027, 3, 31, 9, 0) == 0  # no reminder, and no owner to send one to anyway
    assert tick(engine, config, 2027, 4, 1, 9, 0) == 1  # the director is told
    config = config.model_copy(update={"roles": {k: v for k, v in config.roles.items() if k != "director"}})
    add_decision(engine, FEBRUARY, 2, "Utan chef", owner=OWNER, due=date(2027, 3, 31))
    assert tick(engine, config, 2027, 4, 1, 9, 5) == 0
    assert "nobody to send its board_task_overdue to" in caplog.text


def report_count(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(BoardTaskReport))


def test_the_service_refuses_others_and_drafts_and_stores_a_request_once(engine, example_config):
    config, now = example_config, local(2027, 3, 1, 9, 0)
    draft = add_decision(engine, APRIL, 1, "Utkast", owner=OWNER, due=date(2027, 5, 3))
    task = add_decision(engine, FEBRUARY, 1, "Beslut", owner=OWNER, due=date(2027, 3, 31))
    release(engine, FEBRUARY)
    done = ReportInput(kind="done")

    def report(person: str, decision: int, key: str | None = "k1") -> object:
        with session_scope(engine) as session:
            return report_task(session=session, config=config, person=config.person(person), decision_id=decision,
                               raw=done, now=now, request_key=key)  # fmt: skip

    with pytest.raises(NotAllowed) as refused:
        report("lon-chef", task)
    assert refused.value.action == Action.REPORT_ON_DECISION_TASK
    for decision in (draft, 999):
        with pytest.raises(BoardRefused) as no_task:
            report(OWNER, decision)
        assert no_task.value.reason == Refusal.NO_TASK
    assert report_count(engine) == 0
    assert report(OWNER, task).told_director
    with pytest.raises(Replayed):
        report(OWNER, task)
    assert report_count(engine) == 1


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        (ReportInput(), {"kind": "kind_missing"}),
        (ReportInput(kind="finished"), {"kind": "kind_missing"}),
        (ReportInput(kind="delayed", new_due="2027-02-30"), {"new_due": "new_due_invalid"}),
        (ReportInput(kind="delayed", new_due="2027-03-01"), {"new_due": "new_due_not_after_today"}),
        (ReportInput(kind="comment", new_due="2027-04-01"), {"new_due": "new_due_not_delayed",
                                                             "comment": "comment_missing"}),
        (ReportInput(new_due="i morgon", comment="x" * 3001), {"kind": "kind_missing", "new_due": "new_due_invalid",
                                                             "comment": "too_long"}),
    ],
)  # fmt: skip
def test_every_bad_field_is_named(raw, errors):
    with pytest.raises(InvalidTaskReport) as invalid:
        clean_report(raw, date(2027, 3, 1))
    assert invalid.value.errors == errors


def test_a_good_report_is_cleaned():
    cleaned = clean_report(ReportInput("delayed", " 2027-03-02 ", "  Sen  "), date(2027, 3, 1))
    assert (cleaned.kind, cleaned.new_due, cleaned.comment) == (TaskReportKind.DELAYED, date(2027, 3, 2), "Sen")
