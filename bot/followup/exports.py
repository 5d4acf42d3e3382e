"""Every answer of a round as a CSV file (semicolons, UTF-8 with BOM, as Excel in Sweden expects) and a workbook."""

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.followup.summary import RoundSummary
from messages.followup_labels import EXPORT_HEADINGS, STATUS_LABELS, UNIT_LABELS

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
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(summary, names, zone):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
