"""A round's results as a CSV file (semicolons, UTF-8 with BOM, as Excel in Sweden expects) and a workbook with the
improvement texts on a second sheet. The figures are the shown ones: a hidden figure is 'för få svar' here too,
so an export tells no more than the digest. Text is always text, never a formula."""

from collections.abc import Iterator

from bot.spreadsheet import csv_file, text_cell, xlsx_file
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
    return csv_file(RESULT_HEADINGS, ([_csv_value(value) for value in row] for row in result_rows(results)))


def _csv_value(value: str | float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return text_cell(str(value))


def xlsx_bytes(results: SurveyResults) -> bytes:
    return xlsx_file(
        [
            (EXPORT["results_sheet"], RESULT_HEADINGS, result_rows(results)),
            (EXPORT["improvements_sheet"], IMPROVEMENT_HEADINGS, improvement_rows(results)),
        ]
    )
