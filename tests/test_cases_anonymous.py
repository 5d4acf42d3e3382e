"""An anonymous report stores no reporter identity anywhere: not in any table, the outbox or the logs."""

import json
import logging

from sqlmodel import select

from bot.cases import service
from bot.tick import run_tick
from storage.cases import FeedbackCase
from storage.engine import session_scope
from tests.cases_support import a_report, dump_tables, message_shortcut, register, report_submission
from tests.conftest import local
from tests.service_calls import by

ANONYMOUS_USER = "U0VMKF0021"  # the municipal chief of Köping, reporting anonymously


def test_anonymous_report_leaves_no_trace_of_the_reporter(slack, fake_slack, runtime, caplog):
    caplog.set_level(logging.DEBUG)
    slack.command("/synpunkt", user_id=ANONYMOUS_USER)
    slack.idle()
    assert fake_slack.calls_to("views.open")
    answer = slack.interaction(report_submission(ANONYMOUS_USER, member="koping", anonymous=True))
    confirmation = str(answer.json()["view"]["blocks"])
    assert "VMKF 2027-0001" in confirmation and "anonym" in confirmation
    slack.idle()
    assert [m for m in fake_slack.posted() if m["channel"] == "C0VMKFITTR"]

    with session_scope(runtime.engine) as session:
        (case,) = session.exec(select(FeedbackCase)).all()
        head = runtime.config.person("it-chef")
        service.take(**by(session, runtime.config, head), case_id=case.id, now=local(2027, 2, 1, 10, 0))
        service.answer(
            **by(session, runtime.config, head),
            case_id=case.id,
            text="Tack, vi ser över det.",
            now=local(2027, 2, 1, 10, 5),
        )
    for day in (1, 12, 16):
        run_tick(runtime.engine, runtime.senders, runtime.config, local(2027, 2, day, 10, 0))

    assert (case.anonymous, case.reporter_user_id, case.contact) == (True, None, None)
    tables = dump_tables(runtime.engine)
    assert "VMKF 2027-0001" in tables  # the dump does contain the case
    assert ANONYMOUS_USER not in tables
    assert ANONYMOUS_USER not in caplog.text
    assert "registered case VMKF 2027-0001" in caplog.text
    posted_to = {message["channel"] for message in fake_slack.posted()}
    assert fake_slack.dm_channel(ANONYMOUS_USER) not in posted_to
    assert ANONYMOUS_USER not in str(fake_slack.posted())


def test_an_anonymous_report_from_a_message_keeps_no_link_to_it(slack, fake_slack, runtime):
    text = "Jag vet inte vem jag ska fråga om min lön."
    slack.interaction(message_shortcut(ANONYMOUS_USER, text))
    slack.idle()
    calls = fake_slack.calls_to("views.update")  # the form replaces the loading modal
    view = calls[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    link = "https://fake.slack.com/archives/C0ARBOGA01/p1790000000000200"
    shown = json.dumps(view["blocks"], ensure_ascii=False)
    assert link in shown and "sparas inte länken" in shown
    answer = slack.interaction(
        report_submission(
            ANONYMOUS_USER,
            subject="service:lon",
            description=text,
            anonymous=True,
            private_metadata=view["private_metadata"],
        )
    )
    assert answer.json()["response_action"] == "update"
    slack.idle()
    assert [m for m in fake_slack.posted() if m["channel"] == "C0VMKFLOTR"]
    with session_scope(runtime.engine) as session:
        (case,) = session.exec(select(FeedbackCase)).all()
    assert case.source_link is None
    assert "archives/C0ARBOGA01" not in dump_tables(runtime.engine)
    assert "archives/C0ARBOGA01" not in str(fake_slack.posted())


def test_the_service_drops_the_link_of_an_anonymous_report(engine, example_config):
    link = "https://fake.slack.com/archives/C0ARBOGA01/p1790000000000200"
    case = register(
        engine, example_config, a_report(anonymous=True, reporter_user_id=None, source_link=link), local(2027, 2, 1, 9)
    )
    assert case.source_link is None
    assert "archives" not in dump_tables(engine)
