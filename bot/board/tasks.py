"""Decisions that must be carried out: those with an owner and a due date, open until the owner reports them done.
A report 'delayed' moves the due date; the latest report is the task's state."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from storage.board import BoardDecision, BoardDigestRelease, BoardTaskReport, TaskReportKind


@dataclass(frozen=True)
class DecisionTask:
    decision: BoardDecision
    due: date  # the due date now: the decision's, or the latest 'delayed' report's new date
    reports: tuple[BoardTaskReport, ...]  # oldest first

    @property
    def done(self) -> bool:
        return bool(self.reports) and self.reports[-1].kind == TaskReportKind.DONE


def decision_tasks(session: Session, *, owner: str | None = None, include_done: bool = False) -> list[DecisionTask]:
    """Every decision task (of `owner`, when given), open ones only unless `include_done`, by due date; two
    statements whatever the number of tasks."""
    statement = select(BoardDecision).where(
        BoardDecision.owner.is_not(None), BoardDecision.due.is_not(None), BoardDecision.withdrawn_at.is_(None)
    )
    if owner is not None:
        statement = statement.where(BoardDecision.owner == owner)
    decisions = list(session.scalars(statement))
    reports: dict[int, list[BoardTaskReport]] = {decision.id: [] for decision in decisions if decision.id is not None}
    if reports:
        found = select(BoardTaskReport).where(BoardTaskReport.decision_id.in_(sorted(reports)))
        for report in session.scalars(found.order_by(BoardTaskReport.reported_at, BoardTaskReport.id)):
            reports[report.decision_id].append(report)
    tasks = [_task(decision, reports.get(decision.id, [])) for decision in decisions]
    wanted = [task for task in tasks if include_done or not task.done]
    return sorted(wanted, key=lambda task: (task.due, task.decision.meeting_id, task.decision.position))


def _task(decision: BoardDecision, reports: list[BoardTaskReport]) -> DecisionTask:
    due = decision.due
    for report in reports:
        if report.kind == TaskReportKind.DELAYED and report.new_due is not None:
            due = report.new_due
    assert due is not None  # only decisions with a due date are tasks
    return DecisionTask(decision, due, tuple(reports))


def released_meetings(session: Session) -> set[str]:
    """The meetings whose digests were sent: their decisions are final, and those with an owner are tasks."""
    return set(session.scalars(select(BoardDigestRelease.meeting_id)))


def released_tasks(session: Session, *, owner: str | None = None, include_done: bool = False) -> list[DecisionTask]:
    """decision_tasks of the released meetings only: a decision the secretary may still edit is nobody's task."""
    released = released_meetings(session)
    tasks = decision_tasks(session, owner=owner, include_done=include_done)
    return [task for task in tasks if task.decision.meeting_id in released]


def released_task(session: Session, decision_id: int) -> DecisionTask | None:
    """The task of one decision, done or not; None unless the decision is a task of a released meeting."""
    decision = session.get(BoardDecision, decision_id)
    if decision is None or decision.owner is None or decision.due is None or decision.withdrawn_at is not None:
        return None
    if session.get(BoardDigestRelease, decision.meeting_id) is None:
        return None
    found = select(BoardTaskReport).where(BoardTaskReport.decision_id == decision_id)
    return _task(decision, list(session.scalars(found.order_by(BoardTaskReport.reported_at, BoardTaskReport.id))))
