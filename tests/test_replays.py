"""A replayed or double-clicked request has one effect: byte-identical signed bodies sent twice, and at once,
through the real app over HTTP (issue 7: a replayed complaint registered a second case, a replayed answer sent
the reporter a second DM)."""

import json
import logging
import threading
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import func, select

from bot.demo.payloads import slash_command, view_submission
from bot.demo.slack_requests import Answer, SlackRequester
from storage.cases import CaseEvent, FeedbackCase
from storage.engine import session_scope
from storage.followup import FollowupDelegation, FollowupRevision
from storage.outbox import Delivery
from storage.requests import ProcessedRequest
from tests import cases_support as cs
from tests.conftest import local
from tests.test_followup_round import ECONOMY_HEAD, IT_HEAD, QUALITY, by_block, good_answers, open_by_command

HEAD, DEPUTY = "U0VMKF0010", "U0VMKF0011"  # the IT department's head and deputy, both case handlers
OPEN = local(2027, 5, 4, 10, 0)  # inside the first follow-up round


def _count(engine, table, *where) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(table).where(*where))


def _events(engine, kind: str) -> int:
    return _count(engine, CaseEvent, CaseEvent.kind == kind)


def _case_rows(engine) -> int:
    return _count(engine, Delivery, Delivery.source == "case")


def _dms_with(fake_slack, user_id: str, text: str) -> list[dict]:
    channel = fake_slack.dm_channel(user_id)
    return [m for m in fake_slack.posted() if m["channel"] == channel and text in m["text"]]


def _at_once(slack: SlackRequester, payload: dict, copies: int = 3) -> list[Answer]:
    """The same signed body posted by `copies` threads released together (a double-click racing)."""
    start, answers = threading.Barrier(copies), []

    def send() -> None:
        start.wait()
        answers.append(slack.interaction(payload))

    threads = [threading.Thread(target=send) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _register(slack, fake_slack, runtime) -> FeedbackCase:
    assert slack.interaction(cs.report_submission(cs.REPORTER)).json()["response_action"] == "update"
    slack.idle()
    assert _dms_with(fake_slack, cs.REPORTER, "VMKF 2027-0001")
    with session_scope(runtime.engine) as session:
        return session.scalars(select(FeedbackCase)).one()


def test_a_replayed_report_registers_one_case_and_sends_one_receipt(slack, fake_slack, runtime):
    payload = cs.report_submission(cs.REPORTER)
    first = slack.interaction(payload)
    assert first.json()["response_action"] == "update"
    slack.idle()
    assert _dms_with(fake_slack, cs.REPORTER, "VMKF 2027-0001")
    rows = _case_rows(runtime.engine)
    again = slack.interaction(payload)
    assert (again.status, again.body) == (200, b"")  # closes the form quietly
    assert _count(runtime.engine, FeedbackCase) == 1
    assert _case_rows(runtime.engine) == rows
    assert len(_dms_with(fake_slack, cs.REPORTER, "VMKF 2027-0001")) == 1
    assert not _dms_with(fake_slack, cs.REPORTER, "VMKF 2027-0002")


def test_a_replayed_report_from_the_message_shortcut_form_registers_one_case(slack, fake_slack, runtime):
    slack.interaction(cs.message_shortcut(cs.REPORTER, "Lönen kom inte."))
    slack.idle()
    shown = [c for c in fake_slack.calls_to("views.update") if "case_report" in str(c.params)]
    metadata = '{"source_link": "https://fake.slack.com/archives/C0ARBOGA01/p1790000000000200"}'
    payload = cs.report_submission(
        cs.REPORTER, subject="service:lon", description="Lönen kom inte.", private_metadata=metadata
    )
    assert shown
    assert slack.interaction(payload).json()["response_action"] == "update"
    assert slack.interaction(payload).body == b""
    with session_scope(runtime.engine) as session:
        (case,) = session.scalars(select(FeedbackCase)).all()
    assert case.source_link.endswith("p1790000000000200")


def test_copies_of_a_report_arriving_at_once_register_one_case(slack, fake_slack, runtime):
    answers = _at_once(slack, cs.report_submission(cs.REPORTER))
    assert sorted(a.status for a in answers) == [200, 200, 200]
    assert [a.json()["response_action"] for a in answers if a.body] == ["update"]
    assert _count(runtime.engine, FeedbackCase) == 1
    slack.idle()
    assert _dms_with(fake_slack, cs.REPORTER, "VMKF 2027-0001")
    assert _count(runtime.engine, Delivery, Delivery.source == "case", Delivery.occurrence_key == "receipt") == 1


def test_a_different_report_in_the_same_view_is_a_new_submission(slack, fake_slack, runtime):
    """A corrected form after a field error (the same view, other values) is not taken for a replay."""
    assert slack.interaction(cs.report_submission(cs.REPORTER, description=" ")).json()["response_action"] == "errors"
    assert slack.interaction(cs.report_submission(cs.REPORTER)).json()["response_action"] == "update"
    assert slack.interaction(cs.report_submission(cs.REPORTER, category="berom")).json()["response_action"] == "update"
    assert _count(runtime.engine, FeedbackCase) == 2


def test_a_replayed_answer_sends_the_reporter_one_dm(slack, fake_slack, runtime):
    case = _register(slack, fake_slack, runtime)
    reply = "Vi har bytt skrivarna."
    payload = cs.text_submission(DEPUTY, "case_answer", case.id, "answer", reply)
    assert slack.interaction(payload).status == 200
    slack.idle()
    assert _dms_with(fake_slack, cs.REPORTER, reply)
    again = slack.interaction(payload)
    assert (again.status, again.body) == (200, b"")
    assert _events(runtime.engine, "answered") == 1
    assert _count(runtime.engine, Delivery, Delivery.occurrence_key.startswith("answer:")) == 1
    assert len(_dms_with(fake_slack, cs.REPORTER, reply)) == 1


def test_copies_of_an_answer_arriving_at_once_send_one_dm(slack, fake_slack, runtime):
    case = _register(slack, fake_slack, runtime)
    reply = "Vi har bytt skrivarna."
    answers = _at_once(slack, cs.text_submission(DEPUTY, "case_answer", case.id, "answer", reply))
    assert [a.status for a in answers] == [200, 200, 200] and all(a.body == b"" for a in answers)
    assert _events(runtime.engine, "answered") == 1
    assert _count(runtime.engine, Delivery, Delivery.occurrence_key.startswith("answer:")) == 1
    slack.idle()
    assert _dms_with(fake_slack, cs.REPORTER, reply)
    assert len(_dms_with(fake_slack, cs.REPORTER, reply)) == 1


def test_replayed_assign_and_close_forms_have_one_effect(slack, fake_slack, runtime):
    case = _register(slack, fake_slack, runtime)
    assign = cs.select_submission(HEAD, "case_assign", case.id, "assignee", "it-stf")
    close = cs.text_submission(HEAD, "case_close", case.id, "resolution", "Skrivare utbytta.")
    for payload in (assign, assign, close, close):
        answer = slack.interaction(payload)
        assert (answer.status, answer.body) == (200, b"")  # the replayed close is not refused as "already closed"
    assert (_events(runtime.engine, "assigned"), _events(runtime.engine, "closed")) == (1, 1)


def _replayed_quietly(slack, caplog, times: int) -> bool:
    slack.idle()
    return caplog.text.count("was processed before; ignored") >= times


def test_replayed_buttons_act_once_and_say_nothing(slack, fake_slack, runtime, caplog):
    caplog.set_level(logging.INFO, logger="bot.replays")
    case = _register(slack, fake_slack, runtime)
    take = cs.button_click(HEAD, "case_take", str(case.id), fake_slack.response_url)
    confidential = cs.button_click(HEAD, "case_confidential", str(case.id), fake_slack.response_url)
    for number, payload in enumerate((take, confidential), start=1):
        slack.interaction(payload)
        slack.idle()
        assert _count(runtime.engine, CaseEvent) == 1 + number  # registered + this step
        slack.interaction(payload)
        assert _replayed_quietly(slack, caplog, number)
    slack.interaction(cs.text_submission(HEAD, "case_close", case.id, "resolution", "Klart."))
    reopen = cs.button_click(HEAD, "case_reopen", str(case.id), fake_slack.response_url)
    slack.interaction(reopen)
    slack.idle()
    assert _events(runtime.engine, "reopened") == 1
    slack.interaction(reopen)
    assert _replayed_quietly(slack, caplog, 3)
    kinds = ("taken", "confidential", "not_confidential", "reopened")
    assert [_events(runtime.engine, kind) for kind in kinds] == [1, 1, 0, 1]
    assert fake_slack.responses == []  # no "someone else took it" nor "the case is not closed"


def _confidential_button(fake_slack) -> dict:
    """The confidentiality button on the triage message as last posted or updated."""
    calls = fake_slack.calls_to("chat.postMessage") + fake_slack.calls_to("chat.update")
    triage = [c.params for c in calls if c.params.get("channel") == "C0VMKFITTR"][-1]
    blocks = triage["blocks"] if isinstance(triage["blocks"], list) else json.loads(triage["blocks"])
    return next(
        e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "case_confidential"
    )


def test_a_double_click_on_the_confidentiality_button_marks_once(slack, fake_slack, runtime):
    """Two clicks are two actions (each has its own action_ts), but the button says which way it sets the mark:
    a double-click on "Sekretess" cannot unmark the case and show its contents in the channel again."""
    case = _register(slack, fake_slack, runtime)
    slack.idle()
    button = _confidential_button(fake_slack)
    assert button["value"] == f"{case.id}:on"
    clicks = [cs.button_click(HEAD, "case_confidential", button["value"], fake_slack.response_url) for _ in range(2)]
    clicks[1]["actions"][0]["action_ts"] = "2"
    for click in clicks:
        slack.interaction(click)
    slack.idle()
    assert _events(runtime.engine, "confidential") == 1
    assert _confidential_button(fake_slack)["value"] == f"{case.id}:off"
    with session_scope(runtime.engine) as session:
        assert session.get(FeedbackCase, case.id).confidential
    assert _events(runtime.engine, "not_confidential") == 0
    unmark = cs.button_click(HEAD, "case_confidential", f"{case.id}:off", fake_slack.response_url)
    slack.interaction(unmark)
    slack.idle()
    assert _events(runtime.engine, "not_confidential") == 1


def test_a_double_click_on_take_takes_once_and_says_nothing(slack, fake_slack, runtime):
    case = _register(slack, fake_slack, runtime)
    clicks = [cs.button_click(HEAD, "case_take", str(case.id), fake_slack.response_url) for _ in range(2)]
    clicks[1]["actions"][0]["action_ts"] = "2"
    for click in clicks:
        slack.interaction(click)
    slack.idle()
    assert len(fake_slack.calls_to("chat.update")) >= 2  # each click refreshes the message
    assert _events(runtime.engine, "taken") == 1
    assert fake_slack.responses == []  # not "the case is already taken by you"


def test_copies_of_a_follow_up_form_arriving_at_once_are_stored_once(slack, fake_slack, runtime, clock):
    clock.set(OPEN)
    form = open_by_command(slack, fake_slack, IT_HEAD)
    payload = view_submission(IT_HEAD, form, by_block(good_answers(runtime.config, "it")), "VFORM1")
    answers = _at_once(slack, payload)
    assert [a.json()["response_action"] for a in answers] == ["update"] * 3
    assert _count(runtime.engine, FollowupRevision) == 7
    assert _count(runtime.engine, ProcessedRequest) == 1


def _command_body(text: str, user_id: str, response_url: str) -> bytes:
    """A /uppfoljning command with a fixed trigger_id, so that sending it twice is a replay."""
    return urlencode(slash_command("/uppfoljning", text, user_id, response_url, trigger_id="trigger-replayed")).encode()


def test_a_replayed_report_command_queues_one_report_and_replies_once(slack, fake_slack, runtime, clock, caplog):
    caplog.set_level(logging.INFO, logger="bot.replays")
    clock.set(OPEN)
    body = _command_body("rapport", QUALITY, fake_slack.response_url)
    assert slack.post(body, "application/x-www-form-urlencoded").status == 200
    slack.idle()
    assert fake_slack.responses
    queued = _count(runtime.engine, Delivery, Delivery.source == "followup")
    clock.set(OPEN + timedelta(seconds=20))  # the same signed request, 20 s later
    assert slack.post(body, "application/x-www-form-urlencoded").status == 200
    assert _replayed_quietly(slack, caplog, 1)
    delegate = _command_body(f"delegera <@{IT_HEAD}|it-chef>", ECONOMY_HEAD, fake_slack.response_url)
    slack.post(delegate, "application/x-www-form-urlencoded")
    slack.idle()
    assert len(fake_slack.responses) == 2
    slack.post(delegate, "application/x-www-form-urlencoded")
    assert _replayed_quietly(slack, caplog, 2)
    assert _count(
        runtime.engine, Delivery, Delivery.source == "followup", Delivery.occurrence_key.startswith("report:")
    ) == (queued)
    assert _count(runtime.engine, FollowupDelegation) == 1
    assert len(fake_slack.responses) == 2  # the replays got no second reply


def test_a_double_click_on_reopen_reopens_once_and_says_nothing(slack, fake_slack, runtime):
    """Two clicks are two requests (each its own action_ts): the second finds the case reopened by the same person."""
    case = _register(slack, fake_slack, runtime)
    slack.interaction(cs.button_click(HEAD, "case_take", str(case.id), fake_slack.response_url))
    slack.idle()
    assert _events(runtime.engine, "taken") == 1
    slack.interaction(cs.text_submission(HEAD, "case_close", case.id, "resolution", "Klart."))
    for action_ts in ("1800000100.000001", "1800000100.000002"):
        updates = len(fake_slack.calls_to("chat.update"))
        click = cs.button_click(HEAD, "case_reopen", str(case.id), fake_slack.response_url)
        click["actions"][0]["action_ts"] = action_ts
        slack.interaction(click)
        slack.idle()
        assert len(fake_slack.calls_to("chat.update")) > updates  # the click is done
    assert _events(runtime.engine, "reopened") == 1
    assert fake_slack.responses == []  # not "the case is not closed"


def _triage_shows(fake_slack, text: str) -> bool:
    """Whether the triage message, as last posted or updated, shows `text`."""
    calls = fake_slack.calls_to("chat.postMessage") + fake_slack.calls_to("chat.update")
    triage = [c.params for c in calls if c.params.get("channel") == "C0VMKFITTR"][-1]
    blocks = triage["blocks"] if isinstance(triage["blocks"], list) else json.loads(triage["blocks"])
    return any(text in json.dumps(block, ensure_ascii=False) for block in blocks)


def test_a_replayed_click_after_a_refresh_that_never_ran_brings_the_triage_message_up_to_date(
    slack, fake_slack, runtime, monkeypatch
):
    case = _register(slack, fake_slack, runtime)
    slack.idle()
    take = cs.button_click(HEAD, "case_take", str(case.id), fake_slack.response_url)
    monkeypatch.setattr("handlers.slack.case_triage.refresh_triage", lambda *arguments: None)  # died before it
    slack.interaction(take)
    slack.idle()
    assert _events(runtime.engine, "taken") == 1 and not _triage_shows(fake_slack, "Status: Tagen")
    monkeypatch.undo()
    slack.interaction(take)  # Slack retries the same click
    slack.idle()
    assert _events(runtime.engine, "taken") == 1 and _triage_shows(fake_slack, "Status: Tagen")
    assert fake_slack.responses == []
