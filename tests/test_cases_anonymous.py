"""An anonymous report stores no reporter identity anywhere: not in any table, the outbox or the logs."""

import logging

from sqlmodel import select

from bot.cases import service
from bot.tick import run_tick
from storage.cases import FeedbackCase
from storage.engine import session_scope
from tests.cases_support import dump_tables, report_submission, wait_for
from tests.conftest import local

ANONYMOUS_USER = "U0VMKF0021"  # the municipal chief of Köping, reporting anonymously


def test_anonymous_report_leaves_no_trace_of_the_reporter(slack, fake_slack, runtime, caplog):
    caplog.set_level(logging.DEBUG)
    slack.command("/synpunkt", user_id=ANONYMOUS_USER)
    assert wait_for(lambda: fake_slack.calls_to("views.open"))
    answer = slack.interaction(report_submission(ANONYMOUS_USER, member="koping", anonymous=True))
    confirmation = str(answer.json()["view"]["blocks"])
    assert "VMKF 2027-0001" in confirmation and "anonym" in confirmation
    assert wait_for(lambda: [m for m in fake_slack.posted() if m["channel"] == "C0VMKFITTR"])

    with session_scope(runtime.engine) as session:
        (case,) = session.exec(select(FeedbackCase)).all()
        head = runtime.config.person("it-chef")
        service.take(session, runtime.config, head, case.id, local(2027, 2, 1, 10, 0))
        service.answer(session, runtime.config, head, case.id, "Tack, vi ser över det.", local(2027, 2, 1, 10, 5))
    for day in (1, 12, 16):
        run_tick(runtime.engine, runtime.sender_client, runtime.config, local(2027, 2, day, 10, 0))

    assert (case.anonymous, case.reporter_user_id, case.contact) == (True, None, None)
    tables = dump_tables(runtime.engine)
    assert "VMKF 2027-0001" in tables  # the dump does contain the case
    assert ANONYMOUS_USER not in tables
    assert ANONYMOUS_USER not in caplog.text
    assert "registered case VMKF 2027-0001" in caplog.text
    posted_to = {message["channel"] for message in fake_slack.posted()}
    assert fake_slack.dm_channel(ANONYMOUS_USER) not in posted_to
    assert ANONYMOUS_USER not in str(fake_slack.posted())
