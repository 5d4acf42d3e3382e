"""Helpers shared by the case tests: a report, registering it as the chat edge does, a dump of every table, and
the payloads of the case forms."""

from datetime import datetime

from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from bot.cases import registration
from bot.cases.registration import Report
from bot.config.model import AssociationConfig
from bot.demo import payloads
from bot.demo.payloads import Answers, block_action, form_view, view_submission
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


# The report form's inputs and their element types, for submissions made without opening the form first.
REPORT_FORM = {
    "category": "static_select",
    "subject": "static_select",
    "member": "static_select",
    "description": "plain_text_input",
    "contact": "plain_text_input",
    "anonymous": "checkboxes",
    "sensitive": "checkboxes",
}
TRIAGE_CHANNEL, TRIAGE_TS = "C0VMKFITTR", "1800000001.000100"


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
    answers: Answers = {
        "category": category,
        "subject": subject,
        "member": member,
        "description": description,
        "contact": contact,
        "anonymous": ["anonymous"] if anonymous else [],
        "sensitive": ["sensitive"] if sensitive else [],
    }
    return view_submission(user_id, form_view("case_report", private_metadata, REPORT_FORM), answers)


def text_submission(user_id: str, callback_id: str, case_id: int, block_id: str, text: str) -> dict:
    view = form_view(callback_id, f'{{"case_id": {case_id}}}', {block_id: "plain_text_input"})
    return view_submission(user_id, view, {block_id: text})


def select_submission(user_id: str, callback_id: str, case_id: int, block_id: str, value: str) -> dict:
    view = form_view(callback_id, f'{{"case_id": {case_id}}}', {block_id: "static_select"})
    return view_submission(user_id, view, {block_id: value})


def button_click(user_id: str, action_id: str, value: str, response_url: str) -> dict:
    """A block_actions payload for a button on a triage message."""
    return block_action(user_id, action_id, value, response_url, TRIAGE_CHANNEL, TRIAGE_TS, block_id=f"case:{value}")


def message_shortcut(user_id: str, text: str, channel: str = "C0ARBOGA01", ts: str = "1790000000.000200") -> dict:
    """The "register as feedback" shortcut on a message of another member of the workspace."""
    message = {"type": "message", "user": "U0VMKF0023", "text": text, "ts": ts}
    return payloads.message_shortcut(user_id, "register_feedback", message, channel, "http://127.0.0.1:9/response")


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
