"""Every answer of a round as a CSV file (semicolons, UTF-8 with BOM, as Excel in Sweden expects) and a workbook
that also lists every change made to the answers.

The workbook is written with XlsxWriter, cell by cell with the cell's own type: text is always text (never
a formula or a link, whatever it starts with), numbers are numbers, empty is blank."""

import json
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.followup.summary import RoundSummary
from bot.spreadsheet import csv_file, text_cell, xlsx_file
from messages.followup_labels import (
    ANSWERS_SHEET,
    CHANGE_HEADING,
    EXPORT_HEADINGS,
    ON_TARGET_LABELS,
    REVISION_HEADINGS,
    REVISIONS_SHEET,
    STATUS_LABELS,
    UNIT_LABELS,
    describe_change,
)

Row = list[str | float | None]
CHANGE_COLUMN = EXPORT_HEADINGS.index(CHANGE_HEADING)


def _local(value: datetime, zone: str) -> str:
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def rows(summary: RoundSummary, names: dict[str, str], zone: str) -> Iterator[Row]:
    """One row per department and indicator that has an answer; numbers stay numbers."""
    for goal in summary.goals:
        for indicator_summary in goal.indicators:
            indicator = indicator_summary.indicator
            for cell in indicator_summary.cells:
                answer = cell.answer
                yield [
                    summary.round.name,
                    goal.goal.name,
                    indicator.name,
                    UNIT_LABELS[indicator.unit],
                    str(indicator.target) if indicator.target else "",
                    cell.department.name,
                    STATUS_LABELS[answer.status],
                    answer.value_number if answer.value_number is not None else answer.value_text,
                    ON_TARGET_LABELS[cell.on_target],
                    cell.previous.value_number if cell.previous is not None else None,
                    cell.change,
                    answer.comment,
                    answer.actions,
                    names.get(answer.submitted_by, answer.submitted_by),
                    _local(answer.submitted_at, zone),
                    answer.revision,
                ]


def revision_rows(summary: RoundSummary, names: dict[str, str], zone: str) -> Iterator[Row]:
    """One row per stored change: which answer, which version, who, when, and each field before and after."""
    indicators = {item.indicator.id: item.indicator.name for goal in summary.goals for item in goal.indicators}
    departments = {progress.department.id: progress.department.name for progress in summary.progress}
    for revision in summary.revisions:
        changes = json.loads(revision.changes)
        yield [
            departments.get(revision.department_id, revision.department_id),
            indicators.get(revision.indicator_id, revision.indicator_id),
            revision.revision,
            names.get(revision.submitted_by, revision.submitted_by),
            _local(revision.submitted_at, zone),
            "; ".join(describe_change(name, before, after) for name, (before, after) in changes.items()),
        ]


def csv_bytes(summary: RoundSummary, names: dict[str, str], zone: str) -> bytes:
    table = ([_csv_value(value, index) for index, value in enumerate(row)] for row in rows(summary, names, zone))
    return csv_file(EXPORT_HEADINGS, table)


def _csv_value(value: str | float | None, index: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:g}".replace(".", ",")
        return f"+{text}" if index == CHANGE_COLUMN and value > 0 else text
    return text_cell(str(value))  # typed by a department head: never run as a formula


def xlsx_bytes(summary: RoundSummary, names: dict[str, str], zone: str) -> bytes:
    return xlsx_file(
        [
            (ANSWERS_SHEET, EXPORT_HEADINGS, rows(summary, names, zone)),
            (REVISIONS_SHEET, REVISION_HEADINGS, revision_rows(summary, names, zone)),
        ]
    )
