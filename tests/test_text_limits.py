"""Text limits hold in the services, not only in the forms' max_length: forged oversized values over HTTP get a
Swedish error on their field and nothing is written (issue 7: a forged 10,000-character answer was accepted)."""

import json

from sqlalchemy import func, select

from messages import text_limits
from storage.cases import CaseEvent, FeedbackCase
from storage.engine import session_scope
from storage.followup import FollowupAnswer
from storage.outbox import Delivery
from tests.cases_support import REPORTER, button_click, report_submission, text_submission
from tests.conftest import local
from tests.test_cases_slack import _opened_view
from tests.test_followup_round import IT_HEAD, good_answers, open_by_command, submit

HANDLER = "U0VMKF0011"  # the IT department's deputy head
FORGED = "x" * 10_000


def _count(engine, table, *where) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(table).where(*where))


def _case(slack, engine) -> FeedbackCase:
    """A registered case, once its receipt and triage post are sent (so no send runs on after the test)."""
    assert slack.interaction(report_submission(REPORTER)).json()["response_action"] == "update"
    slack.idle()
    assert _count(engine, Delivery, Delivery.status != "sent") == 0
    with session_scope(engine) as session:
        return session.scalars(select(FeedbackCase)).one()


def _errors(answer) -> dict[str, str]:
    body = answer.json()
    assert body["response_action"] == "errors"
    return body["errors"]


def test_a_forged_oversized_answer_or_resolution_is_refused_and_nothing_is_written(slack, runtime):
    case = _case(slack, runtime.engine)
    rows = _count(runtime.engine, Delivery)
    answer = slack.interaction(text_submission(HANDLER, "case_answer", case.id, "answer", FORGED))
    assert _errors(answer) == {"answer": "Svaret får vara högst 3\u00a0000 tecken."}
    resolution = slack.interaction(text_submission(HANDLER, "case_close", case.id, "resolution", FORGED))
    assert _errors(resolution) == {"resolution": "Beskrivningen får vara högst 3\u00a0000 tecken."}
    with session_scope(runtime.engine) as session:
        stored = session.get(FeedbackCase, case.id)
    assert (stored.status, stored.answer, stored.resolution, stored.assignee) == ("new", None, None, None)
    assert _count(runtime.engine, CaseEvent) == 1  # only "registered"
    assert _count(runtime.engine, Delivery) == rows


def test_an_answer_at_the_limit_is_accepted(slack, runtime):
    case = _case(slack, runtime.engine)
    text = "y" * text_limits.CASE_ANSWER
    assert slack.interaction(text_submission(HANDLER, "case_answer", case.id, "answer", text)).body == b""
    slack.idle()
    assert _count(runtime.engine, Delivery, Delivery.status != "sent") == 0
    with session_scope(runtime.engine) as session:
        assert session.get(FeedbackCase, case.id).answer == text


def test_a_forged_oversized_report_is_refused_per_field(slack, runtime):
    contact = "0" * (text_limits.CASE_CONTACT + 1)
    errors = _errors(slack.interaction(report_submission(REPORTER, description=FORGED, contact=contact)))
    assert errors == {
        "description": "Beskrivningen får vara högst 3\u00a0000 tecken.",
        "contact": "Kontaktuppgiften får vara högst 200 tecken.",
    }
    assert _count(runtime.engine, FeedbackCase) == 0


def test_a_forged_message_link_is_refused(slack, runtime):
    too_long = "https://fake.slack.com/" + "x" * text_limits.CASE_SOURCE_LINK  # fits private_metadata
    for link in (too_long, "javascript:alert(1)", "https://a.example/x <!channel>"):
        metadata = json.dumps({"source_link": link})
        errors = _errors(slack.interaction(report_submission(REPORTER, private_metadata=metadata)))
        assert "Länken till meddelandet" in errors["description"]
    # Not even a string: metadata we never wrote is a malformed request, refused before the service.
    metadata = json.dumps({"source_link": 42})
    errors = _errors(slack.interaction(report_submission(REPORTER, private_metadata=metadata)))
    assert "Samverkan kunde inte läsa din begäran" in " ".join(errors.values())
    assert _count(runtime.engine, FeedbackCase) == 0


def test_a_forged_oversized_follow_up_comment_is_refused(slack, fake_slack, runtime, clock):
    clock.set(local(2027, 5, 4, 10, 0))
    form = open_by_command(slack, fake_slack, IT_HEAD)
    answers = good_answers(runtime.config, "it")
    answers["nki"]["comment"] = FORGED
    answers["nki"]["actions"] = FORGED
    answer = submit(slack, IT_HEAD, form, answers)
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        "nki|comment": "Texten är för lång; högst 3\u00a0000 tecken.",
        "nki|actions": "Texten är för lång; högst 3\u00a0000 tecken.",
    }
    assert _count(runtime.engine, FollowupAnswer) == 0


def _max_lengths(view: dict) -> dict[str, int | None]:
    return {b["block_id"]: b["element"].get("max_length") for b in view["blocks"] if b["type"] == "input"}


def test_the_forms_max_length_is_the_services_limit(slack, fake_slack, runtime, clock):
    slack.command("/synpunkt", user_id=REPORTER)
    report = _max_lengths(_opened_view(slack, fake_slack))
    assert (report["description"], report["contact"]) == (text_limits.CASE_DESCRIPTION, text_limits.CASE_CONTACT)
    case = _case(slack, runtime.engine)
    for action_id, block_id, limit in (
        ("case_answer", "answer", text_limits.CASE_ANSWER),
        ("case_close", "resolution", text_limits.CASE_RESOLUTION),
    ):
        fake_slack.reset()
        slack.interaction(button_click(HANDLER, action_id, str(case.id), fake_slack.response_url))
        assert _opened_view(slack, fake_slack).get("callback_id") == action_id
        assert _max_lengths(_opened_view(slack, fake_slack))[block_id] == limit
    clock.set(local(2027, 5, 4, 10, 0))
    fields = _max_lengths(open_by_command(slack, fake_slack, IT_HEAD))
    assert {fields[f"nki|{field}"] for field in ("value", "comment", "actions")} == {text_limits.FOLLOWUP_TEXT}
