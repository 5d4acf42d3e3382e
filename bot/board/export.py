"""The board's decisions of a year and their follow-up, for the board's records: a CSV file (semicolons, UTF-8
with BOM, as Excel in Sweden expects) of the decisions, and a workbook that also lists every report on their tasks.

Only the decisions of meetings whose digests were sent (final), not withdrawn, by meeting and paragraph. Written
as bot/followup/exports.py writes the follow-up's answers: text is always text, never a formula."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from bot.board.meetings import find_meeting
from bot.board.tasks import DecisionTask, released_meetings, released_tasks
from bot.config.model import AssociationConfig
from bot.spreadsheet import csv_file, text_cell, xlsx_file
from messages.board_task_form import KIND_LABELS, STATUS_LABELS
from messages.labels import label_list, labels
from messages.message import File
from storage.board import BoardDecision

_EXPORT = labels("board_tasks.export")
DECISION_HEADINGS = label_list("board_tasks.export_headings.decisions")
REPORT_HEADINGS = label_list("board_tasks.export_headings.reports")
Row = list[str | int]


@dataclass(frozen=True)
class DecisionRecord:
    """One decision of the year, with its meeting's date and its task (None when nobody must carry it out)."""

    decision: BoardDecision
    meeting_date: date | None
    task: DecisionTask | None


def year_records(session: Session, config: AssociationConfig, year: int) -> list[DecisionRecord]:
    """The final decisions of the meetings held in `year` (a meeting the file no longer has counts by the day its
    decisions were recorded), by meeting date and paragraph."""
    released = released_meetings(session)
    found = select(BoardDecision).where(BoardDecision.withdrawn_at.is_(None), BoardDecision.meeting_id.in_(released))
    tasks = {task.decision.id: task for task in released_tasks(session, include_done=True)}
    records = []
    for decision in session.scalars(found):
        meeting = find_meeting(config, decision.meeting_id)
        held = meeting.date if meeting else None
        if (held or decision.created_at.date()).year == year:
            records.append(DecisionRecord(decision, held, tasks.get(decision.id)))
    return sorted(records, key=lambda r: (r.meeting_date or date.max, r.decision.meeting_id, r.decision.position))


def _local(value: datetime, zone: str) -> str:
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def _concerns(config: AssociationConfig, decision: BoardDecision) -> str:
    """'Alla', or the member municipalities and departments it concerns, by name."""
    if decision.concerns_all:
        return _EXPORT["concerns_all"]
    members = {member.id: member.name for member in config.members}
    departments = {department.id: department.name for department in config.departments}
    named = [members.get(i, i) for i in json.loads(decision.member_ids)]
    named += [departments.get(i, i) for i in json.loads(decision.department_ids)]
    return ", ".join(named)


def _status(record: DecisionRecord, today: date) -> str:
    task = record.task
    if task is None:
        return STATUS_LABELS["none"]
    if task.done:
        return STATUS_LABELS["done"]
    return STATUS_LABELS["overdue" if task.due < today else "open"]


def decision_rows(config: AssociationConfig, records: list[DecisionRecord], today: date) -> Iterator[Row]:
    """One row per decision: what it says, whom it concerns, and where its task stands."""
    names = {person.id: person.name for person in config.people}
    zone = config.association.timezone
    for record in records:
        decision, task = record.decision, record.task
        last = task.reports[-1] if task and task.reports else None
        yield [
            record.meeting_date.isoformat() if record.meeting_date else "",
            decision.position,
            decision.title,
            decision.summary,
            _concerns(config, decision),
            _EXPORT["public" if decision.public else "internal"],
            decision.case_number or "",
            names.get(decision.owner, decision.owner) if decision.owner else "",
            decision.due.isoformat() if decision.due else "",
            task.due.isoformat() if task else "",
            _status(record, today),
            KIND_LABELS[last.kind] if last else "",
            (last.comment or "") if last else "",
            names.get(last.reported_by, last.reported_by) if last else "",
            _local(last.reported_at, zone) if last else "",
        ]


def report_rows(config: AssociationConfig, records: list[DecisionRecord]) -> Iterator[Row]:
    """One row per report on a task, oldest first within each decision."""
    names = {person.id: person.name for person in config.people}
    for record in records:
        for report in record.task.reports if record.task else ():
            yield [
                record.meeting_date.isoformat() if record.meeting_date else "",
                record.decision.position,
                record.decision.title,
                KIND_LABELS[report.kind],
                report.new_due.isoformat() if report.new_due else "",
                report.comment or "",
                names.get(report.reported_by, report.reported_by),
                _local(report.reported_at, config.association.timezone),
            ]


def csv_bytes(rows: Iterator[Row]) -> bytes:
    return csv_file(DECISION_HEADINGS, ([v if isinstance(v, int) else text_cell(v) for v in row] for row in rows))


def xlsx_bytes(decisions: Iterator[Row], reports: Iterator[Row]) -> bytes:
    return xlsx_file(
        [
            (_EXPORT["decisions_sheet"], DECISION_HEADINGS, decisions),
            (_EXPORT["reports_sheet"], REPORT_HEADINGS, reports),
        ]
    )


def export_files(config: AssociationConfig, records: list[DecisionRecord], year: int, today: date) -> tuple[File, ...]:
    """The year's decisions as CSV and Excel."""
    stem = f"direktionens-beslut-{year}"
    return (
        File(f"{stem}.csv", f"{stem}.csv", csv_bytes(decision_rows(config, records, today))),
        File(
            f"{stem}.xlsx",
            f"{stem}.xlsx",
            xlsx_bytes(decision_rows(config, records, today), report_rows(config, records)),
        ),
    )
