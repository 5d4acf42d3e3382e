"""Validating one section of the file, with pydantic's errors said in the file's terms: its paths and lines,
the value given, "did you mean" for an unknown key, one problem for a union whose every arm refuses a value."""

from typing import Any

from pydantic import ValidationError

from bot.config.errors import ConfigProblem, did_you_mean
from bot.config.model import AssociationConfig
from bot.config.salvage import adapter, salvage
from bot.config.yaml_reader import format_path, nearest_line


def _field_names(model: type) -> set[str]:
    names: set[str] = set()
    pending = [model]
    seen: set[type] = set()
    while pending:
        current = pending.pop()
        if current in seen or not hasattr(current, "model_fields"):
            continue
        seen.add(current)
        for name, field in current.model_fields.items():
            names.add(name)
            pending.extend(_models_in(field.annotation))
    return names


def _models_in(annotation: Any) -> list[type]:
    found = []
    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        found.append(annotation)
    for argument in getattr(annotation, "__args__", ()):
        found.extend(_models_in(argument))
    return found


ALL_KEYS = _field_names(AssociationConfig)


def _pydantic_problems(error: ValidationError, prefix: tuple, lines: dict) -> list[ConfigProblem]:
    problems: list[tuple[tuple, ConfigProblem]] = []
    arms: dict[tuple, list[dict]] = {}  # a union's arms each refuse the value: one problem says it for all
    for detail in error.errors(include_url=False):
        full = (*prefix, *detail["loc"])
        loc = _file_loc(full, lines, missing=detail["type"] == "missing")
        if detail["type"] == "extra_forbidden":
            key = str(loc[-1])
            message = f"unknown key '{key}'{did_you_mean(key, ALL_KEYS)}"
            line = lines.get((*loc, "__key__")) or nearest_line(lines, loc)
        elif len(loc) < len(full) and loc[-1] != full[-1]:
            arms.setdefault(loc, []).append(detail)
            continue
        else:
            message = _message(detail["type"], detail["msg"], detail.get("input"), loc)
            line = nearest_line(lines, loc)
        problems.append((loc, ConfigProblem(format_path(loc), message, line)))
    for loc, details in arms.items():
        if any(other[: len(loc)] == loc for other, _ in problems):
            continue  # one arm took the value and found what is wrong inside it: that says more
        message = _message(details[0]["type"], _either(details), details[0].get("input"), loc)
        problems.append((loc, ConfigProblem(format_path(loc), message, nearest_line(lines, loc))))
    return [problem for _, problem in problems]


def _either(details: list[dict]) -> str:
    """The messages of a union's arms as one: 'Input should be a valid list or 'all''."""
    messages = [detail["msg"] for detail in details]
    if len(messages) > 1 and all(message.startswith("Input should be ") for message in messages):
        return "Input should be " + " or ".join(message.removeprefix("Input should be ") for message in messages)
    return "; ".join(messages)


_SCALARS = (str, int, float, bool)
_DATE_ERRORS = ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type")
_TIME_ERRORS = ("time_parsing", "time_type")


def _message(kind: str, message: str, value: Any, loc: tuple) -> str:
    """Pydantic's message in the file's terms, naming the value given where it is a plain value."""
    if kind == "missing":
        return "required but missing"
    if kind in ("value_error", "assertion_error"):
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "string_pattern_mismatch":
        return f"'{value}' is not valid here ({_pattern_hint(loc)})"
    if kind in ("model_type", "dict_type"):
        message = "Input should be a mapping (key: value pairs)"
        if value is None or isinstance(value, list):
            return f"{message} (given: {'nothing' if value is None else 'a list'})"
    if not isinstance(value, _SCALARS):
        return message
    if kind in _DATE_ERRORS or kind in _TIME_ERRORS:
        noun, form = ("date", "YYYY-MM-DD") if kind in _DATE_ERRORS else ("time", "HH:MM")
        reason = message.split(", ", 1)[1] if ", " in message else ""
        if kind == "date_from_datetime_inexact":
            reason = "it has a time of day"
        return f"'{value}' is not a valid {noun}{f' ({reason})' if reason else ''}: write it as {form}"
    return f"{message} (given: {value!r})"


def _file_loc(loc: tuple, lines: dict, missing: bool) -> tuple:
    """Pydantic's location without the parts naming a union's arm ('list[...]', 'literal[...]', 'Target'): the
    path in the file, so every part is a key or index the document has, but the key a "missing" error names."""
    kept: tuple = ()
    for position, part in enumerate(loc):
        if (*kept, part) in lines or (missing and position == len(loc) - 1):
            kept = (*kept, part)
    return kept


def _pattern_hint(loc: tuple) -> str:
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if field in ("channel", "channels"):
        return (
            "a Slack channel id like C0123ABCD, shown in the channel's details; or a Teams channel as "
            "'teams:19:...@thread.tacv2', with the id from the link Teams gives with \"Get link to channel\" "
            "(URL-decoded)"
        )
    if field == "slack_id":
        return "a Slack user id like U0123ABCD"
    if field == "teams_id":
        return (
            "the person's Microsoft Entra object id, a GUID like 0b7c3d2e-1f4a-4b5c-9d8e-7f6a5b4c3d2e: "
            "Entra admin center -> Users -> the person -> Object ID"
        )
    if field == "email":
        return "an e-mail address"
    return "ids use lower-case letters, digits, '-' and '_'"


def validate_section(annotation: Any, raw: Any, name: str, lines: dict) -> tuple[Any, list[ConfigProblem]]:
    """The section's value and its problems; for a section that does not validate, what is left of it (see
    bot.config.salvage), with the problems the validators pydantic skipped find in it."""
    try:
        return adapter(annotation).validate_python(raw), []
    except ValidationError as exc:
        problems = _pydantic_problems(exc, (name,), lines)
    salvaged = salvage(annotation, raw, (name,))
    for loc, message in salvaged.problems:
        problems.append(ConfigProblem(format_path(loc), message, nearest_line(lines, loc)))
    return salvaged.value, problems
