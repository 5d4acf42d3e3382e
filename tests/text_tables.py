"""Test cases written as a text table, one case a line, where a row of Python tuples would repeat one shape."""

CONTINUED = " " * 8


def table_lines(table: str) -> list[str]:
    """The lines of a text table; a line indented by eight spaces goes on the line before it after one space."""
    lines: list[str] = []
    for line in table.strip("\n").splitlines():
        if line.startswith(CONTINUED):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return lines
