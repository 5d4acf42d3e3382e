"""The round's Excel file: opens in openpyxl with the sheets, headings and values of the export rows, typed."""

import csv
import io
import json
from datetime import UTC, datetime

from openpyxl import load_workbook

from bot.followup import exports
from bot.followup.summary import compile_summary
from messages.followup_labels import EXPORT_HEADINGS, REVISION_HEADINGS
from storage.engine import session_scope
from storage.followup import FollowupAnswer, FollowupRevision

ZONE = "Europe/Stockholm"
SUBMITTED = datetime(2027, 5, 10, 8, 15, tzinfo=UTC)
TRICKY = ['=HYPERLINK("http://example.com";"klicka")', "https://intranat.example/sida", "+46 70", ""]


def answer_everything(engine, config, round_id: str, comments: list[str] = TRICKY) -> None:
    """Every department answers every indicator it reports, with comments that look like formulas and links."""
    with session_scope(engine) as session:
        n = 0
        for goal in config.goals:
            for indicator in goal.indicators:
                for department in config.departments:
                    if not indicator.reported_by(department.id):
                        continue
                    number = indicator.unit != "text"
                    session.add(
                        FollowupAnswer(
                            round_id=round_id,
                            department_id=department.id,
                            indicator_id=indicator.id,
                            status=("met", "at_risk")[n % 2],
                            value_number=float(n * 7 % 100) + 0.5 if number else None,
                            value_text=None if number else f"Text {n}",
                            comment=comments[n % len(comments)] or None,
                            actions="Åtgärd" if n % 2 else None,
                            revision=1,
                            submitted_by=department.head,
                            submitted_at=SUBMITTED,
                        )
                    )
                    session.add(
                        FollowupRevision(
                            round_id=round_id,
                            department_id=department.id,
                            indicator_id=indicator.id,
                            revision=1,
                            submitted_by=department.head,
                            submitted_at=SUBMITTED,
                            changes=json.dumps({"status": [None, ("met", "at_risk")[n % 2]]}),
                        )
                    )
                    n += 1


def values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def expected(table) -> list[list]:
    """What a reader sees: an empty string is an empty cell."""
    return [[None if value == "" else value for value in row] for row in table]


def answered_summary(engine, config, comments: list[str] = TRICKY):
    """The first round's summary after every department answered everything, and the people's names."""
    round_ = config.followup_rounds[0]
    answer_everything(engine, config, round_.id, comments)
    with session_scope(engine) as session:
        summary = compile_summary(session, config, round_)
    return summary, {person.id: person.name for person in config.people}


def test_the_workbook_has_the_sheets_headings_and_values_of_the_export_rows(engine, example_config):
    summary, names = answered_summary(engine, example_config)

    workbook = load_workbook(io.BytesIO(exports.xlsx_bytes(summary, names, ZONE)))

    assert workbook.sheetnames == ["Svar", "Ändringar"]
    answers, changes = workbook["Svar"], workbook["Ändringar"]
    answer_rows = list(exports.rows(summary, names, ZONE))
    assert len(answer_rows) > 10
    assert values(answers) == [EXPORT_HEADINGS, *expected(answer_rows)]
    assert values(changes) == [REVISION_HEADINGS, *expected(exports.revision_rows(summary, names, ZONE))]
    for sheet, headings in ((answers, EXPORT_HEADINGS), (changes, REVISION_HEADINGS)):
        assert all(cell.font.bold for cell in sheet[1]) and not any(cell.font.bold for cell in sheet[2])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(headings)).column_letter}{sheet.max_row}"
    # the same table as the CSV file, row for row
    table = list(csv.reader(io.StringIO(exports.csv_bytes(summary, names, ZONE).decode("utf-8-sig")), delimiter=";"))
    assert len(table) == answers.max_row


def test_text_that_looks_like_a_formula_or_a_link_stays_text(engine, example_config):
    summary, names = answered_summary(engine, example_config)

    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(summary, names, ZONE)))["Svar"]

    comments = {sheet.cell(row, 12).value for row in range(2, sheet.max_row + 1)}
    assert set(TRICKY) - {""} <= comments
    for row in range(2, sheet.max_row + 1):
        assert sheet.cell(row, 12).data_type in ("s", "n")  # never "f" (formula)
        assert sheet.cell(row, 12).hyperlink is None
    numbers = [sheet.cell(row, 8).value for row in range(2, sheet.max_row + 1)]
    assert any(isinstance(value, float) for value in numbers)


def test_a_control_character_in_a_comment_does_not_break_the_workbook(engine, example_config):
    summary, names = answered_summary(engine, example_config, comments=["Rad ett\x07\x1b"])

    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(summary, names, ZONE)))["Svar"]

    # stored with the spreadsheet format's own escape, which Excel shows as the character
    assert sheet.cell(2, 12).value == "Rad ett_x0007__x001B_"


def test_text_that_looks_like_a_formula_stays_text_in_the_csv_file(engine, example_config):
    """The CSV has no cell types: text typed by a department head that starts like a formula gets a leading '."""
    summary, names = answered_summary(engine, example_config)
    table = list(csv.reader(io.StringIO(exports.csv_bytes(summary, names, ZONE).decode("utf-8-sig")), delimiter=";"))
    comments = {row[11] for row in table[1:]}
    formulas = [comment for comment in TRICKY if comment.startswith(("=", "+", "-", "@"))]
    assert formulas and {"'" + comment for comment in formulas} <= comments
    assert not any(comment.startswith(("=", "+", "-", "@")) for comment in comments)


def test_the_exports_swedish_headings_and_words_are_as_before_the_move_to_messages(engine, example_config):
    """The headings, sheet names and yes/no live in messages/followup_labels.py: the files read as they did."""
    assert EXPORT_HEADINGS[exports.CHANGE_COLUMN] == "Förändring"
    assert (exports._csv_value(1.5, exports.CHANGE_COLUMN), exports._csv_value(-1.5, exports.CHANGE_COLUMN)) == (
        "+1,5",
        "-1,5",
    )
    assert exports._csv_value(1.5, exports.CHANGE_COLUMN - 1) == "1,5"
    summary, names = answered_summary(engine, example_config)
    on_target = {row[EXPORT_HEADINGS.index("Når målvärdet")] for row in exports.rows(summary, names, ZONE)}
    assert on_target <= {"Ja", "Nej", ""} and {"Ja", "Nej"} & on_target
