"""The one way to read a fixed Swedish label: templates/labels.toml, parsed once, by dotted path.

The label modules (case_labels, followup_labels, plan_calendar, deliveries, ...) name what they take from it; a
table that is not there, or holds something other than text, fails at import, not when a user first sees it."""

import tomllib
from pathlib import Path

_LABELS = tomllib.loads((Path(__file__).parent / "templates" / "labels.toml").read_text(encoding="utf-8"))


def _at(path: str) -> object:
    node: object = _LABELS
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"labels.toml has no '{path}'")
        node = node[part]
    return node


def labels(path: str) -> dict[str, str]:
    """The table at `path` ('case.categories'): each code's label, in the file's order."""
    table = _at(path)
    if not isinstance(table, dict) or not all(isinstance(value, str) for value in table.values()):
        raise TypeError(f"labels.toml: '{path}' is not a table of texts")
    return dict(table)


def label_list(path: str) -> list[str]:
    """The list of texts at `path` ('followup.export_headings.answers'), in order."""
    items = _at(path)
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise TypeError(f"labels.toml: '{path}' is not a list of texts")
    return list(items)


def label_tables(path: str) -> dict[str, dict[str, str]]:
    """The tables of texts under `path` ('deliveries.errors'): each name's table, in the file's order."""
    tables = _at(path)
    if not isinstance(tables, dict):
        raise TypeError(f"labels.toml: '{path}' is not a table of tables")
    return {name: labels(f"{path}.{name}") for name in tables}
