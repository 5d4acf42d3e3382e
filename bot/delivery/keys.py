"""Outbox keys, built in one place: which feature a row belongs to, its item and occurrence, and what kind of
message it carries. The kind (and, for a follow-up ask, the department it is about) is stored in the row beside
the key, so nothing parses a key string back; the strings keep the formats earlier versions wrote, so a row
queued before an upgrade is recognised after it.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.acknowledgements.subjects import MEMBER, parse_audience
from messages.deliveries import DeliveryKind as Kind
from storage.cases import CASE_SOURCE
from storage.outbox import Delivery


class Source(StrEnum):
    """The producer of a row: a feature, or the reports about rows that could not be delivered."""

    PLAN = "plan"
    FOLLOWUP = "followup"
    CASE = CASE_SOURCE
    CASE_DIGEST = "case-digest"
    MISSED_REPORT = "missed-report"
    FAILURE_REPORT = "failure-report"
    FALLBACK_REPORT = "fallback-report"
    BOARD_DECISIONS = "board-decisions"  # after a board meeting: the secretary's request, the digests, task DMs
    BOARD_TASK = "board-task"
    BOARD_EXPORT = "board-export"

    BOARD_PREPARATION = "board-preparation"

    SURVEY = "survey"
    BOARD_DIGEST = "board-digest"
    ACKNOWLEDGEMENT = "acknowledgement"


class Ask(StrEnum):
    """How a follow-up round asks a department for its answers."""

    OPEN = "open"
    REMINDER = "reminder"
    FINAL = "final"
    DELEGATED = "delegated"


ASK_KINDS = {
    Ask.OPEN: Kind.FOLLOWUP_INVITATION,
    Ask.REMINDER: Kind.FOLLOWUP_REMINDER,
    Ask.FINAL: Kind.FOLLOWUP_FINAL_REMINDER,
    Ask.DELEGATED: Kind.FOLLOWUP_HANDOVER,
}
ROUND_CLOSING = "summary"  # the occurrence of a round's summary and board digest when it closes


@dataclass(frozen=True)
class OutboxKey:
    source: Source
    item_id: str
    occurrence: str
    kind: Kind
    about: str | None = None  # the department a follow-up ask is for

    def columns(self) -> dict[str, str | None]:
        """The row's key columns, and its kind and subject."""
        return {
            "source": self.source,
            "item_id": self.item_id,
            "occurrence_key": self.occurrence,
            "kind": self.kind,
            "about": self.about,
        }


def plan_occurrence(item_id: str, occurrence_key: str) -> OutboxKey:
    return OutboxKey(Source.PLAN, item_id, occurrence_key, Kind.PLAN)


def followup_ask(round_id: str, ask: Ask, department_id: str, step: str = "") -> OutboxKey:
    """An invitation, a reminder (`step`: days before closing), the final reminder, or a hand-over (`step`: to
    whom, and when)."""
    occurrence = {
        Ask.OPEN: f"open:{department_id}",
        Ask.REMINDER: f"reminder:{step}:{department_id}",
        Ask.FINAL: f"final-reminder:{department_id}",
        Ask.DELEGATED: f"delegated:{department_id}:{step}",
    }[ask]
    return OutboxKey(Source.FOLLOWUP, round_id, occurrence, ASK_KINDS[ask], department_id)


def followup_escalation(round_id: str) -> OutboxKey:
    return OutboxKey(Source.FOLLOWUP, round_id, "escalation", Kind.FOLLOWUP_ESCALATION)


def _summary(round_id: str, occurrence: str, to_board: bool) -> OutboxKey:
    kind = Kind.FOLLOWUP_BOARD_DIGEST if to_board else Kind.FOLLOWUP_SUMMARY
    return OutboxKey(Source.FOLLOWUP, round_id, occurrence, kind)


def followup_summary(round_id: str, to_board: bool) -> OutboxKey:
    """The summary (to the quality manager) or the board digest when the round closes."""
    return _summary(round_id, ROUND_CLOSING, to_board)


def followup_report(round_id: str, at: datetime, to_board: bool) -> OutboxKey:
    """The summary or the board digest compiled on request at `at`."""
    return _summary(round_id, f"report:{at.isoformat()}", to_board)


def case_receipt(case_id: int) -> OutboxKey:
    return OutboxKey(Source.CASE, str(case_id), "receipt", Kind.CASE_RECEIPT)


def case_triage(case_id: int) -> OutboxKey:
    """The post of the case to its department's triage channel."""
    return OutboxKey(Source.CASE, str(case_id), "triage", Kind.CASE_TRIAGE)


def case_answer(case_id: int, event_key: str) -> OutboxKey:
    """The answer to the reporter, one per answer event."""
    return OutboxKey(Source.CASE, str(case_id), f"answer:{event_key}", Kind.CASE_ANSWER)


CASE_REPLY_KINDS = (Kind.CASE_RECEIPT, Kind.CASE_TRIAGE, Kind.CASE_ANSWER)  # what a request sends at once


def case_notice(case_id: int, escalation: bool, stage: str, deadline: date) -> OutboxKey:
    """A reminder before (to the assignee), or an escalation after (to the quality manager), one of a case's
    deadlines (`stage`: "take" or "answer")."""
    notice, kind = ("escalation", Kind.CASE_ESCALATION) if escalation else ("reminder", Kind.CASE_REMINDER)
    return OutboxKey(Source.CASE, str(case_id), f"{notice}-{stage}:{deadline.isoformat()}", kind)


def case_update(case_id: int, version: int, refresh: str) -> OutboxKey:
    """An update of the case's triage message: the case's version and the refresh that queued it."""
    return OutboxKey(Source.CASE, str(case_id), f"update:{version}:{refresh}", Kind.CASE_TRIAGE)


def case_digest(day: date) -> OutboxKey:
    return OutboxKey(Source.CASE_DIGEST, "digest", day.isoformat(), Kind.CASE_DIGEST)


def missed_report(item_id: str, first: str, last: str) -> OutboxKey:
    return OutboxKey(Source.MISSED_REPORT, item_id, f"missed:{first}..{last}", Kind.MISSED_REPORT)


def template_report(item_id: str, occurrence_key: str) -> OutboxKey:
    return OutboxKey(Source.FAILURE_REPORT, item_id, f"template:{occurrence_key}", Kind.TEMPLATE_REPORT)


def unqueued_report(item_id: str, occurrence_key: str) -> OutboxKey:
    return OutboxKey(Source.FAILURE_REPORT, item_id, f"unqueued:{occurrence_key}", Kind.UNQUEUED_REPORT)


def failure_report(row: Delivery) -> OutboxKey:
    """One report per message and recipient, however many parts it was split into."""
    occurrence = f"{row.source}:{row.occurrence_key}:{row.recipient}"
    return OutboxKey(Source.FAILURE_REPORT, row.item_id, occurrence, Kind.FAILURE_REPORT)


def attachment_report(row: Delivery) -> OutboxKey:
    occurrence = f"attachments:{row.source}:{row.occurrence_key}:{row.recipient}"
    return OutboxKey(Source.FAILURE_REPORT, row.item_id, occurrence, Kind.ATTACHMENT_REPORT)


def fallback_report(report: Delivery) -> OutboxKey:
    """One per report and addressee, however many of its parts failed."""
    occurrence = f"fallback:{report.occurrence_key}:{report.recipient}"
    return OutboxKey(Source.FALLBACK_REPORT, report.item_id, occurrence, Kind.FALLBACK_REPORT)


# The audiences of a board meeting's digests besides the member municipalities (bot/acknowledgements/subjects.py
# names those: member_audience).
BOARD_LEADERSHIP, BOARD_STAFF, BOARD_PUBLIC = "leadership", "staff", "public"


PROTOCOL_REQUEST = "secretary"  # the secretary's request's occurrence; before it carried the meeting's date, all of it


def board_protocol_request(meeting_id: str, meeting_date: date) -> OutboxKey:
    """The DM asking the board's secretary to record the decisions of the meeting held on `meeting_date`: the
    meeting moved is another occurrence."""
    occurrence = f"{PROTOCOL_REQUEST}:{meeting_date.isoformat()}"
    return OutboxKey(Source.BOARD_DECISIONS, meeting_id, occurrence, Kind.BOARD_PROTOCOL_REQUEST)


def board_task_assigned(meeting_id: str, decision_id: int) -> OutboxKey:
    """The DM telling a decision's owner that carrying it out is theirs."""
    return OutboxKey(Source.BOARD_DECISIONS, meeting_id, f"task:{decision_id}", Kind.BOARD_TASK_ASSIGNED)


def board_task_reminder(decision_id: int, due: date) -> OutboxKey:
    """The reminder to a decision task's owner before `due`: one per due date, so a delay gets its own."""
    return OutboxKey(Source.BOARD_TASK, str(decision_id), f"reminder:{due.isoformat()}", Kind.BOARD_TASK_REMINDER)


def board_task_overdue(decision_id: int, due: date) -> OutboxKey:
    """The notice to the director that a decision task passed `due` without being reported done."""
    return OutboxKey(Source.BOARD_TASK, str(decision_id), f"overdue:{due.isoformat()}", Kind.BOARD_TASK_OVERDUE)


def board_task_reported(decision_id: int, report_id: int) -> OutboxKey:
    """The notice to the director that a decision task was reported done or delayed."""
    return OutboxKey(Source.BOARD_TASK, str(decision_id), f"report:{report_id}", Kind.BOARD_TASK_REPORTED)


def board_export(person_id: str, year: int, at: datetime) -> OutboxKey:
    """The board's decisions of `year` as files, to the person who asked at `at`."""
    return OutboxKey(Source.BOARD_EXPORT, str(year), f"{person_id}:{at.isoformat()}", Kind.BOARD_EXPORT)


class Preparation(StrEnum):
    """A board meeting's preparation reminders, in the order they go out."""

    MATTERS = "matters"  # matters are due to the director
    CHAIR = "chair"  # the chair municipality's chief and the director prepare
    PRESIDIUM = "presidium"  # the presidium's preparation
    AGENDA = "agenda"  # the agenda (kallelse) to the board's channel


PREPARATION_KINDS = {
    Preparation.MATTERS: Kind.BOARD_MATTERS_DUE,
    Preparation.CHAIR: Kind.BOARD_CHAIR_PREPARATION,
    Preparation.PRESIDIUM: Kind.BOARD_PRESIDIUM_PREPARATION,
    Preparation.AGENDA: Kind.BOARD_AGENDA,
}


def board_preparation(meeting_id: str, reminder: Preparation, meeting_date: date) -> OutboxKey:
    """A preparation reminder for the meeting on `meeting_date`: the meeting moved is another occurrence."""
    occurrence = f"{reminder}:{meeting_date.isoformat()}"
    return OutboxKey(Source.BOARD_PREPARATION, meeting_id, occurrence, PREPARATION_KINDS[reminder])


SURVEY_ASK_KINDS = {"open": Kind.SURVEY_INVITATION, "reminder": Kind.SURVEY_REMINDER}


def survey_ask(survey_id: str, round_key: str, ask: str, step: str = "") -> OutboxKey:
    """A survey round's invitation (`ask` "open") or reminder ("reminder", `step`: working days before closing),
    one row per person asked."""
    occurrence = f"{round_key}:{ask}" + (f":{step}" if step else "")
    return OutboxKey(Source.SURVEY, survey_id, occurrence, SURVEY_ASK_KINDS[ask])


def survey_results(survey_id: str, round_key: str) -> OutboxKey:
    """A round's results to the director and the digest forum's channel when it closes."""
    return OutboxKey(Source.SURVEY, survey_id, f"{round_key}:results", Kind.SURVEY_RESULTS)


def survey_export(survey_id: str, round_key: str, at: datetime) -> OutboxKey:
    """A round's results as CSV and Excel to whoever asked for them at `at`."""
    return OutboxKey(Source.SURVEY, survey_id, f"{round_key}:export:{at.isoformat()}", Kind.SURVEY_EXPORT)


def board_digest(meeting_id: str, audience: str) -> OutboxKey:
    """A meeting's digest to one audience; a member municipality's (`audience` is
    bot.acknowledgements.subjects.member_audience) has the member as its `about`."""
    parsed = parse_audience(audience)
    about = parsed.id if parsed is not None and parsed.kind == MEMBER else None
    return OutboxKey(Source.BOARD_DIGEST, meeting_id, audience, Kind.BOARD_DIGEST, about)


def acknowledgement_reminder(subject: str, audience: str) -> OutboxKey:
    """The one reminder to acknowledge `subject` for `audience` (its `about`)."""
    return OutboxKey(Source.ACKNOWLEDGEMENT, subject, f"reminder:{audience}", Kind.ACKNOWLEDGEMENT_REMINDER, audience)


def acknowledgement_escalation(subject: str, day: date) -> OutboxKey:
    """The one message listing whose acknowledgement of `subject` is missing, for those escalated on `day`."""
    return OutboxKey(Source.ACKNOWLEDGEMENT, subject, f"escalation:{day.isoformat()}", Kind.ACKNOWLEDGEMENT_ESCALATION)


def acknowledgement_update(subject: str, target: Delivery, kind: Kind) -> OutboxKey:
    """The update that shows the acknowledgement of `subject` in the message `target` posted (of `kind`)."""
    return OutboxKey(Source.ACKNOWLEDGEMENT, subject, f"update:{target.id}", kind)
