"""Cells of the CSV exports that a spreadsheet will show as text, never run as a formula."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str) -> str:
    """Text starting like a formula gets a leading ', which spreadsheets read as 'this is text'."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
