"""Every form Slack opens in a modal, opened the one way (handlers/slack/modals.py): when Slack refuses to open the
modal (the trigger's seconds ran out), the user is told in Swedish; when it refuses the form, the loading notice is
replaced by that text and the user is told too: no modal is left loading."""

import json

import pytest

from bot.demo.payloads import block_action, message_shortcut
from tests.command_support import later_reply
from tests.conftest import local

SECRETARY, IT_HEAD, DIRECTOR = "U0VMKF0003", "U0VMKF0010", "U0VMKF0001"
TRIAGE, TS = "C0VMKFITTR", "1790000000.000100"

BUTTONS = {
    "a decision's form": (SECRETARY, "board_decision_new", json.dumps({"meeting": "direktion-2027-02"})),
    "a task's report form": (IT_HEAD, "board_task_report:1", json.dumps({"decision": 1})),
    "a case's triage form": (IT_HEAD, "case_assign", "1"),
    "the survey form": (IT_HEAD, "survey_open_form", json.dumps({"survey": "bas", "round": "2027-03"})),
    "the follow-up form": (IT_HEAD, "followup_open_form", json.dumps({"round": "t1-2027", "department": "it"})),
}


def _view_text(call) -> str:
    view = call.params["view"]
    return json.dumps(view if isinstance(view, dict) else json.loads(view), ensure_ascii=False)


def _click_refused(button: str, method: str, error: str, slack, fake_slack, clock) -> dict:
    """Click the button while Slack refuses `method`; what the user was told."""
    clock.set(local(2027, 3, 1, 9, 0))
    user, action_id, value = BUTTONS[button]
    fake_slack.fail_next(method, status=200, error=error)
    click = block_action(user, action_id, value, fake_slack.response_url, TRIAGE, TS, block_id="b")
    assert slack.interaction(click).status == 200
    return later_reply(slack, fake_slack, 0)


@pytest.mark.parametrize("button", sorted(BUTTONS))
def test_a_button_whose_modal_slack_refuses_to_open_is_told(button, slack, fake_slack, clock):
    told = _click_refused(button, "views.open", "expired_trigger_id", slack, fake_slack, clock)
    assert "hann inte öppnas" in told["text"] and told["response_type"] == "ephemeral"
    assert fake_slack.calls_to("views.update") == []


@pytest.mark.parametrize("button", sorted(BUTTONS))
def test_a_button_whose_form_slack_refuses_leaves_no_modal_loading(button, slack, fake_slack, clock):
    told = _click_refused(button, "views.update", "invalid_arguments", slack, fake_slack, clock)
    assert "kunde inte visas" in told["text"]
    refused, notice = fake_slack.calls_to("views.update")
    assert "kunde inte visas" in _view_text(notice) and notice.params["view_id"] == refused.params["view_id"]


def test_the_report_command_and_the_message_shortcut_tell_when_slack_refuses(slack, fake_slack):
    fake_slack.fail_next("views.open", status=200, error="expired_trigger_id")
    assert slack.command("/synpunkt", user_id=IT_HEAD).status == 200
    assert "hann inte öppnas" in later_reply(slack, fake_slack, 0)["text"]

    message = {"type": "message", "user": DIRECTOR, "text": "Skrivarna fungerar inte.", "ts": TS}
    shortcut = message_shortcut(IT_HEAD, "register_feedback", message, "C0ARBOGA01", fake_slack.response_url)
    fake_slack.fail_next("views.update", status=200, error="invalid_arguments")
    assert slack.interaction(shortcut).status == 200
    assert "kunde inte visas" in later_reply(slack, fake_slack, 1)["text"]
    assert "kunde inte visas" in _view_text(fake_slack.calls_to("views.update")[-1])
