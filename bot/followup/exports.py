"""Every answer of a round as a CSV file (semicolons, UTF-8 with BOM, as Excel in Sweden expects) and a workbook
that also lists every change made to the answers."""

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.followup.summary import RoundSummary
from messages.followup_labels import (
    EXPORT_HEADINGS,
    REVISION_HEADINGS,
    STATUS_LABELS,
    UNIT_LABELS,
    describe_change,
)

Row = list[str | float | None]


def _local(value: datetime, zone: str) -> str:
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def rows(summary: RoundSummary, names: dict[str, str], zone: str) -> Iterator[Row]:
    """One row per department and indicator that has an answer; numbers stay numbers."""
    for goal in summary.goals:
        for indicator_summary in goal.indicators:
            indicator = indicator_summary.indicator
            for cell in indicator_summary.cells:
                answer = cell.answer
                on_target = {True: "Ja", False: "Nej", None: ""}[cell.on_target]
                yield [
                    summary.round.name,
                    goal.goal.name,
                    indicator.name,
                    UNIT_LABELS[indicator.unit],
                    str(indicator.target) if indicator.target else "",
                    cell.department.name,
                    STATUS_LABELS[answer.status],
                    answer.value_number if answer.value_number is not None else answer.value_text,
                    on_target,
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_HEADINGS)
    for row in rows(summary, names, zone):
        writer.writerow([_csv_value(value, index) for index, value in enumerate(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: str | float | None, index: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:g}".replace(".", ",")
        return f"+{text}" if EXPORT_HEADINGS[index] == "Förändring" and value > 0 else text
    return str(value)


def xlsx_bytes(summary: RoundSummary, names: dict[str, str], zone: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Svar"
    sheet.append(EXPORT_HEADINGS)
    for row in rows(summary, names, zone):
        sheet.append(row)
    changes = workbook.create_sheet("Ändringar")
    changes.append(REVISION_HEADINGS)
    for row in revision_rows(summary, names, zone):
        changes.append(row)
    for table in (sheet, changes):
        for cell in table[1]:
            cell.font = Font(bold=True)
        table.freeze_panes = "A2"
        table.auto_filter.ref = table.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
