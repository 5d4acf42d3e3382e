"""The tick's follow-up producer when the bot was down: late invitations, one ask at a time, late summaries."""

from sqlalchemy import select

from bot.followup.schedule import enqueue_due_followup
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.conftest import local


def produce(engine, config, now):
    with session_scope(engine) as session:
        return enqueue_due_followup(session, config, now)


def keys(engine) -> list[str]:
    with session_scope(engine) as session:
        rows = session.scalars(select(Delivery).where(Delivery.source == "followup", Delivery.part == 0))
        return sorted(f"{row.occurrence_key} {row.recipient}" for row in rows)


def test_invitations_go_out_late_when_the_bot_was_down_at_opening(engine, example_config):
    report = produce(engine, example_config, local(2027, 5, 14, 9, 0))
    assert report.queued == [("t1-2027", "open")]  # the reminder of 13 May is not sent on top of the invitation
    assert keys(engine) == [
        "open:ekonomi person:ekonomi-chef",
        "open:it person:it-chef",
        "open:loner person:lon-chef",
        "open:specialist person:specialist-chef",
    ]
    assert produce(engine, example_config, local(2027, 5, 14, 9, 5)).queued == []


def test_a_round_that_closed_before_the_bot_knew_it_is_left_alone(engine, example_config):
    assert produce(engine, example_config, local(2027, 7, 1, 9, 0)).queued == []


def test_a_round_the_bot_ran_gets_its_summary_even_if_the_bot_was_down_at_closing(engine, example_config):
    produce(engine, example_config, local(2027, 5, 3, 9, 0))
    report = produce(engine, example_config, local(2027, 6, 15, 9, 0))
    assert report.queued == [("t1-2027", "summary")]
    assert produce(engine, example_config, local(2027, 6, 15, 9, 5)).queued == []
    assert "summary channel:C0DIREKTIO" in keys(engine)


def test_nothing_before_a_round_opens(engine, example_config):
    assert produce(engine, example_config, local(2027, 5, 3, 8, 29)).queued == []
