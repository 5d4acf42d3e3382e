"""The payloads Slack sends the app, built one way for the tests, `samverkan demo` and the benchmarks.

A form is filled in as a user fills it: take the view the app showed (the fake Slack records it:
`FakeSlack.views_shown()`), give answers by block id, and `view_submission` sends that view back with its state,
each answer in the shape Slack gives its element (a chosen option as the option the view offered). A button is
clicked on the message the app posted (`button_click`). Where a test submits a form without opening it first,
`form_view` stands for the view: the callback id, the private metadata and each input's element type.
SlackRequester (slack_requests.py) signs and posts what these build.
"""

import time
from typing import Any

TEAM_ID = "TFAKE"
APP_ID = "AFAKE"
Answer = str | list[str] | None
Answers = dict[str, Answer]  # by block id: typed text, a chosen option's value, or the checked values


def trigger_id() -> str:
    """A fresh trigger_id, as Slack gives each interaction and command."""
    return f"trigger-{time.monotonic_ns()}"


def _interaction(kind: str, user_id: str, **fields: Any) -> dict[str, Any]:
    """What every interaction payload carries: its type, the app, the team, the user and a trigger_id."""
    return {
        "type": kind,
        "token": "legacy",
        "api_app_id": APP_ID,
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user_id, "team_id": TEAM_ID},
        "trigger_id": trigger_id(),
        **fields,
    }


def slash_command(command: str, text: str, user_id: str, response_url: str, **extra: str) -> dict[str, str]:
    """The form fields of a slash command (Slack posts them form-encoded)."""
    return {
        "token": "legacy",
        "team_id": TEAM_ID,
        "team_domain": "fake",
        "channel_id": "C0GENERAL1",
        "channel_name": "general",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "response_url": response_url,
        "trigger_id": trigger_id(),
        **extra,
    }


def event_callback(event: dict[str, Any], event_id: str, event_time: int) -> dict[str, Any]:
    """The Events API envelope around `event`."""
    return {
        "token": "legacy",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "event": event,
    }


# forms ---------------------------------------------------------------------------------------------------
def form_view(callback_id: str, private_metadata: str, inputs: dict[str, str]) -> dict[str, Any]:
    """A modal with one input per block id, of the element type given, standing for the form the app shows."""
    blocks = [
        {"type": "input", "block_id": block_id, "element": {"type": kind, "action_id": "value"}}
        for block_id, kind in inputs.items()
    ]
    return {"type": "modal", "callback_id": callback_id, "private_metadata": private_metadata, "blocks": blocks}


def state_values(view: dict[str, Any], answers: Answers) -> dict[str, dict[str, Any]]:
    """The view state Slack sends: each input as given in `answers` (by block id), else as pre-filled."""
    values: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        given = answers.get(block_id)
        if element["type"] == "static_select":
            chosen = given if block_id in answers else (element.get("initial_option") or {}).get("value")
            option = _option(element, str(chosen)) if chosen else None
            state: dict[str, Any] = {"type": "static_select", "selected_option": option}
        elif element["type"] == "multi_static_select":
            initial = [option["value"] for option in element.get("initial_options") or []]
            chosen_all = given if block_id in answers and isinstance(given, list) else initial
            state = {"type": "multi_static_select", "selected_options": [_option(element, v) for v in chosen_all]}
        elif element["type"] == "checkboxes":
            checked = given if isinstance(given, list) else []
            state = {"type": "checkboxes", "selected_options": [_option(element, value) for value in checked]}
        else:
            typed = given if block_id in answers else element.get("initial_value")
            state = {"type": "plain_text_input", "value": typed}
        values[block_id] = {element["action_id"]: state}
    return values


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    """The option of `element` with `value`, as Slack sends a chosen one (made up if the view has none such)."""
    offered = element.get("options") or [o for group in element.get("option_groups") or [] for o in group["options"]]
    made_up = {"text": {"type": "plain_text", "text": value}, "value": value}
    return next((option for option in offered if option.get("value") == value), made_up)


def view_submission(user_id: str, view: dict[str, Any], answers: Answers, view_id: str = "VFAKE") -> dict[str, Any]:
    """A view_submission of `view` filled in with `answers` (by block id); the rest as the view pre-fills it."""
    submitted = {**view, "id": view_id, "hash": "h1", "state": {"values": state_values(view, answers)}}
    return _interaction("view_submission", user_id, view=submitted)


def labels(view: dict[str, Any]) -> dict[str, str]:
    """Each input's label by block id, to tell which field an error belongs to."""
    return {b["block_id"]: b["label"]["text"] for b in view.get("blocks", []) if b.get("type") == "input"}


# buttons and shortcuts -----------------------------------------------------------------------------------
def button_click(user_id: str, message: dict[str, Any], action_id: str, response_url: str) -> dict[str, Any]:
    """`user_id` clicks the button `action_id` on a message the app posted (as the fake Slack keeps it)."""
    block, button = next(
        (block, element)
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("action_id") == action_id
    )
    return block_action(
        user_id,
        action_id,
        button.get("value", ""),
        response_url,
        channel=message["channel"],
        message_ts=message["ts"],
        block_id=block.get("block_id", ""),
        message={"ts": message["ts"], "text": message.get("text", ""), "blocks": message.get("blocks")},
    )


def block_action(
    user_id: str,
    action_id: str,
    value: str,
    response_url: str,
    channel: str,
    message_ts: str,
    block_id: str = "",
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A block_actions payload of a button on the message at `channel`/`message_ts`."""
    action = {"type": "button", "action_id": action_id, "block_id": block_id, "value": value, "action_ts": "1"}
    return _interaction(
        "block_actions",
        user_id,
        channel={"id": channel},
        container={"type": "message", "channel_id": channel, "message_ts": message_ts},
        **({"message": message} if message is not None else {}),
        response_url=response_url,
        actions=[action],
    )


def message_shortcut(
    user_id: str, callback_id: str, message: dict[str, Any], channel: str, response_url: str
) -> dict[str, Any]:
    """A message shortcut `callback_id` used on `message` (with its `ts`) in `channel`."""
    return _interaction(
        "message_action",
        user_id,
        callback_id=callback_id,
        channel={"id": channel},
        message=message,
        message_ts=message["ts"],
        response_url=response_url,
    )
