"""Unexpected failures in the case flow: a Swedish reply for the user, the traceback for the operator, no change."""

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

import storage.cases
from bot.cases import registration
from storage.cases import FeedbackCase
from storage.engine import session_scope
from tests.cases_support import REPORTER, a_report, button_click, register, report_submission, text_submission
from tests.conftest import local

APOLOGY = "Något gick fel hos Samverkan"


def _locked(*args, **kwargs):
    raise OperationalError("SELECT feedback_case", {}, Exception("database is locked"))


@pytest.fixture
def case(runtime):
    return register(runtime.engine, runtime.config, a_report(), local(2027, 2, 1, 9, 0))


def test_a_failing_button_gets_one_swedish_reply_and_a_logged_traceback(slack, fake_slack, case, monkeypatch, caplog):
    monkeypatch.setattr(storage.cases, "get_case", _locked)
    slack.interaction(button_click("U0VMKF0010", "case_take", str(case.id), fake_slack.response_url))
    slack.idle()
    replies = fake_slack.responses
    assert [reply["text"].startswith(APOLOGY) for reply in replies] == [True]
    assert "a case step for Slack user U0VMKF0010 failed" in caplog.text and "database is locked" in caplog.text


def test_a_failing_form_button_says_so_in_the_modal(slack, fake_slack, case, monkeypatch):
    monkeypatch.setattr(storage.cases, "get_case", _locked)
    slack.interaction(button_click("U0VMKF0010", "case_answer", str(case.id), fake_slack.response_url))
    slack.idle()
    updates = fake_slack.calls_to("views.update")
    assert updates and APOLOGY in str(updates[-1].params["view"])


def test_a_failing_answer_form_keeps_the_form_open_with_a_swedish_error(slack, case, runtime, monkeypatch, caplog):
    monkeypatch.setattr(storage.cases, "get_case", _locked)
    answer = slack.interaction(text_submission("U0VMKF0010", "case_answer", case.id, "answer", "Svar"))
    assert answer.status == 200
    body = answer.json()
    assert body["response_action"] == "errors" and body["errors"]["answer"].startswith(APOLOGY)
    assert "database is locked" in caplog.text
    monkeypatch.undo()
    with session_scope(runtime.engine) as session:
        assert session.get(FeedbackCase, case.id).answer is None


def test_a_form_with_a_garbled_case_id_gets_a_swedish_error(slack):
    payload = text_submission("U0VMKF0010", "case_close", 1, "resolution", "Klart")
    payload["view"]["private_metadata"] = "{}"
    body = slack.interaction(payload).json()
    assert body["response_action"] == "errors"
    assert body["errors"]["resolution"].startswith("Samverkan kunde inte läsa din begäran")


def test_a_report_that_cannot_be_registered_keeps_the_form_open(slack, runtime, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OperationalError("INSERT INTO feedback_case", {}, Exception("database is locked"))

    monkeypatch.setattr(registration, "register", broken)
    body = slack.interaction(report_submission(REPORTER)).json()
    assert body["response_action"] == "errors"
    assert "Det du skrivit finns kvar" in body["errors"]["description"]
    assert "could not register a report" in caplog.text and "database is locked" in caplog.text
    with session_scope(runtime.engine) as session:
        assert session.exec(select(FeedbackCase)).all() == []
