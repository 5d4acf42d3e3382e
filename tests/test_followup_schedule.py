"""The tick's follow-up producer when the bot was down: late invitations, one ask at a time, late summaries."""

from datetime import date

from sqlalchemy import select

from bot.followup import service
from bot.followup.schedule import enqueue_due_followup
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.conftest import local
from tests.service_calls import by


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


def test_no_reminder_before_the_round_opens(engine, example_config):
    # A configuration the check refuses, built around it: opens 18 May, deadline 20 May, reminders [5, 1].
    round_ = example_config.followup_rounds[0].model_copy(update={"opens": date(2027, 5, 18)})
    config = example_config.model_copy(update={"followup_rounds": [round_, *example_config.followup_rounds[1:]]})
    assert produce(engine, config, local(2027, 5, 13, 8, 35)).queued == []
    assert produce(engine, config, local(2027, 5, 18, 8, 35)).queued == [("t1-2027", "open")]
    assert produce(engine, config, local(2027, 5, 19, 8, 35)).queued == [("t1-2027", "reminder:1")]


def test_a_delegate_does_not_get_the_reminder_the_head_already_had(engine, example_config):
    produce(engine, example_config, local(2027, 5, 3, 8, 35))
    assert produce(engine, example_config, local(2027, 5, 13, 8, 35)).queued == [("t1-2027", "reminder:5")]
    with session_scope(engine) as session:
        head = example_config.person("ekonomi-chef")
        service.delegate(
            **by(session, example_config, head), target=example_config.person("lon-stf"), now=local(2027, 5, 13, 9, 0)
        )
    assert produce(engine, example_config, local(2027, 5, 13, 9, 5)).queued == []
    assert produce(engine, example_config, local(2027, 5, 14, 8, 0)).queued == []
    to_delegate = [key for key in keys(engine) if key.endswith("person:lon-stf")]
    assert to_delegate == ["delegated:ekonomi:lon-stf person:lon-stf"]
    # The next reminder goes to the delegate.
    assert produce(engine, example_config, local(2027, 5, 19, 8, 35)).queued == [("t1-2027", "reminder:1")]
    assert "reminder:1:ekonomi person:lon-stf" in keys(engine)
