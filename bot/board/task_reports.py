"""Reporting on a decision task: who may (its owner and the director, as bot/permissions.py says), checking what
the form carried (done, delayed with a new date after today, or a comment), and storing the report once, with a
notice to the director when a task is reported done or delayed by someone else."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.board.decisions import BoardRefused, Refusal
from bot.board.task_notices import director, reported_rows
from bot.board.tasks import DecisionTask, released_task
from bot.config.model import AssociationConfig, Person
from bot.local_time import local_date
from bot.permissions import Action, Scope, require
from bot.replays import claim
from messages.text_limits import BOARD_TASK_COMMENT
from storage import outbox
from storage.board import BoardTaskReport, TaskReportKind
from storage.home import mark_dirty


class InvalidTaskReport(Exception):
    """Errors per field of the report form, each an error code that messages/ turns into Swedish."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(f"{len(errors)} invalid field(s)")
        self.errors = errors


@dataclass(frozen=True)
class ReportInput:
    """What the report form carried, as typed."""

    kind: str | None = None
    new_due: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class CleanReport:
    kind: TaskReportKind
    new_due: date | None
    comment: str | None


@dataclass(frozen=True)
class Reported:
    """A stored report, the task as it was before it, and whether the director was told."""

    report: BoardTaskReport
    task: DecisionTask
    told_director: bool


def reportable_task(session: Session, config: AssociationConfig, person: Person, decision_id: int) -> DecisionTask:
    """The task the person may report on (its owner and the director may); BoardRefused(NO_TASK) when the decision
    is no task of a released meeting, NotAllowed for anyone else."""
    task = released_task(session, decision_id)
    if task is None:
        raise BoardRefused(Refusal.NO_TASK)
    require(config, person, Action.REPORT_ON_DECISION_TASK, Scope(decision_owner=task.decision.owner))
    return task


def _blank(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def clean_report(raw: ReportInput, today: date) -> CleanReport:
    """The validated report; InvalidTaskReport naming every bad field otherwise."""
    errors: dict[str, str] = {}
    kind = TaskReportKind(raw.kind) if raw.kind in TaskReportKind.__members__.values() else None
    typed_due, comment = _blank(raw.new_due), _blank(raw.comment)
    if kind is None:
        errors["kind"] = "kind_missing"
    new_due = None
    if typed_due is not None:
        try:
            new_due = date.fromisoformat(typed_due)
        except ValueError:
            errors["new_due"] = "new_due_invalid"
        else:
            if kind is not None and kind != TaskReportKind.DELAYED:
                errors["new_due"] = "new_due_not_delayed"
            elif new_due <= today:
                errors["new_due"] = "new_due_not_after_today"
    elif kind == TaskReportKind.DELAYED:
        errors["new_due"] = "new_due_missing"
    if comment is None and kind == TaskReportKind.COMMENT:
        errors["comment"] = "comment_missing"
    elif comment is not None and len(comment) > BOARD_TASK_COMMENT:
        errors["comment"] = "too_long"
    if errors:
        raise InvalidTaskReport(errors)
    assert kind is not None
    return CleanReport(kind, new_due, comment)


def report_task(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    decision_id: int,
    raw: ReportInput,
    now: datetime,
    request_key: str | None = None,
) -> Reported:
    """Check and store a report on the task; a replayed request raises Replayed and stores nothing.

    The director is told when the task is reported done or delayed, unless the director reported it: a comment
    changes nothing the board follows, and the director need not hear of their own report."""
    task = reportable_task(session, config, person, decision_id)
    clean = clean_report(raw, local_date(config, now))
    claim(session, request_key, now)
    report = BoardTaskReport(
        decision_id=decision_id,
        kind=clean.kind,
        new_due=clean.new_due,
        comment=clean.comment,
        reported_by=person.id,
        reported_at=now,
    )
    session.add(report)
    session.flush()
    mark_dirty(session, [task.decision.owner])
    to = director(config)
    tell = to is not None and to.id != person.id and clean.kind != TaskReportKind.COMMENT
    if tell:
        assert to is not None
        outbox.enqueue(session, reported_rows(config, task, report, task.due, person, to, now))
    return Reported(report, task, tell)
