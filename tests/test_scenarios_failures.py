"""Unexpected failures on Slack and on Teams, the same scenario and assertions: the user reads one Swedish
apology (a form stays open with what was typed), the operator's log has the cause, and nothing is changed."""

import pytest
from sqlalchemy.exc import OperationalError

import storage.cases
from bot.cases import registration
from tests.chat import Chat
from tests.test_scenarios_cases import DESCRIPTION, IT_HEAD, REPORT, cases, report, triage_post

APOLOGY = "Något gick fel hos Samverkan"


def _locked(*args, **kwargs):
    raise OperationalError("SELECT feedback_case", {}, Exception("database is locked"))


@pytest.fixture
def reported(chat: Chat) -> Chat:
    report(chat)
    return chat


def test_a_failing_button_gets_a_swedish_apology_and_changes_nothing(reported: Chat, monkeypatch, caplog):
    chat = reported
    monkeypatch.setattr(storage.cases, "get_case", _locked)
    assert APOLOGY in chat.click(IT_HEAD, triage_post(chat), "case_take").shown
    assert "database is locked" in caplog.text
    monkeypatch.undo()
    (case,) = cases(chat)
    assert case.status == "new" and "Status: Ny" in triage_post(chat).text


def test_a_failing_form_submission_keeps_the_form_with_a_swedish_error(reported: Chat, monkeypatch, caplog):
    chat = reported
    form = chat.click(IT_HEAD, triage_post(chat), "case_answer")
    monkeypatch.setattr(storage.cases, "get_case", _locked)
    assert APOLOGY in chat.submit_form(IT_HEAD, form, {"answer": "Svar"}).shown
    assert "database is locked" in caplog.text
    monkeypatch.undo()
    (case,) = cases(chat)
    assert case.answer is None


def test_a_report_that_cannot_be_registered_keeps_what_was_typed(chat: Chat, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OperationalError("INSERT INTO feedback_case", {}, Exception("database is locked"))

    monkeypatch.setattr(registration, "register", broken)
    refused = report(chat)
    assert "Det du skrivit finns kvar" in refused.shown and refused.typed["description"] == DESCRIPTION
    assert "could not register a report" in caplog.text and "database is locked" in caplog.text
    assert cases(chat) == [] and REPORT["member"] == refused.typed["member"]
