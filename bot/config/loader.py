"""Reading the association file: parse the YAML once, validate each section, then check references.

Every problem is reported in one run: a section that does not validate still has its references, duplicate ids
and impossible combinations checked over what is left of it (bot.config.salvage).
"""

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.config.errors import ConfigError, ConfigFileError, ConfigFileMissing, ConfigProblem, did_you_mean
from bot.config.model import AssociationConfig
from bot.config.references import check_references
from bot.config.render_check import check_rendering
from bot.config.salvage import UNCHECKED, adapter, salvage


class PurePythonLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1 sexagesimal numbers, so that 13:00 stays the string '13:00', and without
    timestamps, so that dates reach validation as text (an impossible date like 2027-13-01 is then a problem
    with a line number, not a crash in the YAML parser)."""


_NOT_RESOLVED = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")
PurePythonLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _NOT_RESOLVED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
PurePythonLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
PurePythonLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)

YAML_LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = PurePythonLoader
if getattr(yaml, "__with_libyaml__", False):

    class CLoader(yaml.CSafeLoader):
        """The same resolution with libyaml's C parser, which parses many times faster than the pure-Python one."""

    CLoader.yaml_implicit_resolvers = PurePythonLoader.yaml_implicit_resolvers
    YAML_LOADER = CLoader


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


def format_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _line_map(node: yaml.Node, loc: tuple = (), lines: dict | None = None) -> dict[tuple, int]:
    """Map every path in the document to the 1-based line where its value starts."""
    lines = {} if lines is None else lines
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*loc, key, "__key__")] = key_node.start_mark.line + 1
            _line_map(value_node, (*loc, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _line_map(child, (*loc, index), lines)
    return lines


def _duplicate_keys(node: yaml.Node, loc: tuple = ()) -> list[ConfigProblem]:
    """Keys given twice in one mapping: YAML keeps only the last, silently dropping the first."""
    problems = []
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            if key_node.value in seen:
                message = f"'{key_node.value}' is given twice here; only the last one would count"
                problems.append(ConfigProblem(format_path(loc), message, key_node.start_mark.line + 1))
            seen.add(key_node.value)
            problems.extend(_duplicate_keys(value_node, (*loc, key_node.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            problems.extend(_duplicate_keys(child, (*loc, index)))
    return problems


def _nearest_line(lines: dict[tuple, int], loc: tuple) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _pydantic_problems(error: ValidationError, prefix: tuple, lines: dict) -> list[ConfigProblem]:
    problems: list[tuple[tuple, ConfigProblem]] = []
    arms: dict[tuple, list[dict]] = {}  # a union's arms each refuse the value: one problem says it for all
    for detail in error.errors(include_url=False):
        full = (*prefix, *detail["loc"])
        loc = _file_loc(full, lines, missing=detail["type"] == "missing")
        if detail["type"] == "extra_forbidden":
            key = str(loc[-1])
            message = f"unknown key '{key}'{did_you_mean(key, ALL_KEYS)}"
            line = lines.get((*loc, "__key__")) or _nearest_line(lines, loc)
        elif len(loc) < len(full) and loc[-1] != full[-1]:
            arms.setdefault(loc, []).append(detail)
            continue
        else:
            message = _message(detail["type"], detail["msg"], detail.get("input"), loc)
            line = _nearest_line(lines, loc)
        problems.append((loc, ConfigProblem(format_path(loc), message, line)))
    for loc, details in arms.items():
        if any(other[: len(loc)] == loc for other, _ in problems):
            continue  # one arm took the value and found what is wrong inside it: that says more
        message = _message(details[0]["type"], _either(details), details[0].get("input"), loc)
        problems.append((loc, ConfigProblem(format_path(loc), message, _nearest_line(lines, loc))))
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
        return "a channel id like C0123ABCD: in Slack, the channel's details show it"
    if field == "slack_id":
        return "a Slack user id like U0123ABCD"
    if field == "email":
        return "an e-mail address"
    return "ids use lower-case letters, digits, '-' and '_'"


def _validate_section(annotation: Any, raw: Any, name: str, lines: dict) -> tuple[Any, list[ConfigProblem]]:
    """The section's value and its problems; for a section that does not validate, what is left of it (see
    bot.config.salvage), with the problems the validators pydantic skipped find in it."""
    try:
        return adapter(annotation).validate_python(raw), []
    except ValidationError as exc:
        problems = _pydantic_problems(exc, (name,), lines)
    salvaged = salvage(annotation, raw, (name,))
    for loc, message in salvaged.problems:
        problems.append(ConfigProblem(format_path(loc), message, _nearest_line(lines, loc)))
    return salvaged.value, problems


def parse_yaml(text: str, filename: str) -> tuple[yaml.MappingNode, dict]:
    """The document's node tree (for line numbers and keys given twice) and its data, parsed once."""
    loader = None
    try:
        loader = YAML_LOADER(text)  # the pure-Python reader refuses control characters here already
        root = loader.get_single_node()
        data = None if root is None else loader.construct_document(root)
    except yaml.YAMLError as exc:
        raise ConfigFileError(filename, f"not valid YAML: {_yaml_reason(exc)}", _yaml_line(exc, text)) from exc
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        raise ConfigFileError(filename, f"the file is empty: {_EXPECTED}")
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise ConfigFileError(filename, f"the top level is {kind}: {_EXPECTED}", root.start_mark.line + 1)
    return root, data


_EXPECTED = "it must be a YAML mapping of sections (association:, people:, roles: ...)"


def _yaml_reason(exc: yaml.YAMLError) -> str:
    """PyYAML's error in one line (its own spans several, with the text and a caret)."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        reason = " ".join(str(exc).split("\n")[0].split())
    else:
        reason = exc.problem or "unexpected text"
        if exc.problem_mark is not None:
            reason += f" at column {exc.problem_mark.column + 1}"
        if exc.context:
            mark = exc.context_mark
            reason = f"{exc.context}{f' (line {mark.line + 1}, column {mark.column + 1})' if mark else ''}: {reason}"
    if "unhashable" in reason:
        reason += " (a value that starts with {{ must be quoted, or written as a block with |)"
    return reason


def _yaml_line(exc: yaml.YAMLError, text: str) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return mark.line + 1
    position = getattr(exc, "position", None)
    if position is None:
        return None
    # libyaml counts the position in UTF-8 bytes, PyYAML's reader in characters.
    before = text.encode("utf-8")[:position] if YAML_LOADER is not PurePythonLoader else text[:position]
    return before.count("\n" if isinstance(before, str) else b"\n") + 1


def parse_config(text: str, filename: str = "<config>", render_on: date | None = None) -> AssociationConfig:
    """Validate configuration text; raises ConfigError listing every problem.

    With `render_on` (what `plan check` does), each plan item's message is also rendered for its next occurrence
    from that day, as a tick would: the bot itself loads without it, so that one broken message fails only its
    own item (and is reported to its owner) instead of stopping the whole plan.
    """
    root, data = parse_yaml(text, filename)
    lines = _line_map(root)

    problems: list[ConfigProblem] = _duplicate_keys(root)
    for key in data:
        if key not in AssociationConfig.model_fields:
            suggestion = did_you_mean(str(key), AssociationConfig.model_fields)
            problems.append(ConfigProblem(str(key), f"unknown section{suggestion}", lines.get((key, "__key__"))))
    sections: dict[str, Any] = {}
    failed: dict[str, Any] = {}
    for name, field in AssociationConfig.model_fields.items():
        if name not in data:
            if field.is_required():
                problems.append(ConfigProblem(name, "required section is missing", 1))
            continue
        value, section_problems = _validate_section(field.annotation, data[name], name, lines)
        if section_problems:
            failed[name] = data[name]
            problems.extend(section_problems)
        if value is not UNCHECKED:
            sections[name] = value

    found = check_references(sections, failed)
    if render_on is not None:
        found += check_rendering(sections, render_on)
    for loc, message in found:
        problems.append(ConfigProblem(format_path(loc), message, _nearest_line(lines, loc)))
    if problems:
        problems.sort(key=lambda problem: (problem.line or 0, problem.path))
        raise ConfigError(filename, problems)
    return AssociationConfig(**sections)


def load_config(path: str | Path, render_on: date | None = None) -> AssociationConfig:
    """Load and validate the configuration file at `path` (see parse_config for `render_on`)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigFileMissing(str(path)) from exc
    except IsADirectoryError as exc:
        raise ConfigFileError(str(path), "is a folder, not a file: name the association file itself") from exc
    except OSError as exc:
        raise ConfigFileError(str(path), f"cannot be read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = (
            f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at column {column} cannot be read; save the file as UTF-8"
        )
        raise ConfigFileError(str(path), message, line) from exc
    return parse_config(text.removeprefix("\ufeff"), str(path), render_on)
