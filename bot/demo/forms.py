"""Filling in a modal as a user would, and the payloads Slack sends for it (view_submission, block_actions)."""

import time
from typing import Any

Answers = dict[str, str | list[str] | None]


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
            state: dict[str, Any] = {"type": "static_select", "selected_option": {"value": chosen} if chosen else None}
        elif element["type"] == "checkboxes":
            chosen_list = given if isinstance(given, list) else []
            state = {"type": "checkboxes", "selected_options": [{"value": value} for value in chosen_list]}
        else:
            typed = given if block_id in answers else element.get("initial_value")
            state = {"type": "plain_text_input", "value": typed}
        values[block_id] = {element["action_id"]: state}
    return values


def submission(user_id: str, view: dict[str, Any], answers: Answers, view_id: str) -> dict[str, Any]:
    """A view_submission payload of `view` filled in with `answers`."""
    return {
        "type": "view_submission",
        "api_app_id": "AFAKE",
        "team": {"id": "TFAKE", "domain": "fake"},
        "user": {"id": user_id, "team_id": "TFAKE"},
        "trigger_id": f"trigger-{time.monotonic_ns()}",
        "view": {**view, "id": view_id, "hash": "h1", "state": {"values": state_values(view, answers)}},
    }


def button_click(user_id: str, message: dict[str, Any], action_id: str, response_url: str) -> dict[str, Any]:
    """A block_actions payload: `user_id` clicks the button `action_id` on a posted message."""
    block, button = next(
        (block, element)
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("action_id") == action_id
    )
    return {
        "type": "block_actions",
        "api_app_id": "AFAKE",
        "team": {"id": "TFAKE", "domain": "fake"},
        "user": {"id": user_id, "team_id": "TFAKE"},
        "channel": {"id": message["channel"]},
        "container": {"type": "message", "channel_id": message["channel"], "message_ts": message["ts"]},
        "message": {"ts": message["ts"], "text": message.get("text", ""), "blocks": message.get("blocks")},
        "trigger_id": f"trigger-{time.monotonic_ns()}",
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block.get("block_id", ""),
                "value": button.get("value", ""),
                "action_ts": "1",
            }
        ],
    }


def labels(view: dict[str, Any]) -> dict[str, str]:
    """Each input's label by block id, to tell which field an error belongs to."""
    return {b["block_id"]: b["label"]["text"] for b in view.get("blocks", []) if b.get("type") == "input"}
