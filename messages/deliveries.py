"""What an outgoing message was and why it could not be delivered, in Swedish.

One description per kind of message (`describe`, from templates/delivery_description.j2) and one table of
Slack's error codes (`explain_error`, its texts in labels.toml), used by the failure reports and by
`/kommunikationsplan status` alike.
No raw Slack id or error code reaches a user: places are named by the caller (`Place`), and an unknown error
code gets a general sentence instead of itself.
"""

from dataclasses import dataclass
from enum import StrEnum

from messages.labels import label_tables, labels
from messages.mrkdwn import Mrkdwn
from messages.render import render


class DeliveryKind(StrEnum):
    PLAN = "plan"
    FOLLOWUP_INVITATION = "followup_invitation"
    FOLLOWUP_REMINDER = "followup_reminder"
    FOLLOWUP_FINAL_REMINDER = "followup_final_reminder"
    FOLLOWUP_HANDOVER = "followup_handover"
    FOLLOWUP_ESCALATION = "followup_escalation"
    FOLLOWUP_SUMMARY = "followup_summary"
    FOLLOWUP_BOARD_DIGEST = "followup_board_digest"
    CASE_TRIAGE = "case_triage"
    CASE_RECEIPT = "case_receipt"
    CASE_REMINDER = "case_reminder"
    CASE_ESCALATION = "case_escalation"
    CASE_ANSWER = "case_answer"
    CASE_DIGEST = "case_digest"
    FAILURE_REPORT = "failure_report"
    MISSED_REPORT = "missed_report"
    TEMPLATE_REPORT = "template_report"
    ATTACHMENT_REPORT = "attachment_report"
    UNQUEUED_REPORT = "unqueued_report"
    FALLBACK_REPORT = "fallback_report"
    BOARD_PROTOCOL_REQUEST = "board_protocol_request"
    BOARD_DIGEST = "board_digest"
    BOARD_TASK_ASSIGNED = "board_task_assigned"
    ACKNOWLEDGEMENT_REMINDER = "acknowledgement_reminder"
    ACKNOWLEDGEMENT_ESCALATION = "acknowledgement_escalation"
    UNKNOWN = "unknown"
    BOARD_TASK_REMINDER = "board_task_reminder"
    BOARD_TASK_OVERDUE = "board_task_overdue"
    BOARD_TASK_REPORTED = "board_task_reported"
    BOARD_EXPORT = "board_export"

    BOARD_MATTERS_DUE = "board_matters_due"
    BOARD_CHAIR_PREPARATION = "board_chair_preparation"
    BOARD_PRESIDIUM_PREPARATION = "board_presidium_preparation"
    BOARD_AGENDA = "board_agenda"

    SURVEY_INVITATION = "survey_invitation"
    SURVEY_REMINDER = "survey_reminder"
    SURVEY_RESULTS = "survey_results"
    SURVEY_EXPORT = "survey_export"


class PlaceKind(StrEnum):
    PERSON = "person"
    REPORTER = "reporter"  # whoever reported a case: never named
    CHANNEL = "channel"  # a channel the configuration names (`name` is whose channel it is)
    TRIAGE_CHANNEL = "triage_channel"  # a department's triage channel (`name` is the department)
    NAMED_CHANNEL = "named_channel"  # a channel the configuration gives as '#name'
    SLACK_CHANNEL = "slack_channel"  # a channel id only Slack can name: shown as a mention, which Slack renders
    UNKNOWN = "unknown"
    SURVEY_INVITATION = "survey_invitation"
    SURVEY_REMINDER = "survey_reminder"
    SURVEY_RESULTS = "survey_results"
    SURVEY_EXPORT = "survey_export"


@dataclass(frozen=True)
class Place:
    """Where a message went: a person, the reporter or a channel, with a readable name."""

    kind: PlaceKind
    name: str = ""
    acting_for: str = ""  # the department a person answers a follow-up for


@dataclass(frozen=True)
class DeliveryWhat:
    """The neutral facts behind a description: what kind of message, about what, to where."""

    kind: DeliveryKind
    subject: str
    place: Place


_CHANNELS = (PlaceKind.CHANNEL, PlaceKind.TRIAGE_CHANNEL, PlaceKind.NAMED_CHANNEL, PlaceKind.SLACK_CHANNEL)


def describe(what: DeliveryWhat) -> Mrkdwn:
    """'Påminnelsen om Tertialuppföljning 1 2027 till IT-chefen, som svarar för IT-avdelningen'."""
    in_channel = what.place.kind in _CHANNELS
    return Mrkdwn(
        render("delivery_description", kind=what.kind, subject=what.subject, place=what.place, in_channel=in_channel)
    )


@dataclass(frozen=True)
class Explanation:
    """Why a message did not arrive, and what to do about it."""

    cause: str
    action: str


def _explanation(table: dict[str, str]) -> Explanation:
    return Explanation(table["cause"], table["action"])


# Codes that mean the same as one the table in labels.toml lists, and share its text.
_SAME_AS = {
    "channel_is_archived": "is_archived",
    "users_not_found": "user_not_found",
    "not_authed": "invalid_auth",
    "token_revoked": "invalid_auth",
    "connection_error": "too_many_attempts",
    "internal_error": "server_error",
    "fatal_error": "server_error",
    "service_unavailable": "server_error",
    "request_timeout": "server_error",
    "edit_window_closed": "cant_update_message",
}
_LISTED = {code: _explanation(table) for code, table in label_tables("deliveries.errors").items()}
# Every error code the sender records (Slack's own, and the sender's: too_many_attempts, connection_error, ...).
ERRORS: dict[str, Explanation] = _LISTED | {code: _LISTED[listed] for code, listed in _SAME_AS.items()}
UNKNOWN_ERROR = _explanation(labels("deliveries.unknown_error"))


def _error_code(stored: str | None) -> str:
    """The table's key for an error as the outbox stores it ('template: …', 'http_503', 'not_in_channel')."""
    code = (stored or "").strip()
    if code.startswith("template:"):
        return "template"
    if code.startswith("http_5"):
        return "server_error"
    return code


def explain_error(stored: str | None) -> Explanation:
    """The Swedish cause and remedy for a stored error; a general sentence for a code we do not know."""
    return ERRORS.get(_error_code(stored), UNKNOWN_ERROR)
