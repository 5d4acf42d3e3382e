"""End to end: a tick delivers through the fake Slack, and a signed slash command answers."""

from sqlmodel import select

from bot.demo.workspace import user_id_for_email
from bot.tick import run_tick
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.command_support import command_answer
from tests.conftest import local


def test_tick_delivers_due_items(runtime, fake_slack):
    report = run_tick(runtime.engine, runtime.senders, runtime.config, local(2027, 2, 1, 8, 5))
    assert len(report.send.sent) == 4  # the Monday check-in DM to the four department heads
    heads = [runtime.config.person(d.head) for d in runtime.config.departments]
    expected = {fake_slack.dm_channel(p.slack_id or user_id_for_email(p.email)) for p in heads}
    assert {m["channel"] for m in fake_slack.posted()} == expected
    with session_scope(runtime.engine) as session:
        rows = session.exec(select(Delivery)).all()
    assert {row.status for row in rows} == {"sent"}


def test_slash_command_answers_with_the_plan(slack, fake_slack, clock):
    body = command_answer(slack, fake_slack, "/kommunikationsplan")
    assert body["response_type"] == "ephemeral"
    assert "Kommunikationsplanen" in body["text"]
