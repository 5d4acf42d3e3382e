"""Reading the association file: parse the YAML once, validate each section, then check references.

Every problem is reported in one run: a section that does not validate still has its references, duplicate ids
and impossible combinations checked over what is left of it (bot.config.salvage).
"""

from datetime import date
from pathlib import Path
from typing import Any

from bot.config.errors import ConfigError, ConfigFileError, ConfigFileMissing, ConfigProblem, did_you_mean
from bot.config.model import AssociationConfig
from bot.config.platform_references import default_platform
from bot.config.references import check_references
from bot.config.render_check import check_rendering
from bot.config.salvage import UNCHECKED
from bot.config.section_validation import validate_section
from bot.config.yaml_reader import duplicate_keys, format_path, line_map, nearest_line, parse_yaml


def parse_config(text: str, filename: str = "<config>", render_on: date | None = None) -> AssociationConfig:
    """Validate configuration text; raises ConfigError listing every problem.

    With `render_on` (what `plan check` does), each plan item's message is also rendered for its next occurrence
    from that day, as a tick would: the bot itself loads without it, so that one broken message fails only its
    own item (and is reported to its owner) instead of stopping the whole plan.
    """
    root, data = parse_yaml(text, filename)
    data = default_platform(data)
    lines = line_map(root)

    problems: list[ConfigProblem] = duplicate_keys(root)
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
        value, section_problems = validate_section(field.annotation, data[name], name, lines)
        if section_problems:
            failed[name] = data[name]
            problems.extend(section_problems)
        if value is not UNCHECKED:
            sections[name] = value

    found = check_references(sections, failed)
    if render_on is not None:
        found += check_rendering(sections, render_on)
    for loc, message in found:
        problems.append(ConfigProblem(format_path(loc), message, nearest_line(lines, loc)))
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
