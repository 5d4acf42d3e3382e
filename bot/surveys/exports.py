"""A round's results as a CSV file (semicolons, UTF-8 with BOM, as Excel in Sweden expects) and a workbook with the
improvement texts on a second sheet. The figures are the shown ones: a hidden figure is 'för få svar' here too,
so an export tells no more than the digest. Text is always text, never a formula."""

import csv
import io
from collections.abc import Iterator

from xlsxwriter import Workbook

from bot.spreadsheet import text_cell
from bot.surveys.results import ALL, SurveyResults
from messages.survey_labels import EXPORT, IMPROVEMENT_HEADINGS, RESULT_HEADINGS

Row = list[str | float | int | None]


def result_rows(results: SurveyResults) -> Iterator[Row]:
    """One row per service (the NKI questions first) and member, then all members; the index rounded to one
    decimal, or 'för få svar'."""
    names = {member.id: member.name for member in results.members} | {ALL: EXPORT["all_members"]}
    survey, round_key = results.round.survey.name, results.round.key
    for row in results.rows:
        service = row.service.name if row.service else EXPORT["nki"]
        for column, figure in row.cells.items():
            if not figure.answers and column != ALL:
                continue
            index = EXPORT["hidden"] if figure.index is None else round(figure.index, 1)
            change = None if figure.change is None else round(figure.change, 1)
            yield [survey, round_key, service, names[column], figure.answers, index, change]


def improvement_rows(results: SurveyResults) -> Iterator[Row]:
    services = {row.key: row.service.name for row in results.rows if row.service}
    for service_id, texts in results.improvements.items():
        for text in texts:
            yield [results.round.survey.name, results.round.key, services.get(service_id, service_id), text]


def csv_bytes(results: SurveyResults) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(RESULT_HEADINGS)
    for row in result_rows(results):
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: str | float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return text_cell(str(value))


def xlsx_bytes(results: SurveyResults) -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    for title, headings, table in (
        (EXPORT["results_sheet"], RESULT_HEADINGS, result_rows(results)),
        (EXPORT["improvements_sheet"], IMPROVEMENT_HEADINGS, improvement_rows(results)),
    ):
        sheet = workbook.add_worksheet(title)
        for column, heading in enumerate(headings):
            sheet.write_string(0, column, heading, bold)
        last = 0
        for last, row in enumerate(table, start=1):
            for column, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(last, column, value)
                elif value is not None:
                    sheet.write_number(last, column, value)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, last, len(headings) - 1)
    workbook.close()
    return buffer.getvalue()
