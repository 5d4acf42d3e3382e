"""Reading the association file's YAML: its node tree and data, parsed once, the line where each path starts,
and keys given twice (YAML itself keeps the last one silently)."""

import re
from typing import Any

import yaml

from bot.config.errors import ConfigFileError, ConfigProblem


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


def format_path(loc: tuple[Any, ...]) -> str:
    """A location as the file's reader writes it: ('plan', 0, 'schedule') -> 'plan[0].schedule'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def line_map(node: yaml.Node, loc: tuple = (), lines: dict | None = None) -> dict[tuple, int]:
    """Map every path in the document to the 1-based line where its value starts."""
    lines = {} if lines is None else lines
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*loc, key, "__key__")] = key_node.start_mark.line + 1
            line_map(value_node, (*loc, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            line_map(child, (*loc, index), lines)
    return lines


def duplicate_keys(node: yaml.Node, loc: tuple = ()) -> list[ConfigProblem]:
    """Keys given twice in one mapping: YAML keeps only the last, silently dropping the first."""
    problems = []
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            if key_node.value in seen:
                message = f"'{key_node.value}' is given twice here; only the last one would count"
                problems.append(ConfigProblem(format_path(loc), message, key_node.start_mark.line + 1))
            seen.add(key_node.value)
            problems.extend(duplicate_keys(value_node, (*loc, key_node.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            problems.extend(duplicate_keys(child, (*loc, index)))
    return problems


def nearest_line(lines: dict[tuple, int], loc: tuple) -> int | None:
    """The line of `loc`, or of the nearest path above it that the document has."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


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
