"""The exports' spreadsheet files: a CSV as Swedish Excel opens it, a workbook of sheets, and text cells that a
spreadsheet will show as text, never run as a formula."""

import csv
import io
from collections.abc import Iterable, Sequence

from xlsxwriter import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None
Sheet = tuple[str, Sequence[str], Iterable[Sequence[Cell]]]  # title, headings, rows


def text_cell(value: str) -> str:
    """Text starting like a formula gets a leading ', which spreadsheets read as 'this is text'."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_file(headings: Sequence[str], rows: Iterable[Sequence[str | int]]) -> bytes:
    """A semicolon-separated CSV in UTF-8 with a byte order mark and CRLF line ends, as Swedish Excel reads one;
    the rows as the caller wrote them (text through text_cell, numbers as they should read)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_file(sheets: Iterable[Sheet]) -> bytes:
    """An Excel workbook of the sheets: the headings in bold, frozen and filtered; each value with its own type
    (empty text and None are empty cells)."""
    buffer = io.BytesIO()
    workbook = Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    for title, headings, table in sheets:
        sheet = workbook.add_worksheet(title)
        for column, heading in enumerate(headings):
            sheet.write_string(0, column, heading, bold)
        last = 0
        for last, row in enumerate(table, start=1):
            for column, value in enumerate(row):
                if isinstance(value, str):
                    if value:
                        sheet.write_string(last, column, value)
                elif value is not None:
                    sheet.write_number(last, column, value)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, last, len(headings) - 1)
    workbook.close()
    return buffer.getvalue()
