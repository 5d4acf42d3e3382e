"""Helpers shared by the case tests: a report, a dump of every table, and waiting for a background send."""

import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from bot.cases import registration
from bot.cases.registration import Report
from bot.config.model import AssociationConfig
from storage.cases import FeedbackCase, retrying_locks

REPORTER = "U0VMKF0020"  # the municipal chief of Arboga, a configured person


def a_report(**changes) -> Report:
    values = {
        "category": "klagomal",
        "department_id": None,
        "service_id": "it-drift",
        "member_id": "arboga",
        "description": "Skrivarna i stadshuset har inte fungerat på en vecka.",
        "contact": None,
        "anonymous": False,
        "reporter_user_id": REPORTER,
        "source_link": None,
    }
    values.update(changes)
    return Report(**values)


def dump_tables(engine: Engine) -> str:
    """Every row of every table, as text."""
    lines = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(select(table)):
                lines.append(f"{table.name}: {tuple(row)}")
    return "\n".join(lines)


def wait_for(condition: Callable[[], object], timeout: float = 5.0) -> object:
    """Poll until `condition()` is truthy (work the app does after acknowledging a request)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def report_submission(
    user_id: str,
    category: str | None = "klagomal",
    subject: str | None = "service:it-drift",
    member: str | None = "arboga",
    description: str = "Skrivarna i stadshuset har inte fungerat på en vecka.",
    contact: str | None = None,
    anonymous: bool = False,
    sensitive: bool = False,
    private_metadata: str = '{"source_link": null}',
) -> dict:
    """A view_submission payload of the reporting form, as Slack sends it."""

    def selected(value: str | None) -> dict:
        option = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
        return {"value": {"type": "static_select", "selected_option": option}}

    sensitive_options = [{"value": "sensitive", "text": {"type": "plain_text", "text": "känslig"}}] if sensitive else []
    anonymous_options = [{"value": "anonymous", "text": {"type": "plain_text", "text": "anonym"}}] if anonymous else []
    values = {
        "category": selected(category),
        "subject": selected(subject),
        "member": selected(member),
        "description": {"value": {"type": "plain_text_input", "value": description}},
        "contact": {"value": {"type": "plain_text_input", "value": contact}},
        "anonymous": {"value": {"type": "checkboxes", "selected_options": anonymous_options}},
        "sensitive": {"value": {"type": "checkboxes", "selected_options": sensitive_options}},
    }
    return view_submission(user_id, "case_report", values, private_metadata)


def view_submission(user_id: str, callback_id: str, values: dict, private_metadata: str) -> dict:
    return {
        "type": "view_submission",
        "token": "legacy",
        "api_app_id": "AFAKE",
        "team": {"id": "TFAKE", "domain": "fake"},
        "user": {"id": user_id, "team_id": "TFAKE"},
        "trigger_id": f"trigger-{time.monotonic_ns()}",
        "view": {
            "id": "VFAKE",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
        },
    }


def text_submission(user_id: str, callback_id: str, case_id: int, block_id: str, text: str) -> dict:
    values = {block_id: {"value": {"type": "plain_text_input", "value": text}}}
    return view_submission(user_id, callback_id, values, f'{{"case_id": {case_id}}}')


def select_submission(user_id: str, callback_id: str, case_id: int, block_id: str, value: str) -> dict:
    option = {"text": {"type": "plain_text", "text": value}, "value": value}
    values = {block_id: {"value": {"type": "static_select", "selected_option": option}}}
    return view_submission(user_id, callback_id, values, f'{{"case_id": {case_id}}}')


def button_click(user_id: str, action_id: str, value: str, response_url: str) -> dict:
    """A block_actions payload for a button on a triage message."""
    return {
        "type": "block_actions",
        "token": "legacy",
        "api_app_id": "AFAKE",
        "team": {"id": "TFAKE", "domain": "fake"},
        "user": {"id": user_id, "team_id": "TFAKE"},
        "channel": {"id": "C0VMKFITTR", "name": "it-synpunkter"},
        "container": {"type": "message", "channel_id": "C0VMKFITTR", "message_ts": "1800000001.000100"},
        "trigger_id": f"trigger-{time.monotonic_ns()}",
        "response_url": response_url,
        "actions": [
            {"type": "button", "action_id": action_id, "block_id": f"case:{value}", "value": value, "action_ts": "1"}
        ],
    }


def message_shortcut(user_id: str, text: str, channel: str = "C0ARBOGA01", ts: str = "1790000000.000200") -> dict:
    return {
        "type": "message_action",
        "token": "legacy",
        "api_app_id": "AFAKE",
        "callback_id": "register_feedback",
        "team": {"id": "TFAKE", "domain": "fake"},
        "user": {"id": user_id, "team_id": "TFAKE"},
        "channel": {"id": channel, "name": "arboga"},
        "message": {"type": "message", "user": "U0VMKF0023", "text": text, "ts": ts},
        "message_ts": ts,
        "trigger_id": f"trigger-{time.monotonic_ns()}",
        "response_url": "http://127.0.0.1:9/response",
    }


def register(
    engine: Engine, config: AssociationConfig, report: Report, now: datetime, request_key: str | None = None
) -> FeedbackCase:
    """Register a report as the chat edge does: in its own transaction, retried while SQLite is locked."""
    return retrying_locks(
        engine,
        lambda session: registration.register(
            session=session, config=config, report=report, now=now, request_key=request_key
        ),
    )
