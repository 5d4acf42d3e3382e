"""Reading the YAML file: parse with line numbers, validate each section, then check references."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import TypeAdapter, ValidationError

from bot.config.errors import ConfigError, ConfigFileMissing, ConfigProblem, did_you_mean
from bot.config.model import AssociationConfig
from bot.config.references import check_references


class _Loader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1 sexagesimal numbers, so that 13:00 stays the string '13:00', and without
    timestamps, so that dates reach validation as text (an impossible date like 2027-13-01 is then a problem
    with a line number, not a crash in the YAML parser)."""


_NOT_RESOLVED = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _NOT_RESOLVED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


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
    problems = []
    for detail in error.errors(include_url=False):
        loc = tuple(part for part in (*prefix, *detail["loc"]) if not _is_union_tag(part))
        message = detail["msg"]
        if detail["type"] == "extra_forbidden":
            key = str(loc[-1])
            message = f"unknown key '{key}'{did_you_mean(key, ALL_KEYS)}"
            line = lines.get((*loc, "__key__")) or _nearest_line(lines, loc)
        else:
            line = _nearest_line(lines, loc)
            if detail["type"] == "missing":
                message = "required but missing"
            elif message.startswith("Value error, "):
                message = message.removeprefix("Value error, ")
            elif detail["type"] == "string_pattern_mismatch":
                message = f"'{detail['input']}' is not valid here ({_pattern_hint(loc)})"
        problems.append(ConfigProblem(format_path(loc), message, line))
    return problems


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and (part.startswith(("list[", "literal[", "function-")) or part in ("str", "date"))


def _pattern_hint(loc: tuple) -> str:
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if field in ("channel", "channels"):
        return "a channel id like C0123ABCD: in Slack, the channel's details show it"
    if field == "slack_id":
        return "a Slack user id like U0123ABCD"
    if field == "email":
        return "an e-mail address"
    return "ids use lower-case letters, digits, '-' and '_'"


@dataclass
class _Section:
    """A validated section: its value (None if it did not validate) and its problems.

    A list is validated entry by entry, so that one bad entry does not hide the reference errors of the
    others: `invalid` holds the raw entries that failed, `positions` each valid entry's index in the file.
    """

    value: Any
    problems: list[ConfigProblem]
    invalid: list[Any]
    positions: list[int]


def _validate_section(annotation: Any, raw: Any, name: str, lines: dict) -> _Section:
    if get_origin(annotation) is list and isinstance(raw, list):
        adapter = TypeAdapter(get_args(annotation)[0])
        section = _Section([], [], [], [])
        for index, entry in enumerate(raw):
            try:
                section.value.append(adapter.validate_python(entry))
                section.positions.append(index)
            except ValidationError as exc:
                section.problems.extend(_pydantic_problems(exc, (name, index), lines))
                section.invalid.append(entry)
        return section
    try:
        return _Section(TypeAdapter(annotation).validate_python(raw), [], [], [])
    except ValidationError as exc:
        return _Section(None, _pydantic_problems(exc, (name,), lines), [], [])


def _file_loc(loc: tuple, sections: dict[str, _Section]) -> tuple:
    """A reference problem's location with the index among valid entries turned into the index in the file."""
    section = sections.get(loc[0]) if loc else None
    if section is None or not section.positions or len(loc) < 2 or not isinstance(loc[1], int):
        return loc
    return (loc[0], section.positions[loc[1]], *loc[2:])


def parse_config(text: str, filename: str = "<config>") -> AssociationConfig:
    """Validate configuration text; raises ConfigError listing every problem."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ConfigError(filename, [ConfigProblem("", f"not valid YAML: {exc}", line)]) from exc
    if root is None or not isinstance(root, yaml.MappingNode):
        raise ConfigError(filename, [ConfigProblem("", "the file must be a YAML mapping of sections", 1)])
    try:
        data = _Loader(text).get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        hint = ""
        if "unhashable" in str(exc):
            hint = " (a value that starts with {{ must be quoted, or written as a block with |)"
        raise ConfigError(
            filename, [ConfigProblem("", f"not valid YAML: {exc}{hint}", mark.line + 1 if mark else None)]
        ) from exc
    lines = _line_map(root)

    problems: list[ConfigProblem] = _duplicate_keys(root)
    validated: dict[str, _Section] = {}
    for key in data:
        if key not in AssociationConfig.model_fields:
            suggestion = did_you_mean(str(key), AssociationConfig.model_fields)
            problems.append(ConfigProblem(str(key), f"unknown section{suggestion}", lines.get((key, "__key__"))))
    for name, field in AssociationConfig.model_fields.items():
        if name not in data:
            if field.is_required():
                problems.append(ConfigProblem(name, "required section is missing", 1))
            continue
        validated[name] = _validate_section(field.annotation, data[name], name, lines)
        problems.extend(validated[name].problems)

    sections = {name: section.value for name, section in validated.items() if section.value is not None}
    invalid = {name: section.invalid for name, section in validated.items()}
    for loc, message in check_references(sections, invalid):
        loc = _file_loc(loc, validated)
        problems.append(ConfigProblem(format_path(loc), message, _nearest_line(lines, loc)))
    if problems:
        problems.sort(key=lambda problem: (problem.line or 0, problem.path))
        raise ConfigError(filename, problems)
    return AssociationConfig(**sections)


def load_config(path: str | Path) -> AssociationConfig:
    """Load and validate the configuration file at `path`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigFileMissing(str(path)) from exc
    return parse_config(text, str(path))
